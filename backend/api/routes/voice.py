"""Voice outside an interview (extension): load the models early, and the microphone test.

`POST /voice/warm-up` starts loading Whisper and Piper (a client calls it when the candidate
switches voice on in Setup, so the first question is spoken at once after Start).
`POST /voice/transcribe` transcribes a short recording (the Setup page's "Test your
microphone": what Whisper heard, and how loud it was). See docs/protocol.md, Voice.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request

from backend.api import examples
from backend.api.deps import ServicesDep
from backend.api.error_docs import error_responses
from backend.api.errors import ApiError, ErrorCode
from backend.api.examples import ok

router = APIRouter(tags=["voice"])

MAX_TEST_SECONDS = 30
SAMPLE_RATE = 16_000


def _public(status: dict[str, Any]) -> dict[str, Any]:
    return {"stt": {"state": status["stt"], "reason": status.get("stt_reason", "")},
            "tts": {"state": status["tts"], "reason": status.get("tts_reason", "")}}


@router.post("/voice/warm-up", summary="Start loading the voice models (extension)",
             responses=ok(examples.VOICE_STATUS))
def warm_up(services: ServicesDep) -> dict[str, Any]:
    from backend.api.voice_ws import GREETING

    voice = services.voice_service()
    status = voice.status()
    if status["tts"] != "unavailable":
        voice.prepare(GREETING)  # the interview opens with it: ready before Start
    return _public(status)


def _dbfs(value: float) -> float:
    return round(20 * math.log10(value), 1) if value > 1e-9 else -120.0


@router.post("/voice/transcribe", summary="Transcribe a short recording: the microphone test "
                                          "(extension)",
             responses=ok(examples.VOICE_TRANSCRIPT) | error_responses(
                 ErrorCode.UNUSABLE_AUDIO, ErrorCode.AUDIO_TOO_LONG, ErrorCode.SPEECH_UNAVAILABLE))
async def transcribe(request: Request, services: ServicesDep) -> dict[str, Any]:
    pcm = await request.body()
    if not pcm:  # an empty recording: nothing was heard (no model needed to say so)
        return {"text": "", "duration_s": 0.0, "peak_dbfs": _dbfs(0.0), "rms_dbfs": _dbfs(0.0),
                "low_confidence": []}
    if len(pcm) % 2:
        raise ApiError(422, ErrorCode.UNUSABLE_AUDIO,
                       "The audio must be PCM16 (two bytes a sample), mono, 16000 Hz.")
    if len(pcm) > MAX_TEST_SECONDS * SAMPLE_RATE * 2:
        raise ApiError(413, ErrorCode.AUDIO_TOO_LONG,
                       f"A test recording is at most {MAX_TEST_SECONDS} s long.")
    import numpy as np

    from backend.voice.confidence import low_confidence_words
    from backend.voice.errors import VoiceError
    from backend.voice.metrics import drop_fillers, is_filler_word

    voice = services.voice_service()
    status = await voice.warm_up()
    if status["stt"] != "ready":
        raise ApiError(503, ErrorCode.SPEECH_UNAVAILABLE,
                       status.get("stt_reason") or "Speech recognition is unavailable.")
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    try:
        transcript = await voice.transcribe(pcm)
    except VoiceError as e:
        raise ApiError(422, ErrorCode.UNUSABLE_AUDIO, str(e)) from None
    text = drop_fillers(transcript.text.strip())
    return {"text": text, "duration_s": round(samples.size / SAMPLE_RATE, 2),
            "peak_dbfs": _dbfs(float(np.max(np.abs(samples)))),
            "rms_dbfs": _dbfs(float(np.sqrt(np.mean(samples * samples)))),
            "low_confidence": low_confidence_words(
                text, [w for w in transcript.words if not is_filler_word(w.text)])}
