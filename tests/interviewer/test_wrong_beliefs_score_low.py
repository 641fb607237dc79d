"""An answer made of a question's typical wrong beliefs scores low.

Every bank key point the encoder judges lists `mistakes`: confident, plausible sentences that
contradict it. An answer that says the first mistake of every point of a question is a
confidently wrong answer on the topic: it uses the question's words and is close in meaning to
its points, but states none of them. Such points may be labelled "unclear", but the score
credits them at what such points turned out to be worth on the judgment set's dev split
(evidence.MEANING_SAID_CREDIT), not at the label's 0.5, and a stretch that says a mistake
outright (evidence.VERY_WRONG_WAY) at that too, and the words of such a stretch are not the
point's words said. Over a fifth of the bank these answers averaged 3.9 before (median 4.1),
3.1 after (median 3.05); later changes to the coverage model brought them to 1.47 (median
1.2). An answer that makes no point for certain and leans to the mistakes in its words
(grader.LEANS_WRONG) is capped at the rubric's 2: 1.35 (median 1.2).
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
    assert statistics.mean(scores) <= 2.0, sorted(scores)
    assert statistics.median(scores) <= 2.0, sorted(scores)


def test_a_phrasing_said_the_wrong_way_round_is_not_credited() -> None:
    """The point's words ("idempotency key") in a sentence that says its mistake: not covered,
    though another sentence of the answer is closer to the model answer's (seen in a whole
    interview: "You said 'Generate a random idempotency key…' — that covers send a
    deterministic idempotency key"). Naming the mistake as a mistake, then the point, covers it."""
    q = default_bank().by_id("messaging-exactly-once-side-effects")
    assert q is not None
    point = "Send a deterministic idempotency key derived from the message"
    wrong = " ".join(k.mistakes[0] for k in q.key_points)
    assert "random idempotency key" in wrong and "no need to record attempts" in wrong
    covered = grade_turn(q, [wrong]).covered
    assert point not in covered
    # "There's no need to record attempts locally" lent its words to the point it denies
    assert "Record attempts and results locally to resume after a crash" not in covered
    right = ("Kafka transactions don't cover the HTTP call. A classic mistake is a random "
             "idempotency key per attempt; derive the key from the message id, so a retry sends "
             "the same key.")
    assert point in grade_turn(q, [right]).covered


def test_a_sentence_that_says_a_mistake_is_not_offered_as_touching_on_the_point() -> None:
    """A point left "unclear" by a sentence that reads as one of its mistakes keeps its
    credit, but that sentence is not quoted back as "You may have touched on…" (seen in a whole
    interview: "You may have touched on the external call is outside Kafka's transaction ('With
    Kafka transactions the payment API call gets rolled back…')"). The other points are made
    the right way round: an answer of nothing but mistakes leaves no point unclear."""
    q = default_bank().by_id("messaging-exactly-once-side-effects")
    assert q is not None
    point = q.key_points[0]
    said_wrong = "the payment API call gets rolled back"
    assert said_wrong in point.mistakes[0]
    answer = " ".join([point.mistakes[0], *(k.says[0] for k in q.key_points[1:])])
    grade = grade_turn(q, [answer])
    assert point.point in grade.unclear and "touched on" not in grade.feedback
    assert all(said_wrong not in e.quote for e in grade.evidence)
    assert grade.evidence == [] or all(e.certain for e in grade.evidence)
    # the one thing to do: the point the answer got wrong, said the right way, with the bank's
    # example
    assert "Most important to add: the external call is outside Kafka's transaction" in \
        grade.feedback or "make clear: the external call is outside Kafka's transaction" in \
        grade.feedback, grade.feedback
    assert "for example: \u201c" in grade.feedback
    # and an answer made of every point's first mistake leaves none of them unclear
    assert grade_turn(q, [" ".join(k.mistakes[0] for k in q.key_points)]).unclear == []


SWAPPED = ("Concurrency is when tasks run at the exact same moment on different cores, so on a "
           "single core you can't really have it. Parallelism is the trick of switching between "
           "tasks fast on one core so they look simultaneous. For I/O-bound work you want more "
           "cores, since waiting on the network keeps the CPU busy, and in Python threads will "
           "spread CPU-heavy code over all the cores.")
RIGHT_HALF = ("Concurrency is juggling many tasks that are in progress at once, even interleaved "
              "on a single core. Parallelism is really running them at the same instant on "
              "several cores.")


def test_an_answer_leaning_to_the_mistakes_scores_as_wrong_and_says_so() -> None:
    """Swapped definitions, in the candidate's own words, make no point for certain and lean
    to the points' mistakes (grader.LEANS_WRONG): the rubric's 0-2 (6.4 before), and the
    feedback does not quote the swapped definition back as "you may have touched on
    concurrency…". Half the points said the right way round are not touched."""
    from backend.interviewer.grading.feedback import MISCONCEIVED

    q = default_bank().by_id("concurrency-vs-parallelism")
    assert q is not None
    wrong = grade_turn(q, [SWAPPED])
    assert wrong.covered == [] and wrong.scores.technical <= 2.0
    assert wrong.feedback.startswith(MISCONCEIVED)
    assert "touched on" not in wrong.feedback and wrong.evidence == []
    right = grade_turn(q, [RIGHT_HALF])
    assert right.covered and right.scores.technical >= 4.0
    assert MISCONCEIVED not in right.feedback
