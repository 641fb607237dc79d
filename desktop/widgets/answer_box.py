"""Where a retry or a practice answer is written or spoken: the answer box, its word count,
Submit (Ctrl+Enter) and, when a microphone can be used, Record / Stop and send.

It only collects the answer: `submitted(text)` for a typed one, `recorded(pcm)` (PCM16 mono
16 kHz) for a spoken one; the page or dialog sends it and calls `set_busy`/`set_ready`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.audio.clips import ClipRecorder
from desktop.audio.hardware import AudioIO
from desktop.widgets.buttons import ActionButton
from desktop.widgets.level_meter import LevelMeter
from desktop.widgets.status import BusyIndicator, InlineMessage

RECORD_TEXT = "Record answer"
STOP_TEXT = "Stop and send"


class AnswerComposer(QWidget):
    submitted = Signal(str)
    recorded = Signal(bytes)

    def __init__(self, audio_io: AudioIO | None = None, can_speak: bool = False,
                 input_device: str | None = None, placeholder: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("AnswerEditor")
        self.editor.setAccessibleName("Your answer")
        self.editor.setPlaceholderText(placeholder or "Type your answer as you would say it.")
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(90)
        self.editor.textChanged.connect(self._count)
        self.words = QLabel("0 words", self)
        self.words.setObjectName("Muted")
        self.submit_button = ActionButton("Submit  (Ctrl+Enter)", "Submit answer", "PrimaryButton",
                                          self)
        self.submit_button.clicked.connect(self.submit)
        self.record_button = ActionButton(RECORD_TEXT, "Record a spoken answer",
                                          "SecondaryButton", self)
        self.record_button.clicked.connect(self.toggle_recording)
        self.meter = LevelMeter(self)
        self.meter.hide()
        self.busy = BusyIndicator(self)
        self.message = InlineMessage(self)
        self.recorder: ClipRecorder | None = None
        self.record_button.hide()
        if audio_io is not None and can_speak:
            self.enable_recording(audio_io, input_device)
        bar = QHBoxLayout()
        bar.addWidget(self.words)
        bar.addWidget(self.busy, 1)
        bar.addWidget(self.meter, 1)
        bar.addStretch(0)
        bar.addWidget(self.record_button)
        bar.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.editor, 1)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def enable_recording(self, audio_io: AudioIO, input_device: str | None = None) -> None:
        """Offer Record (a microphone was found)."""
        if self.recorder is None:
            self.recorder = ClipRecorder(audio_io, input_device, self)
            self.recorder.level.connect(self.meter.set_level)
            self.recorder.finished.connect(self._on_recorded)
        self.record_button.show()

    @property
    def recording(self) -> bool:
        return self.recorder is not None and self.recorder.recording

    def text(self) -> str:
        return self.editor.toPlainText().strip()

    def clear(self) -> None:
        self.editor.clear()
        self.message.clear_message()

    def submit(self) -> None:
        if not self.submit_button.isEnabled() or self.recording:
            return
        text = self.text()
        if not text:
            self.message.show_info("Write an answer first — even a partial one is fine.")
            return
        self.message.clear_message()
        self.submitted.emit(text)

    def toggle_recording(self) -> None:
        if self.recorder is None:
            return
        if self.recorder.recording:
            self.recorder.stop()
            self.record_button.setEnabled(False)
            self.set_busy("Transcribing your answer…")
            return
        if not self.record_button.isEnabled():
            return
        self.message.clear_message()
        self.recorder.start()
        self.meter.show()
        self.submit_button.setEnabled(False)
        self.editor.setReadOnly(True)
        self.record_button.setText(STOP_TEXT)

    def _on_recorded(self, pcm: bytes, error: str) -> None:
        self.meter.hide()
        self.record_button.setText(RECORD_TEXT)
        if error:
            self.set_ready()
            self.message.show_warning(error)
            return
        self.recorded.emit(pcm)

    def set_busy(self, text: str) -> None:
        self.busy.start(text)
        self.submit_button.setEnabled(False)
        self.record_button.setEnabled(False)
        self.editor.setReadOnly(True)

    def set_ready(self) -> None:
        self.busy.stop()
        self.submit_button.setEnabled(True)
        self.record_button.setEnabled(True)
        self.record_button.setText(RECORD_TEXT)
        self.editor.setReadOnly(False)

    def show_error(self, text: str) -> None:
        self.set_ready()
        self.message.show_error(text)

    def close_audio(self) -> None:
        if self.recorder is not None and self.recorder.recording:
            self.recorder.cancel()
            self.recorder.capture.join(2.0)

    def _count(self) -> None:
        n = len(self.editor.toPlainText().split())
        self.words.setText(f"{n} word" + ("" if n == 1 else "s"))
