"""The voice service: loads Whisper and Piper once, in the background, and serves them.

Nothing here raises into the caller because a model is missing: ``status()`` reports
"unavailable" with a reason and text mode carries on. Inference never runs on the
event loop: synthesis runs on a small thread pool, transcription on the streaming
transcriber's own threads (or ``asyncio.to_thread`` for one-shot calls). By default both
models live in a worker process (``backend.voice.worker``): loading them there cannot
freeze the app's other threads; ``process=False`` keeps them in this process.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from .audio import MAX_ANSWER_SECONDS, STT_SAMPLE_RATE, pcm16_to_float32
from .errors import AudioError, VoiceUnavailable
from .engines import (LocalPiper, LocalWhisper, PiperEngine, WhisperEngine, load_piper_voice,
                      load_whisper_model, offline_environment)
from .models import DEFAULT_ACCURACY, VoiceModelPaths
from .streaming import StreamingConfig, StreamingTranscriber
from .stt import Transcript
from .tts import DEFAULT_SPEECH_WPM, SpeechChunk, SpeechJob, length_scale_for
from .worker import VoiceWorker, load_remote_piper, load_remote_whisper

READY, LOADING, UNAVAILABLE = "ready", "loading", "unavailable"
SPEECH_CACHE_SIZE = 4


class _Slot:
    """One model: loaded at most once, on a background thread, behind a lock."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason  # non-empty: unavailable
        self.model: Any = None
        self.future: Future[Any] | None = None
        self.lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.reason:
            return UNAVAILABLE
        return READY if self.model is not None else LOADING


class VoiceService:
    """Speech-to-text (Whisper tiny.en, or base for "high" accuracy) and text-to-speech (Piper)."""

    def __init__(
        self,
        models: VoiceModelPaths | None = None,
        *,
        speech_cache_size: int = SPEECH_CACHE_SIZE,
        syn_config: Any = None,
        streaming: StreamingConfig | None = None,
        process: bool = True,
    ) -> None:
        self.models = models or VoiceModelPaths.discover()
        self._worker = VoiceWorker() if process else None
        self._stt = _Slot("Whisper", self.models.whisper_reason())
        self._tts = _Slot("Piper", self.models.piper_reason())
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rehearse-voice-load")
        self._synth = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rehearse-tts")
        self._cache: OrderedDict[tuple[str, float], SpeechJob] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = speech_cache_size
        self._syn_config = syn_config
        self._streaming = streaming
        self._override_dir: Path | None = None
        self._join_dir: Path | None = None

    @classmethod
    def from_dir(
        cls, override_dir: Path | None, *, accuracy: str = DEFAULT_ACCURACY,
        join_dir: Path | None = None, **options: Any,
    ) -> "VoiceService":
        """Models from ``override_dir`` (e.g. ``Settings.voice_models_dir``), else bundled.

        ``join_dir``: where a bundled model that comes in parts is joined (the data folder's
        "voice-models"); see ``VoiceModelPaths.discover``. ``options`` go to the constructor."""
        service = cls(VoiceModelPaths.discover(override_dir, accuracy=accuracy, join_dir=join_dir),
                      **options)
        service._override_dir, service._join_dir = override_dir, join_dir
        return service

    @property
    def accuracy(self) -> str:
        return self.models.accuracy

    def set_accuracy(self, accuracy: str) -> bool:
        """Use the bundled Whisper model for ``accuracy`` ("standard" | "high") from the
        next answer on; True when that means loading another model (in the background).
        Raises ``ValueError`` for another word."""
        if accuracy == self.models.accuracy:
            return False
        found = VoiceModelPaths.discover(self._override_dir, accuracy=accuracy, join_dir=self._join_dir)
        if found.whisper_dir == self.models.whisper_dir:
            self.models = replace(self.models, accuracy=accuracy)
            return False
        self.models = replace(self.models, whisper_dir=found.whisper_dir,
                              whisper_problem=found.whisper_problem,
                              whisper_parts=found.whisper_parts,
                              whisper_name=found.whisper_name, accuracy=accuracy)
        self._stt = _Slot("Whisper", self.models.whisper_reason())
        self._begin(self._stt, self._load_whisper)
        return True

    # -- lifecycle -------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """State of each model: "ready" | "loading" | "unavailable", with human reasons.

        ``{"stt": ..., "tts": ..., "stt_reason": str, "tts_reason": str, "reason": str}``;
        a reason is "" unless that side is unavailable; ``reason`` joins both.
        """
        failure = self._worker.failure if self._worker is not None else ""
        if failure:  # the worker process died: both models went with it
            for slot in (self._stt, self._tts):
                slot.reason = slot.reason or f"{failure} Type your answers; voice is off."
        stt, tts = self._stt.reason, self._tts.reason
        return {
            "stt": self._stt.state,
            "tts": self._tts.state,
            "stt_reason": stt,
            "tts_reason": tts,
            "reason": " ".join(r for r in (stt, tts) if r),
        }

    def start(self) -> None:
        """Begin loading both models in the background (idempotent, never raises). Piper
        first: the first question is spoken before any answer needs Whisper."""
        self._begin(self._tts, self._load_piper)
        self._begin(self._stt, self._load_whisper)

    async def warm_up(self) -> dict[str, Any]:
        """Load both models (if they exist) and return ``status()``."""
        self.start()
        for slot in (self._stt, self._tts):
            if slot.future is not None:
                try:
                    await asyncio.wrap_future(slot.future)
                except Exception:  # noqa: BLE001 - recorded in slot.reason
                    pass
        return self.status()

    def close(self) -> None:
        """Stop the worker pools and free the models (call from the owning thread).

        Releasing CTranslate2's model here rather than at interpreter exit avoids an
        abort ("terminate called without an active exception") during teardown.
        """
        self._synth.shutdown(wait=True, cancel_futures=True)
        self._loader.shutdown(wait=True, cancel_futures=True)
        with self._cache_lock:
            self._cache.clear()
        for slot in (self._stt, self._tts):
            slot.model = None
            slot.future = None
            if not slot.reason:
                slot.reason = f"{slot.name} was closed."
        if self._worker is not None:
            self._worker.close()

    # -- loading (on the loader thread) ---------------------------------------------------
    def _load_whisper(self, paths: VoiceModelPaths) -> WhisperEngine:
        if self._worker is not None:
            return load_remote_whisper(self._worker, paths)
        return LocalWhisper(load_whisper_model(paths))

    def _load_piper(self, paths: VoiceModelPaths) -> PiperEngine:
        if self._worker is not None:
            return load_remote_piper(self._worker, paths, self._syn_config)
        return LocalPiper(load_piper_voice(paths), self._syn_config)

    @property
    def worker_pid(self) -> int | None:
        """The worker process's id (None in-process or before voice starts)."""
        return self._worker.pid if self._worker is not None else None

    def _begin(self, slot: _Slot, load: Any) -> Future[Any] | None:
        with slot.lock:
            if slot.reason or slot.future is not None:
                return slot.future

            def run() -> Any:
                try:
                    slot.model = load(self.models)
                except Exception as exc:  # noqa: BLE001 - a broken model is "unavailable"
                    slot.reason = f"{slot.name} could not be loaded: {exc}"
                    raise VoiceUnavailable(slot.reason) from exc
                return slot.model

            slot.future = self._loader.submit(run)
            return slot.future

    def _blocking_model(self, slot: _Slot, load: Any) -> Any:
        future = self._begin(slot, load)
        if future is None:
            raise VoiceUnavailable(slot.reason)
        try:
            return future.result()
        except VoiceUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001
            raise VoiceUnavailable(f"{slot.name} could not be loaded: {exc}") from exc

    def whisper_engine(self) -> WhisperEngine:
        """Whisper, once loaded (blocks while loading; worker threads only)."""
        return self._blocking_model(self._stt, self._load_whisper)

    def piper_engine(self) -> PiperEngine:
        """The Piper voice, once loaded (blocks while loading; worker threads only)."""
        return self._blocking_model(self._tts, self._load_piper)

    def vad_model(self) -> Any:
        """Silero VAD from the faster-whisper wheel (needs the package, not the Whisper model).

        It stays in this process: it scores every 32 ms of the answer, and its load holds
        the GIL for only ~0.02 s."""
        offline_environment()
        from .vad import load_vad_model

        return load_vad_model()

    # -- text to speech --------------------------------------------------------------
    def prepare(self, text: str, wpm: float | None = None) -> SpeechJob:
        """Start synthesising ``text`` in the background; ``speak(text)`` then reuses it.

        ``wpm``: the speaking rate in words a minute (default ``DEFAULT_SPEECH_WPM``).
        Keeps the last few texts (an LRU). Raises ``VoiceUnavailable`` if Piper is missing.
        """
        if self._tts.reason:
            raise VoiceUnavailable(self._tts.reason)
        scale = length_scale_for(wpm or DEFAULT_SPEECH_WPM)
        text = " ".join(text.split())
        key = (text, scale)
        with self._cache_lock:
            job = self._cache.get(key)
            if job is not None and not job.failed:
                self._cache.move_to_end(key)
                return job
            job = SpeechJob(text, scale)
            self._cache[key] = job
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        self._synth.submit(job.run, self._produce)
        return job

    def _produce(self, text: str, length_scale: float | None) -> Iterator[SpeechChunk]:
        return self.piper_engine().speak(text, length_scale)

    async def speak(self, text: str, wpm: float | None = None) -> AsyncIterator[SpeechChunk]:
        """Yield one PCM16 chunk per sentence as soon as it is synthesised.

        Audio prepared with ``prepare(text, wpm)`` comes straight from the cache.
        """
        job = self.prepare(text, wpm)
        async for chunk in job.chunks():
            yield chunk

    # -- speech to text --------------------------------------------------------------
    def transcriber(self, prompt_terms: Iterable[str] = (), **kwargs: Any) -> StreamingTranscriber:
        """A new streaming transcriber for one answer (see ``StreamingTranscriber``)."""
        if self._stt.reason:
            raise VoiceUnavailable(self._stt.reason)
        self._begin(self._stt, self._load_whisper)
        kwargs.setdefault("config", self._streaming)
        return StreamingTranscriber(self, prompt_terms, **kwargs)

    async def transcribe(self, pcm: bytes, prompt_terms: Iterable[str] = ()) -> Transcript:
        """Transcribe a whole recording in one go (PCM16 mono 16 kHz)."""
        audio = pcm16_to_float32(pcm)
        if audio.size == 0:
            raise AudioError("No audio was received. Check the microphone and try again.")
        if audio.size / STT_SAMPLE_RATE > MAX_ANSWER_SECONDS:
            raise AudioError("The recording is longer than 10 minutes; please keep answers shorter.")
        terms = list(prompt_terms)

        def run() -> Transcript:
            engine = self.whisper_engine()
            text, words = engine.transcribe(audio, glossary=engine.glossary(terms), vad_filter=True)
            return Transcript(text, tuple(words), audio.size / STT_SAMPLE_RATE, 1)

        return await asyncio.to_thread(run)

