"""PCM helpers: validation, int16 <-> float32 and sample-rate conversion."""

from __future__ import annotations

import numpy as np

from .errors import AudioError

STT_SAMPLE_RATE = 16_000
BYTES_PER_SAMPLE = 2
MAX_ANSWER_SECONDS = 600.0  # ten minutes of speech is far beyond any interview answer


def check_pcm16(pcm: bytes | bytearray | memoryview) -> None:
    """Raise ``AudioError`` unless ``pcm`` is whole 16-bit samples."""
    if not isinstance(pcm, (bytes, bytearray, memoryview)):
        raise AudioError(f"Audio must be raw PCM16 bytes, not {type(pcm).__name__}.")
    if len(pcm) % BYTES_PER_SAMPLE:
        raise AudioError(
            f"Audio frame has {len(pcm)} bytes, an odd number: expected 16-bit mono PCM samples."
        )


def pcm16_to_float32(pcm: bytes | bytearray | memoryview) -> np.ndarray:
    """PCM16 little-endian mono -> float32 in [-1, 1] (what Whisper expects)."""
    check_pcm16(pcm)
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def float32_to_pcm16(audio: np.ndarray) -> bytes:
    """float32 in [-1, 1] -> PCM16 little-endian bytes (clipped)."""
    return (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def resample_pcm16(pcm: bytes, src_rate: int, dst_rate: int) -> bytes:
    """Resample mono PCM16 with FFmpeg's resampler (PyAV ships with faster-whisper).

    Whisper needs 16 kHz: Piper's 22.05 kHz audio fed unconverted doubles the error rate.
    """
    check_pcm16(pcm)
    if src_rate == dst_rate or not pcm:
        return bytes(pcm)
    import av  # heavy; only when resampling is needed

    samples = np.frombuffer(pcm, dtype="<i2").reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
    frame.sample_rate = src_rate
    resampler = av.AudioResampler(format="s16", layout="mono", rate=dst_rate)
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out).astype("<i2").tobytes() if out else b""
