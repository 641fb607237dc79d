"""Which questions a practice session asks, in order.

1. Questions due for review (``review.py``) come first: all of them when no topic is
   picked, those on the picked topic otherwise.
2. Then new questions from the bank: on the picked topic; else on the weak topics
   (``progress.topic_summary``, weakest first, taken in turn); else (no weak topic yet) on
   the core topics of the role last practised for. Questions the candidate has already
   answered come only when a topic has no other left. The difficulty is the one an
   interview starts at for the candidate's level (``planning.start_difficulty``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from backend.interviewer.bank import QuestionBank
from backend.interviewer.planning import ROLE_CORE_TOPICS, choose_from_bank, start_difficulty
from backend.practice.review import ReviewItem

# Topics a practice session cannot draw new questions from: questions on the candidate's
# own resume lines are written per interview, not kept in the bank.
NOT_PRACTISABLE = frozenset({"experience"})


@dataclass(frozen=True)
class Chosen:
    question: dict[str, Any]
    review: bool  # brought back by the review schedule


def practisable_topics(bank: QuestionBank) -> list[str]:
    return [t for t in bank.topics if t not in NOT_PRACTISABLE and bank.in_topic(t)]


def choose_questions(bank: QuestionBank, *, count: int, topic: str | None,
                     weak_topics: Iterable[str], due: Iterable[ReviewItem], seniority: str,
                     role_family: str, seen_ids: Iterable[str], seed: str) -> list[Chosen]:
    chosen: list[Chosen] = []
    for item in due:
        if len(chosen) >= count:
            break
        if topic is None or item.question.get("topic") == topic:
            chosen.append(Chosen(item.question, review=True))
    if topic is not None:
        topics = [topic]
    else:
        topics = [t for t in weak_topics if t not in NOT_PRACTISABLE and bank.in_topic(t)]
        if not topics:
            core = ROLE_CORE_TOPICS.get(role_family, ROLE_CORE_TOPICS["general"])
            topics = [t for t in core if bank.in_topic(t)]
    taken = {str(c.question.get("id")) for c in chosen}
    seen = set(seen_ids)
    difficulty = start_difficulty(seniority)
    exhausted: set[str] = set()
    turn = 0
    while len(chosen) < count and topics and len(exhausted) < len(topics):
        t = topics[turn % len(topics)]
        turn += 1
        if t in exhausted:
            continue
        q = (choose_from_bank(bank, t, difficulty, seniority, role_family, taken | seen,
                              seed + str(turn))
             or choose_from_bank(bank, t, difficulty, seniority, role_family, taken,
                                 seed + str(turn)))
        if q is None:
            exhausted.add(t)
            continue
        taken.add(q.id)
        chosen.append(Chosen(q.to_dict(), review=False))
    return chosen
