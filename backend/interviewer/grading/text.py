"""Text normalisation for grading: tokens, light stemming and fuzzy term matching.

Answers may come from a speech recogniser (lower case, no punctuation, "um",
misheard or split words), so everything here works on bare word sequences and
never looks at punctuation, case or filler words.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Sequence

from rapidfuzz import fuzz

_WORD = re.compile(r"[a-z0-9]+(?:[+#]+|'[a-z]+)?")

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves s t don doesn didn isn
wasn aren weren won wouldn shouldn couldn cannot can't don't doesn't didn't isn't wasn't
aren't weren't won't wouldn't shouldn't couldn't it's that's there's let's i'm i've i'd i'll
you're you've they're we're we've thing things get gets got make makes made use uses used
using way ways really actually basically kind sort lot lots one like well yeah okay ok
because therefore since thus hence so
""".split())

# Words a speaker uses while thinking; removed before any analysis (never penalised).
FILLERS = frozenset("um uh umm uhh er erm hmm mm ah eh like".split())
FILLER_PHRASES = ("you know", "i mean", "sort of", "kind of")

NEGATIONS = frozenset("""not no never none nothing nobody neither nor cannot can't don't
doesn't didn't isn't wasn't aren't weren't won't wouldn't shouldn't couldn't without
""".split()) | {"don", "doesn", "didn", "isn", "wasn", "aren", "weren", "won", "wouldn",
                "shouldn", "couldn"}

# Frequent speech-recogniser confusions for technical terms (heard -> meant).
HOMOPHONES: dict[str, str] = {
    "cash": "cache", "cashing": "caching", "cashed": "cached", "sequel": "sql",
    "jason": "json", "cue": "queue", "cues": "queues", "que": "queue", "reddis": "redis",
    "postgre": "postgres", "sharted": "sharded", "indices": "index", "asynch": "async",
    "lamda": "lambda",
}


# Plain-English synonyms folded to one word before stemming, so either wording earns credit.
_SYNONYM_GROUPS = (
    "different separate distinct", "same identical", "large big huge", "small little tiny",
    "fast quick rapid", "start begin", "show indicate", "increase raise grow rise",
    "decrease reduce lower shrink", "need require", "connect join link attach",
    "store save persist", "fetch retrieve", "remove delete", "error failure fault",
    "replica copy", "gap break", "cause produce", "correct right", "wrong incorrect",
)
SYNONYMS: dict[str, str] = {w: g.split()[0] for g in _SYNONYM_GROUPS for w in g.split()[1:]}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem: caching/cached/caches/cache -> "cach",
    hammer/hammering -> "hammer". Words with digits or symbols stay as they are."""
    w = word.lower().replace("'", "")
    if len(w) <= 3 or not w.isalpha():
        return w
    return _snowball().stemWord(w)


_PER_THREAD = threading.local()


def _snowball() -> Any:
    """One stemmer per thread: a Snowball stemmer keeps the word it works on in the
    instance, so two grading threads sharing one corrupt each other (IndexError)."""
    stemmer = getattr(_PER_THREAD, "stemmer", None)
    if stemmer is None:
        import snowballstemmer  # type: ignore[import-untyped]

        stemmer = _PER_THREAD.stemmer = snowballstemmer.stemmer("english")
    return stemmer


def words(text: str) -> list[str]:
    """Lower-case word tokens with filler words and filler phrases removed."""
    t = text.lower().replace("\u2019", "'")
    for p in FILLER_PHRASES:
        t = t.replace(p, " ")
    toks = _WORD.findall(t)
    return [HOMOPHONES.get(w, w) for w in toks if w not in FILLERS]


def content_words(tokens: Iterable[str]) -> list[str]:
    return [w for w in tokens if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


_SYNONYM_STEMS: dict[str, str] = {}


@lru_cache(maxsize=65536)
def _stem_cached(word: str) -> str:
    if not _SYNONYM_STEMS:
        _SYNONYM_STEMS.update({stem(k): stem(v) for k, v in SYNONYMS.items()})
    s = stem(word)
    return _SYNONYM_STEMS.get(s, s)


def stems(tokens: Iterable[str]) -> list[str]:
    return [_stem_cached(w) for w in tokens]


@dataclass(frozen=True)
class Analysed:
    """An utterance prepared once for matching: its words, content stems and joined pairs."""

    tokens: tuple[str, ...]
    content: tuple[str, ...]  # content stems in order
    stem_set: frozenset[str]
    joined: frozenset[str]  # adjacent words glued together ("post gres" -> "postgres")


def analyse(text: str, vocabulary: Sequence[str] = ()) -> Analysed:
    toks = words(text)
    if vocabulary:
        toks = snap_to_vocabulary(toks, vocabulary)
    content = tuple(stems(content_words(toks)))
    joined = frozenset(_stem_cached(a + b) for a, b in zip(toks, toks[1:], strict=False))
    return Analysed(tuple(toks), content, frozenset(content), joined)


def snap_to_vocabulary(tokens: list[str], vocabulary: Sequence[str]) -> list[str]:
    """Rewrite words (or adjacent pairs) that sound close to a domain term into that term."""
    vocab = {w for term in vocabulary for w in words(term) if len(w) >= 4}
    if not vocab:
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        w = tokens[i]
        if w in vocab or len(w) < 3:
            out.append(w)
            i += 1
            continue
        pair = w + tokens[i + 1] if i + 1 < len(tokens) else ""
        best = _closest(pair, vocab) if pair else None
        if best:
            out.append(best)
            i += 2
            continue
        out.append(_closest(w, vocab) or w)
        i += 1
    return out


def _closest(word: str, vocab: set[str]) -> str | None:
    if len(word) < 4:
        return None
    best, score = None, 0.0
    for v in vocab:
        if abs(len(v) - len(word)) > 3:
            continue
        s = fuzz.ratio(word, v)
        if s > score:
            best, score = v, s
    return best if score >= 80 else None


@lru_cache(maxsize=131072)
@lru_cache(maxsize=262144)
def stems_match(a: str, b: str) -> float:
    """How well one stem stands for another: 1 exact, <1 for a near miss, 0 otherwise."""
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 4:
        return 0.0
    if len(a) >= 5 and len(b) >= 5 and (a.startswith(b) or b.startswith(a)):
        return 0.9
    r = fuzz.ratio(a, b)
    return 0.8 if r >= 84 else 0.0


def term_found(term_stem: str, utt: Analysed) -> float:
    """The best match of one stem among an utterance's stems (and glued word pairs)."""
    if term_stem in utt.stem_set or term_stem in utt.joined:
        return 1.0
    best = 0.0
    for s in utt.stem_set:
        m = stems_match(term_stem, s)
        if m > best:
            best = m
            if best >= 0.9:
                break
    if best < 0.8 and len(term_stem) >= 6:
        for s in utt.joined:
            if stems_match(term_stem, s):
                return 0.8
    return best
