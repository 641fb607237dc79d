"""Setup: the resume, the job, the interview's length and memory, then "Start interview".

The analysis panel says one true thing at a time: exactly what the backend last analysed
(the resume alone, or the resume with this job), and as "The interview will cover" the
topics the interview's own planner will ask about (GET /session/{id}/plan). The job
description is sent, and the panel updated, a moment after the candidate stops typing. A
file that could not be read is never shown as the loaded resume. Uploads run as tasks on the
qasync loop; the page shows a busy line meanwhile and any backend error inline, in the
backend's own words. Below ~760 px the two columns stack and the page scrolls.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QFormLayout, QFrame, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QScrollArea, QSpinBox, QVBoxLayout,
                               QWidget)

from backend.config import DEFAULT_DURATION_MINUTES, DEFAULT_MAX_QUESTIONS, MAX_DURATION_MINUTES
from desktop.async_utils import spawn
from desktop.audio.devices import DeviceReport
from desktop.audio.hardware import AudioIO
from desktop.audio.prefs import VoicePrefs
from desktop.client import ApiError, BackendClient
from desktop.widgets.buttons import ActionButton
from desktop.widgets.chips import ChipList
from desktop.widgets.columns import ResponsiveColumns
from desktop.widgets.drop_zone import DropZone
from desktop.widgets.mic_test import MicTest
from desktop.widgets.plan_list import PlanList
from desktop.widgets.status import BusyIndicator, InlineMessage

log = logging.getLogger(__name__)

VOICE_CHECKING = "Looking for a microphone and speakers…"
UNEXPECTED = "Something unexpected went wrong. Please try again."
MAX_JD_FILE_BYTES = 1_000_000
JD_PAUSE_MS = 1200     # the job description is analysed this long after the last keystroke
PLAN_PAUSE_MS = 250
MIN_JD_WORDS = 3       # the backend refuses fewer
STACK_BELOW_PX = 760   # narrower than this, the two columns stack


def _title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("SectionTitle")
    label.setWordWrap(True)
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


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class CountSpinBox(QSpinBox):
    """A spin box whose unit agrees with its number: "1 minute", "35 minutes"."""

    def __init__(self, unit: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._unit = unit
        self.valueChanged.connect(self._update_suffix)
        self._update_suffix(self.value())

    def _update_suffix(self, value: int) -> None:
        self.setSuffix(f" {self._unit}" if value == 1 else f" {self._unit}s")


class AnalysisView(QFrame):
    """What the backend last analysed: the level, strengths, gaps (only once a job is in)
    and the topics the interview will cover."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.basis = _muted("", self)
        self.basis.setAccessibleName("What the analysis is based on")
        self.summary = QLabel(self)
        self.summary.setObjectName("AnalysisSummary")
        self.summary.setWordWrap(True)
        self.strengths = ChipList("strength", "None found yet", self)
        self.gaps_caption = _muted("Gaps for this job", self)
        self.gaps = ChipList("gap", "No gaps found for this job", self)
        self.plan_caption = _muted("The interview will cover, in this order", self)
        self.plan = ChipList("focus", "", self)
        self.requirements = PlanList(self)
        self.data: dict = {}
        self.with_job = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        layout.addWidget(_title("What Rehearse read", self))
        layout.addWidget(self.basis)
        layout.addWidget(self.summary)
        layout.addWidget(_muted("Strengths", self))
        layout.addWidget(self.strengths)
        layout.addWidget(self.gaps_caption)
        layout.addWidget(self.gaps)
        layout.addWidget(self.requirements)
        layout.addWidget(self.plan_caption)
        layout.addWidget(self.plan)
        self.show_plan(None)
        self.hide()

    def show_analysis(self, data: dict, with_job: bool) -> None:
        """`data`: the backend's analysis; `with_job`: whether it weighed a job description."""
        self.data = dict(data)
        self.with_job = with_job
        self.basis.setText("From your resume and this job description." if with_job else
                           "From your resume only. Add the job description to see the gaps "
                           "for this job.")
        level = str(data.get("detected_seniority") or "").capitalize()
        years = data.get("years_experience")
        parts = [f"Reads as {level} level" if level else "Level not clear from the resume"]
        if isinstance(years, (int, float)) and years >= 0.5:
            parts.append(f"about {plural(round(years), 'year')} of experience")
        self.summary.setText(" · ".join(parts) + ".")
        evidence = data.get("strength_evidence") or {}
        self.strengths.set_items(list(data.get("strengths") or []),
                                 {k: "From your resume:\n" + "\n".join(v) for k, v in evidence.items() if v})
        self.gaps.set_items(list(data.get("gaps") or []))
        self.gaps_caption.setVisible(with_job)
        self.gaps.setVisible(with_job)
        self.requirements.show_plan(data)
        self.show()

    def show_plan(self, topics: list[str] | None) -> None:
        """The planned topics in order (None: not known yet, the section is hidden)."""
        self.plan.set_items(list(topics or []))
        self.plan_caption.setVisible(bool(topics))
        self.plan.setVisible(bool(topics))


class SetupPage(QWidget):
    """Emits start_requested(session_id, max_questions, duration_minutes) when ready."""

    start_requested = Signal(str, int, int)

    def __init__(self, client: BackendClient, data_dir: Path, parent: QWidget | None = None,
                 audio_io: AudioIO | None = None):
        super().__init__(parent)
        self.setObjectName("SetupPage")
        self.client = client
        self.audio_io = audio_io or AudioIO()
        self.data_dir = Path(data_dir)
        self.session_id: str | None = None
        self._session_used = False  # documents cannot change once an interview started
        self._resume_path: Path | None = None  # the last file that was read successfully
        self._resume_uploaded = False  # ... and it is in the current session
        self._jd_uploaded: tuple[str, str] | None = None  # (text, role) as last sent
        self._busy = False
        self._plan_generation = itertools.count()
        self._plan_latest = 0
        # Dialogs are attributes so tests (and a future voice step) can replace them.
        self.ask_resume_path: Callable[[], Path | None] = self._ask_resume_path
        self.ask_jd_path: Callable[[], Path | None] = self._ask_jd_path
        self._jd_timer = QTimer(self)
        self._jd_timer.setSingleShot(True)
        self._jd_timer.setInterval(JD_PAUSE_MS)
        self._jd_timer.timeout.connect(self._job_paused)
        self._plan_timer = QTimer(self)
        self._plan_timer.setSingleShot(True)
        self._plan_timer.setInterval(PLAN_PAUSE_MS)
        self._plan_timer.timeout.connect(lambda: self._alive and spawn(self.refresh_plan()))
        self._alive = True
        self._build()

    # ---- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        body.setObjectName("PageBody")
        heading = QLabel("Set up your practice interview", body)
        heading.setObjectName("PageTitle")
        heading.setWordWrap(True)
        intro = _muted("Rehearse reads your resume and the job you are aiming for, then asks "
                       "questions the way a real interviewer would. Everything stays on this "
                       "computer.", body)

        # Column 1: the resume and what was read in it.
        left_column = QWidget(body)
        self.drop_zone = DropZone(left_column)
        self.drop_zone.file_dropped.connect(self.load_resume)
        self.drop_zone.choose_requested.connect(self._choose_resume)
        self.resume_message = InlineMessage(left_column)
        self.analysis = AnalysisView(left_column)
        left = QVBoxLayout(left_column)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(10)
        left.addWidget(_title("1 · Your resume", left_column))
        left.addWidget(self.drop_zone)
        left.addWidget(self.resume_message)
        left.addWidget(self.analysis)
        left.addStretch(1)

        # Column 2: the job, then the interview's options.
        right_column = QWidget(body)
        self.role_edit = QLineEdit(right_column)
        self.role_edit.setPlaceholderText("Role, e.g. Senior Backend Engineer")
        self.role_edit.setAccessibleName("Role you are applying for")
        self.jd_edit = QPlainTextEdit(right_column)
        self.jd_edit.setPlaceholderText("Paste the job description here…")
        self.jd_edit.setAccessibleName("Job description")
        self.jd_edit.setTabChangesFocus(True)
        self.jd_edit.setMinimumHeight(110)
        self.jd_edit.setMaximumHeight(180)
        self.load_jd_button = ActionButton("Load from a .txt file…",
                                           "Load job description from a file")
        self.load_jd_button.clicked.connect(self._choose_jd)
        self.jd_message = InlineMessage(right_column)
        jd_buttons = QHBoxLayout()
        jd_buttons.addWidget(self.load_jd_button)
        jd_buttons.addStretch(1)

        self.minutes_spin = CountSpinBox("minute", right_column)
        self.minutes_spin.setRange(1, MAX_DURATION_MINUTES)
        self.minutes_spin.setValue(DEFAULT_DURATION_MINUTES)
        self.minutes_spin.setAccessibleName("Interview length in minutes")
        self.questions_spin = CountSpinBox("question", right_column)
        self.questions_spin.setRange(1, DEFAULT_MAX_QUESTIONS)
        self.questions_spin.setValue(DEFAULT_MAX_QUESTIONS)
        self.questions_spin.setAccessibleName("Number of questions")
        self.questions_spin.valueChanged.connect(lambda _v: self._plan_timer.start())
        self.memory_check = QCheckBox("Let past interviews shape this one", right_column)
        self.memory_check.setAccessibleName("Let past interviews shape this one")
        self.memory_check.toggled.connect(lambda _on: self._plan_timer.start())
        self.memory_note = _muted(self._memory_text(), right_column)
        self.memory_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.memory_check.setAccessibleDescription(self.memory_note.text())
        self.voice_check = QCheckBox("Voice: hear the questions, answer aloud", right_column)
        self.voice_check.setAccessibleName("Voice interview")
        self.voice_check.clicked.connect(self._voice_choice_changed)
        self.voice_review_check = QCheckBox("Review every transcript before it is scored",
                                            right_column)
        self.voice_review_check.setAccessibleName("Review every transcript before it is scored")
        self.voice_review_check.clicked.connect(self._voice_choice_changed)
        self.voice_note = _muted("", right_column)
        self.mic_test = MicTest(self.client, self.audio_io, right_column)
        self.mic_test.hide()
        self.devices: DeviceReport | None = None
        self.voice_available(False, VOICE_CHECKING)
        options = QFormLayout()
        options.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        options.setHorizontalSpacing(16)
        options.setVerticalSpacing(10)
        options.addRow("Length", self.minutes_spin)
        options.addRow("Questions", self.questions_spin)

        right = QVBoxLayout(right_column)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(10)
        right.addWidget(_title("2 · The job", right_column))
        right.addWidget(self.role_edit)
        right.addWidget(self.jd_edit)
        right.addLayout(jd_buttons)
        right.addWidget(self.jd_message)
        right.addSpacing(6)
        right.addWidget(_title("3 · The interview", right_column))
        right.addLayout(options)
        right.addWidget(self.voice_check)
        right.addWidget(self.voice_review_check)
        right.addWidget(self.voice_note)
        right.addWidget(self.mic_test)
        right.addWidget(self.memory_check)
        right.addWidget(self.memory_note)
        right.addStretch(1)

        self.columns = ResponsiveColumns(STACK_BELOW_PX, parent=body)
        self.columns.add_column(left_column)
        self.columns.add_column(right_column)

        self.start_button = ActionButton("Start interview", "Start interview", "PrimaryButton")
        self.start_button.clicked.connect(lambda: spawn(self.start()))
        self.start_hint = _muted("", self)
        self.busy = BusyIndicator(self)
        self.start_message = InlineMessage(self)
        footer = QHBoxLayout()
        footer.addWidget(self.busy, 1)
        footer.addWidget(self.start_hint, 1)
        footer.addWidget(self.start_button)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.columns, 1)

        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("PageScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        # The start button stays in view however far the page scrolls.
        bar = QVBoxLayout()
        bar.setContentsMargins(32, 8, 32, 14)
        bar.addWidget(self.start_message)
        bar.addLayout(footer)
        divider = QFrame(self)
        divider.setObjectName("Divider")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.scroll, 1)
        outer.addWidget(divider)
        outer.addLayout(bar)

        chain = (self.drop_zone.choose_button, self.role_edit, self.jd_edit, self.load_jd_button,
                 self.minutes_spin, self.questions_spin, self.voice_check,
                 self.voice_review_check, self.mic_test.combo, self.mic_test.button,
                 self.memory_check, self.start_button)
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        QShortcut(QKeySequence("Ctrl+O"), self, self._choose_resume,
                  context=Qt.ShortcutContext.WindowShortcut)
        for signal in (self.jd_edit.textChanged, self.role_edit.textChanged):
            signal.connect(self._refresh_start)
            signal.connect(self._job_edited)
        self._refresh_start()

    def _memory_text(self) -> str:
        return ("When on, the topics you found hard in past interviews come back in this one. "
                "Your progress and practice are kept either way, only on this computer "
                "(Settings turns them off and deletes them).")

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
        self.mic_test.set_devices(report)
        if report.voice_possible:
            prefs = VoicePrefs.load()
            self.voice_check.setChecked(prefs.enabled)
            self.voice_review_check.setChecked(prefs.review)
        self._refresh_review()
        if self.voice_enabled:
            self.warm_up_voice()

    def _refresh_review(self) -> None:
        can_answer = self.devices is not None and self.devices.can_answer
        self.voice_review_check.setVisible(can_answer)
        self.voice_review_check.setEnabled(can_answer and self.voice_enabled)
        self.mic_test.setVisible(can_answer and self.voice_enabled)

    def _voice_choice_changed(self) -> None:
        prefs = VoicePrefs.load()
        prefs.enabled = self.voice_check.isChecked()
        prefs.review = self.voice_review_check.isChecked()
        prefs.save()
        self._refresh_review()
        if self.voice_enabled:
            self.warm_up_voice()

    def warm_up_voice(self) -> None:
        """Load the voice models now, so the first question is spoken at once after Start."""
        async def warm() -> None:
            try:
                await self.client.voice_warm_up()
            except ApiError as e:
                log.info("voice warm-up failed: %s", e)
        if self._alive:
            spawn(warm())

    @property
    def voice_enabled(self) -> bool:
        return self.voice_check.isEnabled() and self.voice_check.isChecked()

    # ---- state ----------------------------------------------------------------------------
    @property
    def ready_to_start(self) -> bool:
        return (self._resume_path is not None and bool(self.jd_edit.toPlainText().strip())
                and not self._busy)

    def _job_text(self) -> tuple[str, str]:
        return self.jd_edit.toPlainText().strip(), self.role_edit.text().strip()

    def _refresh_start(self) -> None:
        self.start_button.setEnabled(self.ready_to_start)
        if self._busy:
            hint = ""
        elif self._resume_path is None:
            hint = "Add your resume to begin."
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

    def shutdown(self) -> None:
        """Stop the typing timers (the window is closing; no more requests)."""
        self._alive = False
        self._jd_timer.stop()
        self._plan_timer.stop()
        self.mic_test.shutdown()

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

    # ---- the job description, analysed after a pause in typing ---------------------------
    def _job_edited(self) -> None:
        if self._job_text() != self._jd_uploaded:
            self._jd_timer.start()  # restarts: only a pause in typing sends it

    def _job_paused(self) -> None:
        text, _role = self._job_text()
        if self._job_text() == self._jd_uploaded or len(text.split()) < MIN_JD_WORDS:
            return
        if self._busy:
            self._jd_timer.start()  # after the current upload
            return
        if self._alive:
            spawn(self.analyse_job())

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
        self.jd_message.show_info(f"Loaded {path.name}.")

    def load_resume(self, path: Path) -> None:
        """Slot: upload the resume at `path` and show what was read (runs as a task)."""
        spawn(self.upload_resume(Path(path)))

    async def upload_resume(self, path: Path) -> bool:
        """Read `path` as the resume. On failure nothing changes: the page keeps showing
        the resume read before (if any), which the backend also keeps."""
        if self._busy:
            return False
        self.resume_message.clear_message()
        self._set_busy(f"Reading {path.name}…")
        try:
            await self._session()
            result = await self.client.upload_resume(self.session_id, path)
        except Exception as e:  # shown in words; never a traceback
            kept = (f" Rehearse still uses {self._resume_path.name}."
                    if self._resume_path is not None else "")
            self.resume_message.show_error(_error_text(e) + kept)
            return False
        finally:
            self._set_busy(None)
        self._resume_path = path
        self._resume_uploaded = True
        self.drop_zone.show_file(path)
        self.analysis.show_analysis(result, with_job=self._jd_uploaded is not None)
        self._plan_timer.start()
        self._job_edited()  # a job typed meanwhile is analysed next
        return True

    async def _send_jd(self, force: bool = False) -> dict | None:
        """Send the job description if it changed; returns the analysis it gave (None if
        nothing was sent or no resume is in yet)."""
        text, role = self._job_text()
        if not force and self._jd_uploaded == (text, role):
            return None
        result = await self.client.upload_jd(self.session_id, text, role)
        self._jd_uploaded = (text, role)
        if not role and result.get("role"):
            self.role_edit.blockSignals(True)  # the role the backend took is what was sent
            self.role_edit.setText(result["role"])
            self.role_edit.blockSignals(False)
            self._jd_uploaded = (text, result["role"])
        if result.get("strengths") is None:
            return None
        fields = ("detected_seniority", "strengths", "gaps", "focus_areas", "plan", "uncovered",
                  "not_asked", "opener", "behavioral", "strength_evidence")
        return {k: v for k, v in result.items() if k in fields and v is not None}

    async def analyse_job(self) -> bool:
        """Send the job description now and show the analysis it gives."""
        if self._busy or not self.jd_edit.toPlainText().strip():
            return False
        self._jd_timer.stop()
        self.jd_message.clear_message()
        self._set_busy("Comparing your resume with the job…")
        try:
            await self._session()
            if self._resume_path is not None and not self._resume_uploaded:
                await self._ensure_resume()
            update = await self._send_jd(force=True)
        except Exception as e:
            self.jd_message.show_error(_error_text(e))
            return False
        finally:
            self._set_busy(None)
        if update is not None:
            self.analysis.show_analysis({**self.analysis.data, **update}, with_job=True)
            self._plan_timer.start()
        self._job_edited()  # typed on while this one was sent
        return True

    async def refresh_plan(self) -> None:
        """Show the topics the interview will cover for the current choices."""
        if self.session_id is None or self._session_used or not self._resume_uploaded:
            return
        generation = self._plan_latest = next(self._plan_generation)
        try:
            plan = await self.client.plan(self.session_id, self.questions_spin.value(),
                                          self.memory_check.isChecked())
        except ApiError as e:
            log.info("no interview plan: %s", e.status)
            plan = None
        if generation != self._plan_latest:
            return  # a newer request is under way
        topics = [] if plan is None else [q["topic"] for q in plan.get("questions", [])]
        self.analysis.show_plan(list(dict.fromkeys(topics)) or None)

    async def _ensure_resume(self) -> None:
        await self._session()
        if not self._resume_uploaded:
            if self._resume_path is None:
                raise ApiError(400, "Add your resume first.")
            result = await self.client.upload_resume(self.session_id, self._resume_path)
            self._resume_uploaded = True
            self.analysis.show_analysis(result, with_job=self._jd_uploaded is not None)

    async def start(self) -> bool:
        """Make sure both documents and the memory choice are in, then ask to start."""
        if not self.ready_to_start:
            return False
        self._jd_timer.stop()
        self.start_message.clear_message()
        self._set_busy("Preparing your interview…")
        try:
            await self._ensure_resume()
            update = await self._send_jd()
            if update is not None:
                self.analysis.show_analysis({**self.analysis.data, **update}, with_job=True)
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
