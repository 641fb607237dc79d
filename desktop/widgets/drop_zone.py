"""A panel that accepts a dropped file (the resume) and offers a "Choose file…" button."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop.widgets.buttons import ActionButton



def _local_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            return Path(url.toLocalFile())
    return None


class DropZone(QFrame):
    file_dropped = Signal(Path)
    choose_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.setStyleSheet("#Card { border-style: dashed; border-width: 2px; }")  # no colours
        self.setAcceptDrops(True)
        self.setAccessibleName("Resume drop area")
        self.setMinimumHeight(120)
        self._title = QLabel("Drop your resume here", self)
        self._title.setObjectName("SubTitle")
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint = QLabel("PDF, Word (.docx) or plain text, up to 10 MB", self)
        self._hint.setObjectName("Muted")
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.choose_button = ActionButton("Choose file…  (Ctrl+O)", "Choose resume file")
        self.choose_button.clicked.connect(self.choose_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(6)
        layout.addWidget(self._title)
        layout.addWidget(self._hint)
        layout.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_file(self, path: Path | None) -> None:
        self._title.setText(f"Resume: {path.name}" if path else "Drop your resume here")

    def _set_hover(self, on: bool) -> None:
        self.setProperty("hover", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        path = _local_file(event)
        if path is not None:
            self._set_hover(True)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802
        self._set_hover(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._set_hover(False)
        path = _local_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.file_dropped.emit(path)
