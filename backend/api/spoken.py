"""A spoken answer sent over REST (retries and practice, issue 18): the raw PCM16 body,
read with a size limit, transcribed by the local Whisper in one go, with the same delivery
metrics a spoken interview answer gets."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from backend.api.errors import ApiError, ErrorCode

from backend.api.services import Services

SAMPLE_RATE = 16_000
MAX_AUDIO_BYTES = 10 * 60 * SAMPLE_RATE * 2  # 10 minutes of PCM16 mono at 16 kHz


async def read_audio(request: Request) -> bytes:
    """The body: PCM16 little-endian mono at 16 kHz, at most 10 minutes."""
    kind = request.headers.get("content-type", "application/octet-stream").split(";")[0]
    if kind.strip().lower() not in ("application/octet-stream", "audio/l16"):
        raise ApiError(415, ErrorCode.AUDIO_FORMAT, "Send the answer's audio as the raw body: PCM16 little-endian "
                                 "mono at 16000 Hz, Content-Type application/octet-stream.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_AUDIO_BYTES:
            raise ApiError(413, ErrorCode.AUDIO_TOO_LONG, "The recording is longer than 10 minutes; please keep "
                                     "answers shorter.")
    if not body:
        raise ApiError(422, ErrorCode.UNUSABLE_AUDIO, "No audio was received. Check the microphone and try again.")
    if len(body) % 2:
        raise ApiError(422, ErrorCode.UNUSABLE_AUDIO, "PCM16 audio must have an even number of bytes.")
    return bytes(body)


async def transcribe(services: Services, pcm: bytes, texts: list[str],
                     points: list[tuple[str, tuple[str, ...]]]) -> tuple[str, dict[str, Any]]:
    """(transcript, delivery metrics with notes and low-confidence words)."""
    from backend.voice.confidence import for_grading, low_confidence_words
    from backend.voice.errors import VoiceError
    from backend.voice.metrics import delivery_feedback, delivery_metrics
    from backend.voice.priming import priming_terms

    voice = services.voice_service()
    status = await voice.warm_up()
    if status["stt"] != "ready":
        raise ApiError(503, ErrorCode.SPEECH_UNAVAILABLE, status.get("stt_reason") or "Speech recognition is not "
                                 "available on this computer; type the answer instead.")
    try:
        transcript = await voice.transcribe(pcm, priming_terms(texts, points, []))
    except VoiceError as e:
        raise ApiError(422, ErrorCode.UNUSABLE_AUDIO, str(e)) from None
    text = transcript.text.strip()
    if not text:
        raise ApiError(422, ErrorCode.UNUSABLE_AUDIO, "I didn't catch anything in that recording. Check the "
                                 "microphone level and try again, or type.")
    metrics = delivery_metrics(transcript.words)
    metrics["notes"] = delivery_feedback(metrics)
    metrics["low_confidence"] = for_grading(low_confidence_words(text, transcript.words))
    return text, metrics
