"""One spoken answer recorded into memory, and kept recordings played back: for retries and
practice, which send a whole answer over REST instead of streaming it over the interview
socket. The capture thread, framing and resampling are the interview's own
(`CaptureWorker`); playback is the interview's `Player`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Signal

from desktop.async_utils import spawn
from desktop.audio.capture import CaptureWorker
from desktop.audio.hardware import AudioIO
from desktop.audio.playback import Player

SAMPLE_RATE = 16_000  # what CaptureWorker's frames are


class ClipRecorder(QObject):
    """start() records until stop(); `finished(pcm, error)` then carries the whole answer
    (PCM16 mono 16 kHz), or b"" and why it failed; cancel() drops it."""

    level = Signal(float)
    finished = Signal(bytes, str)

    def __init__(self, io: AudioIO, device: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._io = io
        self._device = device
        self._frames: list[bytes] = []
        self._cancelled = False
        self.capture = CaptureWorker(self)
        self.capture.frame.connect(self._on_frame)
        self.capture.finished.connect(self._on_finished)

    @property
    def recording(self) -> bool:
        return self.capture.running

    def start(self) -> None:
        self._frames = []
        self._cancelled = False
        device = self._device
        self.capture.start(lambda: self._io.make_source(device))

    def stop(self) -> None:
        self.capture.stop()

    def cancel(self) -> None:
        self._cancelled = True
        self.capture.stop()

    def seconds(self) -> float:
        return sum(len(f) for f in self._frames) / 2 / SAMPLE_RATE

    def _on_frame(self, frame: bytes, level: float) -> None:
        self._frames.append(frame)
        self.level.emit(level)

    def _on_finished(self, error: str) -> None:
        self.level.emit(0.0)
        if self._cancelled:
            return
        pcm = b"".join(self._frames)
        if not error and not pcm:
            error = "Nothing was recorded. Check the microphone and try again."
        self.finished.emit(b"" if error else pcm, error)


class ClipPlayer(QObject):
    """Plays kept recordings (fetched as PCM16 16 kHz) one at a time.

    `state(recording_id, what)`: "loading", "playing", "done", or a sentence on failure."""

    state = Signal(int, str)

    def __init__(self, io: AudioIO, fetch: Callable[[int], Awaitable[bytes]],
                 device: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._fetch = fetch
        self.player = Player(lambda: io.make_sink(device), self)
        self.player.idle.connect(self._on_idle)
        self.player.failed.connect(lambda why: self.state.emit(self.current or 0, why))
        self.current: int | None = None
        self._generation = 0
        self.played: list[int] = []  # recording ids, in the order they started playing

    def play(self, recording_id: int) -> None:
        self.stop()
        self._generation += 1
        self.current = recording_id
        self.state.emit(recording_id, "loading")
        spawn(self._load_and_play(recording_id, self._generation))

    async def _load_and_play(self, recording_id: int, generation: int) -> None:
        try:
            pcm = await self._fetch(recording_id)
        except Exception as e:  # noqa: BLE001 - ApiError or a lost connection: say so
            if generation == self._generation:
                self.state.emit(recording_id, f"The recording could not be played: {e}")
            return
        if generation != self._generation:
            return
        self.played.append(recording_id)
        self.state.emit(recording_id, "playing")
        self.player.play(recording_id, 0, pcm, SAMPLE_RATE)

    def stop(self) -> None:
        self.player.stop()
        if self.current is not None:
            self.state.emit(self.current, "done")
        self.current = None

    def _on_idle(self) -> None:
        if self.current is not None:
            self.state.emit(self.current, "done")
            self.current = None

    def close(self) -> None:
        self._generation += 1
        self.player.close()
