"""The settings page: theme, the interviewer, voice accuracy, where the data lives, and
deleting all of it."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QButtonGroup, QFrame, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QRadioButton, QScrollArea, QVBoxLayout, QWidget)

from backend.paths import default_log_dir, prepare_log_dir
from desktop.async_utils import spawn
from desktop.pages.interviewer_settings import InterviewerSettings
from desktop.pages.practice_settings import PracticeSettings
from desktop.pages.voice_settings import VoiceSettings
from desktop.theme import ThemeManager
from desktop.widgets.confirm import confirm

if TYPE_CHECKING:
    from desktop.client import BackendClient

THEME_CHOICES = (("light", "Light"), ("dark", "Dark"), ("system", "Follow the system"))


def _group(title: str, note: str = "") -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("SettingsGroup")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 16, 20, 18)
    layout.setSpacing(8)
    head = QLabel(title)
    head.setObjectName("SubTitle")
    layout.addWidget(head)
    if note:
        text = QLabel(note)
        text.setObjectName("Muted")
        text.setWordWrap(True)
        layout.addWidget(text)
    return frame, layout


def _path_field(path: Path, name: str) -> QLineEdit:
    """A folder path, read-only but selectable; a long path scrolls instead of being cut."""
    field = QLineEdit(str(path))
    field.setReadOnly(True)
    field.setObjectName("PathField")
    field.setAccessibleName(name)
    field.setCursorPosition(0)
    return field


class SettingsPage(QWidget):
    data_deleted = Signal(int)  # how many interviews were erased

    def __init__(self, client: BackendClient, data_dir: Path, theme_manager: ThemeManager,
                 parent: QWidget | None = None, log_dir: Path | None = None):
        super().__init__(parent)
        self._client = client
        self._data_dir = Path(data_dir)
        self._log_dir = Path(log_dir) if log_dir is not None else default_log_dir()
        self._themes = theme_manager

        title = QLabel("Settings")
        title.setObjectName("PageTitle")

        appearance, a_layout = _group("Appearance", "Choose how Rehearse looks. “Follow the "
                                                    "system” switches with your computer's "
                                                    "light or dark mode.")
        self.theme_buttons: dict[str, QRadioButton] = {}
        self.theme_group = QButtonGroup(self)
        row = QHBoxLayout()
        row.setSpacing(24)
        for name, text in THEME_CHOICES:
            button = QRadioButton(text)
            button.setAccessibleName(f"Theme: {text}")
            self.theme_group.addButton(button)
            self.theme_buttons[name] = button
            row.addWidget(button)
            button.toggled.connect(lambda on, n=name: on and self._choose_theme(n))
        row.addStretch(1)
        a_layout.addLayout(row)

        data, d_layout = _group("Your data", "Resumes, answers and reports are stored only on "
                                             "this computer, in this folder. Nothing is sent "
                                             "anywhere.")
        self.folder_label = _path_field(self._data_dir, "Data folder")
        self.open_folder_button = QPushButton("Open folder")
        self.open_folder_button.setAccessibleName("Open the data folder")
        self.open_folder_button.clicked.connect(self.open_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)
        d_layout.addLayout(folder_row)

        support, s_layout = _group("Help and support", "If something goes wrong, the log file "
                                                       "says what Rehearse was doing. It never "
                                                       "contains your resume, the job "
                                                       "description or your answers, so you "
                                                       "can send it along with a problem "
                                                       "report.")
        self.log_label = _path_field(self._log_dir, "Log folder")
        self.open_logs_button = QPushButton("Open log folder")
        self.open_logs_button.setAccessibleName("Open the log folder")
        self.open_logs_button.clicked.connect(self.open_log_folder)
        log_row = QHBoxLayout()
        log_row.addWidget(self.log_label, 1)
        log_row.addWidget(self.open_logs_button)
        s_layout.addLayout(log_row)

        danger, x_layout = _group("Delete all data", "Erase every interview, practice session, "
                                                     "resume, answer, recording and report. The "
                                                     "database is compacted so no deleted text "
                                                     "stays on disk. This cannot be undone.")
        self.delete_all_button = QPushButton("Delete all data…")
        self.delete_all_button.setObjectName("DangerButton")
        self.delete_all_button.setAccessibleName("Delete all data")
        self.delete_all_button.clicked.connect(self.delete_all)
        self.status = QLabel("")
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        x_row = QHBoxLayout()
        x_row.addWidget(self.delete_all_button)
        x_row.addWidget(self.status, 1)
        x_layout.addLayout(x_row)

        self.interviewer = InterviewerSettings(client)
        self.voice = VoiceSettings()
        self.practice = PracticeSettings(client)

        body = QWidget()
        body.setObjectName("PageBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(16)
        layout.addWidget(title)
        for frame in (appearance, self.interviewer, self.voice, self.practice, data, support,
                      danger):
            layout.addWidget(frame)
        layout.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("PageScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

        order = [*self.theme_buttons.values(), *self.interviewer.focus_order(),
                 *self.voice.focus_order(), *self.practice.focus_order(),
                 self.open_folder_button, self.open_logs_button,
                 self.delete_all_button]
        for a, b in itertools.pairwise(order):
            self.setTabOrder(a, b)
        self.sync_theme()
        if theme_manager is not None:  # a theme applied elsewhere ticks its button here too
            theme_manager.changed.connect(lambda _name: self.sync_theme())

    def sync_theme(self) -> None:
        """Tick the radio button of the theme in use (without re-applying it)."""
        button = self.theme_buttons.get(self._themes.current)
        if button is not None and not button.isChecked():
            button.blockSignals(True)
            button.setChecked(True)
            button.blockSignals(False)

    def showEvent(self, event) -> None:
        self.sync_theme()
        if not self.interviewer.loaded and not self.interviewer.busy:
            self.interviewer.load()  # once: later visits keep what the candidate typed
        spawn(self.practice.load())
        super().showEvent(event)

    def _choose_theme(self, name: str) -> None:
        if name != self._themes.current:
            self._themes.apply(name)

    def open_folder(self) -> bool:
        from backend.paths import prepare_data_dir

        prepare_data_dir(self._data_dir)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_dir)))

    def open_log_folder(self) -> bool:
        prepare_log_dir(self._log_dir)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_dir)))

    def delete_all(self) -> None:
        confirm(self, "Delete all data?",
                "Erase every interview and practice session, with the resumes, answers, "
                "recordings and reports, from this computer? This cannot be undone.",
                "Delete all",
                lambda: spawn(self._delete_all()), destructive=True, name="ConfirmDeleteAll")

    async def _delete_all(self) -> None:
        self.delete_all_button.setEnabled(False)
        self.status.setText("Deleting…")
        try:
            count = await self._client.delete_all()
        except asyncio.CancelledError:
            raise
        except Exception as e:
            self.status.setText(f"Could not delete the data: {e}")
            return
        finally:
            self.delete_all_button.setEnabled(True)
        self.status.setText(f"Deleted {count} interview{'s' if count != 1 else ''}. "
                            "Your data folder is now empty of interviews.")
        self.data_deleted.emit(count)
