"""An answer made of a question's typical wrong beliefs scores low.

Every bank key point the encoder judges lists `mistakes`: confident, plausible sentences that
contradict it. An answer that says the first mistake of every point of a question is a
confidently wrong answer on the topic: it uses the question's words and is close in meaning to
its points, but states none of them. Such points may be labelled "unclear", but the score
credits them at what such points turned out to be worth on the judgment set's dev split
(evidence.MEANING_SAID_CREDIT), not at the label's 0.5. Over a fifth of the bank these answers
averaged 3.9 before that (median 4.1), 3.1 after.
"""

from __future__ import annotations

import statistics

from backend.interviewer.bank import default_bank
from backend.interviewer.grading import grade_turn


def test_an_answer_of_the_questions_own_mistakes_scores_low() -> None:
    questions = [q for q in default_bank().questions
                 if q.key_points and all(k.mistakes for k in q.key_points)][::5]
    assert len(questions) > 60
    scores = [grade_turn(q, [" ".join(k.mistakes[0] for k in q.key_points)]).scores.technical
              for q in questions]
    assert statistics.mean(scores) <= 3.5, sorted(scores)
    assert statistics.median(scores) <= 3.5, sorted(scores)
