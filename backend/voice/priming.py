"""Which words to prime Whisper with for one answer (question-aware priming, issue 16).

An answer is primed with the terms this question makes likely, most specific first:
the jargon of the question as asked (and of a follow-up), every phrasing of its key
points, the jargon of the key points' sentences, then the resume's and the job's skills.
The glossary has room for ~300 characters (``stt.MAX_HOTWORD_CHARS``), so the order
decides what is kept. ``stt.jargon_only`` later drops the terms Whisper already knows
(every word one BPE token): plain phrases in the prompt made Whisper skip speech.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# A word that looks like jargon in free text: an acronym (TTL, ANR), mixed case (OAuth,
# PostgreSQL, gVisor), digits (HTTP/3, SHA-256, 3NF), or a dotted/hyphenated compound
# (Dispatchers.IO, read-modify-write, write-ahead).
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#./-]*[A-Za-z0-9+#]|[A-Za-z]")


def jargon_in(text: str) -> list[str]:
    """The jargon-looking words of ``text``, in order, without repeats."""
    found: dict[str, None] = {}
    for match in _WORD.finditer(text):
        word = match.group(0).strip(".-/")
        if len(word) < 2:
            continue
        inner_upper = any(ch.isupper() for ch in word[1:])
        has_digit = any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word)
        compound = any(sep in word for sep in "-./") and sum(ch.isalpha() for ch in word) >= 4
        if inner_upper or has_digit or compound:
            found.setdefault(word, None)
    return list(found)


def priming_terms(
    question_texts: Iterable[str],
    key_points: Iterable[tuple[str, Sequence[str]]] = (),
    skills: Iterable[str] = (),
) -> list[str]:
    """Terms for one answer, most specific first, without repeats (case-insensitive).

    ``question_texts``: the question as asked, then any follow-up; ``key_points``:
    ``(point, phrasings)`` of the question; ``skills``: the resume's and the job
    description's skills (and gaps).
    """
    ordered: list[str] = []
    texts = list(question_texts)
    points = list(key_points)
    for text in texts:
        ordered.extend(jargon_in(text))
        # Plain-looking words of the question too ("liveness", "jitter"): jargon_only
        # keeps those Whisper spells with two or more tokens.
        ordered.extend(w for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", text))
    for _point, phrasings in points:
        ordered.extend(phrasings)
    for point, _phrasings in points:
        ordered.extend(jargon_in(point))
    ordered.extend(skills)
    seen: set[str] = set()
    terms: list[str] = []
    for term in ordered:
        term = " ".join(str(term).split())
        if term and term.lower() not in seen:
            seen.add(term.lower())
            terms.append(term)
    return terms
