"""Speech in and out of Ogg Opus, with PyAV (the FFmpeg bindings faster-whisper already
depends on, so nothing new is installed or packaged).

Why Opus: it is made for speech; at 24 kbit/s a 16 kHz mono answer is ~3 kB per second
(a 2-minute answer ~360 kB) against 32 kB per second as raw PCM16 and ~15 kB per second as
FLAC, and it is what browsers and phones play natively. Answers are kept to be listened to
again, not analysed, so lossless is not needed.
"""

from __future__ import annotations

import io

SAMPLE_RATE = 16_000  # what the microphone path sends (PCM16 mono)
BIT_RATE = 24_000
CODEC = "opus"


class CodecError(ValueError):
    """Audio that cannot be encoded or decoded."""


def encode_opus(pcm: bytes, sample_rate: int = SAMPLE_RATE) -> bytes:
    """PCM16 little-endian mono -> an Ogg Opus file's bytes."""
    import av
    import numpy as np

    if len(pcm) % 2:
        raise CodecError("PCM16 audio must have an even number of bytes.")
    samples = np.frombuffer(pcm, dtype="<i2").reshape(1, -1)
    out = io.BytesIO()
    with av.open(out, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=sample_rate)
        stream.layout = "mono"
        stream.bit_rate = BIT_RATE
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = sample_rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def decode_pcm(data: bytes, sample_rate: int = SAMPLE_RATE) -> bytes:
    """Any audio file PyAV reads (Ogg Opus here) -> PCM16 little-endian mono."""
    import av

    parts: list[bytes] = []
    try:
        with av.open(io.BytesIO(data), "r") as container:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=sample_rate)
            for frame in container.decode(audio=0):
                parts.extend(f.to_ndarray().tobytes() for f in resampler.resample(frame))
            parts.extend(f.to_ndarray().tobytes() for f in resampler.resample(None))
    except av.error.FFmpegError as e:
        raise CodecError(f"The recording could not be read ({e}).") from e
    return b"".join(parts)
