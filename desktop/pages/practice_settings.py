"""The settings page's "Progress and recordings" group (issue 18): whether interviews and
practice chart the candidate's progress (on by default: their own computer), whether spoken
answers are kept (compressed, with their session), and deleting either."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.async_utils import spawn
from desktop.widgets.buttons import ActionButton
from desktop.widgets.confirm import confirm

if TYPE_CHECKING:
    from desktop.client import BackendClient

NOTE = ("Your interviews and practice answers chart your progress, pick the weak topics you "
        "practise and bring missed questions back for review. Spoken answers are kept, "
        "compressed, so you can listen to them again. All of it stays on this computer.")


class PracticeSettings(QFrame):
    changed = Signal()  # progress or recordings were switched or deleted

    def __init__(self, client: BackendClient, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("SettingsGroup")
        self._client = client
        self.loaded = False
        head = QLabel("Progress and recordings", self)
        head.setObjectName("SubTitle")
        note = QLabel(NOTE, self)
        note.setObjectName("Muted")
        note.setWordWrap(True)
        self.progress_check = QCheckBox("Keep my progress: charts, weak topics and review", self)
        self.progress_check.setAccessibleName("Keep my progress")
        self.recordings_check = QCheckBox("Keep recordings of my spoken answers", self)
        self.recordings_check.setAccessibleName("Keep recordings of spoken answers")
        for box in (self.progress_check, self.recordings_check):
            box.setEnabled(False)  # until loaded
            box.clicked.connect(lambda _on: spawn(self._save()))
        self.delete_progress_button = ActionButton("Delete my progress…", "Delete my progress",
                                                   "SecondaryButton", self)
        self.delete_progress_button.clicked.connect(self.delete_progress)
        self.delete_recordings_button = ActionButton("Delete all recordings…",
                                                     "Delete all recordings", "SecondaryButton",
                                                     self)
        self.delete_recordings_button.clicked.connect(self.delete_recordings)
        self.status = QLabel("", self)
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_progress_button)
        buttons.addWidget(self.delete_recordings_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 18)
        layout.setSpacing(8)
        for w in (head, note, self.progress_check, self.recordings_check):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def focus_order(self) -> list[QWidget]:
        return [self.progress_check, self.recordings_check, self.delete_progress_button,
                self.delete_recordings_button]

    async def load(self) -> None:
        try:
            settings = await self._client.practice_settings()
        except Exception as e:  # noqa: BLE001
            self.status.setText(f"Could not read these settings: {e}")
            return
        self._show(settings)
        self.loaded = True

    def _show(self, settings: dict) -> None:
        for box, key in ((self.progress_check, "progress"),
                         (self.recordings_check, "keep_recordings")):
            box.setChecked(bool(settings.get(key, True)))
            box.setEnabled(True)

    async def _save(self) -> None:
        try:
            settings = await self._client.save_practice_settings(
                progress=self.progress_check.isChecked(),
                keep_recordings=self.recordings_check.isChecked())
        except Exception as e:  # noqa: BLE001
            self.status.setText(f"Not saved: {e}")
            return
        self._show(settings)
        self.status.setText(
            ("Progress is on." if settings["progress"] else
             "Progress is off: nothing is charted or scheduled for review.") + " " +
            ("Spoken answers are kept." if settings["keep_recordings"] else
             "New spoken answers are not kept; “Delete all recordings” erases the ones kept."))
        self.changed.emit()

    def delete_progress(self) -> None:
        confirm(self, "Delete your progress?",
                "Delete every practice session with its answers and recordings, and stop "
                "counting the interviews so far in your progress? The interviews themselves "
                "stay in History. This cannot be undone.", "Delete progress",
                lambda: spawn(self._delete(progress=True)), destructive=True,
                name="ConfirmDeleteProgress")

    def delete_recordings(self) -> None:
        confirm(self, "Delete all recordings?",
                "Erase every recording of your spoken answers from this computer? The "
                "transcripts and scores stay. This cannot be undone.", "Delete recordings",
                lambda: spawn(self._delete(progress=False)), destructive=True,
                name="ConfirmDeleteRecordings")

    async def _delete(self, progress: bool) -> None:
        try:
            if progress:
                n = await self._client.delete_progress()
                text = f"Progress deleted ({n} practice session{'s' * (n != 1)})."
            else:
                n = await self._client.delete_recordings()
                text = f"Deleted {n} recording{'s' * (n != 1)}."
        except Exception as e:  # noqa: BLE001
            self.status.setText(f"Could not delete: {e}")
            return
        self.status.setText(text)
        self.changed.emit()
