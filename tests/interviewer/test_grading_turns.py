"""The grader in interview conditions: evidence, follow-ups, non-answers (issue 11).

Real bank questions and the real sentence encoder; every check is what a candidate would
notice if it went wrong: a point credited that was never said, a follow-up answer ignored,
the same feedback twice, a request to skip graded as an answer.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest

from backend.interviewer.bank import default_bank
from backend.interviewer.domain import FollowUp, Question
from backend.interviewer.grading import grade_turn
from backend.interviewer.grading.evidence import lexical_match, phrase_stems
from backend.interviewer.grading.feedback import short_point
from backend.interviewer.grading.nonanswer import classify
from backend.interviewer.grading.spans import Answer
from backend.interviewer.personal import personal_question

BANK = default_bank()
OPTIMISTIC = BANK.by_id("api-design-optimistic-concurrency")
CRAWLER = BANK.by_id("system-design-web-crawler")


@pytest.mark.parametrize("text", [
    "Can we skip this one and move on?", "pass", "next question please", "I'd rather move on",
    "can we come back to this one later?", "Skip.", "I'll pass on this one", "let's move on",
    "Could we skip this one? Message queues aren't really my area.",
    "Can we do a different question? I don't think I'd do it justice.",
    "Can I pass on this? I've never worked with Kubernetes."])
def test_requests_to_skip_are_recognised(text: str) -> None:
    assert classify(text) == "skip"


@pytest.mark.parametrize("text", ["asdf jkl;", "hhhhhhhh", "lorem ipsum dolor sit amet",
                                  "sdfkjh qwpoeiru zmxncb", "!!!???"])
def test_keyboard_mashing_is_recognised(text: str) -> None:
    assert classify(text) == "gibberish"


@pytest.mark.parametrize("text", [
    "Pass the token in an Authorization header and validate it on every request.",
    "Use a lock.", "I don't know.", "Kafka.", "Next, we shard by user id so each node owns a range.",
    "skip lists give O(log n) search", "I think we should move on to using a queue here",
    "Can we skip? I would put a lock around the counter so only one thread updates it.",
    "Could we skip this? I haven't used Kafka, but RabbitMQ acks each message after it is "
    "processed, so a crash means it is delivered again."])
def test_answers_are_never_taken_for_non_answers(text: str) -> None:
    assert classify(text) is None


def test_words_must_stand_together_to_count() -> None:
    """"per host ... a second between requests" does not say "pages per second"."""
    answer = Answer("keep a separate queue per host and wait a second between requests")
    share, _, _ = lexical_match(answer, phrase_stems("per second"), frozenset())
    assert share < 1.0
    share, _, _ = lexical_match(Answer("about 400 pages per second"), phrase_stems("per second"),
                                frozenset())
    assert share == 1.0
    # Nor across a sentence end: the quote read "row. With the skip".
    answer = Answer("All twenty workers queue behind the row lock. Skip that and retry later.")
    assert lexical_match(answer, phrase_stems("lock skip"), frozenset())[0] < 1.0
    answer = Answer("All twenty workers queue behind the row lock, skip that and retry later.")
    assert lexical_match(answer, phrase_stems("lock skip"), frozenset())[0] == 1.0


def test_each_word_of_a_phrasing_needs_its_own_word_in_the_answer() -> None:
    """"end to end" is not said by one "end" ("run to run" was matched by "can run it")."""
    def share(text: str, phrasing: str) -> float:
        return lexical_match(Answer(text), phrase_stems(phrasing), frozenset())[0]

    assert share("Wrap the increment in a lock so one thread at a time can run it",
                 "run to run") < 1.0
    assert share("At the end it worked", "end to end") < 1.0
    assert share("The result changes from run to run", "run to run") == 1.0
    assert share("We test the checkout end to end", "end to end") == 1.0


def test_a_negated_phrasing_is_not_its_opposite() -> None:
    assert phrase_stems("no lock") != phrase_stems("lock")


def test_three_words_make_no_point() -> None:
    g = grade_turn(OPTIMISTIC, ["Use a lock."])
    assert g.covered == [] and g.unclear == []
    assert g.scores.technical <= 3


def test_restating_the_question_earns_nothing() -> None:
    g = grade_turn(OPTIMISTIC, [OPTIMISTIC.text])
    assert g.covered == []
    assert g.scores.technical <= 3.5


def test_the_model_answer_covers_every_point_with_quotes() -> None:
    g = grade_turn(CRAWLER, [CRAWLER.model_answer])
    assert g.missing == [] and g.unclear == []
    assert g.scores.technical >= 8.5
    said = " ".join(CRAWLER.model_answer.split())
    assert {e.point for e in g.evidence} == {k.point for k in CRAWLER.key_points}
    assert all(e.quote in said and e.certain for e in g.evidence)


def test_a_politeness_follow_up_earns_only_politeness() -> None:
    first = grade_turn(CRAWLER, ["I'd have a pool of workers downloading pages and parsing links "
                                 "out of them, then adding the links to a list to fetch later."])
    politeness = next(k for k in CRAWLER.key_points if k.point.startswith("Politeness"))
    asked = FollowUp(politeness.followup, "asked", politeness.point)
    second = grade_turn(CRAWLER, ["I'd have a pool of workers downloading pages and parsing links "
                                  "out of them, then adding the links to a list to fetch later.",
                                  "separate queue per host, wait a second between requests, and "
                                  "respect robots.txt"], [asked], [first])
    new = set(second.covered) - set(first.covered)
    assert new == {politeness.point}, second.covered
    assert "Estimate throughput and storage" not in second.covered


def test_the_context_follow_up_is_graded_on_its_own_words() -> None:
    q = personal_question("Replaced cron polling with webhooks for order status updates", 2)
    main = ("I decided to replace the polling with webhooks from the carriers and I built the "
            "receiver myself. Instead of polling more often, which we considered, we went "
            "push-based. As a result updates arrive in seconds; looking back I'd add load "
            "tests earlier.")
    first = grade_turn(q, [main])
    context = q.key_points[0]
    assert first.missing == [context.point], first  # every other part of the story is there
    assert first.followup is not None and first.followup.key_point == context.point
    asked = FollowUp(context.followup, "asked", context.point)
    second = grade_turn(q, [main, "Before, a cron job polled the carriers every nine minutes, so "
                                  "customers saw stale order status; support tickets doubled and "
                                  "some customers churned."], [asked], [first])
    assert context.point in second.covered and context.point not in second.missing
    assert any(e.point == context.point and e.answer == 1 and "nine minutes" in e.quote
               for e in second.evidence)
    assert second.feedback != first.feedback and "covers" in second.feedback
    assert second.scores.technical >= first.scores.technical


def test_a_follow_up_that_adds_nothing_says_so_and_never_repeats() -> None:
    main = "You'd return a version with each document and the client sends it back."
    first = grade_turn(OPTIMISTIC, [main])
    target = next(k for k in OPTIMISTIC.key_points if k.point in first.missing)
    asked = FollowUp(target.followup, "asked", target.point)
    second = grade_turn(OPTIMISTIC, [main, "I'm not sure, honestly."], [asked], [first])
    assert second.feedback != first.feedback
    assert second.scores.technical == first.scores.technical  # nothing gained, nothing lost
    assert target.point in second.missing + second.unclear


def test_the_same_answer_again_adds_nothing_and_is_told_so() -> None:
    """Seen in a whole interview: "It depends…", "on what, specifically?", the same words again:
    communication rose from 1.4 to 2.4 and the feedback read as if the answer were new."""
    vague = "It depends on a lot of things really, there are trade-offs either way, so it varies."
    first = grade_turn(OPTIMISTIC, [vague])
    assert first.followup is not None
    # as Whisper might hear it the second time: case, punctuation and a word changed
    again = "it depends on lots of things really. There are trade-offs either way so it varies"
    second = grade_turn(OPTIMISTIC, [vague, again], [first.followup], [first])
    assert second.scores == first.scores
    assert second.feedback.startswith("That repeats your earlier answer")
    assert second.feedback != first.feedback
    # a new answer to the same probe is graded as one
    better = ("It depends on how often two users edit the same record: rarely, so I'd send a "
              "version number and reject a stale write.")
    third = grade_turn(OPTIMISTIC, [vague, better], [first.followup], [first])
    assert not third.feedback.startswith("That repeats")


def test_a_phrasing_said_twice_is_quoted_where_it_makes_the_point() -> None:
    """"only the fields" is one stem, "field", first said in the sentence about PUT: quoting
    that sentence for PATCH's partial update then hid PUT itself ("words that make a covered
    point never make another point unclear"), and the feedback asked to add what was said."""
    q = default_bank().by_id("api-design-put-vs-patch")
    assert q is not None
    answer = ("PUT is when you send the whole object, and the server replaces everything, so if "
              "you forget a field, it becomes empty. PATCH you send only what you want to "
              "change, for example only the status field, and the other fields stay like before.")
    g = grade_turn(q, [answer])
    put, patch = q.key_points[0].point, q.key_points[1].point
    assert patch in g.covered and put not in g.missing
    quotes = {e.point: e.quote for e in g.evidence}
    assert quotes[patch].startswith("PATCH you send only")


def test_words_said_negated_are_not_the_point_s_words() -> None:
    """"he wasn't listening" was quoted for "Seeks to understand the other person's reasoning"
    (phrasing "listened"); a point that is itself a negation is still said with one."""
    q = default_bank().by_id("behavioral-technical-disagreement")
    assert q is not None
    point = "Seeks to understand the other person's reasoning"
    negated = "He wanted MongoDB and I wanted Postgres, and I felt he wasn't listening to me."
    assert point not in grade_turn(q, [negated]).covered
    both = negated + " So I sat down with him and asked him why he was so set on Mongo."
    quotes = {e.point: e.quote for e in grade_turn(q, [both]).evidence}
    assert "asked him why" in quotes.get(point, ""), quotes


@pytest.mark.xfail(strict=True, reason="coverage model refitted on 866 dev cases: P 0.58")
def test_a_point_that_is_a_negation_is_said_with_one() -> None:
    """Covered until the coverage model was refitted on round 9 of the judgment set; now
    "unclear" (P 0.58 against 0.85; 0.94 before) and, as the sentence also reads as another point's
    mistake, asked for again ("Cover liveness must not check dependencies"). The encoder
    finds "shouldn't check dependencies" about as close to the point's mistake ("the
    liveness probe should check the database") as to the point."""
    probes = default_bank().by_id("kubernetes-probes")
    assert probes is not None
    said = ("The liveness probe shouldn't check dependencies, or a database blip restarts every "
            "pod at once.")
    assert "Liveness must not check dependencies, or a dependency blip restarts everything" in \
        grade_turn(probes, [said]).covered


def test_an_off_topic_answer_is_called_off_topic() -> None:
    g = grade_turn(OPTIMISTIC, ["Honestly what I care most about is team culture. I go hiking "
                                "on weekends and I'm learning Spanish this year."])
    assert g.status == "off_topic"
    assert g.scores.technical <= 1 and g.missing == [] and g.covered == []
    assert "doesn't address the question" in g.feedback
    assert g.followup is None
    ci = next(q for q in BANK.questions if q.topic_title == "CI/CD and testing")
    hiking = grade_turn(ci, ["On weekends I go hiking, and this year I started learning Spanish."])
    assert "what you know about CI/CD and testing:" in hiking.feedback  # not "cI/CD"


def test_everyday_words_shared_with_the_question_do_not_make_an_answer_on_topic() -> None:
    # Seen in a whole QA interview: "team" and "start" are words of the question too, and the
    # answer was graded, listed five missed points and got two follow-ups.
    untested = BANK.by_id("cicd-testing-untested-service")
    assert untested is not None and "team" in untested.text and "start" in untested.text
    g = grade_turn(untested, ["Honestly what I care most about is team culture. On weekends I "
                              "go hiking, and this year I started learning Spanish."])
    assert g.status == "off_topic" and g.missing == [] and g.followup is None


def test_a_story_about_another_project_is_called_off_topic() -> None:
    """Every part of a story is there, about a project the question did not ask about."""
    q = personal_question("Repartitioned a 2 TB MySQL orders table with no downtime", 2)
    other = ("Could I tell you about the billing rewrite instead? I know that one better. The "
             "invoices took six hours to generate, so I rewrote the job in Go instead of tuning "
             "the old Perl, and it went from six hours to twenty minutes. Next time I'd load test "
             "it earlier.")
    g = grade_turn(q, [other])
    assert g.status == "off_topic" and g.scores.technical <= 2.0
    assert g.missing == [] and g.covered == []
    assert "different project" in g.feedback
    told = ("The orders table had grown to 2 TB and the nightly reports took 40 minutes. I "
            "decided to repartition it by month, copying rows in batches instead of buying a "
            "bigger machine, and the reports went from 40 to 6 minutes.")
    assert grade_turn(q, [told]).status != "off_topic"


def test_a_textbook_answer_to_a_question_about_own_work_is_called_off_topic() -> None:
    q = personal_question("Built a GraphQL gateway in front of our 14 internal REST services", 2)
    textbook = ("GraphQL is basically a query language for APIs. The client sends a query with "
                "exactly the fields it needs, and the server resolves each field, so there is no "
                "over-fetching and one round trip is enough.")
    g = grade_turn(q, [textbook])
    assert g.status == "off_topic" and g.scores.technical <= 2.0 and g.missing == []
    assert "in general" in g.feedback and "your own project" in g.feedback
    notes = ("- gateway in front of 14 REST services, rolled out over 2 quarters\n"
             "- build vs buy: Apollo's hosted router was $90k a year -> rejected, self-hosted\n"
             "- p95 of the mobile home screen 1.9 s -> 700 ms")
    assert grade_turn(q, [notes]).status != "off_topic"


def test_a_sentence_holding_two_points_leaves_the_second_unclear_not_missed() -> None:
    """A Whisper transcript from CI: the sentence that covers "protect the critical section
    with a mutex" also holds all the words of a phrasing of the volatile point. Before, the
    volatile point, unclear in that shared sentence, was dropped as missed."""
    q = default_bank().by_id("concurrency-race-condition-mutex")
    heard = ("The increment is a re-modifier-write that is not atomic, so two threads "
             "interleaving updates are lost. That is a race condition. I would protect the "
             "critical section with a mutex, or use an atomic fetch and add, and volatile alone "
             "only gives visibility.")
    g = grade_turn(q, [heard])
    assert "Protect the critical section with a mutex" in g.covered
    assert "volatile gives visibility but not atomicity" in g.covered + g.unclear


def test_grading_is_deterministic() -> None:
    answer = "An ETag per document, sent back with If-Match; a stale one gets 412 Precondition Failed."
    a = grade_turn(OPTIMISTIC, [answer])
    b = grade_turn(OPTIMISTIC, [answer])
    assert a.to_dict() == b.to_dict()


def test_without_the_sentence_encoder_the_lexical_grader_still_judges() -> None:
    """The lexical fallback (no encoder) still finds the model answer's points and refuses a
    three-word answer, in a fresh interpreter with the encoder switched off."""
    code = (
        "from backend.interviewer.bank import default_bank\n"
        "from backend.interviewer.grading import grade_turn\n"
        "from backend.interviewer.grading.encoder import get_encoder\n"
        "assert get_encoder() is None\n"
        "q = default_bank().by_id('system-design-web-crawler')\n"
        "g = grade_turn(q, [q.model_answer])\n"
        "assert g.scores.technical >= 8.5 and len(g.covered) >= len(q.key_points) - 1, g\n"
        "g = grade_turn(q, ['Use a queue.'])\n"
        "assert g.covered == [] and g.scores.technical <= 3, g\n")
    env = {**os.environ, "REHEARSE_NO_ENCODER": "1"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)


def test_stemming_is_safe_from_many_threads_at_once():
    """Answers are graded on a thread pool; a shared Snowball stemmer raised IndexError
    when two answers were stemmed at once."""
    from concurrent.futures import ThreadPoolExecutor

    from backend.interviewer.grading.text import stem

    words = [f"{w}{suffix}" for w in ("partition", "replicat", "normaliz", "consist", "organiz")
             for suffix in ("ation", "ational", "ingly", "ements", "fulness", "iveness")]
    expected = [stem(w) for w in words]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: [stem(w) for w in words * 50], range(32)))
    assert all(r == expected * 50 for r in results)


def test_the_example_for_a_missing_story_part_is_that_part_s_own_sentence():
    """The personal model answer's "your part" sentence says "distinct" (a synonym of
    "differently"); the example for "what you learned" must still be the learned sentence."""
    from backend.interviewer.grading.feedback import how_to_add
    from backend.interviewer.personal import personal_question

    question = personal_question("Cut CI time from 40 to 12 minutes with test sharding", 1)
    examples = [how_to_add(question, point).split("\u201c", 1)[-1]
                for point in question.key_points]
    assert len(set(examples)) == len(examples), examples
    learned = next(p for p in question.key_points if "learned" in p.point)
    assert "learned" in how_to_add(question, learned).split("\u201c", 1)[-1]


def test_career_history_for_a_project_question_is_off_topic() -> None:
    q = personal_question("Cut the nightly ETL from six hours to forty minutes", 1)
    grade = grade_turn(q, ["Before that I was at a bank doing backend work in Java, mostly "
                           "payment APIs. I moved into data engineering because I'd always "
                           "liked databases, and I did a part-time master's in the evenings."])
    assert grade.status == "off_topic", grade
    assert grade.covered == [] and grade.scores.technical <= 2


def test_a_follow_up_that_misses_the_asked_point_names_it_once() -> None:
    from backend.interviewer.grading.feedback import short_point

    main = ("I'd have a pool of workers downloading pages and parsing links out of them, then "
            "adding the links to a list to fetch later.")
    first = grade_turn(CRAWLER, [main])
    politeness = next(k for k in CRAWLER.key_points if k.point.startswith("Politeness"))
    asked = FollowUp(politeness.followup, "asked", politeness.point)
    second = grade_turn(CRAWLER, [main, "Hmm, I would make the workers faster, I think."],
                        [asked], [first])
    assert politeness.point not in second.covered
    named = short_point(politeness.point)
    assert second.feedback.count(named) == 1, second.feedback
    assert "did not yet say" in second.feedback


def _without(question: Question, sentences: str) -> Question:
    """The question with its key points' ``says`` or ``mistakes`` left out."""
    return dataclasses.replace(question, key_points=tuple(
        dataclasses.replace(k, **{sentences: ()}) for k in question.key_points))


def test_a_point_said_in_plain_words_is_heard_through_its_example_sentences() -> None:
    """Everyday words ("flip the heart ... before the request comes back") are far from the
    point's own text; the point's ``says`` sentences bring them close."""
    from backend.interviewer.grading.encoder import get_encoder

    assert get_encoder() is not None, "the sentence encoder wheel is a test dependency"
    question = BANK.by_id("frontend-optimistic-updates")
    bare = _without(question, "says")
    answer = ("The moment they tap, I fill in the heart and add one to the count, without "
              "waiting for the backend to answer.")
    point = question.key_points[0].point
    heard = grade_turn(question, [answer])
    assert heard.status == "answered"  # was called off-topic: nothing in it was recognised
    assert point in heard.covered + heard.unclear
    assert heard.point_probabilities[point] > grade_turn(bare, [answer]).point_probabilities[
        point] + 0.3


def test_an_answer_in_a_mistake_s_words_shares_more_of_it_than_of_the_point() -> None:
    """``mistake_words``: the share of one ``mistakes`` sentence's own words the answer uses.
    Swapped definitions share more of the point's mistake than of its ``says``, and the
    point is less likely made than when it is said the right way round."""
    from backend.interviewer.grading.evidence import mistake_words, says_words
    from backend.interviewer.grading.text import content_words, stems, words

    question = BANK.by_id("concurrency-vs-parallelism")
    assert question is not None
    point = question.key_points[0]  # concurrency: tasks in progress, interleaved on one core
    q_stems = frozenset(stems(content_words(words(question.text))))
    swapped = "Concurrency is when tasks execute at exactly the same time on several cores."
    right = ("Concurrency is juggling many tasks that are all in progress, switching between "
             "them even when a single core runs only one at any moment.")
    wrong_way, right_way = Answer(swapped), Answer(right)
    assert mistake_words(wrong_way, point, q_stems) > says_words(wrong_way, point, q_stems)
    # (a bag of words: "a single core" is in the second mistake too, "You can't have
    # concurrency on a single core", so the right way round shares as much of it)
    assert mistake_words(right_way, point, q_stems) <= says_words(right_way, point, q_stems)
    assert mistake_words(right_way, dataclasses.replace(point, mistakes=()), q_stems) is None
    # and the point is far less likely made said the wrong way round
    probability = {text: grade_turn(question, [text]).point_probabilities[point.point]
                   for text in (swapped, right)}
    assert probability[swapped] < 0.5 < 0.9 < probability[right]


def test_an_answer_leaning_to_the_mistakes_throughout_is_not_credited_with_its_points(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``answer_lean``: the mean over the key points of ``says_words`` minus
    ``mistake_words``. An answer with every definition swapped (the judgment set's case)
    shares more of the mistakes than of the ``says`` throughout; the coverage models (fitted
    on the judgment set's dev split) count that against each of its points, with the encoder
    and without, and the model answer keeps all of its points."""
    from backend.interviewer.grading import evidence
    from backend.interviewer.grading.evidence import (answer_lean, load_coverage_model,
                                                      mistake_words, says_words)
    from backend.interviewer.grading.text import content_words, stems, words

    question = BANK.by_id("concurrency-vs-parallelism")
    assert question is not None
    q_stems = frozenset(stems(content_words(words(question.text))))
    swapped = ("Concurrency is when tasks execute at exactly the same time on several cores, "
               "and parallelism is when one core switches between tasks really fast so it only "
               "looks simultaneous. That's why for I/O-bound work you want more cores: waiting "
               "on the network still burns CPU, so you need to spread it out. For CPU-bound "
               "work async is the best choice because you avoid the overhead of threads. In "
               "Python this is easy since threads run on all cores at once, so the GIL isn't "
               "an issue for number crunching.")

    def lean(text: str, points: tuple = question.key_points) -> float | None:
        answer = Answer(text)
        return answer_lean(points, [says_words(answer, k, q_stems) for k in points],
                           [mistake_words(answer, k, q_stems) for k in points])

    assert lean(swapped) < lean(question.model_answer) - 0.1
    assert lean(swapped, tuple(dataclasses.replace(k, mistakes=())
                               for k in question.key_points)) is None
    for semantic in (True, False):
        model = load_coverage_model(semantic)
        assert dict(zip(model.features, model.weights, strict=True))["answer_lean"] > 0
    graded, model_answer = (grade_turn(question, [t]) for t in (swapped, question.model_answer))
    # The same answers with the signal at its dev mean (as for a point without mistakes):
    # measured, 3 of the swapped answer's 4 points covered (9.2) against 1 with it (7.9).
    monkeypatch.setattr(evidence, "answer_lean", lambda *args: None)
    unleaned = grade_turn(question, [swapped])
    assert len(graded.covered) < len(unleaned.covered)
    assert all(graded.point_probabilities[p] <= unleaned.point_probabilities[p] + 1e-9
               for p in graded.point_probabilities)
    assert graded.scores.technical < unleaned.scores.technical
    assert len(model_answer.covered) == len(question.key_points)


def test_the_words_of_an_example_sentence_count_but_not_the_question_s_own() -> None:
    """``says_words``: the share of one ``says`` sentence's own words the answer uses; words
    the question already uses are not the candidate's evidence. None without ``says``."""
    from backend.interviewer.grading.evidence import says_words
    from backend.interviewer.grading.text import content_words, stems, words

    question = BANK.by_id("transactions-skip-locked-queue")
    point = question.key_points[3]  # long jobs: a lease and a heartbeat
    q_stems = frozenset(stems(content_words(words(question.text))))
    plain = Answer("For a long job I mark the row as running with an expiry time and keep "
                   "extending it while the worker is alive; once it expires another worker "
                   "can pick it up again.")
    echo = Answer("Twenty workers poll the job queue concurrently in PostgreSQL.")
    assert says_words(plain, point, q_stems) >= 0.5
    assert says_words(echo, point, q_stems) < 0.2
    assert says_words(plain, dataclasses.replace(point, says=()), q_stems) is None
    # and the grade hears it: a plain answer about leases is credited, not missed
    assert point.point in grade_turn(question, [plain.text]).covered


def test_not_sure_said_in_passing_is_not_an_answer_of_i_dont_know() -> None:
    from backend.interviewer.grading.style import read_style

    def admits(text: str) -> bool:
        a = Answer(text)
        return read_style(text, a.content_count, len(a.tokens)).dont_know

    assert admits("I'm not sure, honestly. I'd guess one of them lets the compiler optimise "
                  "better, but I couldn't say how.")
    assert admits("Readiness takes it out of rotation. Startup, I don't remember.")
    assert not admits(
        "so readiness is whether the pod should get traffic if it fails kubernetes takes it "
        "out of rotation so no requests go to it but it isn't killed and liveness is if the "
        "app is hung if that fails kubernetes kills the container and starts a fresh one and "
        "startup i think is for um i don't remember exactly")


@pytest.mark.parametrize(("question_id", "index"), [
    ("data-engineering-lakehouse-table-formats", 0), ("mobile-memory-leaks", 1)])
def test_a_point_whose_mistake_is_said_outright_earns_what_an_unsaid_point_earns(
        question_id: str, index: int) -> None:
    """A sentence that says a point's mistake ("ARC handles retain cycles automatically, so
    you never need weak references") is not worth a quarter of the point: answers made of
    the points' first mistakes scored 3.1 on average when it was. The point is not covered,
    and the feedback asks for it ("Cover ..."), with no quote of the wrong sentence."""
    question = BANK.by_id(question_id)
    assert question is not None
    point = question.key_points[index]
    g = grade_turn(question, [point.mistakes[0]])
    assert point.point not in g.covered
    assert g.point_probabilities[point.point] <= 0.05
    assert f"Cover {short_point(point.point)}" in g.improvements, g.improvements
    assert all(e.point != point.point or not e.quote for e in g.evidence)


def test_a_point_s_mistake_said_word_for_word_is_not_credited_by_another_sentence() -> None:
    """"Templates and shared libraries don't help, teams should build everything from
    scratch" is the paved-road point's own mistake, yet it was credited (and quoted) because
    another sentence of the answer, about neither, was farther from the mistake than from the
    point. The answer says only mistakes: no point of it is covered."""
    question = BANK.by_id("api-design-governance")
    assert question is not None
    wrong = " ".join(k.mistakes[0] for k in question.key_points)
    g = grade_turn(question, [wrong])
    assert g.covered == [] and g.scores.technical <= 2.0, (g.covered, g.scores)


def test_a_phrasing_inside_a_sentence_that_says_the_mistake_is_not_the_phrasing_said() -> None:
    """"Communication overhead doesn't matter, any GPUs over ordinary Ethernet scale
    linearly" holds the phrasing "communication overhead" and says the point's mistake; it
    was quoted as covering "Communication overhead and interconnect determine the choice"
    (another sentence of the answer was close to the point and far from the mistake)."""
    question = BANK.by_id("ml-engineering-distributed-training")
    assert question is not None
    wrong = " ".join(k.mistakes[0] for k in question.key_points)
    g = grade_turn(question, [wrong])
    mistakes = {k.mistakes[0].rstrip(".") for k in question.key_points}
    assert g.covered == [], g.covered
    assert not any(e.quote in mistakes for e in g.evidence), g.evidence
    assert "touched on" not in g.feedback


def test_a_point_said_the_wrong_way_round_is_not_credited() -> None:
    """The words of "write-heavy ingestion favours LSM" are all there, swapped: the sentence
    is closer to one of the point's ``mistakes`` than to the point, so the phrasing match
    alone no longer credits it."""
    question = BANK.by_id("databases-btree-vs-lsm")
    without_mistakes = _without(question, "mistakes")
    swapped = ("B-trees are the better fit when you ingest lots of writes, like logging, and "
               "LSM trees win for read-heavy transactional work.")
    point = question.key_points[4].point
    assert point.startswith("Write-heavy ingestion favours LSM")
    assert point in grade_turn(without_mistakes, [swapped]).covered
    assert point not in grade_turn(question, [swapped]).covered
    right = ("LSM trees suit write-heavy ingestion like logging, and B-trees suit read-heavy "
             "transactional work.")
    assert point in grade_turn(question, [right]).covered


def test_a_sentence_that_makes_one_point_is_not_quoted_for_another() -> None:
    """Seen in the window: "long jobs (not clearly) — You said: 'For short jobs I keep the
    transaction open…'". Words that make one point do not half-make another: the other point
    is not even unclear."""
    question = BANK.by_id("transactions-skip-locked-queue")
    first = ("Without care, two workers see the same pending row and both run it, and if I just "
             "lock it, all twenty wait on that row.")
    asked = question.key_points[2]
    assert asked.point.startswith("Short jobs")
    reply = ("For short jobs I keep the transaction open until the job finishes, so a dead "
             "worker's transaction rolls back and the job is available again.")
    g1 = grade_turn(question, [first])
    g2 = grade_turn(question, [first, reply], [FollowUp(asked.followup, "asked", asked.point)],
                    [g1])
    assert asked.point in g2.covered
    long_jobs = question.key_points[3].point
    assert long_jobs.startswith("Long jobs") and long_jobs not in g2.covered + g2.unclear
    quoted = [e for e in g2.evidence if e.quote.startswith("For short jobs")]
    assert [e.point for e in quoted] == [asked.point]
    assert all(e.quote for e in g2.evidence)
    # what stays unclear is said so, without the other point's words
    for point in g2.unclear:
        assert all(e.point != point or not e.quote.startswith("For short jobs")
                   for e in g2.evidence)
    g3 = grade_turn(question, [first, reply, "I'm not sure about the rest."],
                    [FollowUp(asked.followup, "asked", asked.point),
                     FollowUp("Anything else?", "asked", question.key_points[3].point)], [g1, g2])
    assert set(g2.unclear) <= set(g3.unclear) | set(g3.covered), "unclear stays unclear"


def test_a_follow_up_answer_that_makes_no_point_leaves_the_scores_as_they_were() -> None:
    """Seen in the window: a follow-up on the crash case answered with a story about another
    project (numbers, a tradeoff) raised design from 3.4 to 6.7 and communication to 10."""
    question = BANK.by_id("transactions-skip-locked-queue")
    first = ("Without care, two workers see the same pending row and both run it. I claim "
             "jobs with SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1, so each worker skips rows "
             "locked by others and never blocks.")
    asked = question.key_points[2]
    elsewhere = ("Before that, a cron job polled every nine minutes, so customers saw stale "
                 "data and support tickets doubled in a quarter. I designed the new service "
                 "myself and moved the jobs onto it one at a time instead of a big-bang "
                 "rewrite. As a result failures dropped by 70 percent.")
    g1 = grade_turn(question, [first])
    g2 = grade_turn(question, [first, elsewhere],
                    [FollowUp(asked.followup, "asked", asked.point)], [g1])
    assert g2.covered == g1.covered and asked.point in g2.missing
    assert g2.scores == g1.scores


@pytest.mark.parametrize(("point", "inside"), [
    ("A blocking call stalls the entire loop", "a blocking call stalls the entire loop"),
    ("Optimistic checks a version", "optimistic checks a version"),
    ("TCP gives reliable delivery", "TCP gives reliable delivery"),
    ("CPU-bound work needs processes.", "CPU-bound work needs processes"),
    ("JavaScript runs on a single thread", "JavaScript runs on a single thread"),
    ("B-trees update pages in place", "B-trees update pages in place"),
    ("Single-GPU savings: mixed precision", "single-GPU savings: mixed precision"),
    ("Cache-Control max-age sets how long", "Cache-Control max-age sets how long"),
    ("Read-your-writes means a user sees their writes",
     "read-your-writes means a user sees their writes"),
    ("Seeks to understand the other person's reasoning",
     "seeking to understand the other person's reasoning"),
    ("Understands the underlying goal and offers an alternative",
     "understanding the underlying goal and offering an alternative"),
    ("Clearly separates personal contribution from the team's",
     "clearly separating personal contribution from the team's"),
    ("Steps and compensations must be idempotent", "steps and compensations must be idempotent"),
])
def test_a_point_reads_as_part_of_a_sentence(point: str, inside: str) -> None:
    """"You may have touched on A blocking call…", "that covers seeks to understand…" and
    "that covers javaScript runs…" were seen in the feedback."""
    from backend.interviewer.grading.feedback import short_point

    assert short_point(point) == inside


def test_a_short_clause_is_quoted_with_the_clause_that_says_what_it_is_about() -> None:
    """"You said 'a row or a column'" reads as nothing: a long sentence is read clause by
    clause, and a phrasing ("a row or a column") can fill a clause of its own. The quote is
    widened with its neighbour until it reads alone; a short whole sentence stays short."""
    q = BANK.by_id("frontend-flexbox-grid")
    assert q is not None
    quotes = {e.point: e.quote for e in grade_turn(q, [q.model_answer]).evidence}
    assert quotes["Flexbox is one-dimensional and driven by the content"].startswith(
        "Flexbox lays items out in one dimension, a row or a column")
    answer = Answer("That's a poison pill. I'd move it to a dead-letter queue after three "
                    "tries, with the error attached, and alert on the queue's depth.")
    assert answer.quote(*answer.readable_range(0, 2)) == "That's a poison pill"


def test_a_follow_up_answer_that_answers_what_was_asked_covers_that_point() -> None:
    # A follow-up answer is about the point it was asked for: words this close to it state it
    # (ASKED_COVERED_AT). It was left "unclear", and the feedback asked for it again.
    levels = BANK.by_id("incident-response-severity-levels")
    assert levels is not None
    unsure = next(k for k in levels.key_points if k.point.startswith("When in doubt"))
    first = ("I'd have four levels and define each by how many customers are affected and what "
             "they can't do. Sev 1: payments or sign-in broken for most users, or data exposed. "
             "Sev 2: a major feature broken. Sev 3: minor issue with a workaround.")
    reply = ("Go with the more severe one. If you overestimate, it's cheap to step it down after "
             "ten minutes; if you underestimate, you lose an hour before the incident gets the "
             "attention it needs. And the level isn't fixed: as you learn more about the impact, "
             "you raise or lower it.")
    before = grade_turn(levels, [first])
    assert unsure.point in before.missing
    after = grade_turn(levels, [first, reply], [FollowUp(unsure.followup, "asked", unsure.point)],
                       [before])
    assert unsure.point in after.covered
    assert unsure.point not in grade_turn(levels, [reply]).covered  # not asked: only unclear


def test_a_phrasing_on_the_wrong_files_does_not_cover_the_point() -> None:
    # "a one-year max-age on all of it" has the phrasing's words, said of files without a hash
    # in their names: the point (hashed assets get a long max-age) is not made.
    cdn = BANK.by_id("caching-cdn-assets")
    assert cdn is not None
    g = grade_turn(cdn, ["Easiest setup: keep stable names, app.js, app.css, index.html, and put "
                         "a one-year max-age on all of it at CloudFront so everything is served "
                         "from the edge. Then on each release the pipeline calls "
                         "create-invalidation for /* and the CDN fetches the new files."])
    assert "Hashed assets get a long max-age with immutable" not in g.covered


@pytest.mark.parametrize("text", [
    "I had that backwards. A no is certain, a yes is not.",
    "hm no i mixed those two up the hold comes first and the money moves at capture",
    "Sorry, let me take that back: the offset only moves forward.",
    "Scratch that, the old generation is what pauses for long.",
    "Actually, no. The yes is the unreliable one.",
    "Hmm, no, it's the other way round: capture moves the money.",
    "i said it the wrong way round before the bits are never cleared",
    "Okay, I was a bit quick there. The user has to consent first.",
])
def test_an_answer_that_takes_back_an_earlier_claim_is_recognised(text: str) -> None:
    from backend.interviewer.grading.retraction import retracts_earlier

    assert retracts_earlier(text)


@pytest.mark.parametrize("text", [
    "Actually no one runs that in production any more.",
    "No, push does not guarantee delivery, so the app fetches on open.",
    "We had the replicas the wrong way round in staging, so reads went to the primary.",
    "Wait, no more than three retries, then it goes to the dead-letter topic.",
    "The answer is wrong when the cache is stale, so I'd delete the key after the write.",
])
def test_other_answers_do_not_take_anything_back(text: str) -> None:
    from backend.interviewer.grading.retraction import retracts_earlier

    assert not retracts_earlier(text)


def test_a_claim_taken_back_in_a_follow_up_costs_a_little_once() -> None:
    # The corrected point counts, and the first claim still costs what the rubric takes off a
    # confident wrong claim beside right ones (RETRACTION_COST), with a sentence that says so.
    from backend.interviewer.grading.feedback import CORRECTED
    from backend.interviewer.grading.grader import RETRACTION_COST

    bloom = BANK.by_id("data-structures-bloom-filter")
    assert bloom is not None
    errors = next(k for k in bloom.key_points if k.point.startswith("False positives"))
    first = ("It's a bit array with a few hash functions, and inserting sets a bit per hash. "
             "The catch is false negatives: it can tell you an item is missing when you did "
             "add it. But a yes is always right.")
    right = ("Inserting only ever sets bits, so the bits of an added item stay set and a no "
             "is certain. A yes can be wrong, because other items may have set all its bits.")
    more = "You tune the error rate with the bits per item and the number of hashes."
    asked = [FollowUp(errors.followup, "asked", errors.point)]
    g1 = grade_turn(bloom, [first])
    plain = grade_turn(bloom, [first, right], asked, [g1])
    taken_back = grade_turn(bloom, [first, "I had that backwards. " + right], asked, [g1])
    assert errors.point in plain.covered and errors.point in taken_back.covered
    assert taken_back.scores.technical == pytest.approx(
        max(plain.scores.technical - RETRACTION_COST, 0.0), abs=0.3)
    assert CORRECTED in taken_back.feedback and CORRECTED not in plain.feedback
    # A later follow-up adds its point; the cost stays, and is not taken twice.
    nxt = [*asked, FollowUp("And the error rate?", "asked", "")]
    plain3 = grade_turn(bloom, [first, right, more], nxt, [g1, plain])
    taken3 = grade_turn(bloom, [first, "I had that backwards. " + right, more], nxt,
                        [g1, taken_back])
    assert plain3.scores.technical - RETRACTION_COST - 0.3 <= taken3.scores.technical \
        <= plain3.scores.technical - RETRACTION_COST + 0.3
    assert CORRECTED not in taken3.feedback


def test_a_mistake_told_as_part_of_a_story_costs_nothing() -> None:
    # "I got that wrong at first" in a story about the candidate's own work is what happened,
    # not a claim taken back.
    question = personal_question("Led the migration of nightly billing jobs to a queue", 1)
    first = ("I designed the new service myself and moved the jobs onto it one at a time "
             "instead of a big-bang rewrite.")
    result = next(k for k in question.key_points if k.point.startswith("a concrete"))
    reply = ("I got that wrong at first: we shipped without a metric. Once we added one, "
             "failed runs dropped from about 40 a month to 3.")
    g1 = grade_turn(question, [first])
    g2 = grade_turn(question, [first, reply], [FollowUp(result.followup, "asked", result.point)],
                    [g1])
    from backend.interviewer.grading.feedback import CORRECTED

    assert result.point in g2.covered and CORRECTED not in g2.feedback
    assert g2.scores.technical > g1.scores.technical


def test_no_after_a_yes_or_no_question_is_an_answer_not_a_retraction() -> None:
    from backend.interviewer.grading.retraction import retracts_earlier

    reply = "Hm, no, PATCH is not safe to retry unless it is idempotent."
    assert not retracts_earlier(reply, "Is PATCH safe to retry, and what about two clients?")
    assert retracts_earlier(reply, "Why does the retry matter here?")
    assert retracts_earlier("I had that backwards: it is not safe.", "Is PATCH safe to retry?")


def test_nothing_is_taken_back_after_an_answer_that_claimed_nothing() -> None:
    from backend.interviewer.grading.feedback import CORRECTED

    bloom = BANK.by_id("data-structures-bloom-filter")
    assert bloom is not None
    vague = "It depends on a lot of things really, there are trade-offs either way."
    right = ("It's a bit array with a few hash functions. A no is certain, but a yes can be "
             "wrong, because other items may have set all the bits.")
    g1 = grade_turn(bloom, [vague])
    probe = [FollowUp("You said it depends \u2014 on what, specifically?", "vague", "")]
    plain = grade_turn(bloom, [vague, right], probe, [g1])
    taken_back = grade_turn(bloom, [vague, "Hm, no, let me be specific. " + right], probe, [g1])
    assert CORRECTED not in taken_back.feedback
    assert taken_back.scores.technical == pytest.approx(plain.scores.technical, abs=0.3)


def test_an_answer_about_a_neighbouring_subject_is_called_off_topic() -> None:
    # Metrics for a question on logs: the words are close, the subject is another question of
    # the bank. Read against this question alone it looked like a weak answer, and its
    # feedback listed the points it "missed".
    from backend.interviewer.grading.neighbours import OtherQuestions

    logging = BANK.by_id("observability-structured-logging")
    assert logging is not None
    others = OtherQuestions(BANK.questions)
    metrics = ("I would expose counters and histograms on a metrics endpoint and have Prometheus "
               "scrape them every fifteen seconds. Then Grafana dashboards show the request rate, "
               "the error rate and the p99 latency, and Alertmanager pages us when the error "
               "budget burns too fast.")
    assert grade_turn(logging, [metrics]).status == "answered"
    g = grade_turn(logging, [metrics], others=others)
    assert g.status == "off_topic" and g.missing == [] and g.scores.technical <= 2
    assert "doesn't address the question" in g.feedback
    vague = ("Logs should be useful, so you log the important things in a consistent way and "
             "not too much, it depends on the service really.")
    assert grade_turn(logging, [vague], others=others).status != "off_topic"
    # The interviewer grades with its bank's questions.
    from backend.interviewer.builtin import BuiltinInterviewer
    from backend.interviewer.domain import InterviewContext, ResumeAnalysis

    context = InterviewContext(role="SRE", job_description="", resume_text="",
                               analysis=ResumeAnalysis("mid", 3, [], [], [], []),
                               turns=[], max_questions=8, time_remaining_s=1800)
    assert BuiltinInterviewer(BANK).grade(logging, metrics, context).status == "off_topic"
