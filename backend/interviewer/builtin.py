"""The built-in interviewer: deterministic, explainable, offline, and the default.

It composes the pieces of this package: resume analysis, the question bank and
planner, the grader, and the report writer. Everything is loaded lazily on first
use and cached, so constructing it costs nothing.
"""

from __future__ import annotations

from concurrent.futures import Executor
from functools import cached_property
from typing import TYPE_CHECKING

from backend.background import run_soon
from backend.interviewer.bank import QuestionBank, default_bank
from backend.interviewer.domain import (FinalReport, FollowUp, Grade, InterviewContext, Question,
                                        ResumeAnalysis)
from backend.interviewer.interface import Interviewer
from backend.interviewer.plan import InterviewPlan

if TYPE_CHECKING:
    from backend.interviewer.grading.neighbours import OtherQuestions

PLANNED_QUESTIONS = 8  # the plan shown before the interview assumes the default length


class BuiltinInterviewer(Interviewer):
    def __init__(self, bank: QuestionBank | None = None, *, background: Executor | None = None):
        self._bank = bank
        self._background = background  # the backend's executor, for work ahead of need
        self._warming = False

    @cached_property
    def bank(self) -> QuestionBank:
        return self._bank or default_bank()

    @cached_property
    def other_questions(self) -> OtherQuestions:
        """The bank's questions as the grader compares answers with them (off-topic)."""
        from backend.interviewer.grading.neighbours import OtherQuestions

        return OtherQuestions(self.bank.questions)

    def analyse_resume(self, resume_text: str, job_description: str = "",
                       role: str = "") -> ResumeAnalysis:
        from backend.interviewer.analysis.resume import analyse_resume

        self._warm_up_grader()
        analysis = analyse_resume(resume_text, job_description, role)
        if job_description.strip():
            analysis.plan = self.plan(InterviewContext(
                role=role, job_description=job_description, resume_text=resume_text,
                analysis=analysis, turns=[], max_questions=PLANNED_QUESTIONS,
                time_remaining_s=0)).to_dict()
        return analysis

    def plan(self, context: InterviewContext) -> InterviewPlan:
        """What an interview in this context will ask and why (``context.turns`` empty)."""
        from backend.interviewer.planning import interview_plan

        return interview_plan(self.bank, context, self._role_family(context))

    def _warm_up_grader(self) -> None:
        """Load the grader's sentence encoder (about 1 s) and embed the bank's questions
        (about 2 s) while the candidate is still on the setup page, so the first answer is
        not the one that waits for them."""
        if not self._warming:
            self._warming = True
            run_soon(self._background, self.other_questions.prepare)  # loads the encoder first

    def _role_family(self, context: InterviewContext) -> str:
        from backend.interviewer.analysis.resume import role_family

        return role_family(context.role, context.job_description)

    def intro(self, context: InterviewContext) -> str:
        minutes = round(context.time_remaining_s / 60)
        role = context.role or "this role"
        parts = [f"Hello, and thanks for joining. This is a {minutes}-minute practice interview "
                 f"for {role}, with up to {context.max_questions} questions."]
        focus = self._focus(context)
        if focus:
            parts.append("From the job description and your resume, I'll focus on "
                         + (", ".join(focus[:-1]) + " and " + focus[-1] if len(focus) > 1 else focus[0])
                         + ", after a first question about your own work.")
        if context.profile.sessions and context.profile.weak_topics:
            weak = [self.bank.topics[t].title if t in self.bank.topics else t
                    for t in context.profile.weak_topics[:2]]
            parts.append(f"Last time, {' and '.join(weak)} "
                         f"{'was' if len(weak) == 1 else 'were'} harder for you, so we'll revisit "
                         f"{'it' if len(weak) == 1 else 'them'} with new questions.")
        parts.append("Think aloud, take your time, and it's fine to say when you don't know "
                     "something. Let's begin.")
        return " ".join(parts)

    def _focus(self, context: InterviewContext) -> list[str]:
        """The first must-haves the plan asks about, in the job's words (the focus areas
        when there is no plan)."""
        if context.job_description.strip() and not context.turns:
            plan = self.plan(context)
            items = [i for i in plan.items if i.requirement.kind == "must"] or \
                [i for i in plan.items if i.requirement.must]
            musts = [_in_sentence(i.requirement.label) for i in items]
            if musts:
                return musts[:3]
        return list(context.analysis.focus_areas[:3])

    def next_question(self, context: InterviewContext) -> Question | None:
        from backend.interviewer.grading import prepare_grading_soon
        from backend.interviewer.planning import next_question

        question = next_question(self.bank, context, self._role_family(context))
        if question is not None:
            prepare_grading_soon(question, self._background)
        return question

    def grade(self, question: Question, answer: str, context: InterviewContext,
              followup: FollowUp | None = None) -> Grade:
        from backend.interviewer.grading import grade_turn

        turn = context.turns[-1] if context.turns else None
        same = turn is not None and turn.question.id == question.id
        vocabulary = [s.skill for s in context.analysis.skills]
        others = self.other_questions
        if not same or turn is None:
            return grade_turn(question, [answer], vocabulary=vocabulary, others=others)
        return grade_turn(question, [*turn.answers, answer], turn.followups, turn.grades,
                          vocabulary=vocabulary, others=others)

    def report(self, context: InterviewContext) -> FinalReport:
        from backend.interviewer.report import write_report

        return write_report(context, self.bank)


def _in_sentence(label: str) -> str:
    """"Idempotent payment APIs" -> "idempotent payment APIs"; "PostgreSQL" and
    "Elasticsearch" (names of skills) stay."""
    from backend.interviewer.analysis.taxonomy import load_taxonomy

    first = label.split(" ", 1)[0].strip(",:;")
    skill = load_taxonomy().get(first)
    named = skill is not None and skill.name == first and skill.category not in (
        "practice", "soft-skill")  # a product's name, not a common noun like "Caching"
    if not first[1:].islower() or named:
        return label
    return label[:1].lower() + label[1:]
