"""Word error rate, for measuring transcription accuracy in tests and the benchmark."""

from __future__ import annotations

import re
from collections.abc import Callable

_NON_WORD = re.compile(r"[^a-z0-9' ]+")


def normalize_words(text: str) -> list[str]:
    """Lower-case words without punctuation ("read-through" -> "read", "through"); like
    Whisper's own English normaliser, apostrophes go ("service's" and "services" match)."""
    text = text.lower().replace("-", " ").replace("/", " ").replace("'", "").replace("\u2019", "")
    return _NON_WORD.sub(" ", text).split()


def word_error_rate(reference: str, hypothesis: str,
                    words: Callable[[str], list[str]] = normalize_words) -> float:
    """(substitutions + deletions + insertions) / reference words, by edit distance.

    ``words`` splits a text into the words compared (default ``normalize_words``; the
    benchmark also passes Whisper's standard English normaliser, see bench/voice.py)."""
    ref, hyp = words(reference), words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1] / len(ref)
