"""Playing the interviewer's speech as it arrives, on a worker thread, stoppable at once.

Chunks (PCM16 mono at their own sample rate) are queued with `play()` and written to a
sink in 50 ms slices, so `stop()` silences within about that long. The first sentence
plays while later ones are still being synthesised. `chunk_started` reports when each
chunk actually began (time.monotonic()), which is how latency is measured.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

SLICE_S = 0.05


class AudioSink(Protocol):
    """Somewhere PCM16 mono goes: speakers, or memory in tests."""

    def open(self, sample_rate: int) -> None: ...

    def write(self, pcm: bytes) -> None:
        """Blocks about as long as the audio lasts (a real device) or not at all."""

    def abort(self) -> None:
        """Drop what is buffered now (called from another thread)."""

    def close(self) -> None: ...


class SpeakerSink:
    """The sound card through PortAudio (opened per sample rate)."""

    def __init__(self, device: str | None = None):
        self.device = device
        self._stream = None
        self._rate = 0

    def open(self, sample_rate: int) -> None:
        if self._stream is not None and self._rate == sample_rate:
            return
        self.close()
        import sounddevice as sd

        from desktop.audio.devices import device_index

        stream = sd.RawOutputStream(device=device_index(self.device), channels=1,
                                    dtype="int16", samplerate=sample_rate)
        stream.start()
        self._stream = stream
        self._rate = sample_rate

    def write(self, pcm: bytes) -> None:
        if self._stream is not None:
            self._stream.write(pcm)

    def abort(self) -> None:
        stream = self._stream
        if stream is not None:
            try:
                stream.abort()
                stream.start()
            except Exception:  # noqa: BLE001 - closed under us
                pass

    def close(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            try:
                stream.close()
            except Exception:  # noqa: BLE001
                pass


@dataclass
class MemorySink:
    """Keeps what was played (tests, and machines with no speakers when asked to record)."""

    realtime: bool = False
    chunks: list[tuple[int, bytes]] = field(default_factory=list)  # (sample_rate, pcm)
    _rate: int = 0

    def open(self, sample_rate: int) -> None:
        self._rate = sample_rate

    def write(self, pcm: bytes) -> None:
        self.chunks.append((self._rate, bytes(pcm)))
        if self.realtime:
            time.sleep(len(pcm) / 2 / self._rate)

    def abort(self) -> None:
        pass

    def close(self) -> None:
        pass

    def seconds(self) -> float:
        return sum(len(pcm) / 2 / rate for rate, pcm in self.chunks)


@dataclass(frozen=True)
class _Chunk:
    utterance: int
    index: int
    pcm: bytes
    sample_rate: int
    generation: int


_FLUSH = _Chunk(-1, -1, b"", 0, -1)  # queued by stop(): the worker drops buffered audio


class Player(QObject):
    """Queue of speech chunks played in order by one worker thread."""

    chunk_started = Signal(int, int, float)  # utterance id, chunk index, time.monotonic()
    idle = Signal()  # the queue ran dry
    failed = Signal(str)

    def __init__(self, make_sink: Callable[[], AudioSink], parent: QObject | None = None):
        super().__init__(parent)
        self._make_sink = make_sink
        self._queue: queue.Queue[_Chunk | None] = queue.Queue()  # chunks, _FLUSH, None: quit
        self._generation = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._sink: AudioSink | None = None
        self._writing = False
        self.playing = False

    @property
    def busy(self) -> bool:
        """Audio is queued or being written right now."""
        return self._writing or not self._queue.empty()

    def play(self, utterance: int, index: int, pcm: bytes, sample_rate: int) -> None:
        if not pcm or sample_rate <= 0:
            return
        with self._lock:
            generation = self._generation
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="rehearse-playback",
                                                daemon=True)
                self._thread.start()
        self._queue.put(_Chunk(utterance, index, bytes(pcm), sample_rate, generation))

    def stop(self) -> None:
        """Silence now and forget everything queued.

        Barge-in (Talk while a question plays) is a normal path, not an error: the worker,
        the only thread that touches the sink, drops what the device still holds (between two
        50 ms slices, or at once when idle), so no sound library sees a stream aborted under
        a blocking write (that was PortAudio's "Unanticipated host error")."""
        with self._lock:
            self._generation += 1
            running = self._thread is not None and self._thread.is_alive()
        if running:
            self._queue.put(_FLUSH)

    def close(self) -> None:
        self.stop()
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(2.0)
        self._thread = None

    def _run(self) -> None:
        try:
            sink = self._sink = self._make_sink()
        except Exception as e:  # noqa: BLE001
            self.failed.emit(f"The speakers could not be used ({e}).")
            return
        try:
            while True:
                try:
                    chunk = self._queue.get(timeout=0.5)
                except queue.Empty:
                    if self.playing:
                        self.playing = False
                        self.idle.emit()
                    continue
                if chunk is None:
                    return
                if chunk is _FLUSH or chunk.generation != self._generation:
                    if chunk is _FLUSH:
                        self._flush(sink)
                    continue
                self._writing = True
                try:
                    self._play(sink, chunk)
                finally:
                    self._writing = False
        finally:
            try:
                sink.close()
            except Exception:  # noqa: BLE001
                pass
            self._sink = None

    def _play(self, sink: AudioSink, chunk: _Chunk) -> None:
        try:
            sink.open(chunk.sample_rate)
        except Exception as e:  # noqa: BLE001
            self.failed.emit(f"The speakers could not be used ({e}).")
            return
        self.playing = True
        self.chunk_started.emit(chunk.utterance, chunk.index, time.monotonic())
        step = max(2, int(chunk.sample_rate * SLICE_S) * 2)
        for i in range(0, len(chunk.pcm), step):
            if chunk.generation != self._generation:
                self._flush(sink)  # stopped: drop what the device still holds
                return
            try:
                sink.write(chunk.pcm[i:i + step])
            except Exception as e:  # noqa: BLE001
                if chunk.generation != self._generation:
                    log.debug("playback write ended by a stop: %s", e)  # barge-in: normal
                    return
                self.failed.emit(f"Playback stopped ({e}).")
                return

    def _flush(self, sink: AudioSink) -> None:
        try:
            sink.abort()
        except Exception:  # noqa: BLE001 - nothing left to silence
            log.debug("flushing playback failed", exc_info=True)
