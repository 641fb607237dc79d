"""A question as the interviewer asks it: number, topic, difficulty, why it is asked.

A follow-up is a card of its own (badge "Follow-up 1", "Why this follow-up"), shown below
the answer it follows, so the conversation keeps its context. The chips wrap onto a new line
rather than squeezing each other. `action_row` is a row at the bottom for actions on the
question (e.g. a Skip button), hidden while empty; see add_action().
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.widgets.chips import flow_widget


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
        self.question.setStyleSheet("font-size: 13.5pt;")
        self.why_title = _label("SubTitle", self, wrap=False)
        self.why = _label("Muted", self)

        head, chips = flow_widget(self)
        for w in (self.number, self.followup_badge, self.topic, self.difficulty):
            w.setParent(head)
            chips.addWidget(w)
        self._actions = QWidget(self)
        self.action_row = QHBoxLayout(self._actions)
        self.action_row.setContentsMargins(0, 0, 0, 0)
        self.action_row.setSpacing(8)
        self.action_row.addStretch(1)
        self._actions.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(head)
        layout.addWidget(self.question)
        layout.addWidget(self.why_title)
        layout.addWidget(self.why)
        layout.addWidget(self._actions)
        self.clear()

    def add_action(self, widget: QWidget) -> None:
        """Put a control (e.g. a Skip button) in the card's action row, right-aligned."""
        self.action_row.addWidget(widget)
        self._actions.show()

    def clear(self, text: str = "") -> None:
        self.number.setText("")
        self.number.hide()
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
        self.number.show()
        self._chip(self.topic, data.get("topic", ""))
        difficulty = str(data.get("difficulty", ""))
        self.difficulty.setProperty("kind", difficulty)
        self._chip(self.difficulty, difficulty.capitalize())
        self.followup_badge.hide()
        self.question.setText(data.get("question", ""))
        self._why("Why we ask", data.get("explanation", ""))
        self.setProperty("followup", False)
        self._restyle()
        self.setAccessibleName(f"{self.number.text()}: {self.question.text()}")

    def show_followup(self, data: dict) -> None:
        """A follow-up says which question it follows and, plainly, why it is asked."""
        number, n = data.get("question_number"), data.get("followup_number")
        self.number.setText(f"Question {number}" if number else "")
        self.number.setVisible(bool(number))
        self.followup_badge.setText(f"Follow-up {n}" if n else "Follow-up")
        self.followup_badge.show()
        self._chip(self.topic, data.get("topic", ""))
        self.difficulty.hide()
        self.question.setText(data.get("question", ""))
        self._why("Why this follow-up", data.get("reason", ""))
        self.setProperty("followup", True)
        self._restyle()
        self.setAccessibleName(f"Follow-up: {self.question.text()}")

    def _why(self, title: str, text: str) -> None:
        self.why_title.setText(title)
        self.why.setText(text)
        self.why_title.setVisible(bool(text))
        self.why.setVisible(bool(text))

    @staticmethod
    def _chip(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def _restyle(self) -> None:
        for w in (self, self.difficulty):
            w.style().unpolish(w)
            w.style().polish(w)
