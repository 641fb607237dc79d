"""Question planning on the real bank: fit, variety, adaptation and memory."""

from __future__ import annotations

import pytest

from backend.interviewer.bank import default_bank
from backend.interviewer.domain import (CandidateProfile, Grade, InterviewContext, ResumeAnalysis,
                                        Scores, SkillEvidence, Turn)
from backend.interviewer.planning import next_question, target_difficulty


def analysis(seniority="senior", focus=("Kubernetes",), gaps=("Kubernetes",)) -> ResumeAnalysis:
    return ResumeAnalysis(
        seniority=seniority, years_experience=10,
        skills=[SkillEvidence("Kubernetes", "cloud", [], ["kubernetes"]),
                SkillEvidence("Python", "language", ["Python services"], ["software-design"])],
        strengths=["Python"], gaps=list(gaps), focus_areas=list(focus),
        highlights=["Led migration of the billing monolith to Python microservices with gRPC."])


def context(turns, max_questions=8, a=None, profile=None) -> InterviewContext:
    return InterviewContext(role="Senior Backend Engineer", job_description="Kubernetes, Kafka",
                            resume_text="resume", analysis=a or analysis(), turns=turns,
                            max_questions=max_questions, time_remaining_s=2000,
                            profile=profile or CandidateProfile())


def graded(question, number, technical) -> Turn:
    return Turn(number=number, question=question, answers=["..."],
                grades=[Grade(Scores(technical, technical, technical), "", [], [])])


def run(max_questions=8, score=6.0, a=None, profile=None) -> list[Turn]:
    bank = default_bank()
    turns: list[Turn] = []
    while (q := next_question(bank, context(turns, max_questions, a, profile), "backend")):
        turns.append(graded(q, len(turns) + 1, score))
    return turns


def test_a_whole_interview_never_repeats_and_stops_at_the_limit():
    turns = run(8)
    assert len(turns) == 8
    ids = [t.question.id for t in turns]
    assert len(set(ids)) == 8
    topics = [t.question.topic for t in turns]
    assert all(a != b for a, b in zip(topics, topics[1:], strict=False)), topics


def test_a_warm_opener_then_the_job_s_gap_then_behavioral_last():
    turns = run(6)
    opener = turns[0].question
    assert opener.kind == "experience" and "billing monolith" in opener.text
    assert opener.text.startswith("Let's start with your own work")
    # the job asks for Kubernetes and Kafka; Kubernetes is a gap, so it comes first
    assert turns[1].question.topic == "kubernetes"
    assert {"kubernetes", "messaging"} <= {t.question.topic for t in turns[1:4]}
    assert turns[-1].question.topic == "behavioral"


def test_same_inputs_same_interview():
    assert [t.question.id for t in run(5)] == [t.question.id for t in run(5)]


@pytest.mark.parametrize("score,expected", [(9.0, "hard"), (2.0, "easy"), (5.5, "medium")])
def test_difficulty_follows_performance(score, expected):
    bank = default_bank()
    q = next(q for q in bank.questions if q.difficulty == "medium" and q.topic == "databases")
    assert target_difficulty("senior", [graded(q, 1, score)]) == expected


def test_juniors_are_not_asked_hard_questions():
    turns = run(8, score=10.0, a=analysis("junior"))
    assert all(t.question.difficulty != "hard" for t in turns)
    # questions written for juniors first, as long as the job's must-haves have them
    bank = [t.question for t in turns if t.question.topic not in ("experience", "behavioral")]
    assert bank[0].seniority[0] == "junior"


def test_memory_avoids_repeats_and_revisits_weak_topics():
    first = run(6)
    seen = {t.question.id for t in first}
    profile = CandidateProfile(asked_question_ids=seen, weak_topics=["caching"], sessions=1)
    second = run(6, profile=profile)
    assert not seen & {t.question.id for t in second}
    assert "caching" in [t.question.topic for t in second[:4]]
