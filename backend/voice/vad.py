"""Incremental voice-activity detection with the Silero model bundled in faster-whisper.

The Silero model scores 512-sample windows (32 ms at 16 kHz), each with the 64 samples
before it as context. New audio is scored as it arrives, with the previous window as
context; the probabilities differ slightly from scoring the whole recording at once
(the model's recurrent state restarts per call), which does not matter for finding pauses.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

WINDOW = 512
SAMPLE_RATE = 16_000
WINDOW_S = WINDOW / SAMPLE_RATE
SPEECH_THRESHOLD = 0.5
SILENCE_THRESHOLD = 0.35  # below this a window is silence (Silero's neg_threshold)
VAD_FILE = "silero_vad_v6.onnx"


def load_vad_model() -> Any:
    """The Silero model shipped in the faster-whisper wheel, run with onnxruntime.

    faster-whisper itself is not imported: its package imports CTranslate2 and PyAV,
    which this process does not need now that Whisper runs in the voice worker (the
    import held the GIL and added their libraries to the app's memory)."""
    return SileroVAD(vad_model_path())


def vad_model_path() -> Path:
    """silero_vad_v6.onnx in faster-whisper's assets folder, found without importing it."""
    spec = importlib.util.find_spec("faster_whisper")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "assets" / VAD_FILE
        if path.is_file():
            return path
    from faster_whisper.utils import get_assets_path  # e.g. a frozen app's own importer

    return Path(get_assets_path()) / VAD_FILE


class SileroVAD:
    """faster-whisper's SileroVADModel (MIT), without importing faster-whisper: speech
    probability per 512-sample window, each with the 64 samples before it as context."""

    def __init__(self, path: Path) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.inter_op_num_threads = 1
        options.intra_op_num_threads = 1
        options.enable_cpu_mem_arena = False
        options.log_severity_level = 4
        self.session = onnxruntime.InferenceSession(
            str(path), providers=["CPUExecutionProvider"], sess_options=options)

    def __call__(self, audio: np.ndarray, num_samples: int = WINDOW, context_size_samples: int = 64) -> np.ndarray:
        if audio.ndim != 1 or audio.shape[0] % num_samples:
            raise ValueError("the VAD needs a 1-D array of whole 512-sample windows")
        h = np.zeros((1, 1, 128), dtype="float32")
        c = np.zeros((1, 1, 128), dtype="float32")
        batched = audio.reshape(-1, num_samples)
        context = batched[..., -context_size_samples:]
        context[-1] = 0
        context = np.roll(context, 1, 0)
        batched = np.concatenate([context, batched], 1).reshape(-1, num_samples + context_size_samples)
        outputs = []
        for i in range(0, batched.shape[0], 10_000):
            output, h, c = self.session.run(None, {"input": batched[i : i + 10_000], "h": h, "c": c})
            outputs.append(output)
        return np.concatenate(outputs, axis=0)


class SpeechProbabilities:
    """Speech probability per 512-sample window, computed as audio is appended."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._pending = np.zeros(0, dtype=np.float32)
        self._last_window = np.zeros(WINDOW, dtype=np.float32)
        self.probs: list[float] = []

    def append(self, audio: np.ndarray) -> None:
        """Score every complete window in ``audio`` (plus what was left over before)."""
        data = np.concatenate([self._pending, audio.astype(np.float32, copy=False)])
        whole = len(data) // WINDOW * WINDOW
        self._pending = data[whole:]
        if not whole:
            return
        windows = data[:whole]
        # Prepend the previous window so the first new window gets its real context.
        scored = self._model(np.concatenate([self._last_window, windows]))
        self.probs.extend(float(p) for p in np.asarray(scored).reshape(-1)[1:])
        self._last_window = windows[-WINDOW:]

    def trailing_silence_s(self) -> float:
        """Seconds of silence at the end of what has been scored."""
        count = 0
        for prob in reversed(self.probs):
            if prob >= SILENCE_THRESHOLD:
                break
            count += 1
        return count * WINDOW_S

    def heard_speech(self) -> bool:
        return any(p >= SPEECH_THRESHOLD for p in self.probs)

    def find_pause(self, start: int, end: int, min_windows: int) -> int | None:
        """Index of the middle of the first run of ``min_windows`` silent windows in
        ``[start, end)``, or None."""
        run = 0
        for i in range(max(start, 0), min(end, len(self.probs))):
            if self.probs[i] < SILENCE_THRESHOLD:
                run += 1
                if run >= min_windows:
                    return i - run // 2
            else:
                run = 0
        return None

    def find_last_pause(self, start: int, end: int, min_windows: int) -> int | None:
        """Like ``find_pause`` but the last such run that ends before ``end``."""
        found, run = None, 0
        for i in range(max(start, 0), min(end, len(self.probs))):
            if self.probs[i] < SILENCE_THRESHOLD:
                run += 1
                if run >= min_windows:
                    found = i - run // 2
            else:
                run = 0
        return found

    def quietest(self, start: int, end: int) -> int:
        """Index of the least speech-like window in ``[start, end)``."""
        segment = self.probs[max(start, 0) : min(end, len(self.probs))]
        if not segment:
            return end
        return max(start, 0) + int(np.argmin(segment))

    def last_speech_window(self) -> int:
        """Index just past the last window that holds speech (0 if none)."""
        for i in range(len(self.probs) - 1, -1, -1):
            if self.probs[i] >= SPEECH_THRESHOLD:
                return i + 1
        return 0
