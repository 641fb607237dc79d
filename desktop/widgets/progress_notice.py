"""The first-run note on progress (issue 18): progress is on by default on the candidate's
own computer, so the first launch says what is kept, where, and how to turn it off or delete
it. Non-modal (a banner above the pages), shown until "Got it"; the choice is kept in the
app's settings."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from desktop.theme import app_settings
from desktop.widgets.buttons import ActionButton

SEEN_KEY = "progress/explained"
TEXT = ("Rehearse keeps your progress on this computer: interviews and practice answers chart "
        "your scores, pick your weak topics and bring missed questions back for review; spoken "
        "answers are kept so you can replay them. Nothing leaves this computer. Settings turns "
        "it off or deletes it.")


class ProgressNotice(QFrame):
    settings_requested = Signal()

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.setAccessibleName("About your progress")
        self._settings = settings
        self.text = QLabel(TEXT, self)
        self.text.setWordWrap(True)
        self.settings_button = ActionButton("Settings", "Open the progress settings",
                                            "SecondaryButton", self)
        self.settings_button.clicked.connect(self.settings_requested)
        self.ok_button = ActionButton("Got it", "Got it: hide this note", "PrimaryButton", self)
        self.ok_button.clicked.connect(self.acknowledge)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(12)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.settings_button)
        layout.addWidget(self.ok_button)
        self.setVisible(not self.seen())

    def _store(self) -> QSettings:
        return self._settings if self._settings is not None else app_settings()

    def seen(self) -> bool:
        value = self._store().value(SEEN_KEY, False)
        return value is True or str(value).lower() in ("true", "1")

    def acknowledge(self) -> None:
        self._store().setValue(SEEN_KEY, True)
        self.hide()
