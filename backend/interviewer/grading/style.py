"""How an answer reasons and communicates: cue counts for design, structure, examples and STAR.

Works on spoken text (no punctuation, lower case). Filler words, grammar, accent and
hesitation are never counted against the candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_NUMBER_WORDS = ("two three four five six seven eight nine ten hundred thousand million "
                 "billion percent twice half dozen").split()

CUES: dict[str, tuple[str, ...]] = {
    "reasoning": ("because", "therefore", "so that", "which means", "that means", "since",
                  "as a result", "that's why", "this is why", "the reason", "due to",
                  "in order to", "otherwise", "which is why", "leads to", "so the"),
    "tradeoff": ("trade off", "tradeoff", "trade-off", "versus", " vs ", "downside",
                 "upside", "cost", "on the other hand", "however", "but", "at the expense",
                 "pros", "cons", "drawback", "benefit", "advantage", "disadvantage",
                 "price", "instead", "rather than", "whereas"),
    "alternatives": ("alternative", "alternatively", "instead", "another option", "another way",
                     "other option", "could also", "or we could", "or you could", "rather than",
                     "compared to", "compared with"),
    "example": ("for example", "for instance", "such as", "e.g", "say we", "imagine",
                "in my last", "in my previous", "at my", "when i", "we had", "in practice",
                "let's say", "lets say", "suppose"),
    "decomposition": ("component", "service", "layer", "module", "api", "split", "separate",
                      "database", "cache", "queue", "client", "server", "gateway", "worker",
                      "storage", "frontend", "backend", "endpoint", "schema", "interface",
                      "pipeline", "microservice"),
    "scale": ("scale", "scaling", "million", "thousand", "per second", "qps", "rps",
              "throughput", "latency", "shard", "partition", "replica", "replicate",
              "horizontal", "vertical", "load balancer", "bottleneck", "traffic", "peak",
              "concurrent", "capacity"),
    "failure": ("fail", "failure", "retry", "retries", "timeout", "fallback", "outage", "crash",
                "redundan", "backup", "idempoten", "circuit breaker", "degrade", "monitor",
                "alert", "recover", "down", "lost", "dead letter", "health check", "rollback"),
    "structure": ("first", "second", "third", "then", "next", "finally", "after that",
                  "to start", "to begin", "in summary", "overall", "step", "lastly",
                  "in short", "to sum up", "on one hand", "the main", "two things",
                  "three things", "two reasons", "three reasons"),
    "situation": ("when i was", "at my", "in my last", "in my previous", "we had", "there was",
                  "the project", "our team", "my team", "the team", "a client", "the company",
                  "last year", "situation", "while working"),
    "task": ("my goal", "i was responsible", "i needed to", "we needed to", "i had to",
             "my role", "my job", "the goal", "task", "was asked to", "responsible for",
             "the problem was", "the challenge"),
    "action": ("i decided", "i built", "i wrote", "i implemented", "i proposed", "i set up",
               "i talked", "i spoke", "i organised", "i organized", "i led", "i created",
               "i changed", "i added", "i introduced", "i worked", "i started", "i suggested",
               "i reached out", "i asked", "i designed", "i moved", "i fixed", "i started"),
    "result": ("as a result", "result", "reduced", "improved", "increased", "saved",
               "outcome", "in the end", "eventually", "we shipped", "launched", "learned",
               "learnt", "cut", "dropped", "faster", "fewer", "percent", "lesson"),
}

_HEDGES = ("it depends", "depends", "sort of", "kind of", "maybe", "probably", "i guess",
           "i suppose", "various", "many things", "lots of things", "stuff", "and so on",
           "etc", "something like that", "things like that", "in some cases", "it varies",
           "whatever", "somehow", "more or less", "not sure")
_DEPENDS_ON = re.compile(r"\bdepends?\s+(?:on|upon)\s+(?:the\s+|your\s+|how\s+|whether\s+|"
                         r"what\s+|which\s+)?([a-z]{4,})")
_DEPENDS = re.compile(r"\bdepends?\b")
_DEPENDS_SPECIFIC = re.compile(r"\b(?:if|when|whether|for example|for instance)\b")
_DONT_KNOW = re.compile(r"\b(?:i\s+(?:really\s+)?(?:do\s*n[o']?t|dont|don't)\s+(?:really\s+)?"
                        r"know|no\s+idea|not\s+sure|never\s+(?:heard|used)|i\s+have\s+no\s+clue|"
                        r"(?:can'?t|cannot|don'?t)\s+remember|not\s+familiar|i'?ll\s+pass|"
                        r"pass\s+on\s+this|skip\s+this)\b")
_VAGUE_FILLERS = frozenset({"depends", "stuff", "things", "thing", "various", "situation",
                            "case", "cases", "context", "lot", "lots"})


@dataclass(frozen=True)
class Style:
    """Cue counts and shape of one answer."""

    counts: dict[str, int]
    numbers: int
    hedges: int
    dont_know: bool
    vague_depends: bool  # "it depends" without saying on what
    words: int
    function_ratio: float  # share of words that are not content words (0 for a bare list)


def _norm(text: str) -> str:
    t = text.lower().replace("\u2019", "'")
    return " " + re.sub(r"[^a-z0-9'+#.\- ]+", " ", t).replace(".", " ") + " "


def _count(t: str, cues: tuple[str, ...]) -> int:
    """How many of the cues occur in the text (each at a word start)."""
    return sum(1 for c, p in zip(cues, _cue_patterns(cues), strict=True) if c.strip() in t and p.search(t))


@lru_cache(maxsize=64)
def _cue_patterns(cues: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    # Compiled once: there are more cue patterns than re's own cache holds.
    return tuple(re.compile(r"(?<![a-z])" + re.escape(c.strip())) for c in cues)


@lru_cache(maxsize=1)
def _number_word_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"\b{w}\b") for w in _NUMBER_WORDS)


# "I'm not sure" is the answer's gist when it comes first or the answer is short; said in
# passing late in a long answer ("...and startup, I don't remember exactly") it is not.
DONT_KNOW_LEAD_WORDS, DONT_KNOW_SHORT_ANSWER = 15, 30


def _admits_not_knowing(t: str, token_count: int) -> bool:
    m = _DONT_KNOW.search(t)
    if m is None:
        return False
    return token_count <= DONT_KNOW_SHORT_ANSWER or len(t[:m.start()].split()) <= DONT_KNOW_LEAD_WORDS


def read_style(text: str, content_count: int, token_count: int) -> Style:
    t = _norm(text)
    counts = {k: _count(t, v) for k, v in CUES.items()}
    numbers = len(re.findall(r"\b\d+(?:\.\d+)?\b", t)) + \
        sum(1 for p in _number_word_patterns() if p.search(t))
    hedges = _count(t, _HEDGES)
    vague_depends = False
    if _DEPENDS.search(t):
        m = _DEPENDS_ON.search(t)
        said_on = m is not None and m.group(1) not in _VAGUE_FILLERS
        vague_depends = not said_on and not _DEPENDS_SPECIFIC.search(t)
    fr = 1 - content_count / token_count if token_count else 0.0
    return Style(counts=counts, numbers=numbers, hedges=hedges,
                 dont_know=_admits_not_knowing(t, token_count), vague_depends=vague_depends,
                 words=token_count, function_ratio=fr)
