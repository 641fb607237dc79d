"""Test doubles for the engine's ports: a scripted interviewer and a memory store.

The engine's own tests use these so they run without FastAPI, SQL or models; the
real interviewer and store have their own tests.
"""

from __future__ import annotations

import copy
from typing import Any

from backend.interviewer.domain import (FinalReport, FollowUp, Grade, InterviewContext, KeyPoint,
                                        Question, ResumeAnalysis, RoadmapItem, Scores)


def make_question(n: int, topic: str = "databases") -> Question:
    return Question(id=f"{topic}-q{n}", topic=topic, topic_title=topic.title(),
                    text=f"Question {n} about {topic}?", explanation="This tests things.",
                    difficulty="medium", kind="theory",
                    key_points=(KeyPoint("point", ("alpha", "beta", "gamma"), "Why alpha?"),))


class ScriptedInterviewer:
    """Grades 'vague' answers as needing a follow-up, 'good' answers 8, others 3."""

    def __init__(self) -> None:
        self.graded: list[tuple[str, str, FollowUp | None]] = []
        self.earlier: list[list[str]] = []  # per grade: the question's answers before it
        self.asked = 0  # next_question calls

    def analyse_resume(self, resume_text: str, job_description: str = "", role: str = ""):
        return analysis()

    def intro(self, context: InterviewContext) -> str:
        return f"Welcome. {context.max_questions} questions."

    def next_question(self, context: InterviewContext) -> Question | None:
        self.asked += 1
        return make_question(len(context.turns) + 1)

    def grade(self, question: Question, answer: str, context: InterviewContext,
              followup: FollowUp | None = None) -> Grade:
        self.graded.append((question.id, answer, followup))
        turn = context.turns[-1] if context.turns else None
        self.earlier.append(list(turn.answers) if turn and turn.question.id == question.id
                            else [])
        score = 8.0 if "good" in answer else 3.0
        f = FollowUp("Can you be specific?", "Your answer was vague.", "point") \
            if "vague" in answer else None
        return Grade(Scores(score, score, score), feedback="ok", strengths=[], improvements=[],
                     followup=f)

    def report(self, context: InterviewContext) -> FinalReport:
        return FinalReport("A report.", "Borderline", Scores(5, 5, 5),
                           [RoadmapItem("Kubernetes", "gap", ["practise"], "high")], [], [])


def analysis() -> ResumeAnalysis:
    return ResumeAnalysis(seniority="mid", years_experience=4, skills=[], strengths=["Python"],
                          gaps=["Kubernetes"], focus_areas=["Kubernetes"])


class MemoryStore:
    """Keeps each save, deep-copied, so tests can check what was on 'disk' when."""

    def __init__(self) -> None:
        self.saves: list[dict[str, Any]] = []
        self.answers: list[dict[str, Any]] = []

    def save_interview(self, session_id: str, state: dict[str, Any], *,
                       session_fields: dict[str, Any] | None = None,
                       answer: dict[str, Any] | None = None) -> None:
        self.saves.append(copy.deepcopy({"state": state, "fields": session_fields or {}}))
        if answer is not None:
            self.answers.append(copy.deepcopy(answer))

    @property
    def last_state(self) -> dict[str, Any]:
        return self.saves[-1]["state"]


class DiskFull(OSError):
    """What a full disk looks like to the engine: the store port raised."""


class FailingStore(MemoryStore):
    """A MemoryStore whose saves fail while ``full`` is set (nothing is kept), like a
    database on a full disk."""

    def __init__(self) -> None:
        super().__init__()
        self.full = False
        self.refused = 0

    def save_interview(self, session_id: str, state: dict[str, Any], *,
                       session_fields: dict[str, Any] | None = None,
                       answer: dict[str, Any] | None = None) -> None:
        if self.full:
            self.refused += 1
            raise DiskFull(28, "No space left on device")
        super().save_interview(session_id, state, session_fields=session_fields, answer=answer)
