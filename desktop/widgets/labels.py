"""The word-wrapped plain-text label every page builds its text from."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def text_label(text: str = "", name: str = "", parent: QWidget | None = None, *,
               selectable: bool = True, wrap: bool = True) -> QLabel:
    """A plain-text label (never rich text: it shows the candidate's own words), word-wrapped
    and, unless told otherwise, selectable so a candidate can copy feedback."""
    label = QLabel(text, parent)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
