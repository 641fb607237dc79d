"""Speech-to-text with faster-whisper: the blocking single-call core.

Run ``transcribe_array`` in a worker thread. Audio must be float32 in [-1, 1] at
16 kHz (int16 gives garbage and 22.05 kHz doubles the error rate).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

BEAM_SIZE = 5
# Whisper keeps at most ~223 prompt tokens; keep the glossary well under that so the
# previous chunk's text still fits beside them.
MAX_HOTWORD_CHARS = 300
MAX_PREVIOUS_TEXT_CHARS = 400
WINDOW_SAMPLES = 30 * 16_000  # Whisper's window: every call is padded to this
# Whisper writes what people mean, not what they say: it drops "um" and "uh" unless its
# prompt shows them (measured here, issue 17: 1 of 4 fillers kept; with a glossary prompt,
# none). A disfluent opening keeps them; bench/voice.py measures the count and the word
# error rate with and without it. The graded text drops them again (metrics.drop_fillers).
DISFLUENT_PRIMER = "So, um, I, uh, think, um, we, uh."


@dataclass(frozen=True)
class DecodeOptions:
    """faster-whisper's decoding choices for every call. The defaults are the app's;
    bench/voice_decoding.py measures the alternatives on the speech set (issue 16: greedy
    decoding, beam 8, no temperature fallback, the glossary as ``hotwords``, no previous
    text; none beat the defaults on both halves of the set)."""

    beam_size: int = BEAM_SIZE
    # faster-whisper's fallback: decode again hotter when the text looks like a loop
    temperature: float | tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    glossary_as_hotwords: bool = False  # the glossary in ``hotwords``, not the prompt
    previous_text: bool = True  # the text of the earlier chunks in the prompt


DEFAULT_DECODE = DecodeOptions()


@dataclass(frozen=True)
class TimedWord:
    """A recognised word with times in seconds from the start of the recording."""

    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Transcript:
    """The result of transcribing one answer."""

    text: str
    words: tuple[TimedWord, ...] = field(default_factory=tuple)
    duration_s: float = 0.0  # length of the audio received
    chunks: int = 0  # how many Whisper calls produced it


def jargon_only(terms: Iterable[str], tokenizer: Any) -> list[str]:
    """The terms Whisper would not know: some word takes two or more BPE tokens.

    Measured here: a glossary holding plain phrases that the candidate then says ("in
    parallel", "still receive") made Whisper skip whole sentences of speech, as if
    already transcribed; plain English words need no priming anyway.
    """
    kept = []
    for term in terms:
        words = str(term).lower().split()
        if _looks_technical(str(term)) or any(
                len(tokenizer.encode(" " + w, add_special_tokens=False).ids) >= 2 for w in words):
            kept.append(str(term))
    return kept


def _looks_technical(term: str) -> bool:
    """An acronym, a mixed-case name or a number ("JSON", "OAuth", "201"): spelled the way
    the glossary writes it, even when Whisper's vocabulary has it as one token. Measured
    here: without them in the glossary, "JSON" came back as "Jason" and "201" as "200, 1"."""
    return any(ch.isdigit() for ch in term) or any(
        len(w) >= 2 and any(ch.isupper() for ch in w[1:]) for w in term.split())


def glossary_for_model(terms: Iterable[str], model: Any) -> str | None:
    """The glossary prompt of the jargon among ``terms`` (see ``jargon_only``)."""
    tokenizer = getattr(model, "hf_tokenizer", None)
    terms = list(terms)
    return glossary_from_terms(jargon_only(terms, tokenizer) if tokenizer is not None else terms)


def glossary_from_terms(terms: Iterable[str]) -> str | None:
    """A prompt naming the priming terms (question key terms, resume and JD skills).

    Measured here: as an ``initial_prompt`` this fixes spellings ("PostgreSQL",
    "idempotency") like ``hotwords`` does, but ``hotwords`` also made Whisper invent
    words in trailing silence ("Let's see.", ". . ."), so the glossary goes in the prompt.
    """
    seen: dict[str, None] = {}
    for term in terms:
        term = " ".join(str(term).split())
        if term and term.lower() not in {t.lower() for t in seen}:
            seen[term] = None
    text = ""
    for term in seen:
        candidate = f"{text}, {term}" if text else term
        if len(candidate) > MAX_HOTWORD_CHARS:
            break
        text = candidate
    return f"Glossary: {text}." if text else None


class _EncodeBudget(threading.local):
    """How many more 30 s windows this thread's current call may encode (None: any)."""

    remaining: int | None = None


_BUDGET = _EncodeBudget()


class _WindowLimit(Exception):
    """Raised inside faster-whisper to stop it before it encodes another window."""


def allow_single_window(model: Any) -> Any:
    """Let ``transcribe_array(..., single_window=True)`` stop ``model`` after one window.

    With word timestamps faster-whisper moves on to the last word's end and, for any
    audio left after it (the pause a chunk is cut in), encodes and decodes a second
    padded 30 s window. Measured here: that second window is ~40% of a chunk's cost and
    yields nothing or a hallucination ("Thank you."). Call once, right after loading.
    """
    if getattr(model, "_rehearse_single_window", False):
        return model
    encode = model.encode

    def limited_encode(features: Any) -> Any:
        remaining = _BUDGET.remaining
        if remaining is not None:
            if remaining <= 0:
                raise _WindowLimit
            _BUDGET.remaining = remaining - 1
        return encode(features)

    model.encode = limited_encode
    model._rehearse_single_window = True
    return model


def transcribe_array(
    model: Any,
    audio: np.ndarray,
    *,
    glossary: str | None = None,
    previous_text: str = "",
    offset_s: float = 0.0,
    vad_filter: bool = False,
    single_window: bool = False,
    keep_fillers: bool = True,
    decode: DecodeOptions = DEFAULT_DECODE,
) -> tuple[str, list[TimedWord]]:
    """Transcribe one chunk (blocking). Word times are shifted by ``offset_s``.

    ``keep_fillers``: open the prompt with ``DISFLUENT_PRIMER`` so "um" and "uh" are
    written down (for the delivery metrics).

    Streaming chunks are already cut at pauses by our VAD, so ``vad_filter`` is off for
    them; a whole recording transcribed in one go turns it on. ``single_window`` (for
    chunks under 30 s, on a model passed through ``allow_single_window``) decodes one
    window only; the caller checks that no speech was left after the last word.
    """
    if audio.size == 0:
        return "", []
    limit = (
        single_window
        and audio.size <= WINDOW_SAMPLES
        and getattr(model, "_rehearse_single_window", False)
    )
    _BUDGET.remaining = 1 if limit else None
    try:
        primer = DISFLUENT_PRIMER if keep_fillers else None
        return _transcribe(model, audio, primer, glossary, previous_text, offset_s, vad_filter, decode)
    finally:
        _BUDGET.remaining = None


def _transcribe(
    model: Any,
    audio: np.ndarray,
    primer: str | None,
    glossary: str | None,
    previous_text: str,
    offset_s: float,
    vad_filter: bool,
    decode: DecodeOptions = DEFAULT_DECODE,
) -> tuple[str, list[TimedWord]]:
    hotwords = glossary if decode.glossary_as_hotwords else None
    in_prompt = None if decode.glossary_as_hotwords else glossary
    previous = previous_text[-MAX_PREVIOUS_TEXT_CHARS:] if decode.previous_text else ""
    segments, _info = model.transcribe(
        audio.astype(np.float32, copy=False),
        language="en",
        beam_size=decode.beam_size,
        temperature=decode.temperature,
        word_timestamps=True,
        vad_filter=vad_filter,
        condition_on_previous_text=True,
        initial_prompt=" ".join(p for p in (primer, in_prompt, previous) if p) or None,
        hotwords=hotwords,
    )
    texts: list[str] = []
    words: list[TimedWord] = []
    try:
        for index, segment in enumerate(segments):
            if _is_hallucination(segment, index):
                continue
            texts.append(segment.text.strip())
            words.extend(_timed_words(segment, offset_s))
    except _WindowLimit:
        pass  # faster-whisper wanted a second window over the audio after the last word
    return " ".join(t for t in texts if t), words


def _is_hallucination(segment: Any, index: int) -> bool:
    """Text Whisper produced over silence rather than speech."""
    if not any(ch.isalnum() for ch in segment.text):
        return True  # ". . ." hallucinated over silence
    if _is_stock_phrase(segment.text):
        return True  # "Thank you." at a pause: measured here in every real-time answer
    # A low-confidence segment over (near-)silence after the speech: measured here as
    # "we'll see you in the next one." on short clips. Whisper's own test
    # (no_speech_prob > 0.6) lets these through.
    return bool(index and segment.no_speech_prob >= 0.4 and segment.avg_logprob < -1.0)


def _timed_words(segment: Any, offset_s: float) -> list[TimedWord]:
    return [
        TimedWord(
            text=word.word.strip(),
            start=round(float(offset_s + word.start), 3),
            end=round(float(offset_s + word.end), 3),
            probability=float(word.probability),
        )
        for word in segment.words or ()
        if any(ch.isalnum() for ch in word.word)  # not a lone punctuation mark
    ]


# What Whisper says over pauses when nobody spoke (YouTube captions in its training data).
_STOCK_PHRASES = frozenset({
    "thank you", "thank you very much", "thanks for watching", "thank you for watching",
    "thank you for watching bye", "bye", "you", "see you in the next one",
    "well see you in the next one", "please subscribe", "thanks", "okay",
})


def _is_stock_phrase(text: str) -> bool:
    norm = " ".join(re.sub(r"[^a-z ]+", " ", text.lower().replace("'", "")).split())
    return norm in _STOCK_PHRASES


def join_texts(parts: Sequence[str]) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())
