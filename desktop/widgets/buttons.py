"""Buttons that work from the keyboard the way a candidate expects."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

ROLES = ("PrimaryButton", "DangerButton", "SecondaryButton")


class ActionButton(QPushButton):
    """A push button that also clicks on Enter/Return when it has focus
    (outside dialogs Qt only clicks on Space)."""

    def __init__(self, text: str, accessible_name: str, role: str = "SecondaryButton",
                 parent: QWidget | None = None):
        super().__init__(text, parent)
        if role not in ROLES:
            raise ValueError(f"unknown button role {role!r}")
        self.setObjectName(role)
        self.setAccessibleName(accessible_name)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(36)
        # Never squeezed below its text (busy lines next to it give way instead).
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            if self.isEnabled():
                self.animateClick()
            event.accept()
            return
        super().keyPressEvent(event)
