"""Real voice models, loaded once per test session (a few seconds)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from backend.voice.audio import resample_pcm16
from backend.voice.service import VoiceService
from backend.voice.tts import SpeechChunk


@pytest.fixture(scope="session")
def voice() -> Iterator[VoiceService]:
    from piper import SynthesisConfig

    # Noise off: Piper's output is then the same on every run.
    service = VoiceService(syn_config=SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0))
    status = asyncio.run(service.warm_up())
    if status["stt"] != "ready" or status["tts"] != "ready":
        pytest.fail(f"voice models did not load: {status}")
    yield service
    service.close()


def speak_all(service: VoiceService, text: str) -> list[SpeechChunk]:
    async def collect() -> list[SpeechChunk]:
        return [chunk async for chunk in service.speak(text)]

    return asyncio.run(collect())


def speech_16k(service: VoiceService, text: str) -> bytes:
    """``text`` spoken by Piper, as PCM16 mono at 16 kHz (what a microphone would send)."""
    chunks = speak_all(service, text)
    return resample_pcm16(b"".join(c.pcm for c in chunks), chunks[0].sample_rate, 16_000)


def frames(pcm: bytes, ms: int = 100) -> Iterator[bytes]:
    step = 16_000 * 2 * ms // 1000
    for i in range(0, len(pcm), step):
        yield pcm[i : i + step]
