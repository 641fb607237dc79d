"""Speech-to-text with faster-whisper: the blocking single-call core.

Run ``transcribe_array`` in a worker thread. Audio must be float32 in [-1, 1] at
16 kHz (int16 gives garbage and 22.05 kHz doubles the error rate).
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

BEAM_SIZE = 5
# Whisper keeps at most ~223 prompt tokens; keep the glossary well under that so the
# previous chunk's text still fits beside them.
MAX_HOTWORD_CHARS = 300
MAX_PREVIOUS_TEXT_CHARS = 400


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
        if any(len(tokenizer.encode(" " + w, add_special_tokens=False).ids) >= 2 for w in words):
            kept.append(str(term))
    return kept


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


def transcribe_array(
    model: Any,
    audio: np.ndarray,
    *,
    glossary: str | None = None,
    previous_text: str = "",
    offset_s: float = 0.0,
    vad_filter: bool = False,
) -> tuple[str, list[TimedWord]]:
    """Transcribe one chunk (blocking). Word times are shifted by ``offset_s``.

    Streaming chunks are already cut at pauses by our VAD, so ``vad_filter`` is off for
    them; a whole recording transcribed in one go turns it on.
    """
    if audio.size == 0:
        return "", []
    segments, _info = model.transcribe(
        audio.astype(np.float32, copy=False),
        language="en",
        beam_size=BEAM_SIZE,
        word_timestamps=True,
        vad_filter=vad_filter,
        condition_on_previous_text=True,
        initial_prompt=" ".join(p for p in (glossary, previous_text[-MAX_PREVIOUS_TEXT_CHARS:]) if p)
        or None,
    )
    texts: list[str] = []
    words: list[TimedWord] = []
    for index, segment in enumerate(segments):
        if not any(ch.isalnum() for ch in segment.text):
            continue  # ". . ." hallucinated over silence
        if _is_stock_phrase(segment.text):
            continue  # "Thank you." at a pause: measured here in every real-time answer
        if index and segment.no_speech_prob >= 0.4 and segment.avg_logprob < -1.0:
            # A low-confidence segment over (near-)silence after the speech: measured
            # here as "we'll see you in the next one." on short clips. Whisper's own
            # test (no_speech_prob > 0.6) lets these through.
            continue
        texts.append(segment.text.strip())
        for word in segment.words or ():
            if not any(ch.isalnum() for ch in word.word):
                continue  # a lone punctuation mark, not a spoken word
            words.append(
                TimedWord(
                    text=word.word.strip(),
                    start=round(float(offset_s + word.start), 3),
                    end=round(float(offset_s + word.end), 3),
                    probability=float(word.probability),
                )
            )
    return " ".join(t for t in texts if t), words


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
