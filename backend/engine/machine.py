"""The interview state machine, independent of FastAPI, SQL and models.

Phases: setup -> intro -> questioning -> evaluation -> completed. Each client
message (``start``, ``answer``, ``ready``, ``end``) maps to one method that
returns the protocol events to send, in order. Every transition is saved through
the store port *before* the method returns, so an event the client sees always
describes state that is already on disk.

Transitions are transactions: a method that fails (the disk is full, the
interviewer raised) leaves the in-memory state exactly as last committed, so the
candidate can send the same message again and nothing half-done is remembered.

The clock only runs while a client is attached: a candidate whose connection or
app dropped does not lose interview time while they are gone.
"""

from __future__ import annotations

import copy
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Protocol, TypeVar

from backend.config import (DEFAULT_DURATION_MINUTES, DEFAULT_MAX_FOLLOWUPS, DEFAULT_MAX_QUESTIONS,
                            MAX_DURATION_MINUTES)
from backend.engine.state import InterviewState
from backend.interviewer.domain import (CandidateProfile, Correction, FollowUp, Grade,
                                        InterviewContext, Question, ResumeAnalysis, Scores, Turn)
from backend.interviewer.grading.nonanswer import classify as classify_non_answer
from backend.interviewer.interface import Interviewer
from backend.protocol import events as wire
from backend.protocol.codes import SocketErrorCode as E
from backend.protocol.events import Event
F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)

class ProtocolError(Exception):
    """A client message that cannot be acted on now; becomes an `error` event."""

    def __init__(self, code: E, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class InterviewStore(Protocol):
    def save_interview(self, session_id: str, state: dict[str, Any], *,
                       session_fields: dict[str, Any] | None = None,
                       answer: dict[str, Any] | None = None) -> None: ...


@dataclass
class SessionInfo:
    """What the engine knows of the session it runs (documents and analysis)."""

    role: str
    job_description: str
    resume_text: str
    analysis: ResumeAnalysis
    profile: CandidateProfile = field(default_factory=CandidateProfile)


@dataclass(frozen=True)
class Limits:
    default_duration_minutes: int = DEFAULT_DURATION_MINUTES
    max_questions: int = DEFAULT_MAX_QUESTIONS
    max_followups: int = DEFAULT_MAX_FOLLOWUPS
    max_duration_minutes: int = MAX_DURATION_MINUTES


def transition(method: F) -> F:
    """A transaction: if ``method`` raises, the engine's state returns to what was last
    committed (whatever it changed in memory is undone; steps it committed stay)."""
    @functools.wraps(method)
    def run(self: InterviewEngine, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except BaseException:
            self._rollback()
            raise
    return run  # type: ignore[return-value]


def event(type_: str, **data: Any) -> Event:
    """An event built by hand (voice_ws's voice events; the engine's own are built from
    backend.protocol.events' models). The protocol tests check these against the models too."""
    return {"type": type_, "data": data}


def format_seconds(seconds: int) -> str:
    m, s = divmod(max(0, int(seconds)), 60)
    return f"{m:02d}:{s:02d}"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class InterviewEngine:
    def __init__(self, session_id: str, info: SessionInfo, interviewer: Interviewer,
                 store: InterviewStore, *, state: InterviewState | None = None,
                 limits: Limits = Limits(), clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], str] = utc_now):
        self.session_id = session_id
        self.info = info
        self.interviewer = interviewer
        self.store = store
        self.limits = limits
        self.state = state or InterviewState(
            max_questions=limits.max_questions,
            duration_s=limits.default_duration_minutes * 60)
        self._clock = clock
        self._now = now
        self._segment_start: float | None = None
        self._committed = self._snapshot()  # the state as on disk, to roll back to

    # --- clock --------------------------------------------------------------------
    @property
    def in_progress(self) -> bool:
        return self.state.phase in ("intro", "questioning")

    def attach(self) -> None:
        """A client is here: time runs (only once the interview has started)."""
        if self._segment_start is None:
            self._segment_start = self._clock()

    def detach(self) -> None:
        """The last client left: stop the clock and keep what was spent (in memory at
        least: if it cannot be saved now, the next saved step takes it along)."""
        self._fold_clock()
        self._segment_start = None
        if self.in_progress:
            try:
                self._save()
            except Exception:  # noqa: BLE001 - the client is gone; nothing to tell it
                log.warning("interview %s: the time spent could not be saved yet",
                            self.session_id[:8], exc_info=True)

    def _fold_clock(self) -> None:
        if self._segment_start is not None:
            now = self._clock()
            if self.in_progress:
                self.state.elapsed_s += now - self._segment_start
            self._segment_start = now

    def time_remaining(self) -> int:
        self._fold_clock()
        if self.state.phase == "setup":
            return self.state.duration_s
        return max(0, int(round(self.state.duration_s - self.state.elapsed_s)))

    def tick(self) -> Event | None:
        """The periodic `time_remaining` event, while the interview runs."""
        if not self.in_progress:
            return None
        seconds = self.time_remaining()
        return wire.TimeRemaining(seconds=seconds, formatted=format_seconds(seconds)).event()

    # --- context ------------------------------------------------------------------
    def context(self) -> InterviewContext:
        return InterviewContext(
            role=self.info.role, job_description=self.info.job_description,
            resume_text=self.info.resume_text, analysis=self.info.analysis,
            turns=self.state.turns, max_questions=self.state.max_questions,
            time_remaining_s=self.time_remaining(), profile=self.info.profile)

    def _save(self, *, answer: dict[str, Any] | None = None, **session_fields: Any) -> None:
        """Commit the state (one store transaction); only then is it what a failure later
        in the same method rolls back to."""
        self._fold_clock()
        self.store.save_interview(self.session_id, self.state.to_dict(),
                                  session_fields={"phase": self.state.phase, **session_fields},
                                  answer=answer)
        self._committed = self._snapshot()

    def _snapshot(self) -> InterviewState:
        return copy.deepcopy(self.state)

    def _rollback(self) -> None:
        """Forget every change since the last commit, except the time spent: that is real
        whatever failed, and the clock keeps running from where it was."""
        spent = self.state.elapsed_s
        self.state = copy.deepcopy(self._committed)
        self.state.elapsed_s = max(self.state.elapsed_s, spent)
        self._fold_clock()

    # --- client messages ------------------------------------------------------------
    @transition
    def start(self, max_questions: Any = None, duration_minutes: Any = None) -> list[Event]:
        """Begin the interview; on one already begun, the same as `ready`."""
        if self.state.phase != "setup":
            return self.ready()
        self.state.max_questions = _bounded_int(max_questions, "max_questions", 1,
                                                self.limits.max_questions,
                                                self.limits.max_questions)
        minutes = _bounded_int(duration_minutes, "duration_minutes", 1,
                               self.limits.max_duration_minutes,
                               self.limits.default_duration_minutes)
        self.state.duration_s = minutes * 60
        self.state.phase = "intro"
        self.state.started_at = self._now()
        self.attach()
        self.state.intro = self.interviewer.intro(self.context())
        first = self.interviewer.next_question(self.context())
        if first is None:
            raise ProtocolError(E.INTERNAL, "The interviewer has no question to ask for this role.")
        intro = wire.Intro(message=self.state.intro, phase="intro",
                           focus_areas=list(self.info.analysis.focus_areas)).event()
        self._begin_turn(first)
        self._save(status="in_progress", started_at=self.state.started_at)
        return [intro, self._question_event()]

    @transition
    def answer(self, text: Any, metrics: dict[str, Any] | None = None,
               max_chars: int = 20_000) -> list[Event]:
        text = _valid_answer(text, max_chars)
        if self.state.awaiting not in ("answer", "followup"):
            raise ProtocolError(E.WRONG_STATE, _nothing_pending(self.state.awaiting))
        turn = self.state.current
        assert turn is not None
        non_answer = classify_non_answer(text)
        if non_answer == "skip":  # a request, not an answer: nothing is graded or saved
            return [wire.SkipOffer(message="Skip this question? It will count as 0 in your "
                                           "report, and the interview moves on.",
                                   question_number=turn.number,
                                   followup_number=len(turn.followups)
                                   if self.state.awaiting == "followup" else 0).event()]
        if non_answer == "gibberish":
            raise ProtocolError(E.BAD_ANSWER, "That doesn't read as an answer. Type or say it "
                                              "in words; \"I don't know\" is fine too, or "
                                              "skip the question.")
        followup = turn.followups[-1] if self.state.awaiting == "followup" else None
        grade = self.interviewer.grade(turn.question, text, self._context_for_grading(turn),
                                       followup)
        notes = (metrics or {}).get("notes") or []
        if notes:  # spoken answers: delivery notes join the feedback, never the scores
            grade.feedback = f"{grade.feedback} Delivery: {notes[0]}"
        return self._record(turn, text, grade, metrics or {}, followup)

    @transition
    def skip(self) -> list[Event]:
        """The candidate skips the question (or its follow-up) (extension message `skip`).

        A skipped question counts as 0 and is labelled so in the report; a skipped
        follow-up leaves the question's score as it was. Either way the interview moves on.
        """
        if self.state.awaiting not in ("answer", "followup"):
            raise ProtocolError(E.WRONG_STATE, _nothing_pending(self.state.awaiting))
        turn = self.state.current
        assert turn is not None
        followup = turn.followups[-1] if self.state.awaiting == "followup" else None
        last = turn.all_grades()[-1] if turn.grades else None
        if last is None:
            grade = Grade(scores=Scores(0.0, 0.0, 0.0),
                          feedback="You skipped this question; it counts as 0. The model "
                                   "answer in your report shows what a strong answer covers.",
                          strengths=[], improvements=[],
                          missing=[k.point for k in turn.question.key_points],
                          status="skipped")
        else:
            grade = replace(last, feedback="You skipped the follow-up; the question keeps its "
                                           "score.", followup=None, status="skipped",
                            strengths=list(last.strengths),
                            improvements=list(last.improvements))
        return self._record(turn, "", grade, {}, followup, skipped=True)

    def _record(self, turn: Turn, text: str, grade: Grade, metrics: dict[str, Any],
                followup: FollowUp | None, skipped: bool = False) -> list[Event]:
        """Commit one answer (or skip) and its grade; the events that follow it."""
        _keep_at_least(turn, grade)
        turn.answers.append(text)
        turn.grades.append(grade)
        turn.metrics.append(metrics)
        nxt = self._decide_next(turn, grade, allow_followup=not skipped)
        record = {"question_number": turn.number, "followup_number": len(turn.answers) - 1,
                  "question": {"text": followup.question if followup else turn.question.text,
                               "id": turn.question.id},
                  "answer_text": text, "grade": grade.to_dict(), "metrics": metrics or None}
        self._save(answer=record)
        events = [self._score_event(turn, grade, nxt)]
        if nxt == "followup":
            events.append(self._followup_event())
        return events

    @transition
    def correct_answer(self, question_number: Any, followup_number: Any, text: Any,
                       max_chars: int = 20_000) -> list[Event]:
        """Extension `correct_answer`: "This isn't what I said" on a spoken answer of the
        current question. The candidate's words are graded as one more answer to the
        question (with everything said on it), so its score never goes down; the transcript
        that was heard stays in the report beside them. No follow-up comes of it and what the
        interview waits for does not change. One correction per answer."""
        text = _valid_answer(text, max_chars)
        turn = self.state.current
        if turn is None or not self.in_progress or question_number != turn.number:
            raise ProtocolError(E.WRONG_STATE, "Only an answer to the current question can be "
                                               "corrected.")
        if isinstance(followup_number, bool) or not isinstance(followup_number, int) or \
                not 0 <= followup_number < len(turn.answers):
            raise ProtocolError(E.WRONG_STATE, "That answer has not been given yet; only an "
                                               "answer already scored can be corrected.")
        if not (turn.metrics[followup_number] if followup_number < len(turn.metrics) else None):
            raise ProtocolError(E.WRONG_STATE, "Only a spoken answer's transcript can be "
                                               "corrected; a typed answer is as you wrote it.")
        if turn.correction_for(followup_number) is not None:
            raise ProtocolError(E.WRONG_STATE, "This answer was already corrected.")
        heard = turn.answers[followup_number]
        followup = turn.followups[followup_number - 1] if followup_number else None
        grade = self.interviewer.grade(turn.question, text,
                                       self._context_for_grading(turn, upto=followup_number),
                                       followup)
        grade.followup = None  # a correction never brings a follow-up
        _keep_at_least(turn, grade)
        turn.corrections.append(Correction(followup_number, heard, text, grade,
                                           after=len(turn.answers)))
        record = {"question_number": turn.number, "followup_number": followup_number,
                  "question": {"text": followup.question if followup else turn.question.text,
                               "id": turn.question.id},
                  "answer_text": text, "grade": grade.to_dict(),
                  "metrics": {"corrected_from": heard}}
        self._save(answer=record)
        best = self.state.turn_scores()[-1] if self.state.turn_scores() else grade.scores
        return [wire.AnswerCorrected(
            question_number=turn.number, followup_number=followup_number, text=text,
            heard=heard, current_scores=_wire_scores(grade.scores), question_scores=_wire_scores(best),
            running_average=_wire_scores(self.state.running_average()), feedback=grade.feedback,
            strengths=list(grade.strengths), improvements=list(grade.improvements),
            covered=list(grade.covered), missing=list(grade.missing)).event()]

    @transition
    def ready(self) -> list[Event]:
        """Idempotent: re-send what is pending, or move on to what comes next."""
        awaiting = self.state.awaiting
        if awaiting == "start":
            raise ProtocolError(E.WRONG_STATE, "The interview has not started: send 'start' first.")
        if awaiting == "answer":
            return [self._question_event()]
        if awaiting == "followup":
            return [self._followup_event()]
        if awaiting == "next":
            self.plan_next()  # usually done already, right after the score
            if self.state.upcoming is None:
                return self.begin_evaluation() + self.finish()
            self._begin_turn(self.state.upcoming)
            self._save()
            return [self._question_event()]
        if awaiting == "end":
            return self.begin_evaluation() + self.finish()
        return [self._feedback_event()]  # done: the report again

    @transition
    def end_early(self) -> list[Event]:
        """The candidate ends the interview now (extension message `end`)."""
        if self.state.awaiting == "done":
            return [self._feedback_event()]
        return self.end_early_begin() + self.finish()

    @transition
    def end_early_begin(self) -> list[Event]:
        if self.state.phase == "setup":
            raise ProtocolError(E.WRONG_STATE, "The interview has not started yet.")
        self.state.awaiting = "end"
        return self.begin_evaluation()

    @transition
    def begin_evaluation(self) -> list[Event]:
        """First half of finishing, cheap: tell the client the report is being written."""
        self.state.phase = "evaluation"
        self.state.upcoming = None
        self._save()
        return [wire.PhaseUpdate(phase="evaluation",
                                 message="Evaluating your overall performance...").event()]

    @transition
    def finish(self) -> list[Event]:
        """Second half: write the report (may be slow), commit it, deliver it."""
        if self.state.awaiting == "done":
            return [self._feedback_event()]
        report = self.interviewer.report(self.context())
        self.state.report = report.to_dict()
        self.state.phase = "completed"
        self.state.awaiting = "done"
        self.state.ended_at = self._now()
        self._save(status="completed", ended_at=self.state.ended_at, report=self.state.report,
                   recommendation=report.recommendation,
                   final_scores=report.final_scores.to_dict())
        return [self._feedback_event()]

    # --- transitions ----------------------------------------------------------------
    def _begin_turn(self, question: Question) -> None:
        self.state.turns.append(Turn(number=len(self.state.turns) + 1, question=question))
        self.state.upcoming = None
        self.state.phase = "questioning"
        self.state.awaiting = "answer"

    def _context_for_grading(self, turn: Turn, upto: int | None = None) -> InterviewContext:
        """The context an answer is graded in: the turn as the candidate said it
        (corrected transcripts in place of what was heard), cut to the first ``upto``
        answers when an earlier answer is being re-graded."""
        context = self.context()
        if context.turns and context.turns[-1] is turn:
            context.turns = [*context.turns[:-1], turn.as_said(upto)]
        return context

    def _decide_next(self, turn: Turn, grade: Grade, allow_followup: bool = True) -> wire.Next:
        time_left = self.time_remaining() > 0
        asked = {f.question for f in turn.followups}
        if (allow_followup and time_left and grade.followup is not None
                and grade.followup.question not in asked
                and len(turn.followups) < self.limits.max_followups):
            turn.followups.append(grade.followup)
            self.state.awaiting = "followup"
            return "followup"
        if time_left and len(self.state.turns) < self.state.max_questions:
            # Chosen by plan_next() after the score is out: an LLM interviewer may take
            # seconds to write it, and the candidate reads the feedback meanwhile.
            self.state.upcoming = None
            self.state.awaiting = "next"
            return "question"
        self.state.awaiting = "end"
        return "end"

    @transition
    def plan_next(self) -> list[Event]:
        """Choose the next question if one is due and not chosen yet (may be slow; no
        events). With none left, the interview ends at the next ``ready``."""
        if self.state.awaiting == "next" and self.state.upcoming is None:
            upcoming = self.interviewer.next_question(self.context())
            if upcoming is None:
                self.state.awaiting = "end"
            self.state.upcoming = upcoming
            self._save()
        return []

    # --- events ---------------------------------------------------------------------
    def _question_event(self) -> Event:
        turn = self.state.current
        assert turn is not None
        q = turn.question
        return wire.NewQuestion(
            question=q.text, difficulty=q.difficulty, topic=q.topic_title or q.topic,
            explanation=q.explanation, question_number=turn.number,
            time_remaining=self.time_remaining(), topic_id=q.topic, kind=q.kind,
            max_questions=self.state.max_questions, awaiting=self.state.awaiting).event()

    def _followup_event(self) -> Event:
        turn = self.state.current
        assert turn is not None and turn.followups
        f: FollowUp = turn.followups[-1]
        return wire.FollowUp(question=f.question, reason=f.reason,
                             time_remaining=self.time_remaining(), question_number=turn.number,
                             followup_number=len(turn.followups),
                             awaiting=self.state.awaiting).event()

    def _score_event(self, turn: Turn, grade: Grade, nxt: wire.Next) -> Event:
        return wire.ScoreUpdate(
            current_scores=_wire_scores(grade.scores),
            running_average=_wire_scores(self.state.running_average()),
            feedback=grade.feedback, strengths=list(grade.strengths),
            improvements=list(grade.improvements), next=nxt, question_number=turn.number,
            followup_number=len(turn.answers) - 1, covered=list(grade.covered),
            missing=list(grade.missing), unclear=list(grade.unclear),
            evidence=[wire.EvidenceItem(**e.to_dict()) for e in grade.evidence], status=grade.status,
            skipped=grade.status == "skipped", delivery=turn.metrics[-1] or None,
            awaiting=self.state.awaiting).event()

    def _feedback_event(self) -> Event:
        report = self.state.report or {}
        return wire.Feedback(report=report.get("narrative", ""),
                             recommendation=report.get("recommendation", "No-Hire"),
                             recommendation_basis=report.get("recommendation_basis", "rule"),
                             skill_roadmap=report.get("skill_roadmap", []),
                             final_scores=report.get("final_scores", {}), phase="completed",
                             awaiting=self.state.awaiting).event()


def _wire_scores(scores: Scores) -> wire.Scores:
    return wire.Scores(**scores.to_dict())


def _bounded_int(value: Any, name: str, lo: int, hi: int, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ProtocolError(E.BAD_MESSAGE, f"'{name}' must be a whole number from {lo} to {hi}.")
    return value


def _keep_at_least(turn: Turn, grade: Grade) -> None:
    """One score per question, and a follow-up or a correction can only add to it: raise
    ``grade`` to the turn's latest score in each dimension."""
    if turn.grades:
        before = turn.all_grades()[-1].scores
        grade.scores = Scores(*(max(a, b) for a, b in zip(
            (grade.scores.technical, grade.scores.design, grade.scores.communication),
            (before.technical, before.design, before.communication), strict=True)))


def _valid_answer(text: Any, max_chars: int) -> str:
    if not isinstance(text, str):
        raise ProtocolError(E.BAD_ANSWER, "An answer needs 'data.text' with the answer as a string.")
    text = text.strip()
    if not text:
        raise ProtocolError(E.BAD_ANSWER, "The answer is empty. Type or say something, even "
                                          "'I don't know', to move on.")
    if len(text) > max_chars:
        raise ProtocolError(E.BAD_ANSWER, f"The answer is {len(text):,} characters; at most "
                                          f"{max_chars:,} are accepted. Shorten it and send it again.")
    return text


def _nothing_pending(awaiting: str) -> str:
    return {
        "start": "There is no question to answer yet: send 'start' to begin the interview.",
        "next": "That question is already scored: send 'ready' for the next one.",
        "end": "The last question is already scored: send 'ready' for your report.",
        "done": "The interview is over; your report is ready.",
    }.get(awaiting, "There is no question waiting for an answer.")
