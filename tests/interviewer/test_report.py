"""The closing report: the documented recommendation rule, a specific narrative, a roadmap."""

from __future__ import annotations

import pytest

from backend.interviewer.bank import default_bank
from backend.interviewer.domain import (Grade, InterviewContext, ResumeAnalysis, Scores,
                                        SkillEvidence, Turn)
from backend.interviewer.report import recommendation, write_report


@pytest.mark.parametrize("scores,answered,planned,expected", [
    (Scores(8, 8, 8), 4, 4, "Hire"),
    (Scores(9, 9, 5), 4, 4, "Borderline"),     # a dimension under the floor
    (Scores(8, 8, 8), 1, 4, "Borderline"),     # too little evidence
    (Scores(6, 5, 5), 4, 4, "Borderline"),
    (Scores(3, 4, 6), 4, 4, "No-Hire"),
])
def test_recommendation_rule(scores, answered, planned, expected):
    assert recommendation(scores, answered, planned) == expected


def make_context() -> InterviewContext:
    bank = default_bank()
    strong = next(q for q in bank.questions if q.topic == "caching")
    weak = next(q for q in bank.questions if q.topic == "databases")
    strong_answer = strong.model_answer
    covered = [k.point for k in strong.key_points]
    turns = [
        Turn(1, strong, [strong_answer], [Grade(Scores(9, 8, 9), "", [], [], covered=covered)]),
        Turn(2, weak, ["I am not sure."],
             [Grade(Scores(1, 1, 3), "", [], [], missing=[k.point for k in weak.key_points])]),
    ]
    a = ResumeAnalysis("senior", 10, [SkillEvidence("Kubernetes", "cloud", [], ["kubernetes"])],
                       ["Python"], ["Kubernetes"], ["Kubernetes"])
    return InterviewContext("Senior Backend Engineer", "Kubernetes", "cv", a, turns, 2, 100)


def test_narrative_names_topics_quotes_the_candidate_and_says_what_first():
    ctx = make_context()
    report = write_report(ctx)
    text = report.narrative
    assert "Caching" in text and "Databases and SQL" in text
    assert "\u201c" in text  # a quote from the candidate's own answer
    quote = text.split("\u201c", 1)[1].split("\u201d", 1)[0].rstrip("…")
    assert quote[:40] in ctx.turns[0].answers[0]
    assert "Work on" in text


def test_roadmap_has_priorities_actions_and_the_gap():
    report = write_report(make_context())
    skills = [r.skill for r in report.skill_roadmap]
    assert "Kubernetes" in skills
    assert report.skill_roadmap[0].priority == "high"
    assert all(r.actions and r.why for r in report.skill_roadmap)
    assert report.final_scores == Scores(5.0, 4.5, 6.0)
