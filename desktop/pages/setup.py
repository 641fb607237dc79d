"""Setup: the resume, the job, the interview's length and memory, then "Start interview".

Uploads run as tasks on the qasync loop; the page shows a busy line meanwhile and any
backend error inline, in the backend's own words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QFormLayout, QFrame, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QScrollArea,
                               QSpinBox, QVBoxLayout, QWidget)

from backend.config import DEFAULT_DURATION_MINUTES, DEFAULT_MAX_QUESTIONS, MAX_DURATION_MINUTES
from desktop.async_utils import spawn
from desktop.audio.devices import DeviceReport
from desktop.audio.prefs import VoicePrefs
from desktop.client import ApiError, BackendClient
from desktop.widgets.buttons import ActionButton
from desktop.widgets.chips import ChipList
from desktop.widgets.drop_zone import DropZone
from desktop.widgets.status import BusyIndicator, InlineMessage

log = logging.getLogger(__name__)

VOICE_CHECKING = "Looking for a microphone and speakers…"
UNEXPECTED = "Something unexpected went wrong. Please try again."
MAX_JD_FILE_BYTES = 1_000_000


def _title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("SectionTitle")
    return label


def _muted(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ApiError):
        return str(exc)
    log.error("setup failed", exc_info=exc)
    return UNEXPECTED


class AnalysisView(QFrame):
    """What Rehearse read in the resume: level, strengths, gaps, focus areas."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.summary = QLabel(self)
        self.summary.setObjectName("AnalysisSummary")
        self.summary.setWordWrap(True)
        self.strengths = ChipList("strength", "None found yet", self)
        self.gaps = ChipList("gap", "No gaps found for this job", self)
        self.focus = ChipList("focus", "General questions for the role", self)
        self.data: dict = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        layout.addWidget(_title("What Rehearse read in your resume", self))
        layout.addWidget(self.summary)
        for caption, chips in (("Strengths", self.strengths), ("Gaps for this job", self.gaps),
                               ("The interview will focus on", self.focus)):
            layout.addWidget(_muted(caption, self))
            layout.addWidget(chips)
        self.hide()

    def show_analysis(self, data: dict) -> None:
        self.data = dict(data)
        level = str(data.get("detected_seniority") or "").capitalize()
        years = data.get("years_experience")
        parts = [f"Reads as {level} level" if level else "Level not clear from the resume"]
        if isinstance(years, (int, float)) and years >= 0.5:
            n = round(years)
            parts.append(f"about {n} year{'s' if n != 1 else ''} of experience")
        self.summary.setText(" · ".join(parts) + ".")
        self.strengths.set_items(list(data.get("strengths") or []))
        self.gaps.set_items(list(data.get("gaps") or []))
        self.focus.set_items(list(data.get("focus_areas") or []))
        self.show()


class SetupPage(QWidget):
    """Emits start_requested(session_id, max_questions, duration_minutes) when ready."""

    start_requested = Signal(str, int, int)

    def __init__(self, client: BackendClient, data_dir: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("SetupPage")
        self.client = client
        self.data_dir = Path(data_dir)
        self.session_id: str | None = None
        self._session_used = False  # documents cannot change once an interview started
        self._resume_path: Path | None = None
        self._resume_uploaded = False
        self._jd_uploaded: tuple[str, str] | None = None  # (text, role) as last sent
        self._busy = False
        # Dialogs are attributes so tests (and a future voice step) can replace them.
        self.ask_resume_path: Callable[[], Path | None] = self._ask_resume_path
        self.ask_jd_path: Callable[[], Path | None] = self._ask_jd_path
        self._build()

    # ---- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        body.setObjectName("PageBody")
        heading = QLabel("Set up your practice interview", body)
        heading.setObjectName("PageTitle")
        intro = _muted("Rehearse reads your resume and the job you are aiming for, then asks "
                       "questions the way a real interviewer would. Everything stays on this "
                       "computer.", body)

        # Column 1: the resume and what was read in it.
        self.drop_zone = DropZone(body)
        self.drop_zone.file_dropped.connect(self.load_resume)
        self.drop_zone.choose_requested.connect(self._choose_resume)
        self.resume_message = InlineMessage(body)
        self.analysis = AnalysisView(body)
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(_title("1 · Your resume", body))
        left.addWidget(self.drop_zone)
        left.addWidget(self.resume_message)
        left.addWidget(self.analysis)
        left.addStretch(1)

        # Column 2: the job, then the interview's options.
        self.role_edit = QLineEdit(body)
        self.role_edit.setPlaceholderText("e.g. Senior Backend Engineer")
        self.role_edit.setAccessibleName("Role you are applying for")
        self.jd_edit = QPlainTextEdit(body)
        self.jd_edit.setPlaceholderText("Paste the job description here…")
        self.jd_edit.setAccessibleName("Job description")
        self.jd_edit.setTabChangesFocus(True)
        self.jd_edit.setMinimumHeight(130)
        self.jd_edit.setMaximumHeight(220)
        self.load_jd_button = ActionButton("Load from a .txt file…",
                                           "Load job description from a file")
        self.load_jd_button.clicked.connect(self._choose_jd)
        self.analyse_button = ActionButton("Check fit", "Check the resume against this job")
        self.analyse_button.setToolTip("Re-weigh strengths, gaps and focus areas for this job")
        self.analyse_button.clicked.connect(lambda: spawn(self.analyse_job()))
        self.jd_message = InlineMessage(body)
        jd_buttons = QHBoxLayout()
        jd_buttons.addWidget(self.load_jd_button)
        jd_buttons.addWidget(self.analyse_button)
        jd_buttons.addStretch(1)

        self.minutes_spin = QSpinBox(body)
        self.minutes_spin.setRange(1, MAX_DURATION_MINUTES)
        self.minutes_spin.setValue(DEFAULT_DURATION_MINUTES)
        self.minutes_spin.setSuffix(" minutes")
        self.minutes_spin.setAccessibleName("Interview length in minutes")
        self.questions_spin = QSpinBox(body)
        self.questions_spin.setRange(1, DEFAULT_MAX_QUESTIONS)
        self.questions_spin.setValue(DEFAULT_MAX_QUESTIONS)
        self.questions_spin.setSuffix(" questions")
        self.questions_spin.setAccessibleName("Number of questions")
        self.memory_check = QCheckBox("Remember my progress between sessions", body)
        self.memory_check.setAccessibleName("Remember my progress between sessions")
        self.memory_note = _muted(self._memory_text(), body)
        self.memory_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.memory_check.setAccessibleDescription(self.memory_note.text())
        self.voice_check = QCheckBox("Voice interview: hear the questions, answer aloud", body)
        self.voice_check.setAccessibleName("Voice interview")
        self.voice_check.clicked.connect(self._voice_choice_changed)
        self.voice_review_check = QCheckBox("Let me review the transcript before it is sent",
                                            body)
        self.voice_review_check.setAccessibleName("Review the transcript before sending")
        self.voice_review_check.clicked.connect(self._voice_choice_changed)
        self.voice_note = _muted("", body)
        self.devices: DeviceReport | None = None
        self.voice_available(False, VOICE_CHECKING)
        options = QFormLayout()
        options.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        options.setHorizontalSpacing(16)
        options.setVerticalSpacing(10)
        options.addRow("Length", self.minutes_spin)
        options.addRow("Questions", self.questions_spin)

        self.start_button = ActionButton("Start interview", "Start interview", "PrimaryButton")
        self.start_button.clicked.connect(lambda: spawn(self.start()))
        self.start_hint = _muted("", body)
        self.busy = BusyIndicator(body)
        self.start_message = InlineMessage(body)

        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(_title("2 · The job", body))
        right.addWidget(self.role_edit)
        right.addWidget(self.jd_edit)
        right.addLayout(jd_buttons)
        right.addWidget(self.jd_message)
        right.addSpacing(8)
        right.addWidget(_title("3 · The interview", body))
        right.addLayout(options)
        right.addWidget(self.memory_check)
        right.addWidget(self.memory_note)
        right.addWidget(self.voice_check)
        right.addWidget(self.voice_review_check)
        right.addWidget(self.voice_note)
        right.addStretch(1)

        columns = QGridLayout()
        columns.setHorizontalSpacing(28)
        columns.addLayout(left, 0, 0)
        columns.addLayout(right, 0, 1)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)

        footer = QHBoxLayout()
        footer.addWidget(self.busy, 1)
        footer.addWidget(self.start_hint, 1)
        footer.addWidget(self.start_button)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)

        scroll = QScrollArea(self)
        scroll.setObjectName("PageScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        # The start button stays in view however far the page scrolls.
        bar = QVBoxLayout()
        bar.setContentsMargins(32, 8, 32, 16)
        bar.addWidget(self.start_message)
        bar.addLayout(footer)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(scroll, 1)
        outer.addLayout(bar)

        chain = (self.drop_zone.choose_button, self.role_edit, self.jd_edit, self.load_jd_button,
                 self.analyse_button, self.minutes_spin, self.questions_spin, self.memory_check,
                 self.voice_check, self.voice_review_check, self.start_button)
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        QShortcut(QKeySequence("Ctrl+O"), self, self._choose_resume,
                  context=Qt.ShortcutContext.WindowShortcut)
        self.jd_edit.textChanged.connect(self._refresh_start)
        self.role_edit.textChanged.connect(self._refresh_start)
        self._refresh_start()

    def _memory_text(self) -> str:
        return ("When on, your scores and the topics you found hard shape fresh questions next "
                "time and chart your progress. Either way, every session (resume, answers, "
                f"report) stays only on this computer, in {self.data_dir}; nothing is sent "
                "anywhere, and you can delete it in History or Settings.")

    # ---- hooks for other steps ------------------------------------------------------------
    def voice_available(self, available: bool, reason: str = "") -> None:
        """Enable the voice switch, or disable it and say why (e.g. no microphone)."""
        self.voice_check.setEnabled(available)
        if not available:
            self.voice_check.setChecked(False)
        self.voice_check.setToolTip(reason)
        self.voice_check.setAccessibleDescription(reason)
        self.voice_note.setText(reason)
        self.voice_note.setVisible(bool(reason))
        self._refresh_review()

    def set_devices(self, report: DeviceReport) -> None:
        """What the sound check found: enable voice (restoring the saved choice) or say why not."""
        self.devices = report
        self.voice_available(report.voice_possible, report.reason)
        if report.voice_possible:
            prefs = VoicePrefs.load()
            self.voice_check.setChecked(prefs.enabled)
            self.voice_review_check.setChecked(prefs.review)
        self._refresh_review()

    def _refresh_review(self) -> None:
        can_answer = self.devices is not None and self.devices.can_answer
        self.voice_review_check.setVisible(can_answer)
        self.voice_review_check.setEnabled(can_answer and self.voice_enabled)

    def _voice_choice_changed(self) -> None:
        prefs = VoicePrefs.load()
        prefs.enabled = self.voice_check.isChecked()
        prefs.review = self.voice_review_check.isChecked()
        prefs.save()
        self._refresh_review()

    @property
    def voice_enabled(self) -> bool:
        return self.voice_check.isEnabled() and self.voice_check.isChecked()

    # ---- state ----------------------------------------------------------------------------
    @property
    def ready_to_start(self) -> bool:
        return (self._resume_uploaded and bool(self.jd_edit.toPlainText().strip())
                and not self._busy)

    def _refresh_start(self) -> None:
        self.start_button.setEnabled(self.ready_to_start)
        self.analyse_button.setEnabled(bool(self.jd_edit.toPlainText().strip()) and not self._busy
                                       and self._resume_path is not None)
        if self._busy:
            hint = ""
        elif self._resume_path is None:
            hint = "Add your resume to begin."
        elif not self._resume_uploaded:
            hint = "Choose a resume Rehearse can read."
        elif not self.jd_edit.toPlainText().strip():
            hint = "Paste the job description to begin."
        else:
            hint = "Ready when you are."
        self.start_hint.setText(hint)
        self.start_hint.setVisible(bool(hint))

    def _set_busy(self, text: str | None) -> None:
        self._busy = text is not None
        if text is None:
            self.busy.stop()
        else:
            self.busy.start(text)
        self.drop_zone.choose_button.setEnabled(not self._busy)
        self.load_jd_button.setEnabled(not self._busy)
        self._refresh_start()

    def reset_after_start(self) -> None:
        """The session was started (its documents are now fixed) or deleted: the next upload
        or start makes a fresh session, re-sending the resume and job kept on this page."""
        self._session_used = True

    async def _session(self) -> str:
        """The current session, or a fresh one (re-sending the resume) if it was used."""
        if self.session_id is None or self._session_used:
            self.session_id = await self.client.create_session()
            self._session_used = False
            self._resume_uploaded = False
            self._jd_uploaded = None
        return self.session_id

    # ---- actions --------------------------------------------------------------------------
    def _choose_resume(self) -> None:
        if not self.isVisible() or self._busy:
            return
        path = self.ask_resume_path()
        if path is not None:
            self.load_resume(Path(path))

    def _ask_resume_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose your resume", str(Path.home()),
                                              "Resumes (*.pdf *.docx *.txt);;All files (*)")
        return Path(name) if name else None

    def _choose_jd(self) -> None:
        path = self.ask_jd_path()
        if path is not None:
            self.load_jd_file(Path(path))

    def _ask_jd_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "Load a job description", str(Path.home()),
                                              "Text files (*.txt *.md);;All files (*)")
        return Path(name) if name else None

    def load_jd_file(self, path: Path) -> None:
        """Put a text file's content into the job description box (small files only)."""
        self.jd_message.clear_message()
        try:
            if path.stat().st_size > MAX_JD_FILE_BYTES:
                raise ValueError("That file is too large for a job description (over 1 MB).")
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")
            if "\x00" in text or not text.strip():
                raise ValueError("That file has no readable text. Copy the job description "
                                 "and paste it into the box instead.")
        except OSError as e:
            self.jd_message.show_error(f"Could not open {path.name}: {e.strerror or e}.")
            return
        except ValueError as e:
            self.jd_message.show_error(str(e))
            return
        self.jd_edit.setPlainText(text.strip())
        if not self.role_edit.text().strip():
            first = text.strip().splitlines()[0].strip()
            if len(first) <= 80:
                self.role_edit.setText(first)
        self.jd_message.show_ok(f"Loaded {path.name}.")

    def load_resume(self, path: Path) -> None:
        """Slot: upload the resume at `path` and show what was read (runs as a task)."""
        spawn(self.upload_resume(Path(path)))

    async def upload_resume(self, path: Path) -> bool:
        if self._busy:
            return False
        self.resume_message.clear_message()
        self._resume_path = path
        self._resume_uploaded = False
        self.drop_zone.show_file(path)
        self._set_busy(f"Reading {path.name}…")
        try:
            await self._session()
            result = await self.client.upload_resume(self.session_id, path)
            self._resume_uploaded = True
            if self._jd_uploaded is not None:
                result = {**result, **await self._send_jd(force=True)}
            self.analysis.show_analysis(result)
            return True
        except Exception as e:  # shown in words; never a traceback
            self.analysis.hide()
            self.resume_message.show_error(_error_text(e))
            return False
        finally:
            self._set_busy(None)

    async def _send_jd(self, force: bool = False) -> dict:
        """Send the job description if it changed; returns the analysis fields it gave."""
        text, role = self.jd_edit.toPlainText().strip(), self.role_edit.text().strip()
        if not force and self._jd_uploaded == (text, role):
            return {}
        result = await self.client.upload_jd(self.session_id, text, role)
        self._jd_uploaded = (text, role)
        if not role and result.get("role"):
            self.role_edit.setText(result["role"])
            self._jd_uploaded = (text, result["role"])
        fields = ("detected_seniority", "strengths", "gaps", "focus_areas")
        return {k: v for k, v in result.items() if k in fields and v is not None}

    async def analyse_job(self) -> bool:
        if self._busy or not self.jd_edit.toPlainText().strip():
            return False
        self.jd_message.clear_message()
        self._set_busy("Comparing your resume with the job…")
        try:
            await self._ensure_resume()
            update = await self._send_jd(force=True)
            if update and self.analysis.isVisibleTo(self):
                self.analysis.show_analysis({**self.analysis.data, **update})
            self.jd_message.show_ok("The analysis now reflects this job.")
            return True
        except Exception as e:
            self.jd_message.show_error(_error_text(e))
            return False
        finally:
            self._set_busy(None)

    async def _ensure_resume(self) -> None:
        await self._session()
        if not self._resume_uploaded:
            if self._resume_path is None:
                raise ApiError(400, "Add your resume first.")
            result = await self.client.upload_resume(self.session_id, self._resume_path)
            self._resume_uploaded = True
            self.analysis.show_analysis(result)

    async def start(self) -> bool:
        """Make sure both documents and the memory choice are in, then ask to start."""
        if not self.ready_to_start:
            return False
        self.start_message.clear_message()
        self._set_busy("Preparing your interview…")
        try:
            await self._ensure_resume()
            update = await self._send_jd()
            if update:
                self.analysis.show_analysis({**self.analysis.data, **update})
            await self.client.set_memory(self.session_id, self.memory_check.isChecked())
        except Exception as e:
            self.start_message.show_error(_error_text(e))
            return False
        finally:
            self._set_busy(None)
        sid = self.session_id
        self.reset_after_start()
        self.start_requested.emit(sid, self.questions_spin.value(), self.minutes_spin.value())
        return True
