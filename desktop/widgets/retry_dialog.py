"""“Try this answer again”: answer an interview question once more, typed or spoken, and see
it beside the first attempt (scores before -> after, points newly covered in the candidate's
words, points still missing; for spoken answers both recordings and delivery summaries).

Opened from the live feedback card and from every question of the report. The retry is kept
with the session; the report and its practice estimate keep the first attempt, and the
dialog says so. Non-blocking: `open()` it; `retried(result)` fires after each retry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QDialog, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout,
                               QWidget)

from desktop.async_utils import spawn
from desktop.audio.clips import ClipPlayer
from desktop.audio.hardware import AudioIO
from desktop.audio.prefs import VoicePrefs
from desktop.widgets.answer_box import AnswerComposer
from desktop.widgets.buttons import ActionButton
from desktop.widgets.comparison import ComparisonView

if TYPE_CHECKING:
    from desktop.client import BackendClient

FIRST_ATTEMPT_NOTE = ("Your first attempt stays the one the report's scores and practice "
                      "estimate use; retries are kept with this interview to show progress.")


def before_side(before: dict) -> dict:
    return {"answer": before.get("answer") or "", "delivery": before.get("delivery"),
            "recording_ids": before.get("recording_ids") or []}


def after_side(attempt: dict) -> dict:
    rid = attempt.get("recording_id")
    return {"answer": attempt.get("answer") or "", "delivery": attempt.get("delivery"),
            "recording_ids": [rid] if rid is not None else []}


class RetryDialog(QDialog):
    retried = Signal(dict)

    def __init__(self, client: BackendClient, session_id: str, question_number: int,
                 question: str, *, audio_io: AudioIO | None = None, can_speak: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("RetryDialog")
        self.setWindowTitle(f"Try question {question_number} again")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(820, 680)
        self.client = client
        self.session_id = session_id
        self.question_number = question_number
        self.outcome: dict | None = None
        prefs = VoicePrefs.load()
        self.player: ClipPlayer | None = None
        if audio_io is not None:
            self.player = ClipPlayer(audio_io, client.recording_pcm,
                                     prefs.output_device or None, self)
            self.player.state.connect(self._on_play_state)

        title = QLabel("Try this answer again", self)
        title.setObjectName("SectionTitle")
        self.question = QLabel(question, self)
        self.question.setObjectName("SubTitle")
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note = QLabel(FIRST_ATTEMPT_NOTE, self)
        note.setObjectName("Muted")
        note.setWordWrap(True)
        self.composer = AnswerComposer(audio_io, can_speak, prefs.input_device or None,
                                       "Answer again, using what the feedback said was missing.",
                                       self)
        self.composer.submitted.connect(lambda text: spawn(self._send(text=text)))
        self.composer.recorded.connect(lambda pcm: spawn(self._send(pcm=pcm)))

        self.comparison = ComparisonView(self)
        self.comparison.play_requested.connect(self.play)
        self.result_area = QScrollArea(self)
        self.result_area.setWidgetResizable(True)
        self.result_area.setFrameShape(QFrame.Shape.NoFrame)
        self.result_area.setWidget(self.comparison)
        self.result_area.hide()

        self.again_button = ActionButton("Try again", "Try this answer again", "SecondaryButton",
                                         self)
        self.again_button.clicked.connect(self.try_again)
        self.again_button.hide()
        self.close_button = ActionButton("Close", "Close", "SecondaryButton", self)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.question)
        layout.addWidget(note)
        layout.addWidget(self.composer, 1)
        layout.addWidget(self.result_area, 3)
        layout.addLayout(buttons)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.composer.isVisible():
            QTimer.singleShot(0, self.composer.editor.setFocus)  # type straight away

    async def _send(self, text: str | None = None, pcm: bytes | None = None) -> None:
        self.composer.set_busy("Scoring your answer…" if pcm is None
                               else "Transcribing and scoring your answer…")
        try:
            if pcm is None:
                result = await self.client.retry(self.session_id, self.question_number,
                                                 text or "")
            else:
                result = await self.client.retry_spoken(self.session_id, self.question_number,
                                                        pcm)
        except Exception as e:  # noqa: BLE001 - ApiError or a lost connection: say so
            self.composer.show_error(f"Not scored: {e}")
            return
        self.show_result(result)
        self.retried.emit(result)

    def show_result(self, result: dict) -> None:
        self.outcome = result
        retry = result.get("retry") or (result.get("retries") or [{}])[-1]
        self.comparison.show_comparison(retry.get("comparison") or {},
                                        before_side(result.get("before") or {}),
                                        after_side(retry), note=str(result.get("note") or ""),
                                        after_title=f"Retry {retry.get('attempt', '')}".strip())
        self.composer.set_ready()
        self.composer.hide()
        self.result_area.show()
        self.again_button.show()
        self.again_button.setFocus()
        self.again_button.updateGeometry()  # the focus frame is 2 px wider

    def try_again(self) -> None:
        self.result_area.hide()
        self.again_button.hide()
        self.composer.clear()
        self.composer.show()
        self.composer.editor.setFocus()

    def play(self, recording_id: int) -> None:
        if self.player is None:
            return
        if self.player.current == recording_id:
            self.player.stop()
        else:
            self.player.play(recording_id)

    def _on_play_state(self, recording_id: int, state: str) -> None:
        self.comparison.set_playing(recording_id if state in ("loading", "playing") else None)
        if state not in ("loading", "playing", "done"):
            self.composer.message.show_warning(state)

    def done(self, result: int) -> None:  # noqa: N802 - Qt's name
        self.composer.close_audio()
        if self.player is not None:
            self.player.close()
        super().done(result)
