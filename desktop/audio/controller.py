"""The voice side of one interview: speech events to the speakers, the microphone to the socket.

Protocol: docs/protocol.md, "Voice (extension)". The controller lives on the GUI thread
and only moves bytes between threads: capture and playback run on their own workers.
Everything it sends goes through one outbox task, so audio_start, the frames and
audio_end reach the backend in order.

Talking: `toggle_talking()` (Space or the Talk button) sends audio_start and starts the
capture worker; the second press stops it, the last (padded) frame goes out, then
audio_end. A source that ends by itself (a WAV file) ends the answer the same way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.async_utils import spawn
from desktop.audio.capture import CaptureWorker
from desktop.audio.devices import DeviceReport
from desktop.audio.hardware import AudioIO
from desktop.audio.playback import Player
from desktop.audio.prefs import VoicePrefs
from desktop.audio.sources import TARGET_RATE

log = logging.getLogger(__name__)

LOADING_TEXT = "Loading voice models…"
# A microphone whose input stays below this level (level_of: about -53 dBFS) for
# MIC_CHECK_S after Talk is muted, off or not the one in use: said at once, not after Stop.
NOISE_FLOOR_LEVEL = 0.12
MIC_CHECK_S = 2.0
CANT_HEAR = ("We can't hear you — check that your microphone is on and not muted "
             "(or pick another one below).")


@dataclass
class Utterance:
    """One spoken question (or intro / follow-up) as it arrived and played."""

    uid: int
    kind: str
    text: str
    question_number: int
    received_at: float
    sample_rate: int = 0
    pcm: bytearray = field(default_factory=bytearray)
    chunks: int = 0
    ended: bool = False
    first_chunk_at: float | None = None  # when the first audio arrived
    first_played_at: float | None = None  # when it started playing
    skip_chunks: int = 0  # sentences already played from an identical, cut-off utterance

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate if self.sample_rate else 0.0


class VoiceController(QObject):
    """Signals say what to show; the page and the voice panel only render them."""

    state_changed = Signal(str, str)  # loading | ready | listen-only | unavailable, sentence
    talk_state = Signal(str)  # idle | recording | transcribing
    level = Signal(float)
    partial = Signal(str)
    final = Signal(str, dict, bool)  # transcript, delivery metrics, review mode
    speaking = Signal(bool)  # the interviewer's voice is playing
    problem = Signal(str)
    mic_silent = Signal(bool)  # True: nothing above the noise floor since Talk (2 s)
    auto_end = Signal(object)  # hands-free: seconds until the answer ends, None: cancelled

    def __init__(self, io: AudioIO, prefs: VoicePrefs, devices: DeviceReport,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.io = io
        self.prefs = prefs
        self.devices = devices
        self.state = "loading"
        self.stt_ready = False
        self.tts_ready = False
        self.talk = "idle"
        self.awaiting_answer = False
        self.utterances: dict[int, Utterance] = {}
        self.capture = CaptureWorker(self)
        self.capture.frame.connect(self._on_frame)
        self.capture.finished.connect(self._on_capture_finished)
        self.player = Player(lambda: self.io.make_sink(
            self.devices.open_key(self.prefs.output_device, output=True)), self)
        self.player.chunk_started.connect(self._on_chunk_started)
        self.player.idle.connect(lambda: self.speaking.emit(False))
        self.player.failed.connect(self.problem)
        self._connection: Any = None
        self._outbox: asyncio.Queue | None = None
        self._sender: asyncio.Task | None = None
        self._announced: dict | None = None  # the speech_chunk whose bytes come next
        self._streaming: int | None = None  # utterance still arriving
        self._mute_text: str | None = None  # a question re-spoken only because of a re-toggle
        self._last_question_text = ""
        self._cancel = False  # the recording being stopped is abandoned, not sent
        self.low_confidence: list[dict] = []  # the last final transcript's unsure words
        self._loudest = 0.0  # the loudest frame since Talk
        self.silent = False  # the can't-hear-you warning is showing
        self._mic_check = QTimer(self)
        self._mic_check.setSingleShot(True)
        self._mic_check.setInterval(int(MIC_CHECK_S * 1000))
        self._mic_check.timeout.connect(self._check_mic)
        self._server_ended = False  # hands-free: the backend ended the answer itself

    # ---- wiring -------------------------------------------------------------------------
    @property
    def can_answer(self) -> bool:
        return self.devices.can_answer

    @property
    def review_confirmed(self) -> bool:
        """Every answer waits for the candidate's Submit (no "Scoring in 3 s")."""
        return bool(self.prefs.review)

    def toggle_data(self) -> dict:
        """The voice_toggle message body for the current preferences.

        `review` is always on over the wire: the transcript comes back before it is graded,
        and the page shows it ("Scoring in 3 s — Edit", or, with the candidate's review
        choice, until they submit) and sends it as the answer (docs/protocol.md)."""
        return {"enabled": True, "review": True,
                "auto_end_silence_s": float(self.prefs.auto_end_silence_s),
                "accuracy": self.prefs.accuracy, "speech_wpm": int(self.prefs.speech_wpm)}

    def attach(self, connection: Any) -> None:
        """Use this interview connection (binary frames in, messages out)."""
        self._connection = connection
        connection.audio_received.connect(self._on_audio)
        self._outbox = asyncio.Queue()
        self._sender = spawn(self._send_loop(self._outbox))

    async def close(self) -> None:
        """Stop recording and playback and the threads behind them."""
        self.capture.stop()
        self.player.close()
        self.capture.join()
        if self._sender is not None:
            self._sender.cancel()
            self._sender = None
        if self._connection is not None:
            try:
                self._connection.audio_received.disconnect(self._on_audio)
            except (RuntimeError, TypeError):
                pass
            self._connection = None

    def _send(self, type_: str, data: dict | None = None) -> None:
        if self._outbox is not None:
            self._outbox.put_nowait((type_, data))

    async def _send_loop(self, outbox: asyncio.Queue) -> None:
        from desktop.client import ApiError

        while True:
            item = await outbox.get()
            try:
                if isinstance(item, bytes):
                    await self._connection.send_audio(item)
                else:
                    await self._connection.send(*item)
            except ApiError:
                if self.talk == "recording":
                    self.capture.stop()
                    self.problem.emit("The connection dropped while recording. Once it is "
                                      "back, press Talk and answer again, or type.")
                    self._set_talk("idle")

    # ---- server events ------------------------------------------------------------------
    def handle(self, ev: dict) -> None:
        """Every interview event passes through here (voice ones matter)."""
        kind, data = ev["type"], ev["data"]
        handler = getattr(self, f"_ev_{kind}", None)
        if handler is not None:
            handler(data)

    def _ev_connected(self, data: dict) -> None:
        self._announced = None  # a new socket: nothing half-announced survives

    def _ev_voice_status(self, data: dict) -> None:
        stt = (data.get("stt") or {}).get("state", "unavailable")
        tts = (data.get("tts") or {}).get("state", "unavailable")
        self.stt_ready, self.tts_ready = stt == "ready", tts == "ready"
        if not data.get("enabled"):
            reasons = [(data.get(k) or {}).get("reason", "") for k in ("stt", "tts")]
            why = " ".join(r for r in reasons if r)
            self._set_state("unavailable", "Voice is unavailable" + (f": {why}" if why else ".")
                            + " Type your answers as usual.")
        elif "loading" in (stt, tts):
            self._set_state("loading", LOADING_TEXT)
        elif self.stt_ready and self.can_answer:
            self._set_state("ready", "Press Space or click Talk to answer aloud.")
        else:
            why = ("No microphone found" if not self.can_answer
                   else "Speech recognition is unavailable")
            self._set_state("listen-only", f"{why}: questions are read aloud; type your answers.")

    def _ev_new_question(self, data: dict) -> None:
        self.awaiting_answer = True
        self._last_question_text = str(data.get("question", ""))

    def _ev_followup(self, data: dict) -> None:
        self._ev_new_question(data)

    def _ev_score_update(self, data: dict) -> None:
        self.awaiting_answer = False
        if self.talk == "transcribing":
            self._set_talk("idle")

    def _ev_phase_update(self, data: dict) -> None:
        if data.get("phase") in ("evaluation", "completed"):
            self.awaiting_answer = False
            self.stop_talking(cancel=True)
            self.stop_speaking()

    def _ev_speech_ended(self, data: dict) -> None:
        """Hands-free: the backend heard the pause and ended the answer itself."""
        self.auto_end.emit(None)
        if self.talk == "recording":
            self._server_ended = True
            self.capture.stop()
            self._set_talk("transcribing")  # no more frames go out

    def _ev_auto_end_countdown(self, data: dict) -> None:
        remaining = data.get("remaining_s")
        if self.talk == "recording":
            self.auto_end.emit(float(remaining) if isinstance(remaining, (int, float)) else None)

    def _ev_speech_start(self, data: dict) -> None:
        uid = int(data.get("utterance_id", 0))
        utterance = Utterance(uid, str(data.get("kind", "")), str(data.get("text", "")),
                              int(data.get("question_number") or 0), time.monotonic())
        cut = self.utterances.get(self._streaming) if self._streaming is not None else None
        if cut is not None and cut.text == utterance.text:
            # The server restarted the same words (e.g. when the models finished loading):
            # carry on from where the cut one stopped instead of starting over.
            utterance.skip_chunks = cut.chunks
        elif cut is not None:
            self.player.stop()  # cancelled for a newer question: drop its audio
        self._streaming = uid
        self.utterances[uid] = utterance

    def _ev_speech_chunk(self, data: dict) -> None:
        self._announced = dict(data)

    def _ev_speech_end(self, data: dict) -> None:
        uid = int(data.get("utterance_id", 0))
        if uid in self.utterances:
            self.utterances[uid].ended = True
        if self._streaming == uid:
            self._streaming = None

    def _ev_listening(self, data: dict) -> None:
        if self.talk == "recording":
            self.partial.emit("")

    def _ev_transcript(self, data: dict) -> None:
        text = str(data.get("text", ""))
        if not data.get("final"):
            self.partial.emit(text)
            return
        self.low_confidence = [m for m in data.get("low_confidence") or [] if isinstance(m, dict)]
        if data.get("review"):  # the page shows it before it is sent as the answer
            self._set_talk("idle")
        self.final.emit(text, dict(data.get("delivery") or {}), bool(self.prefs.review))

    def _ev_listening_stopped(self, data: dict) -> None:
        self._set_talk("idle")

    def _ev_error(self, data: dict) -> None:
        if self.talk != "idle":  # the backend refused the recording or its audio
            self.capture.stop()
            self._set_talk("idle")

    def _on_audio(self, pcm: bytes) -> None:
        announced, self._announced = self._announced, None
        if announced is None or int(announced.get("bytes", -1)) != len(pcm):
            log.warning("ignored %d bytes of audio that no speech_chunk announced", len(pcm))
            return
        uid = int(announced.get("utterance_id", 0))
        utterance = self.utterances.get(uid)
        if utterance is None:
            return
        rate = int(announced.get("sample_rate", 0))
        utterance.sample_rate = rate
        utterance.pcm += pcm
        utterance.chunks += 1
        if utterance.first_chunk_at is None:
            utterance.first_chunk_at = time.monotonic()
        if self._mute_text is not None and utterance.text == self._mute_text \
                and not utterance.skip_chunks:
            return  # heard already; the server re-spoke it only because settings changed
        if int(announced.get("index", 0)) < utterance.skip_chunks:
            return  # this sentence already played from the cut-off copy
        if self.talk == "recording":
            return  # never talk over the candidate
        self.player.play(uid, int(announced.get("index", 0)), pcm, rate)

    def _on_chunk_started(self, uid: int, index: int, at: float) -> None:
        utterance = self.utterances.get(uid)
        if utterance is not None and utterance.first_played_at is None:
            utterance.first_played_at = at
        self.speaking.emit(True)

    # ---- the candidate's actions ------------------------------------------------------
    def replay(self) -> None:
        """Hear the pending question again."""
        self.player.stop()
        self._mute_text = None
        self._send("replay")

    def stop_speaking(self) -> None:
        self.player.stop()
        self.speaking.emit(False)

    def set_review(self, review: bool) -> None:
        """Confirm every answer (True) or score it after a short visible pause (False); the
        page applies it to the next transcript (the wire option stays on)."""
        if review != self.prefs.review:
            self.prefs.review = review
            self.prefs.save()

    def set_input(self, name: str) -> None:
        self.prefs.input_device = name
        self.prefs.save()

    def set_output(self, name: str) -> None:
        if name != self.prefs.output_device:
            self.prefs.output_device = name
            self.prefs.save()
            self.player.close()  # the next chunk opens the new device

    def toggle_talking(self) -> bool:
        """Start or stop an answer; False when talking is not possible right now."""
        if self.talk == "recording":
            self.stop_talking()
            return True
        return self.start_talking()

    def start_talking(self) -> bool:
        if self.talk != "idle" or not self.awaiting_answer or not self.stt_ready \
                or not self.can_answer or self._connection is None or self.capture.running:
            return False
        self.player.stop()
        self._mute_text = None
        self._send("audio_start", {"sample_rate": TARGET_RATE, "format": "pcm_s16le"})
        device = self.devices.open_key(self.prefs.input_device, output=False)
        self._loudest = 0.0
        self._server_ended = False
        self._set_silent(False)
        self.capture.start(lambda: self.io.make_source(device))
        self._set_talk("recording")
        self._mic_check.start()
        return True

    def _check_mic(self) -> None:
        if self.talk == "recording" and self._loudest < NOISE_FLOOR_LEVEL:
            self._set_silent(True)

    def _set_silent(self, silent: bool) -> None:
        if silent != self.silent:
            self.silent = silent
            self.mic_silent.emit(silent)

    def stop_talking(self, cancel: bool = False) -> None:
        if self.talk != "recording":
            return
        self._cancel = cancel
        self.capture.stop()

    def _on_frame(self, frame: bytes, level: float) -> None:
        if self.talk == "recording" and self._outbox is not None:
            self._outbox.put_nowait(frame)
            self._loudest = max(self._loudest, level)
            if self.silent and level >= NOISE_FLOOR_LEVEL:
                self._set_silent(False)  # heard now: the warning goes by itself
        self.level.emit(level)

    def _on_capture_finished(self, error: str) -> None:
        self.level.emit(0.0)
        self._mic_check.stop()
        self._set_silent(False)
        self.auto_end.emit(None)
        if self._server_ended:  # hands-free: the backend already ended it
            self._server_ended = False
            if error:
                self.problem.emit(error)
            return
        if self.talk != "recording":
            return
        if error or self._cancel:
            self._cancel = False
            self._send("audio_cancel")
            self._set_talk("idle")
            if error:
                self.problem.emit(error)
            return
        self._send("audio_end")
        self._set_talk("transcribing")

    # ---- state --------------------------------------------------------------------------
    def _set_state(self, state: str, text: str) -> None:
        self.state = state
        self.state_changed.emit(state, text)

    def _set_talk(self, talk: str) -> None:
        if talk != self.talk:
            self.talk = talk
            self.talk_state.emit(talk)
