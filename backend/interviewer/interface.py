"""The interviewer interface: what the interview engine and the API ask of any interviewer.

The engine never knows whether the built-in interviewer or an LLM answers; it only
calls the methods of :class:`Interviewer` with the plain data types of ``domain``.
An implementation may subclass the protocol to inherit the no-op ``cancel``,
``resume`` and ``close`` (an interviewer with nothing slow in flight needs no more).
"""

from __future__ import annotations

from typing import Protocol

from backend.interviewer.domain import (FinalReport, FollowUp, Grade, InterviewContext, Question,
                                        ResumeAnalysis)


class Interviewer(Protocol):
    """What the engine needs from an interviewer. All methods are synchronous and
    may be slow; the API layer calls them off the event loop."""

    def analyse_resume(self, resume_text: str, job_description: str = "",
                       role: str = "") -> ResumeAnalysis:
        """Seniority, skills with evidence, strengths, gaps and focus areas."""
        ...

    def intro(self, context: InterviewContext) -> str:
        """The interviewer's opening words."""
        ...

    def next_question(self, context: InterviewContext) -> Question | None:
        """The next question to ask, or None when there is nothing left to ask."""
        ...

    def grade(self, question: Question, answer: str, context: InterviewContext,
              followup: FollowUp | None = None) -> Grade:
        """Score one answer (to the question, or to a follow-up on it)."""
        ...

    def report(self, context: InterviewContext) -> FinalReport:
        """The closing report once the interview is over."""
        ...

    def cancel(self) -> None:
        """The candidate ended the interview: abandon slow work in flight (the step falls
        back to something quick). Called from the event loop's thread: must not block."""
        return None

    def resume(self) -> None:
        """The end path runs: slow work is allowed again (for the report)."""
        return None

    def close(self) -> None:
        """The backend shuts down: stop whatever this interviewer started."""
        return None
