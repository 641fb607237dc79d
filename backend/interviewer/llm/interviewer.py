"""The LLM interviewer: an OpenAI-compatible model writes, the built-in interviewer decides.

What the model does, step by step (each step falls back to the built-in interviewer
on any failure: unreachable server, timeout, cancellation, cut-off or invalid JSON
after one retry at temperature 0):

- question: the built-in planner picks the topic, difficulty and kind (and the bank
  question); the model writes a question for that slot personalised to the resume and
  job, with key points, phrasings and a model answer. It is kept only if it validates
  and its own model answer uses a phrasing of at least half its key points (so the
  built-in evidence can grade it). Resume-line ("experience") questions stay built-in.
  The question keeps the bank question's id, so the planner never repeats that slot.
- grading: the built-in grader scores the answer first (key-point evidence); the model
  scores it against the rubric and the key points, writes the feedback, strengths,
  improvements and the wording of the follow-up. Whether to follow up, and on which
  point, stays the built-in's decision; covered/missing stay the built-in's evidence.
- report: scores and recommendation stay rule-based; the model writes the narrative.

Score rule (keeps scores stable across models and runs), per dimension::

    final = clamp(builtin + clip(llm - builtin, -2, +2), 0, 10)

The model can move a score by at most 2 points from the evidence-based one.

While a step runs it sends a ``thinking`` notice; when a step falls back it sends an
``interviewer_status`` notice (see ``events.py`` and docs/protocol.md). After the server
is unreachable, slow or refuses us, the model is skipped for ``cooldown_s`` so a dead
server does not cost a timeout on every step.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from typing import TypeVar

from pydantic import BaseModel

from backend.interviewer.domain import (FinalReport, FollowUp, Grade, InterviewContext, KeyPoint,
                                        Question, ResumeAnalysis, Scores)
from backend.interviewer.interface import Interviewer
from backend.interviewer.grading import prepare_grading_soon
from backend.interviewer.llm import prompts
from backend.interviewer.llm.client import CallStats, CancelSignal, LLMError, OpenAIClient
from backend.interviewer.llm.config import LLMConfig, url_host
from backend.interviewer.llm.events import emit
from backend.interviewer.llm.schemas import GradeOut, QuestionOut, ReportOut

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

MAX_SHIFT = 2.0
# Completion budgets per step: the bounded schemas fit in these, and a small model that
# rambles is cut off (finish_reason "length") instead of running to the deadline.
STEP_TOKENS = {"question": 500, "grading": 350, "report": 350}
COOLDOWN_KINDS = {"unavailable", "timeout", "rejected"}
REASONS = {
    "unavailable": "The model server could not be reached",
    "timeout": "The model took too long",
    "cancelled": "The model's work was stopped because the interview ended",
    "rejected": "The model server refused the request",
    "bad_output": "The model's reply was not usable",
}


def combine(builtin: float, llm: float) -> float:
    """The documented score rule: the model moves the built-in score by at most 2."""
    shift = max(-MAX_SHIFT, min(MAX_SHIFT, llm - builtin))
    return round(max(0.0, min(10.0, builtin + shift)), 1)


def combine_scores(builtin: Scores, llm: GradeOut) -> Scores:
    return Scores(technical=combine(builtin.technical, llm.technical),
                  design=combine(builtin.design, llm.design),
                  communication=combine(builtin.communication, llm.communication))


def uses_its_key_points(out: QuestionOut) -> None:
    """ValueError unless the model answer says a phrasing of at least half the key points."""
    answer = out.model_answer.lower()
    shown = sum(any(p.lower() in answer for p in kp.phrasings) for kp in out.key_points)
    if 2 * shown < len(out.key_points):
        raise ValueError(f"the model answer uses phrasings of only {shown} of "
                         f"{len(out.key_points)} key points")
    if "?" not in out.question:
        raise ValueError("the question is not a question")


class LLMInterviewer(Interviewer):
    mode = "llm"

    def __init__(self, config: LLMConfig, fallback: Interviewer, *,
                 clock: Callable[[], float] = time.monotonic,
                 background: Executor | None = None):
        self.config = config
        self.fallback = fallback
        self._background = background
        self.client = OpenAIClient(config.base_url, config.api_key, model=config.model)
        self._clock = clock
        self._cancel = CancelSignal()
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down_reason = ""
        self.last_stats: CallStats | None = None

    def cancel(self) -> None:
        """Abandon model calls in flight, and skip the model until ``resume``: the
        candidate ended the interview, so what is left of the turn goes built-in."""
        self._cancel.cancel()

    def resume(self) -> None:
        """The end is being handled: the report may use the model again."""
        self._cancel.reset()

    # --- the one way a step asks the model ------------------------------------------
    def _fell_back(self, step: str, reason: str) -> None:
        log.info("LLM %s step fell back: %s", step, reason)
        emit("interviewer_status", mode="builtin", fallback=True, step=step,
             reason=f"{reason}; the built-in interviewer carries on for this step.")

    def ask(self, step: str, messages: prompts.Messages, output: type[M],
            check: Callable[[M], None] | None = None) -> M | None:
        now = self._clock()
        token = self._cancel.token()
        if token.done():
            self._fell_back(step, REASONS["cancelled"])
            return None
        with self._lock:
            down_until, down_reason = self._down_until, self._down_reason
        if now < down_until:
            self._fell_back(step, f"{down_reason} (trying again in {down_until - now:.0f} s)")
            return None
        emit("thinking", step=step, interviewer="llm")
        stats = CallStats()
        self.last_stats = stats
        try:
            return self.client.complete(messages, output, temperature=self.config.temperature,
                                        max_tokens=min(self.config.max_tokens,
                                                       STEP_TOKENS.get(step, 500)),
                                        deadline=now + self.config.timeout_s,
                                        cancel=token, check=check, stats=stats)
        except LLMError as e:
            reason = f"{REASONS[e.kind]}: {e.reason}" if e.kind != "cancelled" else REASONS[e.kind]
            if e.kind in COOLDOWN_KINDS:
                with self._lock:
                    self._down_until = self._clock() + self.config.cooldown_s
                    self._down_reason = REASONS[e.kind]
            self._fell_back(step, reason)
            return None

    # --- the Interviewer protocol ----------------------------------------------------
    def analyse_resume(self, resume_text: str, job_description: str = "",
                       role: str = "") -> ResumeAnalysis:
        return self.fallback.analyse_resume(resume_text, job_description, role)

    def intro(self, context: InterviewContext) -> str:
        emit("interviewer_status", mode="llm", fallback=False, step="intro",
             reason=f"Questions and feedback come from the model {self.config.model!r} at "
                    f"{url_host(self.config.base_url)}.")
        return self.fallback.intro(context)

    def next_question(self, context: InterviewContext) -> Question | None:
        base = self.fallback.next_question(context)
        if base is None or base.kind == "experience":
            return base
        asked = {t.question.text.strip().lower() for t in context.turns}

        def check(out: QuestionOut) -> None:
            uses_its_key_points(out)
            if out.question.strip().lower() in asked:
                raise ValueError("the question was already asked")

        out = self.ask("question", prompts.question_messages(context, base,
                                                             self.config.context_chars),
                       QuestionOut, check)
        if out is None:
            return base
        points = tuple(KeyPoint(point=k.point.strip(), phrasings=tuple(p.strip() for p in k.phrasings),
                                followup=k.followup.strip() or f"Can you say more about {k.point}?")
                       for k in out.key_points)
        question = replace(base, text=out.question.strip(), explanation=out.explanation.strip(),
                           key_points=points, model_answer=out.model_answer.strip())
        prepare_grading_soon(question, self._background)  # the built-in prepared the bank question it replaces
        return question

    def grade(self, question: Question, answer: str, context: InterviewContext,
              followup: FollowUp | None = None) -> Grade:
        grade = self.fallback.grade(question, answer, context, followup)
        turn = context.turns[-1] if context.turns else None
        prior = list(turn.answers) if turn is not None and turn.question.id == question.id else []
        out = self.ask("grading", prompts.grade_messages(question, answer, prior, followup,
                                                         self.config.context_chars), GradeOut)
        if out is None:
            return grade
        follow = grade.followup
        wording = out.followup.strip()
        if follow is not None and wording.endswith("?"):
            follow = FollowUp(question=wording, reason=follow.reason, key_point=follow.key_point)
        # The built-in's judgment of what was said (covered points, quotes, status) stands;
        # the model words the feedback and may move the scores within the anchor's bounds.
        return replace(grade, scores=combine_scores(grade.scores, out),
                       feedback=out.feedback.strip(),
                       strengths=[s.strip() for s in out.strengths] or grade.strengths,
                       improvements=[s.strip() for s in out.improvements] or grade.improvements,
                       followup=follow)

    def report(self, context: InterviewContext) -> FinalReport:
        from backend.interviewer.report import rule_paragraphs

        report = self.fallback.report(context)
        if not any(t.grades for t in context.turns) or report.basis == "too_few_answers":
            return report  # too little to say: the built-in's account of what was seen
        out = self.ask("report", prompts.report_messages(context, report), ReportOut)
        if out is None:
            return report
        # the estimate's label and the figures stay the built-in's (the chart's numbers);
        # the model writes the rest
        fixed = rule_paragraphs(report.narrative)
        return replace(report, narrative="\n\n".join(fixed + [out.narrative.strip()]))
