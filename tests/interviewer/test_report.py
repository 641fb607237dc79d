"""The closing report: the documented practice-estimate rule, scores that are the chart's
numbers, a short specific summary in paragraphs, and a roadmap specific to each skill."""

from __future__ import annotations

import re

import pytest

from backend.interviewer.bank import default_bank
from backend.interviewer.domain import (Evidence, FollowUp, Grade, InterviewContext, ResumeAnalysis, Scores,
                                       SkillEvidence, Turn)
from backend.interviewer.personal import personal_question
from backend.interviewer.report import (
    ESTIMATE_NOTE,
    TOO_FEW,
    TOO_FEW_SENTENCE,
    final_scores,
    recommendation,
    topic_figures,
    strong_moment,
    turn_score,
    write_report,
)


@pytest.mark.parametrize("scores,answered,planned,expected", [
    (Scores(8, 8, 8), 4, 4, "Hire"),
    (Scores(9, 9, 5), 4, 4, "Borderline"),     # a dimension under the floor
    (Scores(8, 8, 8), 3, 8, "Borderline"),     # fewer than half of the planned: at most Borderline
    (Scores(6, 5, 5), 4, 4, "Borderline"),
    (Scores(3, 4, 6), 4, 4, "No-Hire"),
    (Scores(8, 8, 8), 2, 4, TOO_FEW),          # fewer than three answers: no estimate
    (Scores(1, 1, 1), 1, 8, TOO_FEW),
])
def test_recommendation_rule(scores, answered, planned, expected):
    assert recommendation(scores, answered, planned) == expected


def grade(t, d, c, missing=(), covered=(), status=None, improvements=()) -> Grade:
    g = Grade(Scores(t, d, c), "", [], list(improvements), covered=list(covered),
              missing=list(missing))
    if status is not None:
        g.status = status  # the grader's status (issue 11), read with a default
    return g


def question(topic: str, n: int = 0):
    return [q for q in default_bank().questions if q.topic == topic][n]


def analysis(gaps=("Kubernetes",)) -> ResumeAnalysis:
    return ResumeAnalysis("senior", 10, [SkillEvidence("Kubernetes", "cloud", [], ["kubernetes"])],
                          ["Python"], list(gaps), ["Kubernetes"])


def context(turns, max_questions=None, a=None) -> InterviewContext:
    return InterviewContext("Senior Backend Engineer", "Kubernetes", "cv", a or analysis(), turns,
                            max_questions or len(turns), 100)


def make_context() -> InterviewContext:
    strong, weak = question("caching"), question("databases")
    covered = [k.point for k in strong.key_points]
    turns = [
        Turn(1, strong, [strong.model_answer], [grade(9, 8, 9, covered=covered)]),
        Turn(2, weak, ["I am not sure, maybe an index on every column would help here."],
             [grade(1, 1, 3, missing=[k.point for k in weak.key_points])]),
    ]
    return context(turns)


def four_answers() -> InterviewContext:
    caching, db1, db2, tx = (question("caching"), question("databases"),
                             question("databases", 1), question("transactions"))
    turns = [
        Turn(1, caching, [caching.model_answer],
             [grade(6, 6, 7), grade(9, 8, 9, covered=[k.point for k in caching.key_points])]),
        Turn(2, db1, ["An index makes reads faster but every write has to update it too."],
             [grade(4, 3, 6, missing=[k.point for k in db1.key_points][:2])]),
        Turn(3, db2, ["Normalise first, then denormalise the hot read path deliberately."],
             [grade(6, 5, 7)]),
        Turn(4, tx, [""], [grade(0, 0, 0, status="skipped")]),
    ]
    return context(turns, max_questions=5)


def test_a_question_scores_its_last_grade_and_a_skip_scores_zero():
    ctx = four_answers()
    assert turn_score(ctx.turns[0]) == Scores(9, 8, 9)  # the follow-up's grade, not the first
    assert turn_score(ctx.turns[3]) == Scores(0, 0, 0)
    assert final_scores(ctx.turns) == Scores(4.8, 4.0, 5.5)  # the skip counts as 0


def test_the_summary_s_topic_figures_are_the_chart_s_numbers():
    ctx = four_answers()
    text = write_report(ctx).narrative
    for fig in topic_figures(ctx.turns):
        s = fig.scores
        want = (f"{fig.topic} ({' and '.join(f'Q{n}' for n in fig.numbers)}): "
                f"{s.technical:.1f} technical, {s.design:.1f} design, "
                f"{s.communication:.1f} communication")
        assert want in text, (want, text)
    # Databases and SQL averages Q2 and Q3 (4, 3, 6) and (6, 5, 7)
    db = next(f for f in topic_figures(ctx.turns) if f.topic == "Databases and SQL")
    assert db.numbers == [2, 3] and db.scores == Scores(5.0, 4.0, 6.5)
    assert "the mean of that topic's question scores" in text
    assert "skipped question counts as 0" in text
    overall = final_scores(ctx.turns)
    assert f"Overall: {overall.technical:.1f} technical, {overall.design:.1f} design" in text


def test_the_summary_is_short_paragraphs_and_the_estimate_is_labelled():
    report = write_report(four_answers())
    paragraphs = report.narrative.split("\n\n")
    assert 3 <= len(paragraphs) <= 6
    assert all(len(p) < 700 for p in paragraphs), [len(p) for p in paragraphs]
    assert f"Practice estimate: {report.recommendation}" in paragraphs[0]
    assert ESTIMATE_NOTE in paragraphs[0] and "not a hiring decision" in ESTIMATE_NOTE


def test_fewer_than_three_answers_give_no_recommendation():
    report = write_report(make_context())
    assert report.basis == "too_few_answers"
    assert report.recommendation in ("Hire", "Borderline", "No-Hire")  # the seed's enum, on the wire
    assert report.narrative.startswith(TOO_FEW_SENTENCE)
    assert "Caching" in report.narrative and "Databases and SQL" in report.narrative
    assert "Hire" not in report.narrative.replace(TOO_FEW_SENTENCE, "")


def test_narrative_quotes_the_candidate_and_says_what_first():
    ctx = make_context()
    text = write_report(ctx).narrative
    quote = text.split("\u201c", 1)[1].split("\u201d", 1)[0].rstrip("…")
    assert quote[:40] in ctx.turns[0].answers[0]
    assert "Work on" in text


def test_grader_evidence_is_the_quote_when_there_is_some():
    ctx = make_context()
    ctx.turns[0].grades[-1].evidence = [Evidence("a point", "the exact words the grader quoted for a point")]
    assert "the exact words the grader quoted" in write_report(ctx).narrative


def test_the_roadmap_is_specific_to_each_skill_and_the_candidate():
    ctx = four_answers()
    report = write_report(ctx)
    items = report.skill_roadmap
    assert items[0].priority == "high" and all(r.actions and r.why for r in items)
    skills = [r.skill for r in items]
    assert "Kubernetes" in skills  # the job's gap the resume does not show
    weak = next(r for r in items if r.skill == "Databases and SQL")
    assert "An index makes reads faster" in weak.why  # their own words
    missed = ctx.turns[1].grades[-1].missing[0]
    assert missed[:1].lower() + missed[1:30] in weak.why  # what they missed
    follow = next(k.followup for k in ctx.turns[1].question.key_points if k.point == missed)
    assert any(follow in a for a in weak.actions)  # the drill is the question's own follow-up
    skipped = next(r for r in items if "skipped" in r.why)
    assert "Q4" in skipped.why
    # no action sentence is shared by two skills, even with the skill's name swapped out
    seen: dict[str, str] = {}
    for r in items:
        for a in r.actions:
            key = a.replace(r.skill, "<skill>").replace(r.skill.lower(), "<skill>")
            assert key not in seen, (key, seen.get(key), r.skill)
            seen[key] = r.skill


def test_a_project_question_s_model_answer_is_a_structure_not_a_story():
    q = personal_question("Led migration of the billing monolith to Python microservices.", 1,
                          opener=True)
    assert q.text.startswith("Let's start with your own work")
    answer = q.model_answer
    assert answer.startswith("A strong answer")
    assert all(f"{n}." in answer for n in range(1, 6))
    assert not re.search(r"\d+ (?:ms|milliseconds|percent)|%", answer)  # no invented results


def test_an_off_topic_answer_is_not_called_the_hardest_question():
    ctx = make_context()
    ctx.turns[1].grades[0].status = "off_topic"
    text = write_report(ctx).narrative
    assert "Q2 (" in text and "was the hardest" not in text
    assert "about something else than the question" in text
    assert "Q2 (Databases and SQL) was the hardest" in write_report(make_context()).narrative


def test_a_quoted_answer_does_not_double_the_full_stop():
    ctx = make_context()
    ctx.turns[1].answers = ["On weekends I go hiking, and this year I started learning Spanish."]
    ctx.turns[1].grades[0].status = "off_topic"
    report = write_report(ctx)
    whys = " ".join(item.why for item in report.skill_roadmap)
    assert "learning Spanish\u201d," in whys
    assert ".\u201d." not in whys + report.narrative


def test_an_off_topic_answer_is_practised_on_the_question_it_did_not_answer():
    """An off-topic answer lists no missed points, so the roadmap once fell back on the
    topic's generic actions: a screen-reader question drew "Build a screen that works
    offline". It now practises the question's own first points."""
    q = next(q for q in default_bank().questions if "screen reader" in q.text and
             q.topic == "mobile")
    turn = Turn(1, q, ["On weekends I go hiking, and this year I started learning Spanish."],
                [grade(0.2, 0.1, 1.3, status="off_topic")])
    report = write_report(context([turn]))
    item = next(i for i in report.skill_roadmap if "Q1" in i.why)
    first = q.key_points[0]
    assert any(first.followup in a and first.point.rstrip(".").lower()[1:] in a.lower()
               for a in item.actions), item.actions
    assert not any("works offline" in a for a in item.actions), item.actions


def test_the_strongest_moment_is_an_answer_strong_without_a_follow_up():
    """A question that ended at 10 only after a follow-up (the first answer was confidently
    wrong) was held up as "your strongest moment"; an answer strong unprompted comes first."""
    caching, db = question("caching"), question("databases")

    def said(q, quote: str) -> Grade:
        g = grade(10, 9, 10, covered=[k.point for k in q.key_points])
        g.evidence = [Evidence(q.key_points[0].point, quote, 0)]
        return g

    prompted = Turn(1, caching, ["Wrong first.", "Right after the follow-up."],
                    [grade(1, 1, 5), said(caching, "right after the follow-up")],
                    [FollowUp("What else?", "missed", caching.key_points[0].point)])
    unprompted = Turn(2, db, ["Right the first time."], [said(db, "right the first time")])
    unprompted.grades[0].scores = Scores(9, 8, 9)
    moment = strong_moment([prompted, unprompted])
    assert moment is not None and moment[0] is unprompted and moment[1] == "right the first time"
    assert strong_moment([prompted])[0] is prompted  # still the one to hold up when alone
