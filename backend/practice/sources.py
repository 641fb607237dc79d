"""Every graded question the candidate answered, from interviews and practice, as one
stream in time order: what progress, the weak topics and the review schedule are read from.

An interview question counts once, with the score its report shows (its last grade: a
follow-up can only add; a skipped question is 0). A practice question counts each attempt,
with `first` saying whether it was the first try (the unaided one). Retries of an interview
question are kept with their session but are not in this stream: they are practice right
after reading the feedback, and the report keeps the first attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from backend.interviewer.domain import Turn
from backend.interviewer.report import turn_score, turn_status

SourceKind = Literal["interview", "practice"]


@dataclass(frozen=True)
class Answered:
    kind: SourceKind
    source_id: str  # the interview session or the practice session
    at: str  # ISO time: the interview's end, or the attempt's
    question: dict[str, Any]  # Question.to_dict()
    grade: dict[str, Any]  # the question's last grade (interview) or the attempt's
    scores: dict[str, float]
    status: str  # answered, off_topic, dont_know or skipped
    metrics: list[dict[str, Any]] = field(default_factory=list)  # voice delivery, per answer
    first: bool = True  # practice: the first attempt at this question in its session
    hint_used: bool = False

    @property
    def question_id(self) -> str:
        return str(self.question.get("id", ""))

    @property
    def topic(self) -> str:
        return str(self.question.get("topic", ""))

    @property
    def topic_title(self) -> str:
        return str(self.question.get("topic_title") or self.topic)


def interview_answers(session: dict[str, Any]) -> list[Answered]:
    """The graded questions of one completed interview session row."""
    state = session.get("engine_state") or {}
    out = []
    for raw in state.get("turns", []):
        if not raw.get("grades"):
            continue
        turn = Turn.from_dict(raw)
        score = turn_score(turn)
        if score is None:
            continue
        out.append(Answered(
            kind="interview", source_id=session["id"], at=session.get("ended_at") or "",
            question=raw["question"], grade=raw["grades"][-1], scores=score.to_dict(),
            status=turn_status(turn) or "answered",
            metrics=[m for m in raw.get("metrics", []) if m]))
    return out


def practice_answer(attempt: dict[str, Any]) -> Answered:
    grade = attempt.get("grade") or {}
    return Answered(
        kind="practice", source_id=attempt["owner_id"], at=attempt.get("created_at") or "",
        question=attempt.get("question") or {}, grade=grade,
        scores=dict(grade.get("scores") or {}), status=str(grade.get("status") or "answered"),
        metrics=[attempt["metrics"]] if attempt.get("metrics") else [],
        first=attempt.get("attempt") == 1, hint_used=bool(attempt.get("hint_used")))


def all_answers(interviews: list[dict[str, Any]],
                practice_attempts: list[dict[str, Any]]) -> list[Answered]:
    """Interviews' questions and practice attempts, oldest first."""
    answers = [a for s in interviews for a in interview_answers(s)]
    answers += [practice_answer(a) for a in practice_attempts]
    return sorted(answers, key=lambda a: a.at)
