"""Streaming speech-to-text: transcribe while the candidate is still speaking.

Whisper pads every call to 30 s, so one call costs about a second whatever its length;
transcribing a minute-long answer after it ends takes several seconds. Instead:

* a *segmenter* thread scores the incoming audio with Silero VAD and, whenever the
  Whisper thread is idle, cuts a chunk at the latest pause once at least
  ``min_chunk_s`` of audio has accumulated (or at the quietest point once
  ``max_chunk_s`` is reached, as Whisper's window is 30 s);
* a *Whisper* thread transcribes each chunk as soon as it is cut, with the text so far
  as the prompt and the priming terms as a glossary, in a single 30 s window;
* every pause may be the end of the answer: when the candidate has been silent for
  ``cut_pause_s`` and the Whisper thread is idle, a tail of ``eager_chunk_s`` or more
  is cut as a chunk right away, and a shorter one is transcribed speculatively (if no
  speech follows, ``finish()`` reuses it);
* while the candidate speaks and the Whisper thread is idle, the tail not yet cut is
  transcribed as a *preview* once ``preview_every_s`` of new audio came in, so the live
  transcript keeps up with speech (issue 17: with chunks alone it ran 6-8 s behind).
  A preview only feeds the partial transcripts; the chunk is transcribed again when cut.

So the tail is usually transcribed during the beat between the last word and the
click on "done"; only what Whisper has not finished by then is left for ``finish()``.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .audio import MAX_ANSWER_SECONDS, STT_SAMPLE_RATE, check_pcm16
from .channel import Channel
from .errors import AudioError, VoiceError
from .stt import TimedWord, Transcript, join_texts
from .vad import WINDOW, WINDOW_S, SpeechProbabilities

if TYPE_CHECKING:
    from .engines import WhisperEngine
    from .vad import SileroVAD


class SpeechModels(Protocol):
    """Where a transcriber gets its models (``VoiceService``). Both calls may block
    while the model loads; the transcriber makes them on its worker threads."""

    def whisper_engine(self) -> WhisperEngine: ...

    def vad_model(self) -> SileroVAD: ...


@dataclass(frozen=True)
class StreamingConfig:
    min_chunk_s: float = 6.0  # cut at an earlier pause once this much audio is pending
    max_chunk_s: float = 15.0  # cut even without a pause (long chunks make Whisper skip)
    cut_pause_s: float = 0.3  # a pause this long is a place to cut
    # When the candidate is pausing *now* and Whisper is idle, cut the tail as a chunk
    # once it holds this much audio (the pause may be the end of the answer, and a tail
    # transcribed during it leaves nothing for finish()); a shorter tail is transcribed
    # speculatively instead after ``speculate_pause_s``.
    eager_chunk_s: float = 3.0
    speculate_pause_s: float = 0.3
    tail_pad_s: float = 0.25  # audio kept after the last speech when trimming the tail
    # Each chunk is decoded in one 30 s window; if this much voiced audio follows the
    # last word Whisper returned, the rest of the chunk is transcribed again.
    missed_speech_s: float = 1.0
    # No word holds this much voiced audio: a word stamped over more is Whisper jumping
    # over speech it did not transcribe ("because" from 6.1 s to 13.7 s, the answer's last
    # seven seconds lost), and the chunk is transcribed again from that word on.
    max_word_voiced_s: float = 1.5
    # Speakers say 2.5-3.5 words per second of voiced audio; fewer than this means
    # Whisper skipped speech, and the chunk is transcribed again without priming.
    min_words_per_voiced_s: float = 2.0
    max_answer_s: float = MAX_ANSWER_SECONDS
    # Transcribe the uncut tail for the live transcript when this much new audio came in
    # since the last preview (0: no previews; partials only when a chunk is cut).
    preview_every_s: float = 1.0
    # Keep "um" and "uh" in the words (a disfluent prompt; see stt.DISFLUENT_PRIMER).
    keep_fillers: bool = True


@dataclass(frozen=True)
class _Job:
    kind: str  # "chunk" | "speculate" | "preview" | "final"
    start: int  # window indices into the VAD timeline
    end: int


@dataclass
class _Speculation:
    start: int
    end: int
    text: str
    words: list[TimedWord]


class StreamingTranscriber:
    """Feed PCM16 mono 16 kHz bytes with ``feed``; get the text with ``await finish()``.

    ``feed`` is cheap and safe to call from the event loop; all inference runs on two
    worker threads owned by this object. ``on_partial`` (if given) is called from a
    worker thread with the transcript so far; ``partials()`` yields the same strings
    on the caller's event loop.
    """

    def __init__(
        self,
        models: SpeechModels,
        prompt_terms: Iterable[str] = (),
        *,
        on_partial: Callable[[str], None] | None = None,
        config: StreamingConfig | None = None,
    ) -> None:
        self._models = models
        self._config = config or StreamingConfig()
        self._prompt_terms = list(prompt_terms)
        self._glossary: str | None = None  # built from the terms once Whisper is loaded
        self._on_partial = on_partial
        self._partials: Channel[str] = Channel()
        self._result: Future[Transcript] = Future()

        self._lock = threading.Condition()
        self._incoming: list[np.ndarray] = []
        self._received = 0  # samples fed so far
        self._closing = False
        self._cancelled = False
        self._started = False
        self._threads: list[threading.Thread] = []
        self._segmenting = False  # the segmenter holds audio it has not planned yet
        self._replan = False  # Whisper went idle: the segmenter may cut what waited for it

        # Segmenter state (segmenter thread only, except reads under the lock).
        self._audio = np.zeros(STT_SAMPLE_RATE * 30, dtype=np.float32)
        self._length = 0
        self._vad: SpeechProbabilities | None = None
        self._chunk_start = 0  # window index where the uncommitted tail begins
        self._speculated_to = -1
        self._previewed_to = 0  # window index the last preview reached
        self._trailing_silence_s = 0.0
        self._heard_speech = False

        # Whisper state (whisper thread only).
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._whisper_busy = threading.Event()
        self._texts: list[str] = []
        self._words: list[TimedWord] = []
        self._chunks_done = 0
        self._speculation: _Speculation | None = None

    # -- public API ------------------------------------------------------------------
    def feed(self, pcm: bytes | bytearray | memoryview) -> None:
        """Add audio (PCM16 little-endian mono at 16 kHz). Raises ``AudioError``."""
        check_pcm16(pcm)
        if not len(pcm):
            return
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        with self._lock:
            if self._closing:
                raise AudioError("This answer is already finished; start a new recording.")
            if (self._received + len(samples)) / STT_SAMPLE_RATE > self._config.max_answer_s:
                raise AudioError(
                    f"The recording is longer than {self._config.max_answer_s / 60:.0f} minutes; "
                    "please keep answers shorter."
                )
            self._received += len(samples)
            self._incoming.append(samples)
            self._start_threads()
            self._lock.notify_all()

    @property
    def seconds_received(self) -> float:
        return self._received / STT_SAMPLE_RATE

    def silence_after_speech(self) -> float:
        """Seconds of silence since the candidate last spoke (0 before any speech)."""
        with self._lock:
            return self._trailing_silence_s if self._heard_speech else 0.0

    def speech_ended(self, silence_s: float = 1.5) -> bool:
        """True once speech was heard and followed by ``silence_s`` of silence (end-pointer)."""
        with self._lock:
            return self._heard_speech and self._trailing_silence_s >= silence_s

    def all_speech_transcribed(self) -> bool:
        """True when every word heard so far is transcribed, as a chunk or as a
        speculation ``finish()`` would reuse: finishing now runs no Whisper call."""
        with self._lock:
            if self._incoming or self._segmenting or self._vad is None or self._jobs.unfinished_tasks:
                return False
            end = self._final_end()
            if not self._has_speech(self._chunk_start, end):
                return True
            spec = self._speculation
            return spec is not None and (spec.start, spec.end) == (self._chunk_start, end)

    async def partials(self) -> AsyncIterator[str]:
        """Transcript-so-far strings as they improve; ends when the answer is finished."""
        async for text in self._partials:
            yield text

    async def finish(self) -> Transcript:
        """End the answer and return the final transcript with word timestamps.

        Raises ``AudioError`` if no audio was received and ``VoiceUnavailable`` if
        Whisper could not be loaded.
        """
        self._close_input()
        try:
            return await asyncio.wrap_future(self._result)
        finally:
            await asyncio.to_thread(self._join, 5.0)

    def _close_input(self) -> None:
        """No more audio: the segmenter queues the final chunk (or fails an empty answer)."""
        with self._lock:
            if not self._closing:
                self._closing = True
                if self._received == 0:
                    self._fail(AudioError("No audio was received. Check the microphone and try again."))
                self._lock.notify_all()

    def _join(self, timeout: float) -> None:
        """Let the worker threads exit (they are done once the result is set); a thread
        still inside CTranslate2 at interpreter exit aborts the process."""
        for thread in self._threads:
            thread.join(timeout)

    def finish_blocking(self, timeout: float | None = None) -> Transcript:
        """``finish`` for threads that have no event loop (benchmarks, tests)."""
        self._close_input()
        try:
            return self._result.result(timeout)
        finally:
            self._join(5.0)

    def cancel(self) -> None:
        """Abandon this answer: stop the worker threads, discard the result."""
        with self._lock:
            self._closing = self._cancelled = True
            self._lock.notify_all()
        self._jobs.put(None)
        self._fail(VoiceError("The recording was cancelled."))

    # -- threads ---------------------------------------------------------------------
    def _start_threads(self) -> None:
        if self._started:
            return
        self._started = True
        self._threads = [
            threading.Thread(target=self._segment_loop, name="rehearse-vad", daemon=True),
            threading.Thread(target=self._whisper_loop, name="rehearse-whisper", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _fail(self, error: BaseException) -> None:
        if not self._result.done():
            self._result.set_exception(error)
        self._partials.close()

    def _segment_loop(self) -> None:
        try:
            self._vad = SpeechProbabilities(self._models.vad_model())
            while True:
                with self._lock:
                    while not self._incoming and not self._closing and not self._replan:
                        self._lock.wait()
                    incoming, self._incoming = self._incoming, []
                    closing, cancelled = self._closing, self._cancelled
                    self._segmenting, self._replan = True, False
                if cancelled:
                    return
                for samples in incoming:
                    self._append(samples)
                while self._plan():
                    pass  # audio that arrived in a burst may hold several chunks
                with self._lock:
                    self._segmenting = False
                if closing:
                    self._jobs.put(_Job("final", self._chunk_start, self._final_end()))
                    self._jobs.put(None)
                    return
        except BaseException as exc:  # noqa: BLE001 - reported through finish()
            self._jobs.put(None)
            self._fail(exc if isinstance(exc, VoiceError) else VoiceError(f"Voice activity detection failed: {exc}"))

    def _append(self, samples: np.ndarray) -> None:
        needed = self._length + len(samples)
        if needed > len(self._audio):
            grown = np.zeros(max(needed, 2 * len(self._audio)), dtype=np.float32)
            grown[: self._length] = self._audio[: self._length]
            self._audio = grown
        self._audio[self._length : needed] = samples
        self._length = needed
        assert self._vad is not None
        self._vad.append(samples)
        with self._lock:
            self._trailing_silence_s = self._vad.trailing_silence_s()
            self._heard_speech = self._heard_speech or self._vad.heard_speech()

    def _plan(self) -> bool:
        """Cut a chunk at a pause (returns True), or speculate on the tail during a pause."""
        assert self._vad is not None
        cfg = self._config
        scored = len(self._vad.probs)
        pending_s = (scored - self._chunk_start) * WINDOW_S
        idle = not self._whisper_busy.is_set() and self._jobs.empty()
        if pending_s >= cfg.min_chunk_s and (idle or pending_s >= cfg.max_chunk_s):
            # Backpressure: each Whisper call has a fixed cost (30 s padding), so while
            # the worker is busy the backlog grows into one larger chunk instead of a
            # queue of small ones; when it is free, cut at the latest pause.
            earliest = self._chunk_start + int(cfg.min_chunk_s / WINDOW_S)
            latest = min(scored, self._chunk_start + int(cfg.max_chunk_s / WINDOW_S))
            cut = self._vad.find_last_pause(earliest, latest, max(1, int(cfg.cut_pause_s / WINDOW_S)))
            if cut is None and pending_s >= cfg.max_chunk_s:
                cut = self._vad.quietest(latest - int(3.0 / WINDOW_S), latest)
            if cut is not None:
                if self._has_speech(self._chunk_start, cut):
                    self._jobs.put(_Job("chunk", self._chunk_start, cut))
                self._chunk_start = cut
                return True
        if idle and self._trailing_silence_s >= min(cfg.cut_pause_s, cfg.speculate_pause_s):
            end = self._final_end()
            if not self._has_speech(self._chunk_start, end):
                return False
            if (
                self._trailing_silence_s >= cfg.cut_pause_s
                and (end - self._chunk_start) * WINDOW_S >= cfg.eager_chunk_s
            ):
                self._jobs.put(_Job("chunk", self._chunk_start, end))
                self._chunk_start = end
                return True
            if self._trailing_silence_s >= cfg.speculate_pause_s and end != self._speculated_to:
                self._speculated_to = end
                self._jobs.put(_Job("speculate", self._chunk_start, end))
            return False
        if idle and cfg.preview_every_s > 0 and \
                (scored - max(self._previewed_to, self._chunk_start)) * WINDOW_S >= cfg.preview_every_s \
                and self._has_speech(self._chunk_start, scored):
            self._previewed_to = scored
            self._jobs.put(_Job("preview", self._chunk_start, scored))
        return False

    def _wake_segmenter(self) -> None:
        """Whisper is free: a pause that began while it was busy can now be cut or
        speculated on, even if no more audio arrives (the candidate stopped talking)."""
        with self._lock:
            self._replan = True
            self._lock.notify_all()

    def _has_speech(self, start: int, end: int) -> bool:
        assert self._vad is not None
        from .vad import SPEECH_THRESHOLD

        return any(p >= SPEECH_THRESHOLD for p in self._vad.probs[start:end])

    def _final_end(self) -> int:
        """End of the tail: just after the last speech (trailing silence trimmed)."""
        assert self._vad is not None
        total_windows = -(-self._length // WINDOW)
        last = self._vad.last_speech_window()
        pad = int(self._config.tail_pad_s / WINDOW_S)
        return max(self._chunk_start, min(total_windows, last + pad))

    def _whisper_loop(self) -> None:
        try:
            model = self._models.whisper_engine()
            self._glossary = model.glossary(self._prompt_terms)
            while True:
                job = self._jobs.get()
                try:
                    if job is None or self._cancelled:
                        return
                    if job.kind in ("speculate", "preview") and not self._jobs.empty():
                        continue  # newer work is waiting; this guess would be stale
                    self._whisper_busy.set()
                    try:
                        self._run(model, job)
                    finally:
                        self._whisper_busy.clear()
                    if job.kind == "final":
                        return
                finally:
                    self._jobs.task_done()
                    self._wake_segmenter()
        except BaseException as exc:  # noqa: BLE001 - reported through finish()
            self._fail(exc if isinstance(exc, VoiceError) else VoiceError(f"Transcription failed: {exc}"))

    def _transcribe(self, model: Any, start: int, end: int) -> tuple[str, list[TimedWord]]:
        audio = self._audio[start * WINDOW : min(end * WINDOW, self._length)]
        previous = join_texts(self._texts)
        text, words = self._in_speech(*model.transcribe(
            audio, glossary=self._glossary, previous_text=previous,
            offset_s=start * WINDOW_S, single_window=True, keep_fillers=self._config.keep_fillers))
        text, words = self._missed_tail(model, start, end, previous, text, words)
        primed = self._glossary is not None or self._config.keep_fillers
        if not primed or len(words) >= self._min_plausible_words(start, end):
            return text, words
        # Measured here: with jargon in the prompt that the candidate then says
        # ("sigterm"), Whisper tiny sometimes jumps over whole sentences. Too few words
        # for the speech heard means that happened: redo the chunk unprimed (no glossary,
        # no disfluent opening) and keep whichever heard more.
        plain_text, plain_words = self._in_speech(*model.transcribe(
            audio, offset_s=start * WINDOW_S, keep_fillers=False))
        if len(plain_words) >= 1.25 * len(words) + 2:
            return plain_text, plain_words
        return text, words

    def _missed_tail(
        self, model: Any, start: int, end: int, previous: str, text: str, words: list[TimedWord]
    ) -> tuple[str, list[TimedWord]]:
        """Transcribe the speech after the last word, if Whisper's one window left some.

        faster-whisper would spend a second padded window on the audio after the last
        word anyway; here that happens only when the VAD heard speech there. The last word's
        end is not always where Whisper stopped: it may stamp one word over seconds of speech
        it skipped (seen in CI: "…because most", with "because" stamped 6.1-13.7 s), so the
        words from the first such word on are heard again."""
        if not words:
            return text, words  # nothing heard at all: the unprimed redo decides
        # (not the first word: the same audio heard again from the same place gives the same)
        stretched = next((k for k, w in enumerate(words) if k and self._voiced_s(
            int(w.start / WINDOW_S), int(w.end / WINDOW_S)) > self._config.max_word_voiced_s), None)
        kept = words if stretched is None else words[:stretched]
        resume = int((words[-1].end if stretched is None else words[stretched].start) / WINDOW_S)
        if not start <= resume < end:
            return text, words
        if self._voiced_s(resume, end) < self._config.missed_speech_s:
            return text, words
        kept_text = text if stretched is None else " ".join(w.text for w in kept)
        audio = self._audio[resume * WINDOW : min(end * WINDOW, self._length)]
        more_text, more_words = self._in_speech(*model.transcribe(
            audio, glossary=self._glossary, previous_text=join_texts([previous, kept_text]),
            offset_s=resume * WINDOW_S, single_window=True, keep_fillers=self._config.keep_fillers))
        if len(kept) + len(more_words) < len(words):
            return text, words  # heard less the second time: keep the first
        return join_texts([kept_text, more_text]), [*kept, *more_words]

    def _voiced_s(self, start: int, end: int) -> float:
        assert self._vad is not None
        from .vad import SPEECH_THRESHOLD

        return sum(p >= SPEECH_THRESHOLD for p in self._vad.probs[start:end]) * WINDOW_S

    def _in_speech(self, text: str, words: list[TimedWord]) -> tuple[str, list[TimedWord]]:
        """Drop words Whisper placed where the VAD heard no speech at all.

        Measured here: over the quiet tail of a chunk Whisper tiny sometimes repeats an
        earlier sentence ("I would put Redis in front of PostgreSQL…" twice), its words
        squashed into zero time; runs of three or more such words are dropped too."""
        assert self._vad is not None
        from .vad import SPEECH_THRESHOLD

        probs = self._vad.probs
        margin = int(0.5 / WINDOW_S)

        def heard(word: TimedWord) -> bool:
            a = max(int(word.start / WINDOW_S) - margin, 0)
            b = min(int(word.end / WINDOW_S) + margin + 1, len(probs))
            return any(p >= SPEECH_THRESHOLD for p in probs[a:b])

        # Hallucinated repeats also come squashed into no time at the chunk's end.
        squashed = [w.end - w.start < 0.02 for w in words]
        in_run = [False] * len(words)
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and squashed[j]:
                j += 1
            if j - i >= 3:
                in_run[i:j] = [True] * (j - i)
            i = max(j, i + 1)
        kept = [w for w, bad in zip(words, in_run, strict=False) if not bad and heard(w)]
        if len(kept) == len(words):
            return text, words
        return " ".join(w.text for w in kept), kept

    def _min_plausible_words(self, start: int, end: int) -> int:
        """Fewest words a chunk with this much voiced audio should hold."""
        return int(self._voiced_s(start, end) * self._config.min_words_per_voiced_s)

    def _run(self, model: Any, job: _Job) -> None:
        if job.kind == "preview":
            audio = self._audio[job.start * WINDOW : min(job.end * WINDOW, self._length)]
            text, _words = self._in_speech(*model.transcribe(
                audio, glossary=self._glossary, previous_text=join_texts(self._texts),
                offset_s=job.start * WINDOW_S, single_window=True,
                keep_fillers=self._config.keep_fillers))
            self._emit(join_texts([*self._texts, text]))
            return
        if job.kind == "speculate":
            text, words = self._transcribe(model, job.start, job.end)
            self._speculation = _Speculation(job.start, job.end, text, words)
            self._emit(join_texts([*self._texts, text]))
            return
        spec = self._speculation
        if job.kind == "final" and spec and (spec.start, spec.end) == (job.start, job.end):
            text, words = spec.text, spec.words
        elif job.kind == "final" and not self._has_speech(job.start, job.end):
            text, words = "", []
        else:
            text, words = self._transcribe(model, job.start, job.end)
            self._chunks_done += 1
        self._texts.append(text)
        self._words.extend(words)
        self._speculation = None
        full = join_texts(self._texts)
        if job.kind == "chunk":
            self._emit(full)
            return
        transcript = Transcript(
            text=full,
            words=tuple(self._words),
            duration_s=self._received / STT_SAMPLE_RATE,
            chunks=self._chunks_done,
        )
        if not self._result.done():
            self._result.set_result(transcript)
        self._partials.close()

    def _emit(self, text: str) -> None:
        self._partials.publish(text)
        if self._on_partial is not None:
            try:
                self._on_partial(text)
            except Exception:  # noqa: BLE001 - a broken callback must not stop transcription
                pass
