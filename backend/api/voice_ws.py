"""Voice mode over the interview WebSocket (extension; see docs/protocol.md, "Voice").

With voice on, every question and follow-up is spoken: sentence by sentence, each
chunk announced by a `speech_chunk` JSON event and followed by one binary frame of
PCM16. The candidate's answer arrives as binary PCM16 mono 16 kHz frames between
`audio_start` and `audio_end`; it is transcribed while they speak (`transcript`
events with `final: false`), and at the end the final transcript is scored as the
answer (or returned for review first, if the candidate asked for that).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from backend.engine.machine import ProtocolError, event
from backend.interviewer.domain import Question, ResumeAnalysis
from backend.protocol.codes import SocketErrorCode as E
from backend.protocol.events import Event

if TYPE_CHECKING:
    from backend.voice.service import VoiceService
    from backend.voice.streaming import StreamingTranscriber

log = logging.getLogger(__name__)

SPEECH_FORMAT = "pcm_s16le"
ANSWER_SAMPLE_RATE = 16_000
MAX_AUTO_END_SILENCE_S = 10.0
ACCURACIES = ("standard", "high")  # backend.voice.models.WHISPER_CHOICES (imported lazily)
# backend.voice.tts's speaking rates (words a minute), repeated here so this module imports
# nothing of the voice package until voice is used.
DEFAULT_SPEECH_WPM, MIN_SPEECH_WPM, MAX_SPEECH_WPM = 160, 120, 200
# The intro is on screen in full; aloud, only a greeting, so the first question is heard at
# once (issue 17: a 21 s spoken intro delayed it). Its first sentence is used when it is
# this short, else GREETING.
MAX_SPOKEN_INTRO_WORDS = 8
GREETING = "Hello, and thanks for joining."
# With auto_end_silence_s on, a pause this long starts a visible countdown to the end of the
# answer (`auto_end_countdown` events); speaking again cancels it.
COUNTDOWN_AFTER_S = 0.5
_utterance_ids = itertools.count(1)


def spoken_intro(intro: str) -> str:
    """What is said aloud of the intro: its first sentence if short, else a greeting."""
    first = intro.strip().split(". ")[0].strip()
    if first and len(first.split()) <= MAX_SPOKEN_INTRO_WORDS:
        return first if first.endswith((".", "!", "?")) else first + "."
    return GREETING


# --- what voice needs from the interview socket (its collaborators) ---------------------
class VoiceConnection(Protocol):
    """The client socket: serialised JSON events and binary frames."""

    async def send(self, ev: Event) -> None: ...

    async def send_bytes(self, data: bytes) -> None: ...

    async def error(self, code: E, message: str) -> None: ...


@dataclass(frozen=True)
class PendingQuestion:
    """The question or follow-up waiting for the candidate's answer."""

    kind: Literal["question", "followup"]
    text: str  # what was asked (for a follow-up, the follow-up's words)
    number: int
    question: Question  # the turn's question: its key points prime the recogniser


class InterviewView(Protocol):
    """A read-only view of the live interview."""

    def pending(self) -> PendingQuestion | None:
        """What waits for an answer; None when no answer is expected."""
        ...

    def upcoming_text(self) -> str | None:
        """The question planned next (spoken ahead of time), if any."""
        ...

    def analysis(self) -> ResumeAnalysis:
        """The candidate's resume analysis (its skills and gaps prime the recogniser)."""
        ...


# Scores a transcribed answer as if it had been typed, with its delivery metrics.
SubmitAnswer = Callable[[str, dict[str, Any]], Awaitable[None]]
Utterance = tuple[str, str, int]  # kind, text, question number


@dataclass(frozen=True)
class VoiceOptions:
    """A `voice_toggle` message's options."""

    enabled: bool
    review: bool = False
    auto_end_silence_s: float = 0.0
    accuracy: str | None = None  # "standard" | "high"; None keeps the current model
    speech_wpm: float = DEFAULT_SPEECH_WPM  # how fast questions are spoken

    @classmethod
    def from_message(cls, data: dict[str, Any]) -> VoiceOptions:
        """The options, or ProtocolError saying which one is wrong."""
        enabled = data.get("enabled")
        if not isinstance(enabled, bool):
            raise ProtocolError(E.BAD_MESSAGE, 'voice_toggle needs "enabled": true or false.')
        if not enabled:
            return cls(False)
        silence = data.get("auto_end_silence_s", 0) or 0
        if isinstance(silence, bool) or not isinstance(silence, (int, float)) or \
                not 0 <= silence <= MAX_AUTO_END_SILENCE_S:
            raise ProtocolError(E.BAD_MESSAGE, "auto_end_silence_s must be a number of seconds "
                                               f"from 0 (off) to {MAX_AUTO_END_SILENCE_S:g}.")
        accuracy = data.get("accuracy")
        if accuracy is not None and accuracy not in ACCURACIES:
            raise ProtocolError(E.BAD_MESSAGE, 'accuracy must be "standard" or "high".')
        wpm = data.get("speech_wpm", DEFAULT_SPEECH_WPM)
        if wpm is None:
            wpm = DEFAULT_SPEECH_WPM
        if isinstance(wpm, bool) or not isinstance(wpm, (int, float)) or \
                not MIN_SPEECH_WPM <= wpm <= MAX_SPEECH_WPM:
            raise ProtocolError(E.BAD_MESSAGE, "speech_wpm must be a number of words a minute "
                                               f"from {MIN_SPEECH_WPM} to {MAX_SPEECH_WPM}.")
        return cls(True, bool(data.get("review", False)), float(silence), accuracy, float(wpm))


def _status_event(enabled: bool, status: dict[str, Any], **extra: Any) -> Event:
    return event("voice_status", enabled=enabled,
                 stt={"state": status["stt"], "reason": status.get("stt_reason", "")},
                 tts={"state": status["tts"], "reason": status.get("tts_reason", "")}, **extra)


async def toggle_voice(channel: VoiceChannel | None, options: VoiceOptions, *,
                       conn: VoiceConnection, service: VoiceService | None,
                       view: InterviewView, submit: SubmitAnswer) -> VoiceChannel | None:
    """Switch voice on or off for one connection; returns the channel it has now.

    ``service`` is the process-wide voice service (None while voice was never used: then
    it can only be switched off)."""
    if not options.enabled or service is None:
        if channel is not None:
            await channel.close()
        status = service.status() if service is not None else \
            {"stt": "unavailable", "tts": "unavailable"}
        await conn.send(_status_event(False, status))
        return None
    reloading = options.accuracy is not None and service.set_accuracy(options.accuracy)
    status = service.status()
    if status["stt"] == "unavailable" and status["tts"] == "unavailable":
        await conn.send(_status_event(False, status))
        return channel
    first = channel is None
    if channel is None:
        channel = VoiceChannel(conn, service, view, submit, options)
    else:  # already on: change the options, say nothing again
        channel.configure(options)
    await conn.send(_status_event(True, status, **channel.options_data()))
    if first:
        channel.prepare_greeting()
        channel.start_warm_up()
    elif reloading:
        channel.watch_loading()
    return channel


class VoiceChannel:
    """One connection's voice: speaking questions and transcribing answers."""

    def __init__(self, conn: VoiceConnection, service: VoiceService, view: InterviewView,
                 submit: SubmitAnswer, options: VoiceOptions):
        self.conn = conn
        self.service = service
        self.view = view
        self.submit = submit
        self.review = options.review
        self.auto_end_silence_s = options.auto_end_silence_s
        self.speech_wpm = options.speech_wpm
        self._speech: asyncio.Task[None] | None = None
        self._warm: asyncio.Task[None] | None = None
        self._recording: StreamingTranscriber | None = None
        self._partials: asyncio.Task[None] | None = None
        self._finishing = False
        self._countdown: float | None = None  # the last remaining_s sent, while counting down
        self._auto_ended = False  # the last answer was ended by a pause (until audio_start)
        self._review_metrics: dict[str, Any] | None = None  # kept for a reviewed answer
        self._audio = bytearray()  # the answer being recorded, kept to be stored with it
        self._recorded: bytes | None = None  # the last finished answer's audio

    def configure(self, options: VoiceOptions) -> None:
        self.review = options.review
        self.auto_end_silence_s = options.auto_end_silence_s
        self.speech_wpm = options.speech_wpm

    def options_data(self) -> dict[str, Any]:
        """The options in force, as `voice_status` reports them."""
        return {"review": self.review, "auto_end_silence_s": self.auto_end_silence_s,
                "accuracy": self.service.accuracy, "speech_wpm": self.speech_wpm}

    def take_review_metrics(self) -> dict[str, Any] | None:
        """The delivery metrics of the transcript sent for review, once: the typed-in
        answer that follows (the candidate's corrected transcript) is scored with them."""
        metrics, self._review_metrics = self._review_metrics, None
        return metrics

    def take_recording(self) -> bytes | None:
        """The audio (PCM16 mono 16 kHz) of the last finished answer, once: the interview
        stores it with the answer it becomes (backend.recordings; issue 18)."""
        recorded, self._recorded = self._recorded, None
        return recorded

    # --- lifecycle ------------------------------------------------------------------
    def prepare_greeting(self) -> None:
        """Synthesise the usual spoken intro now, so the interview opens without a wait."""
        if self.service.status()["tts"] != "unavailable":
            self.service.prepare(GREETING, self.speech_wpm)

    def start_warm_up(self) -> None:
        if not self.watch_loading():
            self._speak_pending()

    def watch_loading(self) -> bool:
        """Send voice_status again once a model still loading is ready; False if none is."""
        status = self.service.status()
        if "loading" not in (status["stt"], status["tts"]):
            return False
        self._warm = asyncio.create_task(self._report_when_loaded())
        return True

    async def _report_when_loaded(self) -> None:
        status = await self.service.warm_up()
        await self.conn.send(_status_event(True, status, **self.options_data()))
        if self._speech is None:  # nothing asked since voice came on: say what is pending
            self._speak_pending()

    async def close(self) -> None:
        for task in (self._speech, self._warm, self._partials):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._recording is not None:
            self._recording.cancel()
            self._recording = None

    # --- speaking -------------------------------------------------------------------
    def _speak_pending(self) -> None:
        """Speak the question waiting for an answer (voice switched on mid-interview)."""
        pending = self.view.pending()
        if pending is not None:
            self._speak([(pending.kind, pending.text, pending.number)])

    async def after_events(self, events: list[Event]) -> None:
        """Speak what was just asked; pre-synthesise the question planned next."""
        utterances: list[Utterance] = []
        for ev in events:
            d = ev["data"]
            if ev["type"] == "intro":
                utterances.append(("intro", spoken_intro(d["message"]), 0))
            elif ev["type"] == "new_question":
                utterances.append(("question", d["question"], d["question_number"]))
            elif ev["type"] == "followup":
                utterances.append(("followup", d["question"], d.get("question_number", 0)))
        if utterances:
            self._speak(utterances)
        upcoming = self.view.upcoming_text()
        if upcoming is not None and self.service.status()["tts"] != "unavailable":
            self.service.prepare(upcoming, self.speech_wpm)

    def replay(self) -> None:
        self._speak_pending()

    def _speak(self, utterances: list[Utterance]) -> None:
        if self.service.status()["tts"] == "unavailable":
            return
        if self._speech is not None:
            self._speech.cancel()  # a newer question makes the old speech stale
        self._speech = asyncio.create_task(self._stream_speech(utterances))

    async def _stream_speech(self, utterances: list[Utterance]) -> None:
        try:
            for _kind, text, _number in utterances[1:]:  # synthesised while the first plays
                self.service.prepare(text, self.speech_wpm)
            for kind, text, number in utterances:
                uid = next(_utterance_ids)
                await self.conn.send(event("speech_start", utterance_id=uid, kind=kind, text=text,
                                           question_number=number, format=SPEECH_FORMAT,
                                           channels=1))
                samples = 0
                rate = 0
                index = -1
                async for chunk in self.service.speak(text, self.speech_wpm):
                    index += 1
                    rate = chunk.sample_rate
                    samples += len(chunk.pcm) // 2
                    await self.conn.send(event(
                        "speech_chunk", utterance_id=uid, index=index, text=chunk.text,
                        format=SPEECH_FORMAT, sample_rate=chunk.sample_rate, channels=1,
                        bytes=len(chunk.pcm)))
                    await self.conn.send_bytes(chunk.pcm)
                await self.conn.send(event("speech_end", utterance_id=uid, chunks=index + 1,
                                           duration_s=round(samples / rate, 3) if rate else 0.0))
        except asyncio.CancelledError:
            raise
        except Exception as e:  # noqa: BLE001 - speech failing must not end the interview
            log.exception("speech failed")
            await self.conn.error(E.BAD_MESSAGE, f"The question could not be spoken ({e}); "
                                                 "it is shown as text.")

    # --- listening ------------------------------------------------------------------
    def _prompt_terms(self) -> list[str]:
        """Question-aware priming: the follow-up and question being answered, its key
        points, then the resume's and the job's skills (backend.voice.priming)."""
        from backend.voice.priming import priming_terms

        texts: list[str] = []
        points: list[tuple[str, tuple[str, ...]]] = []
        pending = self.view.pending()
        if pending is not None:
            if pending.kind == "followup":
                texts.append(pending.text)
            texts.append(pending.question.text)
            points = [(k.point, k.phrasings) for k in pending.question.key_points]
        analysis = self.view.analysis()
        return priming_terms(texts, points, [s.skill for s in analysis.skills] + list(analysis.gaps))

    async def audio_start(self, data: dict[str, Any]) -> None:
        rate = data.get("sample_rate", ANSWER_SAMPLE_RATE)
        if rate != ANSWER_SAMPLE_RATE or data.get("format", SPEECH_FORMAT) != SPEECH_FORMAT:
            await self.conn.error(E.BAD_MESSAGE, "Answer audio must be PCM16 (pcm_s16le) mono at "
                                                 "16000 Hz.")
            return
        if self.view.pending() is None:
            await self.conn.error(E.WRONG_STATE, "There is no question waiting for an answer.")
            return
        if self.service.status()["stt"] != "ready":
            status = self.service.status()
            await self.conn.error(E.WRONG_STATE, status.get("stt_reason") or
                                  "Speech recognition is still loading; try again in a moment "
                                  "or type your answer.")
            return
        self._cancel_recording()
        self._auto_ended = False
        if self._speech is not None:
            self._speech.cancel()  # the candidate is answering: stop talking
        self._recording = self.service.transcriber(self._prompt_terms())
        self._audio = bytearray()
        self._recorded = None
        self._partials = asyncio.create_task(self._forward_partials(self._recording))
        await self.conn.send(event("listening", sample_rate=ANSWER_SAMPLE_RATE,
                                   format=SPEECH_FORMAT, channels=1))

    async def _forward_partials(self, recording: StreamingTranscriber) -> None:
        from backend.voice.metrics import drop_fillers

        async for text in recording.partials():
            await self.conn.send(event("transcript", text=drop_fillers(text), final=False))

    async def on_audio(self, data: bytes) -> None:
        if self._recording is None and self._auto_ended:
            return  # frames the client sent before it heard `speech_ended`: not a new answer
        if self._recording is None:
            await self.audio_start({})
            if self._recording is None:
                return
        from backend.voice.errors import AudioError

        try:
            self._recording.feed(data)
            self._audio += data
        except AudioError as e:
            self._cancel_recording()
            await self.conn.error(E.BAD_ANSWER, str(e))
            return
        if self.auto_end_silence_s and not self._finishing:
            if self._recording.speech_ended(self.auto_end_silence_s):
                self._countdown = None
                self._auto_ended = True
                await self.conn.send(event("speech_ended", silence_s=self.auto_end_silence_s))
                await self.audio_end({})
            else:
                await self._count_down(self._recording.silence_after_speech())

    async def _count_down(self, silence: float) -> None:
        """`auto_end_countdown`: the answer ends in `remaining_s` unless the candidate speaks
        (sent when the pause starts and then each half second; `null` when they speak again)."""
        if silence < COUNTDOWN_AFTER_S:
            if self._countdown is not None:
                self._countdown = None
                await self.conn.send(event("auto_end_countdown", remaining_s=None))
            return
        remaining = max(0.0, round(self.auto_end_silence_s - silence, 1))
        if self._countdown is None or self._countdown - remaining >= 0.5:
            self._countdown = remaining
            await self.conn.send(event("auto_end_countdown", remaining_s=remaining,
                                       silence_s=round(silence, 1)))

    async def audio_end(self, data: dict[str, Any]) -> None:
        if self._recording is None or self._finishing:
            if not self._finishing:
                await self.conn.error(E.WRONG_STATE, "No answer is being recorded: send "
                                                     "audio_start first.")
            return
        from backend.voice.confidence import for_grading, low_confidence_words
        from backend.voice.errors import VoiceError
        from backend.voice.metrics import (delivery_feedback, delivery_metrics, drop_fillers,
                                           is_filler_word)

        recording = self._recording
        self._finishing = True
        self._countdown = None
        try:
            transcript = await recording.finish()
        except VoiceError as e:
            await self.conn.error(E.BAD_ANSWER, str(e))
            return
        finally:
            self._recording = None
            self._finishing = False
            audio, self._audio = bytes(self._audio), bytearray()
            if self._partials is not None:
                self._partials.cancel()
        # Fillers count for delivery (every word heard), never in the graded text.
        text = drop_fillers(transcript.text.strip())
        metrics = delivery_metrics(transcript.words)
        metrics["notes"] = delivery_feedback(metrics)
        unsure = low_confidence_words(
            text, [w for w in transcript.words if not is_filler_word(w.text)])
        await self.conn.send(event("transcript", text=text, final=True, delivery=metrics,
                                   review=self.review, low_confidence=unsure))
        metrics = {**metrics, "low_confidence": for_grading(unsure)}
        if not text:
            await self.conn.error(E.BAD_ANSWER, "I didn't catch anything in that recording. "
                                                "Check the microphone level and try again, or type.")
            return
        self._recorded = audio or None  # kept with the answer it becomes (take_recording)
        if self.review:
            self._review_metrics = metrics
        else:
            await self.submit(text, metrics)

    async def audio_cancel(self, data: dict[str, Any]) -> None:
        self._cancel_recording()
        await self.conn.send(event("listening_stopped", reason="cancelled"))

    def _cancel_recording(self) -> None:
        if self._recording is not None:
            self._recording.cancel()
            self._recording = None
        if self._partials is not None:
            self._partials.cancel()
            self._partials = None
