"""The two voice engines, as the rest of the voice package uses them.

``WhisperEngine`` (``glossary``, ``transcribe``) and ``PiperEngine`` (``speak``) are
implemented here on models loaded in this process, and by ``backend.voice.worker`` on
models loaded in a separate worker process (the app's default: loading them holds the GIL
for up to a second, which would freeze the window; see bench/voice_load_freeze.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import numpy as np

from .models import VoiceModelPaths, join_whisper_parts
from .stt import TimedWord, allow_single_window, glossary_for_model, transcribe_array
from .tts import SpeechChunk, synthesize_sentences, with_length_scale


class WhisperEngine(Protocol):
    calls: int  # transcribe calls so far (tests count them)

    def glossary(self, terms: Iterable[str]) -> str | None: ...

    def transcribe(self, audio: np.ndarray, **options: Any) -> tuple[str, list[TimedWord]]: ...


class PiperEngine(Protocol):
    def speak(self, text: str, length_scale: float | None = None) -> Iterator[SpeechChunk]: ...


def offline_environment() -> None:
    """Keep Hugging Face libraries offline and quiet (before faster_whisper is imported)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def load_whisper_model(paths: VoiceModelPaths) -> Any:
    """faster-whisper's model (int8), its split model.bin joined first if need be."""
    offline_environment()
    from faster_whisper import WhisperModel

    if paths.whisper_parts:
        join_whisper_parts(paths)
    model = WhisperModel(
        str(paths.whisper_dir), device="cpu", compute_type="int8", local_files_only=True
    )
    return allow_single_window(model)


def load_piper_voice(paths: VoiceModelPaths) -> Any:
    from piper import PiperVoice

    assert paths.piper_model is not None
    return PiperVoice.load(paths.piper_model, config_path=paths.piper_config)


class LocalWhisper:
    """Whisper in this process (``transcribe`` is blocking: call it from a worker thread)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.calls = 0
        self._lock = threading.Lock()

    def glossary(self, terms: Iterable[str]) -> str | None:
        return glossary_for_model(terms, self.model)

    def transcribe(self, audio: np.ndarray, **options: Any) -> tuple[str, list[TimedWord]]:
        with self._lock:
            self.calls += 1
        return transcribe_array(self.model, audio, **options)


class LocalPiper:
    """Piper in this process (``speak`` is blocking: call it from a worker thread)."""

    def __init__(self, voice: Any, syn_config: Any = None) -> None:
        self.voice = voice
        self.syn_config = syn_config

    def speak(self, text: str, length_scale: float | None = None) -> Iterator[SpeechChunk]:
        return synthesize_sentences(self.voice, text,
                                    syn_config=with_length_scale(self.syn_config, length_scale))
