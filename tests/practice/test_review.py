"""The spaced-review rule (backend/practice/review.py): Leitner boxes, folded over answers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from backend.practice.review import (BOX_INTERVALS, answered_well, due_items, schedule)
from backend.practice.sources import Answered

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
QUESTION = {"id": "databases-index-basics", "topic": "databases", "text": "What does an index do?",
            "key_points": [{"point": "B-tree"}, {"point": "writes"}]}
GOOD = {"scores": {"technical": 8.5, "design": 7, "communication": 8}, "covered": ["B-tree", "writes"],
        "missing": [], "status": "answered"}
PARTIAL = {"scores": {"technical": 8.0, "design": 7, "communication": 8}, "covered": ["B-tree"],
           "missing": ["writes"], "status": "answered"}
LOW = {"scores": {"technical": 6.5, "design": 6, "communication": 7}, "covered": ["B-tree", "writes"],
       "missing": [], "status": "answered"}
SKIPPED = {"scores": {"technical": 0, "design": 0, "communication": 0}, "missing": ["B-tree"],
           "status": "skipped"}


def answer(grade, at: datetime, source: str = "p1", kind: str = "practice", first: bool = True,
           hint: bool = False) -> Answered:
    return Answered(kind=kind, source_id=source, at=at.isoformat(), question=QUESTION,  # type: ignore[arg-type]
                    grade=grade, scores=grade["scores"], status=grade["status"], first=first,
                    hint_used=hint)


def test_what_counts_as_answered_well():
    assert answered_well(GOOD)
    assert not answered_well(PARTIAL), "a missing key point is a miss"
    assert not answered_well(LOW), "under 7 technical is a miss"
    assert not answered_well(SKIPPED)
    assert not answered_well({**GOOD, "status": "dont_know"})


def test_a_miss_is_due_in_the_next_practice_session_not_the_one_it_was_missed_in():
    items = schedule([answer(PARTIAL, T0, source="p1")])
    item = items[QUESTION["id"]]
    assert item.box == 1 and item.misses == 1
    assert not item.is_due(T0 + timedelta(minutes=5), practice_id="p1")
    assert item.is_due(T0 + timedelta(minutes=5), practice_id="p2")
    assert item.is_due(T0 + timedelta(minutes=5))  # a session starting now


def test_an_interview_miss_is_due_in_the_first_practice_session():
    items = schedule([answer(SKIPPED, T0, source="interview-1", kind="interview")])
    assert due_items(items, T0, practice_id="p1") == [items[QUESTION["id"]]]


def test_intervals_grow_and_two_good_answers_in_a_row_retire_it():
    missed = answer(PARTIAL, T0, source="p1")
    once = answer(GOOD, T0 + timedelta(days=1), source="p2")
    item = schedule([missed, once])[QUESTION["id"]]
    assert item.box == 2 and item.streak == 1
    assert BOX_INTERVALS[2] > BOX_INTERVALS[1]
    assert not item.is_due(T0 + timedelta(days=3), "p3")
    assert item.is_due(T0 + timedelta(days=1) + BOX_INTERVALS[2], "p3")
    twice = answer(GOOD, T0 + timedelta(days=5), source="p3")
    item = schedule([missed, once, twice])[QUESTION["id"]]
    assert item.learned and not item.is_due(T0 + timedelta(days=90), "p9")


def test_a_miss_sends_it_back_to_box_one():
    steps = [answer(PARTIAL, T0, "p1"), answer(GOOD, T0 + timedelta(days=1), "p2"),
             answer(LOW, T0 + timedelta(days=5), "p3")]
    item = schedule(steps)[QUESTION["id"]]
    assert item.box == 1 and item.streak == 0 and item.misses == 2


def test_retries_and_hinted_answers_do_not_move_it_up():
    steps = [answer(PARTIAL, T0, "p1"),
             answer(GOOD, T0 + timedelta(minutes=2), "p1", first=False),  # a retry
             answer(GOOD, T0 + timedelta(days=1), "p2", hint=True)]
    item = schedule(steps)[QUESTION["id"]]
    assert item.box == 1 and item.streak == 0
    assert item.last_source == "p2" and not item.is_due(T0 + timedelta(days=1), "p2")


def test_a_question_answered_well_first_time_never_enters():
    assert schedule([answer(GOOD, T0)]) == {}
