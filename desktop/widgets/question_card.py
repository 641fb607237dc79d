"""The question as the interviewer asks it: topic, difficulty, why it is asked, follow-ups."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


def _label(name: str, parent: QWidget, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class QuestionCard(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("QuestionCard")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.number = _label("QuestionNumber", self, wrap=False)
        self.topic = _label("Chip", self, wrap=False)
        self.topic.setProperty("kind", "topic")
        self.difficulty = _label("Chip", self, wrap=False)
        self.followup_badge = _label("Chip", self, wrap=False)
        self.followup_badge.setProperty("kind", "followup")
        self.followup_badge.setText("Follow-up")
        self.question = _label("QuestionText", self)
        # Size only (colours stay with the theme); the theme's QWidget rule beats setFont.
        self.question.setStyleSheet("font-size: 14pt;")
        self.why_title = _label("SectionTitle", self, wrap=False)
        self.why = _label("Muted", self)

        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.number)
        head.addWidget(self.topic)
        head.addWidget(self.difficulty)
        head.addWidget(self.followup_badge)
        head.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addWidget(self.question)
        layout.addWidget(self.why_title)
        layout.addWidget(self.why)
        self.clear()

    def clear(self, text: str = "") -> None:
        self.number.setText("")
        for chip in (self.topic, self.difficulty, self.followup_badge):
            chip.hide()
        self.question.setText(text)
        self.why_title.hide()
        self.why.hide()
        self.setProperty("followup", False)
        self._restyle()

    def show_question(self, data: dict) -> None:
        number, total = data.get("question_number"), data.get("max_questions")
        self.number.setText(f"Question {number} of {total}" if total else f"Question {number}")
        self._chip(self.topic, data.get("topic", ""))
        difficulty = str(data.get("difficulty", ""))
        self.difficulty.setProperty("kind", difficulty)
        self._chip(self.difficulty, difficulty.capitalize())
        self.followup_badge.hide()
        self.question.setText(data.get("question", ""))
        self.why_title.setText("Why we ask")
        self.why.setText(data.get("explanation", ""))
        self.why_title.setVisible(bool(data.get("explanation")))
        self.why.setVisible(bool(data.get("explanation")))
        self.setProperty("followup", False)
        self._restyle()
        self.setAccessibleName(f"{self.number.text()}: {self.question.text()}")

    def show_followup(self, data: dict) -> None:
        """A follow-up keeps the topic chips and says plainly why it is asked."""
        n = data.get("followup_number")
        self.followup_badge.setText(f"Follow-up {n}" if n else "Follow-up")
        self.followup_badge.show()
        self.question.setText(data.get("question", ""))
        self.why_title.setText("Why this follow-up")
        self.why.setText(data.get("reason", ""))
        self.why_title.setVisible(bool(data.get("reason")))
        self.why.setVisible(bool(data.get("reason")))
        self.setProperty("followup", True)
        self._restyle()
        self.setAccessibleName(f"Follow-up: {self.question.text()}")

    @staticmethod
    def _chip(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def _restyle(self) -> None:
        for w in (self, self.difficulty):
            w.style().unpolish(w)
            w.style().polish(w)
