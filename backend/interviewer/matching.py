"""Which bank questions are about a requirement of the job.

A question is scored against a requirement (one line of the posting) by what they
share, each shared thing weighted by how rare it is in the bank (inverse document
frequency), so "ledger" counts for much and "design" for little:

    skills   the requirement's skills (assets/skills.toml) among the question's: its
             ``skills`` tags when the bank has them, else the skills its text names,
             with what they imply (a question on isolation levels is on transactions)
    terms    word stems the requirement shares with the question's text, what it tests
             ("This tests ...") and its topic's title; never its key points, which
             mention neighbouring ideas in passing

A question is *on* a requirement when its score reaches ON_REQUIREMENT (or, for a
requirement that names little the bank knows, most of what it could score) and ON_SHARE
of what the requirement could score at most (all its skills and terms shared): one rare
shared skill or term can be enough, a few common words are not.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from backend.interviewer.analysis.taxonomy import Taxonomy, load_taxonomy
from backend.interviewer.bank import QuestionBank
from backend.interviewer.domain import Question
from backend.interviewer.grading.text import STOPWORDS, stem, words

ON_REQUIREMENT = 5.0
ON_SHARE = 0.3
ALONE_SHARE = 0.75
TERM_FACTOR = 0.8   # a shared word counts a little less than a shared skill of equal rarity
HEAD_EXTRA = 1.0    # a word of the requirement's head counts twice
STEM_CHARS = 7      # "idempotent" and "idempotency" share "idempot"

# Words a job posting uses for everything: never evidence that a question is on a line.
GENERIC = frozenset("""
experience experienced knowledge understanding strong solid deep proven years year ability
able familiarity familiar working work works build building built design designing designed
production services service systems system team teams engineer engineers engineering
software develop developing development skills skill good great excellent hands plus bonus
nice must need needs required requirement requirements including include includes expect
expected comfortable professional practical real world modern best practice practices
environment environments project projects product products company customers customer users
user across within large small scale new high low level levels fundamentals solid run
running own owning write writing wrote writes ship shipping shipped day every per based
tools tool using use etc like e g ie eg you we our us they their will would should can
someone who help helps time times know understand apply applications application apps app
make sure right always never twice able well clear clearly strong core key area areas
explain explaining stay stays keep keeps correct example examples another external join
joins risk finance mean means set sets part parts way ways go goes going first second
approach approaches handle handles handling case cases good better common typical real
""".split())
_NUMBER = re.compile(r"^\d+[a-z]*$")


def term_keys(text: str) -> set[str]:
    """The distinctive word stems of a text (stop words, generic posting words and
    numbers left out), each cut to STEM_CHARS so word forms meet, and each pair of
    adjacent ones ("doubl_entri", "read_committ"), which is rarer than either word."""
    out: set[str] = set()
    previous = ""
    for w in words(text):
        if w in STOPWORDS or w in GENERIC or len(w) < 3 or _NUMBER.match(w):
            previous = ""
            continue
        key = stem(w)[:STEM_CHARS]
        if key in GENERIC:
            previous = ""
            continue
        out.add(key)
        if previous:
            out.add(f"{previous}_{key}")
        previous = key
    return out


_HEAD_END = re.compile(r":|\(|,?\s+(?:including|such\s+as|e\.g\.|for\s+example)\b", re.IGNORECASE)


def head_of(text: str) -> str:
    """What a requirement is, before its examples: "Elasticsearch or Solr" in
    "Elasticsearch or Solr, including sharding and relevance tuning"."""
    return _HEAD_END.split(text, maxsplit=1)[0]


@dataclass(frozen=True)
class Wanted:
    """What a requirement asks for, as the matcher sees it: its skills, its word stems,
    those of its head (the words before a colon, a bracket or "including": "Exactly-once
    processing with Kafka" in "Exactly-once processing with Kafka: consumer offsets, ..."),
    which state it while the rest gives examples, and the stems that only spell its skills."""

    skills: frozenset[str]
    terms: frozenset[str]
    head: frozenset[str] = frozenset()
    named: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: str, skills: Iterable[str], named: Iterable[str] = ()) -> Wanted:
        head_text = head_of(text)
        terms = frozenset(term_keys(text))
        head = frozenset(term_keys(head_text)) if head_text != text else frozenset()
        return cls(frozenset(skills), terms, head, frozenset(named))


@dataclass(frozen=True)
class _Indexed:
    question: Question
    terms: frozenset[str]
    skills: frozenset[str]


class BankIndex:
    """Every bank question's skills and terms, with how rare each is in the bank."""

    def __init__(self, bank: QuestionBank, taxonomy: Taxonomy | None = None):
        self.taxonomy = tax = taxonomy or load_taxonomy()
        self.bank = bank
        self.entries: list[_Indexed] = []
        for q in bank.questions:
            title = bank.topics[q.topic].title if q.topic in bank.topics else q.topic_title
            text = f"{q.text}\n{q.explanation}"
            tagged = tuple(getattr(q, "skills", ()) or ())
            named = tagged or tuple(s.skill for s in tax.find_skills(text))
            self.entries.append(_Indexed(q, frozenset(term_keys(f"{title} {text}")),
                                         frozenset(tax.closure(set(named)) | set(named))))
        n = len(self.entries) or 1
        term_df: dict[str, int] = {}
        skill_df: dict[str, int] = {}
        for e in self.entries:
            for t in e.terms:
                term_df[t] = term_df.get(t, 0) + 1
            for s in e.skills:
                skill_df[s] = skill_df.get(s, 0) + 1
        self._term_idf = {t: math.log((n + 1) / (df + 1)) + 0.5 for t, df in term_df.items()}
        self._skill_idf = {s: math.log((n + 1) / (df + 1)) + 0.5 for s, df in skill_df.items()}
        self._by_id = {e.question.id: e for e in self.entries}

    def term_weight(self, term: str) -> float:
        return self._term_idf.get(term, 0.0)

    def score(self, question: Question | _Indexed, wanted: Wanted) -> float:
        """How strongly a question is about what a requirement asks for."""
        e = question if isinstance(question, _Indexed) else self._by_id.get(question.id)
        if e is None:
            return 0.0
        skill_part = sum(self._skill_idf.get(s, 0.0) for s in wanted.skills & e.skills)
        term_part = sum(self._term_idf.get(t, 0.0) for t in wanted.terms & e.terms)
        head_part = sum(self._term_idf.get(t, 0.0) for t in wanted.head & e.terms)
        return skill_part + TERM_FACTOR * (term_part + HEAD_EXTRA * head_part)

    def most(self, wanted: Wanted) -> float:
        """What a requirement scores against a question that shares all it names (its head's
        extra weight left out: the head ranks the questions on it, it does not raise the bar)."""
        return sum(self._skill_idf.get(s, 0.0) for s in wanted.skills) + \
            TERM_FACTOR * sum(self._term_idf.get(t, 0.0) for t in wanted.terms)

    def unknown(self, terms: set[str] | frozenset[str]) -> float:
        """What the terms no bank question uses would add to the most a requirement could
        score: "healthcare data (EHR extracts, claims)" is not in the bank, even though
        "data" is."""
        n = len(self.entries) + 1
        return TERM_FACTOR * sum(math.log(n) + 0.5 for t in terms
                                 if t not in self._term_idf and "_" not in t)

    def threshold(self, wanted: Wanted) -> float:
        """The score at which a question is on a requirement: ON_REQUIREMENT, or less when
        the requirement names little the bank knows ("CI/CD with Fastlane": any CI/CD
        question), and at least ON_SHARE of the most it could score, counting the words no
        question uses (but not the words that spell its skills, which count as skills)."""
        most = self.most(wanted)
        if most <= 0:
            return math.inf
        return max(ON_SHARE * (most + self.unknown(wanted.terms - wanted.named)),
                   min(ON_REQUIREMENT, ALONE_SHARE * most))

    def ranked(self, wanted: Wanted) -> list[tuple[float, Question]]:
        """The questions on a requirement, most strongly on it first."""
        floor = self.threshold(wanted)
        scored = [(self.score(e, wanted), e.question) for e in self.entries]
        return sorted(((s, q) for s, q in scored if s >= floor), key=lambda x: (-x[0], x[1].id))


_INDEXES: dict[int, tuple[QuestionBank, BankIndex]] = {}
_LOCK = threading.Lock()


def bank_index(bank: QuestionBank) -> BankIndex:
    """The index of a bank, built once per bank (a fraction of a second)."""
    with _LOCK:
        hit = _INDEXES.get(id(bank))
        if hit is None or hit[0] is not bank:
            if len(_INDEXES) >= 4:
                _INDEXES.clear()
            hit = _INDEXES[id(bank)] = (bank, BankIndex(bank))
        return hit[1]
