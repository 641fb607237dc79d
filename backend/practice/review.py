"""Spaced review: questions whose points the candidate missed come back in later practice
sessions, at growing intervals, until they are answered well twice in a row.

The rule (Leitner boxes; docs/protocol.md, "Spaced review"):

- A question enters **box 1** when it is answered but not well (or skipped) in an
  interview or as the first attempt at it in a practice session. Box 1 is due in the next
  practice session: any practice session other than the one it was missed in.
- Answered well from box 1, it moves to **box 2**, due 3 days later.
- Answered well from box 2 (the second good answer in a row), it is **learned** and leaves
  the schedule.
- Answered not well in any box, it goes back to box 1.
- Answered well with the hint open, it stays in its box (the hint did part of the work),
  due again after that box's interval.

"Well" means the answer made every key point (none missing or only unclear) and scored at
least 7/10 technical: what the report calls a strong answer. Only unaided answers move the
schedule: an interview's questions, and the first attempt at a question in a practice
session (a retry right after the model answer is shown says little about recall).

The schedule is not stored: it is folded from the answers themselves every time it is read,
so deleting a session or a practice session takes its part of the schedule with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from backend.practice.sources import Answered

WELL_TECHNICAL = 7.0
BOX_INTERVALS = {1: timedelta(0), 2: timedelta(days=3)}  # after the answer that put it there
LEARNED_AFTER = 2  # good answers in a row


@dataclass(frozen=True)
class ReviewItem:
    question: dict[str, Any]
    box: int  # 1 or 2; 0 once learned
    last_at: str  # when it was last answered
    last_source: str  # the interview or practice session that answer was given in
    streak: int  # good answers in a row
    misses: int

    @property
    def question_id(self) -> str:
        return str(self.question.get("id", ""))

    @property
    def learned(self) -> bool:
        return self.box == 0

    def due_at(self) -> datetime:
        return _parse(self.last_at) + BOX_INTERVALS.get(self.box, timedelta(0))

    def is_due(self, now: datetime, practice_id: str | None = None) -> bool:
        """Due in the practice session `practice_id` (None: one starting now)."""
        if self.learned or self.last_source == practice_id:
            return False
        return now >= self.due_at()

    def to_dict(self, now: datetime, practice_id: str | None = None) -> dict[str, Any]:
        q = self.question
        return {"question_id": self.question_id, "question": q.get("text", ""),
                "topic_id": q.get("topic", ""), "topic": q.get("topic_title") or q.get("topic", ""),
                "box": self.box, "misses": self.misses, "good_in_a_row": self.streak,
                "last_answered": self.last_at,
                "due_at": self.due_at().isoformat(timespec="seconds"),
                "due": self.is_due(now, practice_id)}


def answered_well(grade: dict[str, Any]) -> bool:
    scores = grade.get("scores") or {}
    return (str(grade.get("status") or "answered") == "answered"
            and not grade.get("missing")
            and float(scores.get("technical") or 0.0) >= WELL_TECHNICAL)


def counts_for_review(answer: Answered) -> bool:
    """Unaided answers only: interview questions and first practice attempts, on a
    question the bank or the interviewer can ask again (it has key points)."""
    return bool(answer.question_id and answer.question.get("key_points")
                and (answer.kind == "interview" or answer.first))


def step(item: ReviewItem | None, answer: Answered) -> ReviewItem | None:
    """The item after one more answer to its question (None: not on the schedule)."""
    well = answered_well(answer.grade)
    if item is None:
        if well:
            return None  # answered well before it was ever missed: nothing to review
        return ReviewItem(question=answer.question, box=1, last_at=answer.at,
                          last_source=answer.source_id, streak=0, misses=1)
    seen = replace(item, question=answer.question, last_at=answer.at,
                   last_source=answer.source_id)
    if not well:
        return replace(seen, box=1, streak=0, misses=item.misses + 1)
    if answer.hint_used or item.learned:
        return seen
    streak = item.streak + 1
    return replace(seen, box=0 if streak >= LEARNED_AFTER else item.box + 1, streak=streak)


def schedule(answers: Iterable[Answered]) -> dict[str, ReviewItem]:
    """Question id -> its review item, folded over the answers in time order."""
    items: dict[str, ReviewItem] = {}
    for answer in sorted((a for a in answers if counts_for_review(a)), key=lambda a: a.at):
        new = step(items.get(answer.question_id), answer)
        if new is None:
            items.pop(answer.question_id, None)
        else:
            items[answer.question_id] = new
    return items


def due_items(items: dict[str, ReviewItem], now: datetime,
              practice_id: str | None = None) -> list[ReviewItem]:
    """The items due now, the longest-missed first."""
    due = [i for i in items.values() if i.is_due(now, practice_id)]
    return sorted(due, key=lambda i: (i.due_at(), -i.misses, i.question_id))


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _parse(iso: str) -> datetime:
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
