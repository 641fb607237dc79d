"""The main window: a side navigation and a stack of pages, wired together.

objectNames (and dynamic properties) my widgets use, for the QSS themes. Most reuse the
theme's existing names; sizes that the theme's `QWidget { font-size }` rule would override
are set inline (size only, never colours).
  SideNav            the navigation list on the left; AppName: "Rehearse" above it
  PageTitle, SectionTitle, SubTitle, Muted          text levels
  ErrorText, GoodText, WarnText                     inline messages (InlineMessage switches
                     between them and Muted; property kind=error|ok|warn|info)
  PrimaryButton, DangerButton, SecondaryButton      push buttons by role
  Card               the resume drop area (dashed, property hover=true while dragging)
                     and the resume analysis
  QuestionCard       the question frame, property followup=true|false;
                     QuestionText and QuestionNumber inside it
  Chip               a rounded word, property kind=strength|gap|focus|topic|followup|
                     easy|medium|hard
  ScoreCard          the feedback frame; ScoreValue: a score figure in it
  AnswerEditor       the answer box
  Countdown          the clock (renamed WarnText under 5 minutes, property low=true)
  IntroNote          the interviewer's introduction
  BusyIndicator      progress line (an indeterminate QProgressBar and a Muted label)
  PageBody, PageScroll                              page backgrounds
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMainWindow, QStackedWidget, QVBoxLayout, QWidget)

from desktop.async_utils import cancel_all, spawn
from desktop.audio.devices import DeviceCheck, DeviceReport
from desktop.audio.hardware import AudioIO
from desktop.client import ApiError, BackendClient
from desktop.pages.history import HistoryPage
from desktop.pages.interview import InterviewPage
from desktop.pages.practice import PracticePage
from desktop.pages.report import ReportPage
from desktop.pages.settings import SettingsPage
from desktop.pages.setup import SetupPage
from desktop.widgets.confirm import ConfirmBox, confirm
from desktop.widgets.progress_notice import ProgressNotice

PAGES = ("Setup", "Interview", "Report", "Practice", "History", "Settings")


def progress_summary(transcript: dict) -> str:
    """"question 3 of 8, 27 min left": where an unfinished interview stands."""
    total = int(transcript.get("max_questions") or 0)
    number = int(transcript.get("question_number") or 0)
    awaiting = transcript.get("awaiting")
    if awaiting == "next":
        number += 1
    where = ("every question answered, the report is next" if awaiting == "end"
             else f"question {max(number, 1)} of {total}")
    minutes = round(int(transcript.get("time_remaining") or 0) / 60)
    left = f"{minutes} min left" if minutes >= 1 else "less than a minute left"
    return f"{where}, {left}"


class MainWindow(QMainWindow):
    closing = Signal()  # the window was closed; app.py shuts the backend down

    def __init__(self, client: BackendClient, data_dir: Path, theme_manager=None,
                 parent: QWidget | None = None, audio_io: AudioIO | None = None,
                 log_dir: Path | None = None):
        super().__init__(parent)
        # Qt appends the application's display name: "Interview practice — Rehearse".
        self.setWindowTitle("Interview practice")
        self.resize(1100, 760)
        self.setMinimumSize(900, 620)
        self.client = client
        self.audio_io = audio_io or AudioIO()  # tests swap in a WAV microphone
        self.devices: DeviceReport | None = None  # None until the sound check reports
        self._audio_check: DeviceCheck | None = None
        self.setup_page = SetupPage(client, data_dir, audio_io=self.audio_io)
        self.interview_page = InterviewPage(client, self.audio_io)
        self.report_page = ReportPage(client)
        self.report_page.audio_io = self.audio_io  # retries: play and record (issue 18)
        self.practice_page = PracticePage(client, self.audio_io)
        self.history_page = HistoryPage(client)
        self.settings_page = SettingsPage(client, data_dir, theme_manager, log_dir=log_dir)
        self._quit_confirmed = False
        self._quit_box: ConfirmBox | None = None
        self._offered_continue = False
        self._continue_check: asyncio.Task | None = None
        self._shutting_down = False
        self.pages: dict[str, QWidget] = dict(zip(PAGES, (
            self.setup_page, self.interview_page, self.report_page, self.practice_page,
            self.history_page, self.settings_page), strict=True))

        self.nav = QListWidget()
        self.nav.setObjectName("SideNav")
        self.nav.setAccessibleName("Pages")
        self.nav.setFixedWidth(176)
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        # Size and spacing only; colours come from the theme's palette.
        # outline: 0 — no dotted focus rectangle inside the selected item (it looked like an
        # empty text field); the highlighted item shows where the keyboard is.
        self.nav.setStyleSheet("#SideNav { font-size: 12pt; background: transparent;"
                               " outline: 0; }"
                               "#SideNav::item { padding: 10px 18px; border-radius: 8px; }"
                               "#SideNav::item:selected { background: palette(highlight);"
                               " color: palette(highlighted-text); }")
        brand = QLabel("Rehearse")
        brand.setObjectName("AppName")
        brand.setStyleSheet("font-size: 16pt; font-weight: 700; padding: 22px 18px 12px 18px;")
        side = QWidget()
        side.setObjectName("SidePanel")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 8, 12)
        side_layout.addWidget(brand)
        side_layout.addWidget(self.nav, 1)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        for i, (name, page) in enumerate(self.pages.items(), start=1):
            item = QListWidgetItem(name)
            item.setToolTip(f"Ctrl+{i}")
            self.nav.addItem(item)
            self.stack.addWidget(page)
            QShortcut(QKeySequence(f"Ctrl+{i}"), self, lambda n=name: self.show_page(n))
        self.nav.currentRowChanged.connect(self._on_nav)

        # First run: what progress keeps, where, and how to turn it off (issue 18).
        self.progress_notice = ProgressNotice()
        self.progress_notice.settings_requested.connect(lambda: self.show_page("Settings"))
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(0)
        notice_row = QHBoxLayout()
        notice_row.setContentsMargins(24, 12, 24, 0)
        notice_row.addWidget(self.progress_notice)
        content_layout.addLayout(notice_row)
        content_layout.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(content, 1)
        self.setCentralWidget(central)

        self.setup_page.start_requested.connect(self.start_interview)
        self.interview_page.finished.connect(self.open_report)
        self.interview_page.report_requested.connect(self.open_report)
        self.interview_page.setup_requested.connect(lambda: self.show_page("Setup"))
        self.interview_page.continue_requested.connect(self.continue_interview)
        self.history_page.open_report.connect(self.open_report)
        self.history_page.continue_interview.connect(self.continue_interview)
        self.history_page.practice_requested.connect(lambda: self.show_page("Practice"))
        # Deleted sessions cannot be reused: the next setup action starts a fresh one.
        self.history_page.data_changed.connect(self.setup_page.reset_after_start)
        self.settings_page.data_deleted.connect(lambda _n: self.setup_page.reset_after_start())
        self.nav.setCurrentRow(0)

    @property
    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    def show_page(self, name: str) -> None:
        self.nav.setCurrentRow(PAGES.index(name))

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        if PAGES[row] == "History":
            _run(self.history_page.refresh())
        elif PAGES[row] == "Practice":
            _run(self.practice_page.refresh())

    def start_interview(self, session_id: str, max_questions: int, duration_minutes: int) -> None:
        self.interview_page.begin(session_id, max_questions, duration_minutes,
                                  voice=self.setup_page.voice_enabled)
        self.show_page("Interview")

    def continue_interview(self, session_id: str) -> None:
        """Reconnect to an unfinished interview and show the conversation so far."""
        page = self.interview_page
        self.interview_page.set_resumable(None)
        if not (page.session is not None and page.session.session_id == session_id
                and page.in_progress):
            page.resume(session_id, voice=self.setup_page.voice_enabled)
        self.show_page("Interview")

    async def offer_continue(self) -> bool:
        """At launch: if an interview was left unfinished, offer to continue it. Returns
        whether one was offered. The empty Interview page offers it too."""
        self._offered_continue = True
        try:
            sessions = await self.client.sessions()
            unfinished = [s for s in sessions if s.get("status") == "in_progress"]
            if not unfinished or self.interview_page.in_progress:
                return False
            sid = unfinished[0]["session_id"]  # the newest
            summary = progress_summary(await self.client.transcript(sid))
        except ApiError:
            return False  # the History page lists it anyway
        if self._shutting_down or self.interview_page.in_progress:
            return False
        role = unfinished[0].get("role")
        self.interview_page.set_resumable(sid, summary)
        confirm(self, "Continue your interview?",
                f"Continue your interview{' for ' + role if role else ''} ({summary})? "
                "Your answers so far are saved.", "Continue",
                lambda: self.continue_interview(sid), name="ConfirmContinue", cancel="Later",
                default_action=True)
        return True

    def open_report(self, session_id: str) -> None:
        _run(self.report_page.show_report(session_id))
        self.show_page("Report")

    def check_audio(self) -> None:
        """Ask the sound system which devices exist (on a worker thread: PortAudio probes
        every driver); the pages hear back through apply_devices()."""
        self._audio_check = DeviceCheck(self.audio_io.list_devices, self)
        self._audio_check.done.connect(self.apply_devices)
        self._audio_check.start()

    def apply_devices(self, report: DeviceReport) -> None:
        self.devices = report
        self.setup_page.set_devices(report)
        self.interview_page.set_devices(report)
        self.report_page.can_speak = report.can_answer
        self.practice_page.set_can_speak(report.can_answer)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._audio_check is None:
            self.check_audio()
        if not self._offered_continue:
            # Waits in the socket's backlog until the backend is up.
            self._continue_check = spawn(self.offer_continue())

    async def shutdown(self) -> None:
        """Close the interview socket and stop background work (before the backend stops)."""
        self._shutting_down = True
        self.setup_page.shutdown()
        check = self._continue_check
        if check is not None and not check.done():
            # Let the launch check's short requests finish: cancelling an httpx request
            # under qasync fails inside anyio's cancel scope.
            await asyncio.wait({check}, timeout=5)
        await self.interview_page.shutdown()
        self.practice_page.shutdown()
        await cancel_all()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Mid-interview, ask first: everything is saved and can be continued later."""
        if self.interview_page.in_progress and self.interview_page.stage == "active" \
                and not self._quit_confirmed:
            event.ignore()
            if self._quit_box is None:
                self._quit_box = confirm(
                    self, "Quit now?", "Your answers are saved. Quit now and continue later?",
                    "Quit", self._quit, name="ConfirmQuit",
                    on_close=lambda: setattr(self, "_quit_box", None))
            return
        event.accept()
        self.closing.emit()

    def _quit(self) -> None:
        self._quit_confirmed = True
        self.close()


def _run(result) -> None:
    """Pages may implement an action as a coroutine or as a plain slot."""
    if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
        spawn(result)
