"""Text-to-speech with Piper, one chunk per sentence.

``synthesize_sentences`` is the blocking core (run it in a worker thread).
``SpeechJob`` runs it in the background and lets any number of async consumers
read the chunks as they are produced, so a question can be pre-synthesised while
the candidate is still answering the previous one and played the moment it is asked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .channel import Channel
from .pronunciation import speech_text, split_sentences

TTS_SAMPLE_RATE = 22_050

# How fast the interviewer speaks, in words a minute (sentence gaps included). An interviewer
# at ~160 wpm is easy to follow; the bundled voice speaks ~179 wpm at Piper's own pace.
DEFAULT_SPEECH_WPM = 160
MIN_SPEECH_WPM, MAX_SPEECH_WPM = 120, 200
# Piper's length scale -> the rate it gives, measured with the bundled voice (en_US-joe-medium)
# on interview questions (bench/voice.py prints this table again: "spoken rate"). Words a
# minute fall as the scale grows, not quite linearly; other voices are close enough.
RATE_TABLE: tuple[tuple[float, float], ...] = (
    (0.8, 199.7), (1.0, 178.6), (1.1, 172.3), (1.2, 162.9), (1.3, 154.6), (1.5, 134.6),
    (1.7, 121.1))


def length_scale_for(wpm: float) -> float:
    """Piper's length scale for ``wpm`` words a minute (interpolated in ``RATE_TABLE``)."""
    table = RATE_TABLE
    if wpm >= table[0][1]:
        return table[0][0]
    if wpm <= table[-1][1]:
        return table[-1][0]
    for (s0, w0), (s1, w1) in zip(table, table[1:], strict=False):
        if w1 <= wpm <= w0:
            return round(s0 + (w0 - wpm) / (w0 - w1) * (s1 - s0), 3)
    return 1.0


def with_length_scale(syn_config: Any, length_scale: float | None) -> Any:
    """``syn_config`` (a piper ``SynthesisConfig`` or None) with this length scale."""
    if length_scale is None:
        return syn_config
    if syn_config is None:
        from piper import SynthesisConfig

        return SynthesisConfig(length_scale=length_scale)
    return replace(syn_config, length_scale=length_scale)


@dataclass(frozen=True)
class SpeechChunk:
    """One synthesised sentence: PCM16 little-endian mono audio."""

    index: int
    text: str  # the sentence as written (not the respelling Piper was given)
    pcm: bytes
    sample_rate: int = TTS_SAMPLE_RATE

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


def synthesize_sentences(
    voice: Any,
    text: str,
    *,
    syn_config: Any = None,
    sentence_silence_s: float = 0.25,
) -> Iterator[SpeechChunk]:
    """Yield one ``SpeechChunk`` per sentence of ``text`` (blocking; Piper ``voice``).

    A short silence closes each sentence so chunks played back to back sound natural.
    """
    rate = int(getattr(getattr(voice, "config", None), "sample_rate", TTS_SAMPLE_RATE))
    gap = np.zeros(int(sentence_silence_s * rate), dtype="<i2")
    for index, sentence in enumerate(split_sentences(text)):
        parts = [
            chunk.audio_int16_array
            for chunk in voice.synthesize(speech_text(sentence), syn_config=syn_config)
        ]
        if not parts:
            continue
        audio = np.concatenate([*parts, gap]).astype("<i2")
        yield SpeechChunk(index=index, text=sentence, pcm=audio.tobytes(), sample_rate=rate)


class SpeechJob:
    """Background synthesis of one text; a handle that several readers may iterate.

    The producer (a worker thread) publishes chunks; readers on any event loop
    receive them as they come.
    """

    def __init__(self, text: str, length_scale: float | None = None) -> None:
        self.text = text
        self.length_scale = length_scale
        self._channel: Channel[SpeechChunk] = Channel()

    def run(self, produce: Callable[[str, float | None], Iterator[SpeechChunk]]) -> None:
        """Run ``produce(text, length_scale)`` to the end, publishing each chunk (blocking)."""
        try:
            for chunk in produce(self.text, self.length_scale):
                self._channel.publish(chunk)
        except BaseException as exc:  # noqa: BLE001 - handed to the readers
            self._channel.close(exc)
        else:
            self._channel.close()

    def done(self) -> bool:
        """True once every sentence is synthesised (or synthesis failed)."""
        return self._channel.closed

    @property
    def failed(self) -> bool:
        return self._channel.error is not None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until synthesis ends (for threads and tests)."""
        return self._channel.wait_closed(timeout)

    def chunks(self) -> AsyncIterator[SpeechChunk]:
        """Chunks as they become available; raises the synthesis error, if any, at the end."""
        return self._channel.__aiter__()
