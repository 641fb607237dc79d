"""An answer as words with their place in the original text, and the spans a quote can be.

The grader quotes the candidate back to them ("You said: '...'"), so every word it
matches must map back to the characters the candidate typed or the recogniser heard.
Tokens follow ``grading_text.words`` exactly (lower case, fillers dropped, common
recogniser confusions folded) but keep their character offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from backend.interviewer.grading.text import (FILLER_PHRASES, FILLERS, HOMOPHONES, NEGATIONS,
                                              content_words, stems)

_WORD = re.compile(r"[a-z0-9]+(?:[+#]+|'[a-z]+)?")
_SENTENCE_END = re.compile(r"[.!?;]+[\"'\u201d\u2019)]*(?=\s|$)|\n+")  # (a closing quote too)
_CLAUSE_BREAK = re.compile(r",\s+|\s+-+\s+|\s+(?:because|but|so that|which|while|whereas|"
                           r"although|though|then|and then|so)\s+", re.I)
_FILLER_PAIRS = frozenset(tuple(p.split()) for p in FILLER_PHRASES)

WINDOW = 18  # words in a span cut from a long unpunctuated stretch (speech)
READABLE = 6  # words: a clause shorter than this ("a row or a column") is quoted with its neighbour
STRIDE = 9
LONG_SENTENCE = 30  # words; longer sentences are also read as overlapping windows


@dataclass(frozen=True)
class Token:
    word: str  # normalised, as grading_text.words gives it
    stem: str  # "" for a stop word
    any_stem: str  # the stem even of a stop word ("we had" phrasings match on these)
    start: int  # character offsets in the original text
    end: int


@dataclass(frozen=True)
class Span:
    """A stretch of the answer that may state a key point on its own."""

    first: int  # token indices, inclusive / exclusive
    last: int
    text: str  # the original characters, trimmed


class Answer:
    """One answer, tokenised once; spans and stems derived on demand."""

    def __init__(self, text: str):
        self.text = text
        self.tokens: tuple[Token, ...] = tuple(_tokenise(text))
        # Where each key-point stem occurs, filled by evidence.lexical_match: the same stems
        # are looked up for every phrasing of every point.
        self.positions_memo: dict[str, list[tuple[int, float]]] = {}

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(t.word for t in self.tokens)

    @cached_property
    def stem_positions(self) -> dict[str, tuple[int, ...]]:
        """Each content stem and the token positions that have it."""
        where: dict[str, list[int]] = {}
        for i, t in enumerate(self.tokens):
            if t.stem:
                where.setdefault(t.stem, []).append(i)
        return {s: tuple(p) for s, p in where.items()}

    @cached_property
    def glued_positions(self) -> dict[str, tuple[int, ...]]:
        """The stem of each word glued to the next ("post gres" -> "postgr") and where."""
        where: dict[str, list[int]] = {}
        toks = self.tokens
        for i in range(len(toks) - 1):
            where.setdefault(stems([toks[i].word + toks[i + 1].word])[0], []).append(i)
        return {s: tuple(p) for s, p in where.items()}

    @cached_property
    def content_count(self) -> int:
        return sum(1 for t in self.tokens if t.stem)

    def quote(self, first: int, last: int, limit: int = 24) -> str:
        """The original text of tokens [first, last), widened to whole words, at most
        ``limit`` words (cut around the middle of the range)."""
        if last - first > limit:
            mid = (first + last) // 2
            first, last = max(first, mid - limit // 2), min(last, mid + limit // 2)
        if first >= last:
            return ""
        a, b = self.tokens[first].start, self.tokens[last - 1].end
        return _tidy(self.text[a:b])

    @cached_property
    def sentence_of(self) -> tuple[int, ...]:
        """The index of the sentence each token is in."""
        of = [0] * len(self.tokens)
        for n, (a, b) in enumerate(self._sentence_ranges):
            for i in range(a, b):
                of[i] = n
        return tuple(of)

    @cached_property
    def spans(self) -> tuple[Span, ...]:
        """Sentences (or clauses, for long ones) and, over long unpunctuated stretches,
        overlapping windows: the candidate statements a key point is looked for in."""
        out: list[Span] = []
        seen: set[tuple[int, int]] = set()

        def add(first: int, last: int) -> None:
            if last - first >= 2 and (first, last) not in seen:
                seen.add((first, last))
                out.append(Span(first, last, self.quote(first, last, limit=60)))

        for a, b in self._sentence_ranges:
            add(a, b)
            if b - a > LONG_SENTENCE:
                for c, d in self._clause_ranges(a, b):
                    add(c, d)
                for s in range(a, b - STRIDE, STRIDE):
                    add(s, min(b, s + WINDOW))
        return tuple(out)

    def readable_range(self, first: int, last: int) -> tuple[int, int]:
        """The smallest span holding tokens first..last, widened clause by clause within its
        sentence until it reads on its own: "a row or a column" is quoted back as "Flexbox
        lays items out in one dimension, a row or a column". A short whole sentence ("That's
        a poison pill") stays as it is."""
        a, b = min(((s.first, s.last) for s in self.spans if s.first <= first and last <= s.last),
                   key=lambda r: r[1] - r[0], default=(first, last))
        if b - a >= READABLE:
            return a, b
        sentence = next(((c, d) for c, d in self._sentence_ranges if c <= a and b <= d), None)
        if sentence is None:
            return a, b
        clauses = self._clause_ranges(*sentence)
        k = next((i for i, (c, d) in enumerate(clauses) if c <= a < d), None)
        if k is None:
            return a, b
        lo = hi = k
        while clauses[hi][1] - clauses[lo][0] < READABLE and (lo > 0 or hi + 1 < len(clauses)):
            if lo > 0:
                lo -= 1  # the clause before usually says what this one is about
            else:
                hi += 1
        return min(a, clauses[lo][0]), max(b, clauses[hi][1])

    @cached_property
    def _sentence_ranges(self) -> list[tuple[int, int]]:
        bounds = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        return _ranges(self.tokens, bounds)

    def _clause_ranges(self, a: int, b: int) -> list[tuple[int, int]]:
        lo, hi = self.tokens[a].start, self.tokens[b - 1].end
        bounds = [lo + m.start() for m in _CLAUSE_BREAK.finditer(self.text[lo:hi])]
        return [(max(c, a), min(d, b)) for c, d in _ranges(self.tokens[a:b], bounds, offset=a)]


def _ranges(tokens: tuple[Token, ...], bounds: list[int], offset: int = 0) -> list[tuple[int, int]]:
    out, first = [], 0
    bi = 0
    for i, t in enumerate(tokens):
        while bi < len(bounds) and bounds[bi] <= t.start:
            if i > first:
                out.append((first + offset, i + offset))
            first = i
            bi += 1
    if len(tokens) > first:
        out.append((first + offset, len(tokens) + offset))
    return out


def _tidy(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip(" ,;:-")


def _tokenise(text: str) -> list[Token]:
    low = text.lower().replace("\u2019", "'")
    raw = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(low)]
    kept: list[tuple[str, int, int]] = []
    i = 0
    while i < len(raw):
        if i + 1 < len(raw) and (raw[i][0], raw[i + 1][0]) in _FILLER_PAIRS:
            i += 2
            continue
        w = raw[i][0]
        if w not in FILLERS:
            kept.append((HOMOPHONES.get(w, w), raw[i][1], raw[i][2]))
        i += 1
    words = [w for w, _, _ in kept]
    content = set(content_words(words)) | (set(words) & NEGATIONS)
    stemmed = stems(words)
    return [Token(w, s if w in content else "", s, a, b) for (w, a, b), s in zip(kept, stemmed, strict=True)]
