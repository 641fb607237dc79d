"""A transition is applied in memory only once its commit succeeded: a failed save (a full
disk) leaves the interview exactly as the candidate last saw it, and the same message
sent again, once there is space, carries on as if nothing had happened."""

from __future__ import annotations

import pytest

from backend.engine.machine import InterviewEngine, SessionInfo
from backend.engine.state import InterviewState
from tests.engine.fakes import DiskFull, FailingStore, ScriptedInterviewer, analysis
from tests.engine.test_machine import FakeClock, types


def make(clock: FakeClock | None = None):
    store = FailingStore()
    info = SessionInfo(role="Backend Engineer", job_description="jd", resume_text="cv",
                       analysis=analysis())
    engine = InterviewEngine("s1", info, ScriptedInterviewer(), store, clock=clock or FakeClock())
    engine.attach()
    return engine, store


def saved(engine: InterviewEngine) -> dict:
    return engine.state.to_dict()


def test_a_failed_answer_leaves_nothing_behind_and_the_retry_works():
    engine, store = make()
    engine.start(max_questions=2)
    before = saved(engine)
    store.full = True
    for _ in range(2):  # the candidate presses Submit twice on a full disk
        with pytest.raises(DiskFull):
            engine.answer("a vague answer")  # would have asked a follow-up
        assert saved(engine) == before
    assert engine.state.awaiting == "answer" and not engine.state.current.followups
    assert types(engine.ready()) == ["new_question"], "the question again, not a follow-up"
    store.full = False  # space freed
    events = engine.answer("a vague answer")
    assert types(events) == ["score_update", "followup"]
    assert [a["followup_number"] for a in store.answers] == [0]
    assert engine.state.current.answers == ["a vague answer"]
    engine.answer("a good answer")  # to the follow-up: recorded as the follow-up's answer
    assert [a["followup_number"] for a in store.answers] == [0, 1]


def test_what_is_saved_is_what_is_in_memory_after_failures():
    engine, store = make()
    engine.start(max_questions=2)
    store.full = True
    with pytest.raises(DiskFull):
        engine.answer("a good answer")
    store.full = False
    engine.answer("a good answer")
    engine.ready()
    store.full = True
    with pytest.raises(DiskFull):
        engine.answer("another good answer")
    store.full = False
    engine.answer("another good answer")
    engine.ready()  # the report
    on_disk = InterviewState.from_dict(store.last_state)
    assert [t.answers for t in on_disk.turns] == [t.answers for t in engine.state.turns] == [
        ["a good answer"], ["another good answer"]]
    assert len(store.answers) == 2 and store.refused == 2


def test_a_failed_report_is_not_kept_and_ready_writes_it_again():
    engine, store = make()
    engine.start(max_questions=1)
    engine.answer("a good answer")
    store.full = True
    with pytest.raises(DiskFull):
        engine.ready()  # evaluation, then the report: neither is saved
    assert engine.state.phase == "questioning" and engine.state.awaiting == "end"
    assert engine.state.report is None
    store.full = False
    assert types(engine.ready()) == ["phase_update", "feedback"]
    assert engine.state.phase == "completed"


def test_a_failed_plan_is_forgotten():
    engine, store = make()
    engine.start(max_questions=2)
    engine.answer("a good answer")
    assert engine.state.awaiting == "next"
    store.full = True
    with pytest.raises(DiskFull):
        engine.plan_next()
    assert engine.state.upcoming is None and engine.state.awaiting == "next"
    store.full = False
    assert types(engine.ready()) == ["new_question"]


def test_a_failed_start_stays_in_setup():
    engine, store = make()
    store.full = True
    with pytest.raises(DiskFull):
        engine.start(max_questions=2)
    assert engine.state.phase == "setup" and engine.state.awaiting == "start"
    assert not engine.state.turns and engine.state.started_at is None
    store.full = False
    assert types(engine.start(max_questions=2)) == ["intro", "new_question"]


def test_time_spent_is_kept_across_a_rollback():
    clock = FakeClock()
    engine, store = make(clock)
    engine.start(max_questions=2, duration_minutes=10)
    clock.t += 60
    store.full = True
    with pytest.raises(DiskFull):
        engine.answer("a good answer")
    clock.t += 30
    assert engine.time_remaining() == 600 - 90  # neither lost nor counted twice
    store.full = False
    engine.answer("a good answer")
    assert store.last_state["elapsed_s"] == 90


def test_an_interviewer_failure_rolls_back_too():
    engine, store = make()
    engine.start(max_questions=2)
    before = saved(engine)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the grader")

    engine.interviewer.grade = broken
    with pytest.raises(RuntimeError):
        engine.answer("a good answer")
    assert saved(engine) == before


def test_detach_on_a_full_disk_keeps_the_time_in_memory():
    clock = FakeClock()
    engine, store = make(clock)
    engine.start(max_questions=2, duration_minutes=10)
    clock.t += 45
    store.full = True
    engine.detach()  # the client left; nothing to tell, nothing raised
    clock.t += 600  # nobody is connected: no time runs
    store.full = False
    engine.attach()
    assert engine.time_remaining() == 600 - 45


def test_a_failed_skip_leaves_the_question_pending_and_the_retry_works():
    engine, store = make()
    engine.start(max_questions=2)
    before = saved(engine)
    store.full = True
    with pytest.raises(DiskFull):
        engine.skip()
    assert saved(engine) == before and engine.state.awaiting == "answer"
    assert types(engine.ready()) == ["new_question"], "the question again, not the next one"
    store.full = False
    assert types(engine.skip()) == ["score_update"]
    assert [(a["followup_number"], a["grade"]["status"]) for a in store.answers] == [
        (0, "skipped")]


def test_a_failed_skip_of_a_follow_up_keeps_the_follow_up_and_the_score():
    engine, store = make()
    engine.start(max_questions=2)
    engine.answer("a vague answer")  # a follow-up is asked
    before = saved(engine)
    store.full = True
    with pytest.raises(DiskFull):
        engine.skip()
    assert saved(engine) == before and engine.state.awaiting == "followup"
    assert types(engine.ready()) == ["followup"]
    store.full = False
    engine.skip()
    assert [a["followup_number"] for a in store.answers] == [0, 1]
    assert engine.state.current.grades[-1].scores == engine.state.current.grades[0].scores
