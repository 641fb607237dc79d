"""Recording an answer on a worker thread: source blocks in, 100 ms 16 kHz frames out.

The worker never touches widgets. Frames and their level reach the GUI thread through a
queued Qt signal (`frame`), in order, followed by exactly one `finished(error)` per start:
"" after a normal stop or the end of a WAV file, else a sentence saying what failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop.audio.sources import FrameAssembler, FrameSource, level_of

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 0.05  # how often the worker looks at the stop flag while waiting


def describe_audio_error(exc: BaseException) -> str:
    """What a candidate can do about a microphone that would not open."""
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, OSError) and "PortAudio" in text:
        return ("The microphone cannot be used: the PortAudio sound library is not installed. "
                "Type your answer instead.")
    return f"The microphone could not be used ({text}). Type your answer instead."


class CaptureWorker(QObject):
    """start(source) records on a new thread until stop() or the source ends."""

    frame = Signal(bytes, float)  # exactly FRAME_BYTES of PCM16 16 kHz mono, level 0..1
    finished = Signal(str)  # "" or why the recording failed

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.frames_sent = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, make_source: Callable[[], FrameSource]) -> None:
        if self.running:
            raise RuntimeError("a recording is already running")
        self._stop = threading.Event()
        self.frames_sent = 0
        self._thread = threading.Thread(target=self._run, args=(make_source, self._stop),
                                        name="rehearse-capture", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the worker to finish; the last frame and `finished` follow shortly."""
        self._stop.set()

    def join(self, timeout: float = 2.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, make_source: Callable[[], FrameSource], stop: threading.Event) -> None:
        error = ""
        source: FrameSource | None = None
        try:
            source = make_source()
            source.open()
            assembler = FrameAssembler(source.sample_rate)
            while not stop.is_set():
                block = source.read(READ_TIMEOUT_S)
                if block is None:
                    break
                if block:
                    self._emit(assembler.push(block))
            self._emit(assembler.finish())
        except Exception as e:  # noqa: BLE001 - reported to the GUI, never raised there
            log.info("recording failed", exc_info=True)
            error = describe_audio_error(e)
        finally:
            if source is not None:
                try:
                    source.close()
                except Exception:  # noqa: BLE001
                    log.debug("closing the source failed", exc_info=True)
            try:
                self.finished.emit(error)
            except RuntimeError:  # the worker object was deleted meanwhile: nobody listens
                pass

    def _emit(self, frames: list[bytes]) -> None:
        for f in frames:
            self.frames_sent += 1
            self.frame.emit(f, level_of(f))
