"""The LLM interviewer step by step, against the fake server: what the model may change,
the score rule, and the built-in fallback with its notices."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from hypothesis import given, strategies as st

from backend.interviewer.domain import InterviewContext, Scores, Turn
from backend.interviewer.builtin import BuiltinInterviewer
from backend.interviewer.llm.config import LLMConfig
from backend.interviewer.llm.events import notice_sink
from backend.interviewer.llm.interviewer import (LLMInterviewer, combine, combine_scores,
                                                 uses_its_key_points)
from backend.interviewer.llm.schemas import GradeOut, QuestionOut
from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME
from tests.llm.fake_server import NARRATIVE, Reply

BUILTIN = BuiltinInterviewer()


@contextmanager
def notices():
    seen: list[dict] = []
    token = notice_sink.set(seen.append)
    try:
        yield seen
    finally:
        notice_sink.reset(token)


def context(max_questions: int = 3) -> InterviewContext:
    """An interview whose first question (on the candidate's own work, which stays
    built-in) was asked: the next one is a bank question the model may personalise."""
    analysis = BUILTIN.analyse_resume(SENIOR_RESUME, BACKEND_JD, "Senior Backend Engineer")
    ctx = InterviewContext(role="Senior Backend Engineer", job_description=BACKEND_JD,
                           resume_text=SENIOR_RESUME, analysis=analysis, turns=[],
                           max_questions=max_questions, time_remaining_s=1800)
    opener = BUILTIN.next_question(ctx)
    assert opener.kind == "experience"
    ctx.turns.append(Turn(number=1, question=opener))
    return ctx


def llm(base_url: str, **kw) -> LLMInterviewer:
    return LLMInterviewer(LLMConfig(mode="openai", base_url=base_url, model="fake-model",
                                    timeout_s=kw.pop("timeout_s", 10), **kw), BUILTIN)


@given(st.floats(0, 10), st.integers(0, 10))
def test_the_model_moves_a_score_by_at_most_two(builtin, model):
    final = combine(builtin, model)
    assert 0 <= final <= 10
    assert abs(final - builtin) <= 2.0 + 0.051
    if abs(model - builtin) <= 2:
        assert final == pytest.approx(model, abs=0.051)


def test_the_question_is_personalised_in_the_planner_slot(fake_llm):
    fake, server = fake_llm
    ctx = context()
    bank = BUILTIN.next_question(ctx)
    with notices() as seen:
        q = llm(server.base_url).next_question(ctx)
    assert q.text.startswith("Question 1:") and q.text != bank.text
    assert bank.kind != "experience"
    assert (q.id, q.topic, q.difficulty, q.kind) == (bank.id, bank.topic, bank.difficulty, bank.kind)
    assert [k.phrasings for k in q.key_points] == [("b-tree", "lookup"), ("slower writes", "write cost")]
    assert "b-tree" in q.model_answer
    assert seen == [{"type": "thinking", "data": {"step": "question", "interviewer": "llm"}}]
    prompt = fake.requests[0]["messages"][1]["content"]
    assert "Kafka" in prompt and bank.text in prompt


def test_a_question_whose_model_answer_ignores_its_key_points_is_refused():
    out = QuestionOut.model_validate({
        "question": "What is an index, and why use one?", "explanation": "Tests indexes.",
        "key_points": [{"point": "Speeds up reads", "phrasings": ["faster reads"], "followup": ""},
                       {"point": "Costs on writes", "phrasings": ["write cost"], "followup": ""},
                       {"point": "Uses a B-tree", "phrasings": ["b-tree"], "followup": ""}],
        "model_answer": "An index is a thing that databases have; it is quite useful in general."})
    with pytest.raises(ValueError, match="only 0 of 3"):
        uses_its_key_points(out)


def test_grading_combines_the_scores_and_rewords_the_followup(fake_llm):
    fake, server = fake_llm
    fake.scores = (10, 0, 10)
    ctx = context()
    q = BUILTIN.next_question(ctx)
    ctx.turns.append(Turn(number=1, question=q))
    answer = "Um, it depends."
    builtin = BUILTIN.grade(q, answer, ctx)
    grade = llm(server.base_url).grade(q, answer, ctx)
    assert grade.scores == combine_scores(builtin.scores, GradeOut.model_validate(
        fake.valid("GradeOut")))
    assert grade.scores.design == max(0.0, round(builtin.scores.design - 2, 1))
    assert grade.feedback.startswith("FAKE FEEDBACK")
    assert (grade.covered, grade.missing) == (builtin.covered, builtin.missing)
    assert builtin.followup is not None
    assert grade.followup.question.startswith("FAKE FOLLOW-UP")
    assert grade.followup.key_point == builtin.followup.key_point


def answered_context(n: int) -> InterviewContext:
    ctx = context(max_questions=n + 1)
    for turn in ctx.turns:
        turn.answers.append(GOOD_ANSWER)
        turn.grades.append(BUILTIN.grade(turn.question, GOOD_ANSWER, ctx))
    while len(ctx.turns) < n:
        q = BUILTIN.next_question(ctx)
        turn = Turn(number=len(ctx.turns) + 1, question=q, answers=[GOOD_ANSWER])
        ctx.turns.append(turn)
        turn.grades.append(BUILTIN.grade(q, GOOD_ANSWER, ctx))
    return ctx


def test_the_report_keeps_the_rule_and_the_figures_and_takes_the_narrative(fake_llm):
    fake, server = fake_llm
    ctx = answered_context(3)
    builtin = BUILTIN.report(ctx)
    report = llm(server.base_url).report(ctx)
    paragraphs = report.narrative.split("\n\n")
    assert paragraphs[-1] == NARRATIVE
    assert paragraphs[:2] == builtin.narrative.split("\n\n")[:2]  # estimate and figures
    assert "Practice estimate" in paragraphs[0]
    assert report.recommendation == builtin.recommendation
    assert report.final_scores == builtin.final_scores


def test_with_too_few_answers_the_model_writes_no_report(fake_llm):
    fake, server = fake_llm
    ctx = answered_context(2)
    report = llm(server.base_url).report(ctx)
    assert report == BUILTIN.report(ctx) and report.basis == "too_few_answers"
    assert not fake.requests


def test_a_dead_server_falls_back_says_so_and_is_skipped_for_a_while(fake_llm):
    fake, server = fake_llm
    interviewer = llm(server.base_url)
    server.stop()
    ctx = answered_context(3)  # enough answers for the report step to ask the model
    q = ctx.turns[-1].question
    with notices() as seen:
        grade = interviewer.grade(q, GOOD_ANSWER, ctx)
        report = interviewer.report(ctx)
    assert grade.to_dict() == BUILTIN.grade(q, GOOD_ANSWER, ctx).to_dict()
    assert report == BUILTIN.report(ctx)
    kinds = [n["type"] for n in seen]
    assert kinds == ["thinking", "interviewer_status", "interviewer_status"]
    status = seen[1]["data"]
    assert status["fallback"] is True and status["mode"] == "builtin" and status["step"] == "grading"
    assert "could not be reached" in status["reason"] and "built-in" in status["reason"]
    assert "trying again" in seen[2]["data"]["reason"]


def test_bad_output_twice_falls_back_for_that_step_only(fake_llm):
    fake, server = fake_llm
    fake.then(Reply("invalid"), Reply("length"))
    interviewer = llm(server.base_url)
    ctx = context()
    bank = BUILTIN.next_question(ctx)
    with notices() as seen:
        first = interviewer.next_question(ctx)
        second = interviewer.next_question(ctx)
    assert first == bank
    assert second.text.startswith("Question")  # no cool-down after a bad reply
    assert [n["type"] for n in seen] == ["thinking", "interviewer_status", "thinking"]
    assert "not usable" in seen[1]["data"]["reason"]


def test_a_slow_model_times_out_to_the_builtin(fake_llm):
    fake, server = fake_llm
    fake.then(Reply("slow", delay_s=5))
    ctx = context()
    q = BUILTIN.next_question(ctx)
    ctx.turns.append(Turn(number=1, question=q))
    with notices() as seen:
        grade = llm(server.base_url, timeout_s=1).grade(q, GOOD_ANSWER, ctx)
    assert grade.feedback == BUILTIN.grade(q, GOOD_ANSWER, ctx).feedback
    assert "took" in seen[-1]["data"]["reason"] and seen[-1]["data"]["fallback"] is True


def test_scores_stay_in_range_whatever_the_model_says(fake_llm):
    fake, server = fake_llm
    fake.scores = (0, 0, 0)
    ctx = context()
    q = BUILTIN.next_question(ctx)
    ctx.turns.append(Turn(number=1, question=q))
    grade = llm(server.base_url).grade(q, GOOD_ANSWER, ctx)
    builtin = BUILTIN.grade(q, GOOD_ANSWER, ctx).scores
    for name in ("technical", "design", "communication"):
        assert getattr(grade.scores, name) == max(0.0, round(getattr(builtin, name) - 2, 1))
    assert isinstance(grade.scores, Scores)
