"""A busy indicator and an inline message line: how pages say what is going on, in words."""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QWidget


class BusyIndicator(QWidget):
    """An indeterminate bar with a sentence ("Reading your resume…"); hidden when idle."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("BusyIndicator")
        self._bar = QProgressBar(self)
        self._bar.setRange(0, 0)  # indeterminate: animates by itself, no work on our side
        self._bar.setTextVisible(False)
        self._bar.setFixedWidth(120)
        self._bar.setMaximumHeight(8)
        self._bar.setAccessibleName("Working")
        self._label = QLabel(self)
        self._label.setObjectName("Muted")
        self._label.setMinimumWidth(0)
        self._label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._bar)
        layout.addWidget(self._label, 1)
        self.hide()

    @property
    def text(self) -> str:
        # Qt takes a null ancestor as "up to the window"; the stubs do not say so.
        return self._label.text() if self.isVisibleTo(cast(QWidget, self.parentWidget())) else ""

    def start(self, text: str) -> None:
        self._label.setText(text)
        self.setAccessibleName(text)
        self.show()

    def stop(self) -> None:
        self._label.clear()
        self.hide()


class InlineMessage(QLabel):
    """One line of feedback under a control: an error (in words) or a calm note."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("InlineMessage")
        self.setWordWrap(True)
        self.setAccessibleName("Message")
        self.hide()

    # The theme's own text styles: an error, a calm note, good news, a warning.
    STYLES = {"error": "ErrorText", "info": "Muted", "ok": "GoodText", "warn": "WarnText"}

    def show_error(self, text: str) -> None:
        self._show(text, "error")

    def show_info(self, text: str) -> None:
        self._show(text, "info")

    def show_ok(self, text: str) -> None:
        self._show(text, "ok")

    def show_warning(self, text: str) -> None:
        self._show(text, "warn")

    @property
    def kind(self) -> str:
        return str(self.property("kind") or "")

    def _show(self, text: str, kind: str) -> None:
        self.setProperty("kind", kind)
        self.setObjectName(self.STYLES[kind])
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()
