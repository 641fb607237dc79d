"""The interview state machine on its own: no FastAPI, no SQL, no models."""

from __future__ import annotations

import pytest

from backend.engine.machine import (InterviewEngine, Limits, ProtocolError, SessionInfo,
                                    format_seconds)
from backend.engine.state import InterviewState
from backend.protocol.codes import SocketErrorCode
from tests.engine.fakes import MemoryStore, ScriptedInterviewer, analysis


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def make_engine(state=None, clock=None, limits=Limits()):
    store = MemoryStore()
    interviewer = ScriptedInterviewer()
    info = SessionInfo(role="Backend Engineer", job_description="jd", resume_text="cv",
                       analysis=analysis())
    engine = InterviewEngine("s1", info, interviewer, store, state=state,
                             clock=clock or FakeClock(), limits=limits)
    return engine, store, interviewer


def types(events):
    return [e["type"] for e in events]


def test_start_sends_intro_then_first_question_and_saves():
    engine, store, _ = make_engine()
    events = engine.start(max_questions=2)
    assert types(events) == ["intro", "new_question"]
    assert events[0]["data"]["phase"] == "intro"
    assert events[0]["data"]["focus_areas"] == ["Kubernetes"]
    q = events[1]["data"]
    assert q["question_number"] == 1 and q["time_remaining"] == 35 * 60
    assert store.saves[-1]["fields"]["status"] == "in_progress"
    assert store.last_state["awaiting"] == "answer"


def test_full_interview_next_values():
    engine, store, _ = make_engine()
    engine.start(max_questions=2)
    first = engine.answer("a good answer")
    assert types(first) == ["score_update"] and first[0]["data"]["next"] == "question"
    assert types(engine.ready()) == ["new_question"]
    last = engine.answer("another good answer")
    assert last[0]["data"]["next"] == "end"
    done = engine.ready()
    assert types(done) == ["phase_update", "feedback"]
    assert done[0]["data"]["phase"] == "evaluation"
    assert done[1]["data"]["phase"] == "completed"
    assert store.saves[-1]["fields"]["status"] == "completed"
    assert len(store.answers) == 2


def test_answer_is_saved_before_score_update_is_returned():
    engine, store, _ = make_engine()
    engine.start(max_questions=1)
    before = len(store.answers)
    engine.answer("good answer marker-123")
    assert len(store.answers) == before + 1
    assert store.answers[-1]["answer_text"] == "good answer marker-123"
    assert store.last_state["turns"][0]["answers"] == ["good answer marker-123"]


def test_vague_answer_gets_at_most_two_distinct_followups():
    engine, _, interviewer = make_engine(limits=Limits(max_followups=2))
    engine.start(max_questions=2)
    events = engine.answer("vague")
    assert types(events) == ["score_update", "followup"]
    assert events[0]["data"]["next"] == "followup"
    assert events[1]["data"]["reason"]
    # the same follow-up is not asked twice; the engine moves on instead
    second = engine.answer("still vague")
    assert second[0]["data"]["next"] == "question"
    assert interviewer.graded[1][2] is not None  # graded as an answer to the follow-up


def test_ready_is_idempotent_and_resends_what_is_pending():
    engine, _, _ = make_engine()
    engine.start(max_questions=2)
    a, b = engine.ready(), engine.ready()
    assert types(a) == types(b) == ["new_question"]
    assert a[0]["data"]["question_number"] == b[0]["data"]["question_number"] == 1
    engine.answer("vague")
    assert types(engine.ready()) == ["followup"]


def test_errors_leave_state_untouched():
    engine, store, _ = make_engine()
    with pytest.raises(ProtocolError) as e:
        engine.answer("too early")
    assert e.value.code == SocketErrorCode.WRONG_STATE
    engine.start(max_questions=1)
    saves = len(store.saves)
    for bad in ("   ", "", None, 42, "x" * 20_001):
        with pytest.raises(ProtocolError) as e:
            engine.answer(bad)
        assert e.value.code == SocketErrorCode.BAD_ANSWER and e.value.message
    assert len(store.saves) == saves
    engine.answer("good")


def test_bad_start_options_are_refused():
    engine, store, _ = make_engine()
    with pytest.raises(ProtocolError):
        engine.start(max_questions="three")
    for options, allowed in (({"max_questions": -5}, "from 1 to 8"),
                             ({"max_questions": 10**9}, "from 1 to 8"),
                             ({"max_questions": 0}, "from 1 to 8"),
                             ({"max_questions": 9}, "from 1 to 8"),
                             ({"duration_minutes": 0}, "from 1 to 180"),
                             ({"duration_minutes": 10**9}, "from 1 to 180")):
        with pytest.raises(ProtocolError) as refused:  # never silently clamped
            engine.start(**options)
        assert refused.value.code == 4400 and allowed in refused.value.message, options
    assert engine.state.phase == "setup" and not store.saves
    events = engine.start(max_questions=8, duration_minutes=10)
    assert events[1]["data"]["max_questions"] == 8
    assert events[1]["data"]["time_remaining"] == 600


def test_time_up_makes_the_current_question_the_last():
    clock = FakeClock()
    engine, _, _ = make_engine(clock=clock)
    engine.start(max_questions=5, duration_minutes=1)
    clock.t += 61
    tick = engine.tick()
    assert tick["data"] == {"seconds": 0, "formatted": "00:00"}
    events = engine.answer("vague")  # would earn a follow-up with time left
    assert events[0]["data"]["next"] == "end"


def test_clock_stops_while_no_client_is_attached():
    clock = FakeClock()
    engine, _, _ = make_engine(clock=clock)
    engine.start(duration_minutes=10)
    clock.t += 60
    engine.detach()
    clock.t += 3600  # the candidate is away for an hour
    engine.attach()
    assert engine.time_remaining() == 540


def test_resumes_from_saved_state_after_a_crash():
    engine, store, _ = make_engine()
    engine.start(max_questions=2)
    engine.answer("good answer")
    saved = InterviewState.from_dict(store.last_state)
    revived, _, _ = make_engine(state=saved)
    events = revived.ready()
    assert types(events) == ["new_question"] and events[0]["data"]["question_number"] == 2


def test_end_early_writes_the_report():
    engine, store, _ = make_engine()
    engine.start(max_questions=5)
    events = engine.end_early()
    assert types(events) == ["phase_update", "feedback"]
    assert store.saves[-1]["fields"]["status"] == "completed"
    assert types(engine.ready()) == ["feedback"]


def test_running_average_takes_the_best_answer_of_each_question():
    engine, _, _ = make_engine()
    engine.start(max_questions=3)
    engine.answer("vague")  # 3, then follow-up
    update = engine.answer("good now")  # 8 on the same question
    assert update[0]["data"]["running_average"]["technical"] == 8.0


@pytest.mark.parametrize("seconds,text", [(0, "00:00"), (59, "00:59"), (2100, "35:00"), (-5, "00:00")])
def test_format_seconds(seconds, text):
    assert format_seconds(seconds) == text


def test_the_score_goes_out_before_the_next_question_is_chosen():
    # An LLM interviewer may take seconds to write a question: the candidate reads the
    # feedback meanwhile (the socket runs plan_next right after sending the score).
    engine, store, interviewer = make_engine()
    engine.start(max_questions=3)
    asked = interviewer.asked
    score = engine.answer("a good answer")
    assert score[0]["data"]["next"] == "question" and interviewer.asked == asked
    assert engine.plan_next() == [] and interviewer.asked == asked + 1
    assert store.last_state["upcoming"] is not None, "the choice is saved"
    engine.plan_next()
    assert interviewer.asked == asked + 1, "planned once"
    assert types(engine.ready()) == ["new_question"]


def test_ready_plans_the_next_question_itself_and_ends_when_none_is_left():
    engine, _, interviewer = make_engine()
    engine.start(max_questions=3)
    engine.answer("a good answer")
    assert types(engine.ready()) == ["new_question"], "not planned yet: ready does it"
    engine.answer("another good answer")
    interviewer.next_question = lambda context: None  # the bank has nothing left
    assert types(engine.ready()) == ["phase_update", "feedback"]


SPOKEN = {"wpm": 150.0, "filler_count": 0}


def test_a_spoken_answer_can_be_corrected_and_is_graded_again_never_lower():
    engine, store, interviewer = make_engine()
    engine.start(2)
    engine.answer("a vague answer heard as free", SPOKEN)  # a follow-up comes
    assert engine.state.awaiting == "followup"
    saved = len(store.saves)
    events = engine.correct_answer(1, 0, "a good answer, three of them")
    assert [e["type"] for e in events] == ["answer_corrected"]
    data = events[0]["data"]
    assert data["heard"] == "a vague answer heard as free"
    assert data["text"] == "a good answer, three of them"
    assert data["current_scores"]["technical"] == 8.0
    assert data["question_scores"]["technical"] == 8.0
    assert data["running_average"]["technical"] == 8.0
    # graded as the main answer it corrects (not as the pending follow-up's answer)
    assert interviewer.graded[-1][1:] == ("a good answer, three of them", None)
    assert interviewer.earlier[-1] == []
    assert engine.state.awaiting == "followup" and len(engine.state.current.followups) == 1
    assert len(store.saves) == saved + 1, "the correction is on disk before its event"
    turn = engine.state.current
    assert turn.answers == ["a vague answer heard as free"]  # the transcript stays as heard
    assert [(c.heard, c.text) for c in turn.corrections] == [
        ("a vague answer heard as free", "a good answer, three of them")]
    # a correction that grades lower does not lower the question's score
    engine.answer("a specific follow-up answer", SPOKEN)
    assert engine.state.turn_scores()[-1].technical == 8.0
    # the follow-up's answer is graded beside the candidate's words, not what was heard
    assert interviewer.earlier[-1] == ["a good answer, three of them"]
    restored = InterviewState.from_dict(engine.state.to_dict())
    assert restored.turns[0].corrections[0].text == "a good answer, three of them"


def test_only_spoken_scored_answers_of_the_current_question_can_be_corrected():
    engine, _, _ = make_engine()
    engine.start(2)
    with pytest.raises(ProtocolError) as e:
        engine.correct_answer(1, 0, "not answered yet")
    assert e.value.code == SocketErrorCode.WRONG_STATE
    engine.answer("a good typed answer")
    with pytest.raises(ProtocolError, match="typed answer"):
        engine.correct_answer(1, 0, "something else")
    engine.ready()
    engine.answer("a good spoken answer", SPOKEN)
    with pytest.raises(ProtocolError, match="current question"):
        engine.correct_answer(1, 0, "an old answer")
    with pytest.raises(ProtocolError) as e:
        engine.correct_answer(2, 0, "   ")
    assert e.value.code == SocketErrorCode.BAD_ANSWER
    engine.correct_answer(2, 0, "what I really said")
    with pytest.raises(ProtocolError, match="already corrected"):
        engine.correct_answer(2, 0, "and again")
