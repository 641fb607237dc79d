"""The report's part of retries (issue 18): under each question, "Try this answer again",
Play for a spoken answer, and the latest retry beside the first attempt."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.widgets.buttons import ActionButton
from desktop.widgets.comparison import ComparisonView
from desktop.widgets.retry_dialog import after_side, before_side

REPORT_NOTE = ("Retries are kept with this interview to show your progress; the scores and "
               "the practice estimate above use your first attempts.")


class QuestionRetriesPanel(QWidget):
    retry_requested = Signal(int)  # the question's number
    play_requested = Signal(int)  # a recording id

    def __init__(self, number: int, can_retry: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.number = number
        self.recording_ids: list[int] = []
        self.play_button = ActionButton("▶  Play your answer", f"Play your answer to question "
                                        f"{number}", "SecondaryButton", self)
        self.play_button.clicked.connect(
            lambda: self.recording_ids and self.play_requested.emit(self.recording_ids[0]))
        self.play_button.hide()
        self.retry_button = ActionButton("Try this answer again", f"Try question {number} again",
                                         "SecondaryButton", self)
        self.retry_button.clicked.connect(lambda: self.retry_requested.emit(self.number))
        self.retry_button.setVisible(can_retry)
        self.summary = QLabel(self)
        self.summary.setObjectName("Muted")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.comparison = ComparisonView(self)
        self.comparison.play_requested.connect(self.play_requested)
        self.comparison.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.play_button)
        row.addStretch(1)
        row.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.comparison)

    def set_recordings(self, recording_ids: list[int]) -> None:
        self.recording_ids = list(recording_ids)
        self.play_button.setVisible(bool(self.recording_ids))

    def set_retries(self, question: dict) -> None:
        """One question of GET /session/{id}/retries: its first attempt and its retries."""
        retries = question.get("retries") or []
        if not retries:
            return
        latest = retries[-1]
        n = len(retries)
        self.summary.setText(f"You tried this question again {n} time{'s' * (n != 1)}. "
                             "Your latest retry beside the first attempt:")
        self.summary.show()
        self.comparison.show_comparison(latest.get("comparison") or {},
                                        before_side(question.get("before") or {}),
                                        after_side(latest),
                                        after_title=f"Retry {latest.get('attempt', n)}")
        self.comparison.show()
        self.set_recordings((question.get("before") or {}).get("recording_ids") or
                            self.recording_ids)

    def set_playing(self, recording_id: int | None) -> None:
        playing = recording_id is not None and recording_id in self.recording_ids
        self.play_button.setText("■  Stop" if playing else "▶  Play your answer")
        self.comparison.set_playing(recording_id)
