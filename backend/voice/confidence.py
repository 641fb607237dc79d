"""Words the recogniser was unsure of (issue 16): kept so the candidate can check them in
review mode and the grader can give the benefit of the doubt.

Whisper gives each word a probability (the mean of its tokens'). A word below
``LOW_CONFIDENCE`` is marked. The threshold was picked on the speech test set
(bench/voice.py prints, per voice, how many misheard words are marked and how many
marked words were misheard).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .stt import TimedWord

LOW_CONFIDENCE = 0.5


def low_confidence_words(
    text: str, words: Iterable[TimedWord], threshold: float = LOW_CONFIDENCE
) -> list[dict[str, Any]]:
    """The words of ``text`` heard with probability below ``threshold``, in order.

    Each is ``{"word", "probability", "start_char", "end_char"}``: the word as written in
    ``text`` (punctuation around it stripped) and its character span there, so a client
    can highlight it. Words are found in ``text`` left to right; one that cannot be found
    (never, as the text is made of the words) is left out.
    """
    marked: list[dict[str, Any]] = []
    cursor = 0
    for word in words:
        token = word.text.strip()
        if not token:
            continue
        at = text.find(token, cursor)
        if at < 0:
            continue
        cursor = at + len(token)
        if word.probability >= threshold:
            continue
        start, end = _strip_punctuation(text, at, cursor)
        if start < end:
            marked.append({"word": text[start:end], "probability": round(float(word.probability), 3),
                           "start_char": start, "end_char": end})
    return marked


def _strip_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def for_grading(marked: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the grader gets in ``metrics["low_confidence"]``: word and probability."""
    return [{"word": m["word"], "probability": m["probability"]} for m in marked]
