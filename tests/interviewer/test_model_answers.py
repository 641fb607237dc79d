"""Every bank question's model answer earns a complete score.

The issue's bar for the grader: an answer that makes every key point scores at least 8.5 with
nothing missing. The model answers make every point by construction (the bank's validator
checks that each shows its points' phrasings), so this is the whole bank, not a sample: a rule
that withholds credit from stated points shows here first (a cap on the credit of points
closer to one of their mistakes, at 0.26 from -0.075, dropped four of them to 7.8-8.2).
"""

from __future__ import annotations

from backend.interviewer.bank import default_bank
from backend.interviewer.grading import grade_turn
from backend.interviewer.grading.neighbours import OtherQuestions


def test_every_model_answer_scores_at_least_8_5_with_nothing_missing() -> None:
    # With the bank's other questions, as the interviewer grades: no model answer reads as an
    # answer to another question (off-topic).
    bank = default_bank()
    others = OtherQuestions(bank.questions)
    questions = [q for q in bank.questions if q.kind not in ("behavioral", "experience")]
    assert len(questions) > 400
    low = []
    for q in questions:
        grade = grade_turn(q, [q.model_answer], others=others)
        if grade.scores.technical < 8.5 or grade.missing or grade.status != "answered":
            low.append(f"{q.id}: {grade.scores.technical} {grade.status} missing {grade.missing}")
    assert not low, low
