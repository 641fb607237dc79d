"""Delivery metrics from word timestamps, and gentle feedback on them.

Norms used (conversational interview speech, native and non-native speakers alike):

* Pace: 100-165 words per minute is comfortable to follow. Conversational English
  averages about 120-150 wpm and presentations 100-150 wpm; below ~100 listeners may
  drift, above ~165 technical detail is hard to follow.
* Fillers ("um", "uh", "er", "you know", "I mean", "like" used as a pause): everyone
  uses some. Up to ~3 per minute goes unnoticed; above ~6 per minute listeners notice.
  Whisper drops "um" and "uh" unless its prompt shows them; the app's prompt does
  (stt.DISFLUENT_PRIMER), and the text that is graded and shown drops them again
  (``drop_fillers``): they count for delivery, never for the score.
* Pauses: a pause of more than 2 s counts as long. Taking a moment to think is good
  interview practice; only several long pauses per minute are worth mentioning.
* Length: a spoken technical answer usually runs 1-3 minutes; under ~20 s of speech
  often means detail was left out.

Feedback is about delivery only. It never comments on accent, grammar or nerves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .stt import TimedWord

LONG_PAUSE_S = 2.0
COMFORTABLE_WPM = (100.0, 165.0)
FILLERS_NOTICEABLE_PER_MIN = 6.0
FILLERS_FINE_PER_MIN = 3.0
LONG_PAUSES_PER_MIN = 2.0
SHORT_ANSWER_S = 20.0
LONG_ANSWER_S = 180.0

SINGLE_FILLERS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm", "uhm"})
PHRASE_FILLERS = (("you", "know"), ("i", "mean"))
# "like" is a filler when set off by a comma/pause or doubled, not in "I'd like to" or "looks like".
_LIKE_VERB_BEFORE = frozenset({"would", "i'd", "we'd", "you'd", "looks", "look", "feel", "feels",
                               "something", "seems", "just", "more", "things", "much", "not", "don't"})
_WORD = re.compile(r"[^\w']+")


def _norm(text: str) -> str:
    return _WORD.sub("", text.lower())


def is_filler_word(word: str) -> bool:
    """A one-word filler ("um", "Uh,")."""
    return _norm(word) in SINGLE_FILLERS


_FILLER_RUN = re.compile(
    r"(?:(?<=^)|(?<=[\s(\"]))(?:" + "|".join(sorted(SINGLE_FILLERS, key=len, reverse=True))
    + r")\b(?:\.\.\.|…)?,?\s*", re.IGNORECASE)


def drop_fillers(text: str) -> str:
    """``text`` without one-word fillers ("So, um, I think" -> "So, I think"): what is
    graded and shown. A sentence that began with one starts with a capital again."""
    out = _FILLER_RUN.sub("", text)
    out = re.sub(r"\s+([,.!?;:])", r"\1", out)
    out = re.sub(r",\s*([.!?])", r"\1", out)
    out = re.sub(r"(^|[.!?]\s*)[.!?,]+", r"\1", out).strip()
    out = re.sub(r"([.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), out)
    out = " ".join(out.split())
    return out[:1].upper() + out[1:] if out[:1].islower() and text[:1].isupper() else out


def _count_fillers(words: Sequence[TimedWord]) -> int:
    tokens = [_norm(w.text) for w in words]
    count, i = 0, 0
    while i < len(tokens):
        token = tokens[i]
        if token in SINGLE_FILLERS:
            count += 1
        elif i + 1 < len(tokens) and (token, tokens[i + 1]) in PHRASE_FILLERS:
            # "you know" mid-sentence; "do you know" is a question, not a filler
            if not (token == "you" and i > 0 and tokens[i - 1] in {"do", "did", "if", "you"}):
                count += 1
                i += 1
        elif token == "like" and _like_is_filler(words, tokens, i):
            count += 1
        i += 1
    return count


def _like_is_filler(words: Sequence[TimedWord], tokens: list[str], i: int) -> bool:
    if i > 0 and tokens[i - 1] in _LIKE_VERB_BEFORE:
        return False  # "I'd like to", "looks like"
    if i == 0 or words[i].text.strip().endswith(","):
        return True
    if words[i - 1].text.strip().endswith((",", ".", "?", "!")):
        return True
    if i + 1 < len(tokens) and tokens[i + 1] == "like":
        return True
    return words[i].start - words[i - 1].end > 0.5  # a hesitation before it


def delivery_metrics(words: Sequence[TimedWord]) -> dict[str, Any]:
    """Pace, fillers and pauses of one answer.

    ``speaking_time_s`` runs from the first word to the last minus long pauses;
    ``wpm`` and ``fillers_per_min`` are per minute of speaking time.
    """
    ordered = sorted((w for w in words if _norm(w.text)), key=lambda w: w.start)
    if not ordered:
        return {
            "word_count": 0, "speaking_time_s": 0.0, "wpm": 0.0, "filler_count": 0,
            "fillers_per_min": 0.0, "long_pauses": 0, "longest_pause_s": 0.0,
            "long_pauses_per_min": 0.0,
        }
    gaps = [float(b.start - a.end) for a, b in zip(ordered, ordered[1:], strict=False)]
    long_gaps = [g for g in gaps if g > LONG_PAUSE_S]
    span = max(float(ordered[-1].end - ordered[0].start), 0.0)
    speaking = max(span - sum(long_gaps), 1e-6)
    minutes = speaking / 60.0
    fillers = _count_fillers(ordered)
    return {
        "word_count": len(ordered),
        "speaking_time_s": round(speaking, 2),
        "wpm": round(len(ordered) / minutes, 1),
        "filler_count": fillers,
        "fillers_per_min": round(fillers / minutes, 2),
        "long_pauses": len(long_gaps),
        "longest_pause_s": round(max(gaps, default=0.0), 2),
        "long_pauses_per_min": round(len(long_gaps) / minutes, 2),
    }


def delivery_feedback(metrics: dict[str, Any]) -> list[str]:
    """Short, encouraging notes on delivery (see the module docstring for the norms)."""
    if not metrics.get("word_count"):
        return ["I didn't catch any speech in that answer. Check the microphone and give it another go."]
    notes: list[str] = []
    wpm = float(metrics["wpm"])
    low, high = COMFORTABLE_WPM
    speaking = float(metrics["speaking_time_s"])
    if speaking >= 10:  # pace is meaningless on a few words
        if wpm < low:
            notes.append(
                f"Your pace was about {wpm:.0f} words per minute; a little quicker "
                f"(around {low:.0f}-{high:.0f}) will keep the interviewer with you."
            )
        elif wpm > high:
            notes.append(
                f"You spoke at about {wpm:.0f} words per minute; slowing a touch "
                f"(to about {high:.0f} or less) gives technical details room to land."
            )
        else:
            notes.append(f"Good, easy-to-follow pace (about {wpm:.0f} words per minute).")
    fillers = float(metrics["fillers_per_min"])
    if fillers > FILLERS_NOTICEABLE_PER_MIN:
        notes.append(
            f"About {fillers:.0f} filler words a minute. Swapping a few for a short, silent "
            "pause will make your answers sound even more confident."
        )
    elif metrics["filler_count"] and fillers <= FILLERS_FINE_PER_MIN:
        notes.append("Filler words were rare, nice and clean.")
    if float(metrics["long_pauses_per_min"]) > LONG_PAUSES_PER_MIN and metrics["long_pauses"] >= 2:
        notes.append(
            f"There were {metrics['long_pauses']} pauses longer than {LONG_PAUSE_S:.0f} s. "
            "Pausing to think is fine; a quick outline first (\"three parts: ...\") can keep you moving."
        )
    if speaking < SHORT_ANSWER_S:
        notes.append("That was a short answer; an example or a trade-off would give it more depth.")
    elif speaking > LONG_ANSWER_S:
        notes.append("That was a long answer; leading with the main point and then the detail keeps it crisp.")
    return notes
