"""What the candidate sees while a local model works, and when the built-in one takes over.

ThinkingIndicator: a spinning arc and "The interviewer is thinking — reading your answer…",
shown on the protocol's `thinking` event. InterviewerNotice: a calm, dismissible line saying
that the local model did not answer and the built-in interviewer carried on (it never
blocks the interview). Colours come from the theme (objectNames ThinkingNote, Spinner,
InterviewerNotice, NoticeClose in assets/themes/*.qss).
"""

from __future__ import annotations

from PySide6.QtCore import Property, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

STEP_TEXT = {
    "question": "preparing the next question…",
    "grading": "reading your answer…",
    "report": "writing your report…",
}

BUILTIN_SUFFIX = "; the built-in interviewer carries on for this step."


def thinking_text(step: str) -> str:
    return f"The interviewer is thinking — {STEP_TEXT.get(step, 'one moment…')}"


def fallback_text(reason: str) -> str:
    """The notice for an `interviewer_status` with fallback=true (the backend's reason
    already says the built-in carries on; that part is not repeated)."""
    reason = (reason or "").strip()
    if reason.endswith(BUILTIN_SUFFIX):
        reason = reason[: -len(BUILTIN_SUFFIX)]
    reason = reason.rstrip(" .;") or "no reason given"
    # One level of brackets reads better: "(…reached (trying again in 60 s))" -> ", trying…".
    reason = reason.replace(" (", ", ").replace("(", "").replace(")", "")
    if not reason[:2].isupper():  # "The model…" -> "the model…", but "HTTP 500…" stays
        reason = reason[:1].lower() + reason[1:]
    return f"The local model did not answer ({reason}); the built-in interviewer is carrying on."


class Spinner(QWidget):
    """A small rotating arc; it only ticks while visible."""

    def __init__(self, parent: QWidget | None = None, size: int = 18):
        super().__init__(parent)
        self.setObjectName("Spinner")
        self.setFixedSize(size, size)
        self._color = QColor("#2f5bd3")
        self._angle = 0
        self._timer = QTimer(self)
        self._timer.setInterval(60)
        self._timer.timeout.connect(self._tick)

    def getColor(self) -> QColor:  # noqa: N802 (Qt property accessor)
        return self._color

    def setColor(self, colour: QColor) -> None:  # noqa: N802
        self._color = QColor(colour)
        self.update()

    color = Property(QColor, getColor, setColor)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        self._angle = (self._angle + 30) % 360
        self.update()

    def showEvent(self, event) -> None:  # noqa: N802
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        self._timer.stop()
        super().hideEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self._color, 2.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        m = 2.5
        rect = QRectF(m, m, self.width() - 2 * m, self.height() - 2 * m)
        painter.drawArc(rect, -self._angle * 16, 270 * 16)


class ThinkingIndicator(QFrame):
    """Hidden until start(step); stop() hides it. `step` is "" when idle."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ThinkingNote")
        self.spinner = Spinner(self)
        self.label = QLabel(self)
        self.label.setObjectName("ThinkingText")
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(10)
        layout.addWidget(self.spinner, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.label, 1)
        self.step = ""
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text()

    def start(self, step: str) -> None:
        self.step = step or "question"
        text = thinking_text(self.step)
        self.label.setText(text)
        self.setAccessibleName(text)
        self.show()

    def stop(self) -> None:
        self.step = ""
        self.label.clear()
        self.hide()


class InterviewerNotice(QFrame):
    """A dismissible notice (the built-in interviewer took over a step)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("InterviewerNotice")
        self.label = QLabel(self)
        self.label.setObjectName("NoticeText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("NoticeClose")
        self.close_button.setText("Dismiss")
        self.close_button.setAccessibleName("Dismiss the notice")
        self.close_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""

    def show_notice(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        self.show()

    def dismiss(self) -> None:
        self.label.clear()
        self.hide()
