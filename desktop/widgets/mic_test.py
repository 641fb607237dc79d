"""Setup's "Test your microphone": record 3 s, show the level, play it back, show what Whisper
heard (issue 17: a dead microphone was found out only after a whole answer).

The recording goes through the same capture worker, framing and devices as an answer
(desktop.audio), the playback through the same player, and the transcript comes from the
backend (`POST /voice/transcribe`). The microphone picked here is remembered for interviews.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.async_utils import spawn
from desktop.audio.capture import CaptureWorker
from desktop.audio.controller import CANT_HEAR, NOISE_FLOOR_LEVEL
from desktop.audio.devices import DeviceReport
from desktop.audio.hardware import AudioIO
from desktop.audio.playback import Player
from desktop.audio.prefs import VoicePrefs
from desktop.audio.sources import TARGET_RATE
from desktop.widgets.buttons import ActionButton
from desktop.widgets.level_meter import LevelMeter
from desktop.widgets.voice_panel import DEFAULT_DEVICE

if TYPE_CHECKING:
    from desktop.client import BackendClient

log = logging.getLogger(__name__)

TEST_SECONDS = 3
QUIET_LEVEL = 0.45  # loudest frame under this (about -33 dBFS): speech that is hard to hear


class MicTest(QFrame):
    """The microphone picker and its test. `state`: idle, recording, checking, done."""

    finished = Signal(dict)  # {"text", "loudest", "error"} once a test is over

    def __init__(self, client: BackendClient, audio_io: AudioIO, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.setAccessibleName("Microphone test")
        self.client = client
        self.io = audio_io
        self.devices = DeviceReport()
        self.state = "idle"
        self.pcm = bytearray()
        self.loudest = 0.0
        self.result: dict = {}
        title = QLabel("Test your microphone", self)
        title.setObjectName("SubTitle")
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Microphone")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(12)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.activated.connect(self._chosen)
        self.button = ActionButton("Test your microphone", "Test your microphone",
                                   "SecondaryButton", self)
        self.button.setToolTip(f"Records {TEST_SECONDS} s, plays it back and shows what "
                               "Rehearse heard")
        self.button.clicked.connect(self.start)
        self.meter = LevelMeter(self)
        self.status = QLabel(f"Say a sentence; Rehearse records {TEST_SECONDS} s, plays it "
                             "back and shows what it heard.", self)
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Microphone test status")
        self.heard = QLabel(self)
        self.heard.setWordWrap(True)
        self.heard.setAccessibleName("What Rehearse heard")
        self.heard.hide()
        self.warning = QLabel(self)
        self.warning.setObjectName("WarnText")
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Microphone warning")
        self.warning.hide()
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.combo, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.meter)
        layout.addWidget(self.status)
        layout.addWidget(self.warning)
        layout.addWidget(self.heard)
        self.capture = CaptureWorker(self)
        self.capture.frame.connect(self._on_frame)
        self.capture.finished.connect(self._on_recorded)
        self.player = Player(lambda: self.io.make_sink(
            self.devices.open_key(VoicePrefs.load().output_device, output=True)), self)
        self._stop_timer = QTimer(self)
        self._stop_timer.setSingleShot(True)
        self._stop_timer.setInterval(TEST_SECONDS * 1000)
        self._stop_timer.timeout.connect(self.capture.stop)

    def set_devices(self, report: DeviceReport) -> None:
        self.devices = report
        chosen = VoicePrefs.load().input_device
        self.combo.clear()
        self.combo.addItem(DEFAULT_DEVICE, "")
        for device in report.inputs:
            self.combo.addItem(device.name, device.key)
        index = self.combo.findData(chosen) if chosen else 0
        self.combo.setCurrentIndex(max(0, index))
        self.setVisible(report.can_answer)

    def _chosen(self, _index: int) -> None:
        prefs = VoicePrefs.load()
        prefs.input_device = self.combo.currentData() or ""
        prefs.save()

    # ---- the test -------------------------------------------------------------------
    def start(self) -> None:
        if self.state in ("recording", "checking"):
            return
        spawn(self._warm_up())  # Whisper loads while the candidate speaks
        self.player.stop()
        self.state = "recording"
        self.pcm = bytearray()
        self.loudest = 0.0
        self.result = {}
        self.heard.hide()
        self.warning.hide()
        self.button.setEnabled(False)
        self.combo.setEnabled(False)
        self.status.setText(f"Recording for {TEST_SECONDS} s — say a sentence, as you would "
                            "answer…")
        key = self.devices.open_key(self.combo.currentData() or None, output=False)
        self.capture.start(lambda: self.io.make_source(key))
        self._stop_timer.start()

    async def _warm_up(self) -> None:
        from desktop.client import ApiError

        try:
            await self.client.voice_warm_up()
        except ApiError:
            pass  # the transcription request reports it

    def _on_frame(self, frame: bytes, level: float) -> None:
        if self.state == "recording":
            self.pcm += frame
            self.loudest = max(self.loudest, level)
        self.meter.set_level(level)

    def _on_recorded(self, error: str) -> None:
        self._stop_timer.stop()
        self.meter.reset()
        if error:
            self._done({"text": "", "loudest": 0.0, "error": error})
            return
        self.state = "checking"
        self.status.setText("Playing it back — and checking what Rehearse heard…")
        pcm = bytes(self.pcm)
        if pcm:
            self.player.play(0, 0, pcm, TARGET_RATE)
        spawn(self._transcribe(pcm))

    async def _transcribe(self, pcm: bytes) -> None:
        from desktop.client import ApiError

        result: dict = {"text": "", "loudest": self.loudest, "error": ""}
        if self.loudest < NOISE_FLOOR_LEVEL:
            result["error"] = CANT_HEAR
        elif pcm:
            try:
                heard = await self.client.transcribe(pcm)
                result["text"] = str(heard.get("text") or "")
                result["low_confidence"] = heard.get("low_confidence") or []
            except ApiError as e:
                result["error"] = f"Rehearse could not check the recording: {e}"
        self._done(result)

    def _done(self, result: dict) -> None:
        self.state = "done"
        self.result = result
        self.button.setEnabled(True)
        self.combo.setEnabled(True)
        self.button.setText("Test again")
        error = result.get("error", "")
        text = result.get("text", "")
        if error:
            self.warning.setText(error)
            self.warning.show()
            self.status.setText("Check the microphone, then test again.")
        elif not text:
            self.warning.setText("The microphone works, but Rehearse heard no words. Speak "
                                 "a little louder or closer, then test again.")
            self.warning.show()
            self.status.setText("")
        else:
            quiet = result.get("loudest", 1.0) < QUIET_LEVEL
            self.status.setText("Quiet: move a little closer or raise the input volume."
                                if quiet else "Your microphone works.")
            self.heard.setText(f"Rehearse heard: “{text}”")
            self.heard.show()
        self.status.setVisible(bool(self.status.text()))
        self.finished.emit(result)

    def shutdown(self) -> None:
        self.capture.stop()
        self.player.close()
        self.capture.join()
