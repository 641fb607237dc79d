"""Where answer audio comes from: the microphone, or a WAV file standing in for it.

Every source hands out blocks of PCM16 mono at its own rate (about 100 ms each, the pace
a microphone delivers them). `FrameAssembler` turns any block stream into what the
backend wants: PCM16 mono at 16 kHz in frames of exactly FRAME_BYTES (100 ms), resampling
on the way when the device runs at another rate. The capture worker uses the same path
for both sources, so a WAV file exercises exactly what the microphone does.

Framing rule: every frame is exactly 3200 bytes; the last one of a recording is padded
with silence (zeros) to that size, so a recording of N samples becomes ceil(N / 1600)
frames.
"""

from __future__ import annotations

import math
import queue
import threading
import time
import wave
from pathlib import Path
from typing import Protocol

import numpy as np

TARGET_RATE = 16_000
FRAME_MS = 100
FRAME_SAMPLES = TARGET_RATE * FRAME_MS // 1000  # 1600
FRAME_BYTES = FRAME_SAMPLES * 2  # 3200
BLOCK_S = FRAME_MS / 1000


class FrameSource(Protocol):
    """A stream of PCM16 mono blocks at `sample_rate`; read() is called on a worker thread."""

    sample_rate: int

    def open(self) -> None: ...

    def read(self, timeout: float) -> bytes | None:
        """The next block; b"" if none came within `timeout`; None when the stream ended."""

    def close(self) -> None: ...


class StreamResampler:
    """Windowed-sinc resampling of a PCM16 stream, block by block, with no seams.

    The filter's cut-off is the lower of the two Nyquist frequencies, so 48 kHz speech
    loses what 16 kHz cannot carry instead of folding it back as noise (aliasing).
    """

    MAX_TABLE_PHASES = 2048

    def __init__(self, src_rate: int, dst_rate: int = TARGET_RATE, half_taps: int = 16):
        if src_rate <= 0 or dst_rate <= 0:
            raise ValueError("sample rates must be positive")
        self.src_rate, self.dst_rate = int(src_rate), int(dst_rate)
        self.step = self.src_rate / self.dst_rate  # input samples per output sample
        self.cutoff = min(1.0, self.dst_rate / self.src_rate)
        self.half = int(math.ceil(half_taps / self.cutoff))
        self._buf = np.zeros(self.half, dtype=np.float64)  # history (zeros before the start)
        self._base = -self.half  # input index of _buf[0]
        self._n_in = 0
        self._n_out = 0
        self._offsets = np.arange(-self.half + 1, self.half + 1)
        # Output n sits at input time n*src/dst: its fraction has dst/gcd distinct values,
        # so for the usual rates the filter weights are a small table computed once.
        g = math.gcd(self.src_rate, self.dst_rate)
        self._phases = self.dst_rate // g
        self._table = (self._weights(np.arange(self._phases) * g / self.dst_rate)
                       if self._phases <= self.MAX_TABLE_PHASES else None)

    def _weights(self, fractions: np.ndarray) -> np.ndarray:
        x = self._offsets[None, :] - fractions[:, None]
        weights = self.cutoff * np.sinc(self.cutoff * x)
        weights *= 0.5 + 0.5 * np.cos(np.pi * x / (self.half + 1))  # Hann window
        return weights / weights.sum(axis=1, keepdims=True)

    def _left(self, n: int) -> int:
        return n * self.src_rate // self.dst_rate  # exact integer floor(n * step)

    def _compute(self, last_input: int) -> np.ndarray:
        """Output samples whose filter window ends at or before input index last_input."""
        limit = last_input - self.half  # output n needs input up to floor(n*step) + half
        if limit < 0:
            return np.zeros(0, dtype=np.float64)
        n_end = (limit + 1) * self.dst_rate // self.src_rate  # first guess, then exact
        while n_end > self._n_out and self._left(n_end - 1) > limit:
            n_end -= 1
        while self._left(n_end) <= limit:
            n_end += 1
        count = n_end - self._n_out
        if count <= 0:
            return np.zeros(0, dtype=np.float64)
        n = self._n_out + np.arange(count, dtype=np.int64)
        product = n * self.src_rate
        left = product // self.dst_rate
        remainder = product % self.dst_rate
        if self._table is not None:
            weights = self._table[remainder * self._phases // self.dst_rate]
        else:
            weights = self._weights(remainder / self.dst_rate)
        windows = np.lib.stride_tricks.sliding_window_view(self._buf, self._offsets.size)
        values = windows[left - self.half + 1 - self._base]  # row copies, not a gather
        self._n_out += count
        return np.einsum("ij,ij->i", values, weights)

    def _append(self, samples: np.ndarray) -> None:
        self._buf = np.concatenate([self._buf, samples])
        self._n_in += samples.size

    def _trim(self) -> None:
        keep_from = self._left(self._n_out) - self.half
        drop = keep_from - self._base
        if drop > 0:
            self._buf = self._buf[drop:]
            self._base += drop

    def process(self, pcm: bytes) -> bytes:
        if self.src_rate == self.dst_rate:
            return bytes(pcm)
        self._append(np.frombuffer(pcm, dtype="<i2").astype(np.float64))
        out = self._compute(self._base + self._buf.size - 1)
        self._trim()
        return _to_pcm16(out)

    def flush(self) -> bytes:
        """The tail: the outputs owed for the input so far (zeros after the end)."""
        if self.src_rate == self.dst_rate:
            return b""
        owed = int(round(self._n_in * self.dst_rate / self.src_rate)) - self._n_out
        if owed <= 0:
            return b""
        self._buf = np.concatenate([self._buf, np.zeros(self.half + int(self.step) + 2)])
        out = self._compute(self._base + self._buf.size - 1)[:owed]
        self._trim()
        return _to_pcm16(out)


def _to_pcm16(samples: np.ndarray) -> bytes:
    return np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes()


class FrameAssembler:
    """Blocks at any rate in, exact 100 ms frames of 16 kHz PCM16 out."""

    def __init__(self, src_rate: int):
        self.resampler = StreamResampler(src_rate, TARGET_RATE)
        self._pending = bytearray()

    def push(self, block: bytes) -> list[bytes]:
        self._pending += self.resampler.process(block)
        return self._take()

    def finish(self) -> list[bytes]:
        """The remaining frames; the last is padded with silence to FRAME_BYTES."""
        self._pending += self.resampler.flush()
        frames = self._take()
        if self._pending:
            frames.append(bytes(self._pending) + bytes(FRAME_BYTES - len(self._pending)))
            self._pending.clear()
        return frames

    def _take(self) -> list[bytes]:
        n = len(self._pending) // FRAME_BYTES
        frames = [bytes(self._pending[i * FRAME_BYTES:(i + 1) * FRAME_BYTES]) for i in range(n)]
        del self._pending[:n * FRAME_BYTES]
        return frames


def level_of(frame: bytes) -> float:
    """Loudness 0..1 for a meter: RMS in dBFS mapped from -60 dB (0) to 0 dB (1)."""
    if not frame:
        return 0.0
    samples = np.frombuffer(frame, dtype="<i2").astype(np.float64) / 32768.0
    rms = float(np.sqrt(np.mean(samples * samples)))
    if rms <= 1e-6:
        return 0.0
    return max(0.0, min(1.0, (20 * math.log10(rms) + 60) / 60))


class WavSource:
    """A WAV file in place of the microphone: same blocks, same (optional) pace.

    16-bit PCM only; stereo is mixed down. `realtime` releases each 100 ms block when a
    microphone would have (divide the pace by `speed`); `trailing_silence` keeps handing
    out silence after the file ends, like a quiet room, until the capture is stopped.
    """

    def __init__(self, path: Path | str, *, realtime: bool = True, speed: float = 1.0,
                 trailing_silence: bool = False):
        self.path = Path(path)
        self.realtime = realtime
        self.speed = float(speed)
        self.trailing_silence = trailing_silence
        self.sample_rate = 0
        self._pcm = b""
        self._pos = 0
        self._block = 0
        self._blocks_out = 0
        self._t0 = 0.0
        self.exhausted = threading.Event()  # set when the file's audio was all handed out

    def open(self) -> None:
        with wave.open(str(self.path), "rb") as w:
            if w.getsampwidth() != 2:
                raise ValueError(f"{self.path.name}: only 16-bit PCM WAV files are supported")
            channels, self.sample_rate = w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
        samples = np.frombuffer(raw, dtype="<i2")
        if channels > 1:
            samples = samples.reshape(-1, channels).mean(axis=1).round().astype("<i2")
        self._pcm = samples.tobytes()
        self._block = max(1, int(round(self.sample_rate * BLOCK_S))) * 2
        self._pos = self._blocks_out = 0
        self._t0 = time.monotonic()

    def read(self, timeout: float) -> bytes | None:
        if self._pos >= len(self._pcm):
            self.exhausted.set()
            if not self.trailing_silence:
                return None
        if self.realtime:
            due = self._t0 + (self._blocks_out + 1) * BLOCK_S / self.speed
            wait = due - time.monotonic()
            if wait > timeout:
                time.sleep(max(0.0, timeout))
                return b""
            if wait > 0:
                time.sleep(wait)  # a microphone hands a block over once it is recorded
        self._blocks_out += 1
        if self._pos >= len(self._pcm):
            return bytes(self._block)
        block = self._pcm[self._pos:self._pos + self._block]
        self._pos += len(block)
        return block

    def close(self) -> None:
        self._pcm = b""


class MicrophoneSource:
    """The microphone through PortAudio; blocks arrive from its callback thread."""

    PREFERRED_RATES = (TARGET_RATE, 48_000, 44_100)

    def __init__(self, device: str | None = None):
        self.device = device
        self.sample_rate = 0
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=600)  # a minute of blocks
        self._stream = None

    def _pick_rate(self, sd, index: int | None) -> int:
        for rate in self.PREFERRED_RATES:
            try:
                sd.check_input_settings(device=index, channels=1, dtype="int16",
                                        samplerate=rate)
                return rate
            except Exception:  # noqa: BLE001 - try the next rate
                continue
        return int(sd.query_devices(index, "input")["default_samplerate"])

    def open(self) -> None:
        import sounddevice as sd  # OSError without PortAudio: the caller reports it

        from desktop.audio.devices import device_index

        index = device_index(self.device)
        self.sample_rate = self._pick_rate(sd, index)

        def on_block(indata, frames, time_info, status) -> None:  # PortAudio's thread
            try:
                self._queue.put_nowait(bytes(indata))
            except queue.Full:
                pass  # the reader stalled; dropping beats blocking PortAudio

        stream = sd.RawInputStream(device=index, channels=1, dtype="int16",
                                   samplerate=self.sample_rate,
                                   blocksize=int(self.sample_rate * BLOCK_S), callback=on_block)
        stream.start()
        self._stream = stream

    def read(self, timeout: float) -> bytes | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return b""

    def close(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            try:
                stream.stop()
            finally:
                stream.close()
