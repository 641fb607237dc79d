"""The interview's persistent state: everything needed to carry on after a crash."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.config import DEFAULT_DURATION_MINUTES, DEFAULT_MAX_QUESTIONS
from backend.interviewer.domain import DIMENSIONS, Question, Scores, Turn
from backend.protocol.steps import Awaiting, Phase


@dataclass
class InterviewState:
    phase: Phase = "setup"
    awaiting: Awaiting = "start"
    max_questions: int = DEFAULT_MAX_QUESTIONS
    duration_s: int = DEFAULT_DURATION_MINUTES * 60
    elapsed_s: float = 0.0  # time spent with a client connected, folded in at each save
    turns: list[Turn] = field(default_factory=list)
    upcoming: Question | None = None  # planned as soon as an answer is scored
    intro: str = ""
    started_at: str | None = None
    ended_at: str | None = None
    report: dict[str, Any] | None = None

    @property
    def current(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def turn_scores(self) -> list[Scores]:
        """One score per answered (or skipped) question: its latest grade's (an answer's or
        a correction's), which the engine keeps at or above the earlier ones, so a follow-up
        or a correction can only add to it."""
        return [turn.all_grades()[-1].scores for turn in self.turns if turn.grades]

    def running_average(self) -> Scores:
        scores = self.turn_scores()
        if not scores:
            return Scores(0.0, 0.0, 0.0)
        return Scores(**{d: round(sum(getattr(s, d) for s in scores) / len(scores), 1)
                         for d in DIMENSIONS})

    def to_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase, "awaiting": self.awaiting,
            "max_questions": self.max_questions, "duration_s": self.duration_s,
            "elapsed_s": round(self.elapsed_s, 3), "turns": [t.to_dict() for t in self.turns],
            "upcoming": self.upcoming.to_dict() if self.upcoming else None,
            "intro": self.intro, "started_at": self.started_at, "ended_at": self.ended_at,
            "report": self.report,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> InterviewState:
        return cls(
            phase=d["phase"], awaiting=d["awaiting"], max_questions=d["max_questions"],
            duration_s=d["duration_s"], elapsed_s=float(d.get("elapsed_s", 0.0)),
            turns=[Turn.from_dict(t) for t in d.get("turns", [])],
            upcoming=Question.from_dict(d["upcoming"]) if d.get("upcoming") else None,
            intro=d.get("intro", ""), started_at=d.get("started_at"),
            ended_at=d.get("ended_at"), report=d.get("report"),
        )
