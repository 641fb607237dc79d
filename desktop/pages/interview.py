"""The interview: a conversation thread (questions, answers, feedback, follow-ups), a calm
countdown and the answer box.

The page has three stages: before an interview ("No interview in progress", with a way to
Setup or to continue an unfinished interview), during it, and after it ("Interview finished
— see your report": the clock stopped, End hidden, the answer box read-only).

Keys: Ctrl+Enter submits, Ctrl+N moves on, Enter on a focused button clicks it. In voice mode
Space (when the answer box is not focused) starts and stops a spoken answer; the voice
work itself is desktop.audio.controller.VoiceController's, this page only shows it.
"""

from __future__ import annotations

import asyncio
import logging
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit, QVBoxLayout,
                               QWidget)

from backend.protocol.steps import ANSWERING
from desktop.async_utils import spawn
from desktop.audio.controller import VoiceController
from desktop.audio.devices import DeviceReport
from desktop.audio.hardware import AudioIO
from desktop.audio.prefs import VoicePrefs
from desktop.client import ApiError, BackendClient
from desktop.interview_session import InterviewSession
from desktop.widgets.buttons import ActionButton
from desktop.widgets.confirm import confirm
from desktop.widgets.question_card import QuestionCard
from desktop.widgets.retry_dialog import RetryDialog
from desktop.widgets.score_card import ScoreCard
from desktop.widgets.status import BusyIndicator, InlineMessage
from desktop.widgets.thinking import InterviewerNotice, ThinkingIndicator, fallback_text
from desktop.widgets.thread import AnswerBlock, Key, ThreadView
from desktop.widgets.transcript_check import CONFIRM_SECONDS
from desktop.widgets.voice_panel import DeliveryView, VoicePanel, mark_unsure_words

log = logging.getLogger(__name__)

LOW_TIME_S = 5 * 60
MAX_PAGE_WIDTH = 960  # the conversation stays readable on a wide screen
PLACEHOLDER = ("Type your answer as you would say it. Think aloud; it's fine to say what you "
               "don't know.")

# Events that end a model step's "thinking" state (docs/protocol.md, Live events);
# `interviewer_status` ends it too, in its own handler.
ENDS_THINKING = frozenset({"score_update", "new_question", "followup", "feedback", "error"})
# What the busy line says when the built-in interviewer takes over a step mid-way.
BUILTIN_BUSY = {"grading": "Scoring your answer…", "question": "Preparing the next question…",
                "report": "Writing your report…"}


def _connect_once(block: AnswerBlock, name: str, signal, slot) -> None:
    """Connect ``slot`` to a block's ``signal`` once (a block is reused when a prompt is
    re-sent; no disconnect, which leaks in some PySide6 releases)."""
    wired = block.__dict__.setdefault("_wired", set())
    if name not in wired:
        wired.add(name)
        signal.connect(slot)


def format_clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def word_count(text: str) -> int:
    return len(text.split())


class Countdown(QLabel):
    """Shows the server's `time_remaining`, counting down locally between its ticks and
    pausing while the connection is down (the server's clock pauses too)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("", parent)
        self.setObjectName("Countdown")
        self.setStyleSheet("font-size: 13pt; font-weight: 600;")  # size only; colour: theme
        self.setAccessibleName("Time remaining")
        self._deadline: float | None = None
        self._paused_at: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._render)

    def remaining(self) -> float:
        if self._deadline is None:
            return 0.0
        if self._paused_at is not None:
            return max(0.0, self._paused_at)
        return max(0.0, self._deadline - time.monotonic())

    def sync(self, seconds: float) -> None:
        self._deadline = time.monotonic() + float(seconds)
        self._paused_at = None
        self._timer.start()
        self._render()

    def pause(self) -> None:
        if self._deadline is not None and self._paused_at is None:
            self._paused_at = self.remaining()
            self._timer.stop()
            self._render()

    def stop(self) -> None:
        self._timer.stop()

    def reset(self) -> None:
        self._timer.stop()
        self._deadline = self._paused_at = None
        self.setText("")

    def _render(self) -> None:
        left = self.remaining()
        self.setText(f"Time left {format_clock(left)}" if left > 0 else "Time is up")
        low = left < LOW_TIME_S
        if self.property("low") != low:
            self.setProperty("low", low)
            self.setObjectName("WarnText" if low else "Countdown")
            self.style().unpolish(self)
            self.style().polish(self)
        if left <= 0:
            self._timer.stop()


class InterviewPage(QWidget):
    """begin(session_id, max_questions, duration_minutes) starts an interview and
    resume(session_id) continues one; emits finished(session_id) when the report is ready,
    report_requested(session_id) from the finished state, setup_requested() and
    continue_requested(session_id) from the empty state."""

    finished = Signal(str)
    report_requested = Signal(str)
    setup_requested = Signal()
    continue_requested = Signal(str)

    def __init__(self, client: BackendClient, audio_io: AudioIO | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("InterviewPage")
        self.client = client
        self.audio_io = audio_io or AudioIO()
        self.devices = DeviceReport()  # MainWindow fills this in after its sound check
        self.voice: VoiceController | None = None
        self.session: InterviewSession | None = None
        self.max_questions = 0
        self.current: Key | None = None  # (question_number, followup_number)
        self.phase = "setup"
        self.stage = "empty"  # empty (before), active (during), finished (after)
        self._sent: dict[Key, str] = {}  # each answer as sent, until its score arrives
        self._resumable: str | None = None
        self._confirm: QMessageBox | None = None
        # A spoken answer shown before it counts: (key, transcript), seconds left.
        self._pending: tuple[Key, str] | None = None
        self._pending_left = 0
        self._pending_timer = QTimer(self)
        self._pending_timer.setInterval(1000)
        self._pending_timer.timeout.connect(self._tick_pending)
        self.retry_dialog: RetryDialog | None = None
        self._build()
        self._show_empty()

    # ---- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        self.progress = QLabel("Practice interview", self)
        self.progress.setObjectName("PageTitle")
        self.role = QLabel(self)
        self.role.setObjectName("Muted")
        self.role.setWordWrap(True)
        self.role.setAccessibleName("Role")
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.progress)
        titles.addWidget(self.role)
        self.countdown = Countdown(self)
        self.connection_note = QLabel(self)
        self.connection_note.setObjectName("WarnText")
        self.connection_note.setWordWrap(True)
        self.connection_note.setAccessibleName("Connection status")
        self.connection_note.hide()
        self.end_button = ActionButton("End interview", "End interview", "DangerButton")
        self.end_button.clicked.connect(self.confirm_end)
        header = QHBoxLayout()
        header.setSpacing(16)
        header.addLayout(titles, 1)
        header.addWidget(self.connection_note, 1)
        header.addWidget(self.countdown)
        header.addWidget(self.end_button)

        self.thread = ThreadView(self)
        self.thread.retry_requested.connect(self.open_retry)
        self._placeholder_card = QuestionCard(self)  # before the first question arrives
        self._placeholder_card.hide()
        self._placeholder_scores = ScoreCard(self)
        self._placeholder_scores.hide()
        self._placeholder_delivery = DeliveryView(self)
        self._placeholder_delivery.hide()
        self.voice_panel = VoicePanel(self)
        self.voice_panel.hide()

        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("AnswerEditor")
        self.editor.setAccessibleName("Your answer")
        self.editor.setPlaceholderText(PLACEHOLDER)
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._update_word_count)
        self.words = QLabel("0 words", self)
        self.words.setObjectName("Muted")
        self.words.setAccessibleName("Word count")
        self.submit_button = ActionButton("Submit answer  (Ctrl+Enter)", "Submit answer",
                                          "PrimaryButton")
        self.submit_button.setToolTip("Ctrl+Enter")
        self.submit_button.clicked.connect(self.submit)
        self.skip_button = ActionButton("Skip question", "Skip question", "SecondaryButton")
        self.skip_button.setToolTip("Skip this question or follow-up (a skipped question counts "
                                    "as 0)")
        self.skip_button.clicked.connect(self.confirm_skip)
        self.next_button = ActionButton("Next question  (Ctrl+N)", "Next question", "PrimaryButton")
        self.next_button.setToolTip("Ctrl+N")
        self.next_button.clicked.connect(self.go_next)
        self.report_button = ActionButton("See your report", "See your report", "PrimaryButton")
        self.report_button.clicked.connect(self._report_clicked)
        self.report_button.hide()
        self.busy = BusyIndicator(self)
        self.message = InlineMessage(self)
        self.thinking = ThinkingIndicator(self)
        self.thinking.setAccessibleDescription("A local model is working on this step")
        self._question_step_pending = False  # the model writes the next question in the background
        self.notice = InterviewerNotice(self)
        answer_bar = QHBoxLayout()
        answer_bar.addWidget(self.words)
        answer_bar.addWidget(self.busy, 1)
        answer_bar.addStretch(0)  # buttons stay right when the busy line is hidden
        answer_bar.addWidget(self.skip_button)
        answer_bar.addWidget(self.submit_button)
        answer_bar.addWidget(self.next_button)
        answer_bar.addWidget(self.report_button)

        self.active = QWidget(self)
        self.active.setMaximumWidth(MAX_PAGE_WIDTH)
        active_layout = QVBoxLayout(self.active)
        active_layout.setContentsMargins(0, 0, 0, 0)
        active_layout.setSpacing(10)
        active_layout.addLayout(header)
        active_layout.addWidget(self.notice)
        active_layout.addWidget(self.thread, 1)
        active_layout.addWidget(self.voice_panel)
        active_layout.addWidget(self.editor)
        active_layout.addWidget(self.thinking)
        active_layout.addLayout(answer_bar)
        active_layout.addWidget(self.message)

        self.empty = QWidget(self)
        self.empty.setMaximumWidth(560)
        empty_title = QLabel("No interview in progress", self.empty)
        empty_title.setObjectName("PageTitle")
        empty_title.setWordWrap(True)
        empty_title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.empty_text = QLabel(self.empty)
        self.empty_text.setObjectName("Muted")
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setup_button = ActionButton("Go to Setup", "Go to Setup", "PrimaryButton")
        self.setup_button.clicked.connect(self.setup_requested)
        self.continue_button = ActionButton("Continue your interview", "Continue your interview",
                                            "PrimaryButton")
        self.continue_button.clicked.connect(
            lambda: self._resumable and self.continue_requested.emit(self._resumable))
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        buttons.addWidget(self.setup_button)
        buttons.addStretch(1)
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.setSpacing(12)
        empty_layout.addStretch(1)
        empty_layout.addWidget(empty_title)
        empty_layout.addWidget(self.empty_text)
        empty_layout.addLayout(buttons)
        empty_layout.addStretch(2)
        self.set_resumable(None)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.addWidget(self.active, 1)
        outer.addWidget(self.empty, 1)

        QWidget.setTabOrder(self.editor, self.submit_button)
        QWidget.setTabOrder(self.submit_button, self.next_button)
        QWidget.setTabOrder(self.next_button, self.end_button)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._submit_shortcut,
                      context=Qt.ShortcutContext.WindowShortcut)
        QShortcut(QKeySequence("Ctrl+N"), self, self._next_shortcut,
                  context=Qt.ShortcutContext.WindowShortcut)
        # Push-to-talk. Text boxes keep their spaces (they claim plain keys before shortcuts);
        # the shortcut is only enabled while a spoken answer is possible.
        self.talk_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), self, self._talk_shortcut,
                                       context=Qt.ShortcutContext.WindowShortcut)
        self.talk_shortcut.setAutoRepeat(False)
        self.talk_shortcut.setEnabled(False)
        panel = self.voice_panel
        panel.talk_clicked.connect(self.toggle_talking)
        panel.replay_clicked.connect(lambda: self.voice and self.voice.replay())
        panel.review_changed.connect(lambda on: self.voice and self.voice.set_review(on))
        panel.input_chosen.connect(lambda name: self.voice and self.voice.set_input(name))
        panel.output_chosen.connect(lambda name: self.voice and self.voice.set_output(name))

    def _fit_editor(self) -> None:
        """The conversation gets the room: the answer box takes a fifth of the page's
        height (an eighth with the voice panel, where answers are spoken), 84-170 px."""
        if self.stage == "finished":
            return
        share = 8 if self.voice_panel.isVisibleTo(self) else 5
        self.editor.setMinimumHeight(min(84, self.height() // share))
        self.editor.setMaximumHeight(max(84, min(170, self.height() // share)))

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._fit_editor()
        super().resizeEvent(event)

    # ---- what tests and the window look at ------------------------------------------
    @property
    def card(self) -> QuestionCard:
        """The latest question or follow-up in the thread."""
        return self.thread.latest_prompt or self._placeholder_card

    @property
    def scores(self) -> ScoreCard:
        """The latest answer's feedback card."""
        block = self.thread.latest_answer
        return block.scores if block is not None else self._placeholder_scores

    @property
    def delivery(self) -> DeliveryView:
        block = self.thread.latest_answer
        return block.delivery if block is not None else self._placeholder_delivery

    @property
    def intro(self) -> QLabel:
        return self.thread.intro

    # ---- states ---------------------------------------------------------------------
    def set_resumable(self, session_id: str | None, summary: str = "") -> None:
        """The empty state offers to continue this unfinished interview (None: nothing to
        continue)."""
        self._resumable = session_id
        self.continue_button.setVisible(session_id is not None)
        self.setup_button.setObjectName("SecondaryButton" if session_id else "PrimaryButton")
        self.setup_button.style().unpolish(self.setup_button)
        self.setup_button.style().polish(self.setup_button)
        self.empty_text.setText(
            f"You have an unfinished interview{': ' + summary if summary else ''}. Continue it, "
            "or set up a new one." if session_id else
            "Add your resume and the job description on the Setup page, then start when you "
            "feel ready.")

    def _show_empty(self) -> None:
        self.stage = "empty"
        self.active.hide()
        self.empty.show()

    def _set_answering(self, on: bool) -> None:
        self.editor.setReadOnly(not on)
        self.submit_button.setVisible(True)
        self.submit_button.setEnabled(on)
        self.skip_button.setVisible(True)
        self.skip_button.setEnabled(on)
        self._refresh_talk()
        if on:
            self.next_button.hide()
            if self._can_talk():
                self.voice_panel.talk_button.setFocus()  # Space talks; typing is a click away
            else:
                self.editor.setFocus()

    def _offer_next(self, label: str) -> None:
        self._set_answering(False)
        self.submit_button.hide()
        self.skip_button.hide()
        self.next_button.setText(f"{label}  (Ctrl+N)")
        self.next_button.setAccessibleName(label)
        self.next_button.setEnabled(True)
        self.next_button.show()
        self.next_button.setFocus()

    def _show_finished(self) -> None:
        """After the interview: the thread stays, the clock stops, nothing can be sent."""
        self.stage = "finished"
        self.progress.setText("Interview finished")
        self.busy.stop()
        self.thinking.stop()
        self.countdown.stop()
        self.countdown.hide()
        self.end_button.hide()
        self.connection_note.hide()
        self._set_answering(False)
        self.submit_button.hide()
        self.skip_button.hide()
        self.next_button.hide()
        self.words.hide()
        self.editor.clear()
        self.editor.setPlaceholderText("This interview is finished. Your answers and feedback "
                                       "are in the report.")
        self.editor.setFixedHeight(56)  # read-only: one line says why
        self.report_button.show()
        self.thread.show_finished()
        self._refresh_talk()
        self.report_button.setFocus()

    def _report_clicked(self) -> None:
        if self.session is not None:
            self.report_requested.emit(self.session.session_id)

    @property
    def in_progress(self) -> bool:
        return self.session is not None and not self.session.completed

    def begin(self, session_id: str, max_questions: int, duration_minutes: int,
              voice: bool = False) -> None:
        """Start (or resume) the interview of `session_id`; returns at once. With `voice`,
        questions are spoken and (with a microphone) answers can be."""
        self._prepare(session_id, max_questions, duration_minutes, voice)
        spawn(self.session.open())

    def resume(self, session_id: str, voice: bool = False) -> asyncio.Task:
        """Continue an unfinished interview: show the conversation so far, then reconnect
        (the session sends `ready`, which re-asks the open question). Returns at once, with
        the page already in its "during" state; the task's result says whether the
        transcript could be loaded (if not, the message says why)."""
        self._prepare(session_id, 0, 0, voice)
        self.busy.start("Loading your interview…")
        return spawn(self._continue(self.session))

    async def _continue(self, session: InterviewSession) -> bool:
        try:
            transcript = await self.client.transcript(session.session_id)
        except ApiError as e:
            if self.session is session:
                self.session = None
                self.busy.stop()
                self.message.show_error(f"Could not continue this interview: {e}")
            return False
        if self.session is not session:
            return False  # another interview was started meanwhile
        self.max_questions = int(transcript.get("max_questions") or 0)
        self.show_transcript(transcript)
        self.busy.start("Connecting to your interviewer…")
        spawn(session.open())
        return True

    def show_transcript(self, transcript: dict) -> None:
        """Fill the thread with what was said so far (GET /session/{id}/transcript)."""
        self.thread.show_intro(str(transcript.get("intro") or ""))
        if transcript.get("role"):
            self.role.setText(str(transcript["role"]))
        total = self.max_questions
        for turn in transcript.get("turns") or []:
            number = int(turn.get("question_number") or 0)
            for prompt in turn.get("prompts") or []:
                key = (number, int(prompt.get("followup_number") or 0))
                if key[1] == 0:
                    self.thread.show_prompt(key, {**turn, "max_questions": total}, followup=False)
                else:
                    self.thread.show_prompt(key, {**prompt, "topic": turn.get("topic", "")},
                                            followup=True)
                if prompt.get("score"):
                    self.thread.show_score(key, prompt["score"], str(prompt.get("answer") or ""))
        done = [int(t.get("question_number") or 0) for t in transcript.get("turns") or []]
        if transcript.get("awaiting") in ANSWERING and done:
            done = done[:-1]  # the question still being asked
        for number in done:
            self.thread.offer_retry(number)
        if transcript.get("time_remaining") is not None:
            self.countdown.sync(float(transcript["time_remaining"]))
            self.countdown.pause()  # the server's clock runs again once connected

    def _prepare(self, session_id: str, max_questions: int, duration_minutes: int,
                 voice: bool) -> None:
        if self.session is not None:
            spawn(self.session.close())
        self._close_voice()
        self._take_pending()
        self.max_questions = max_questions
        self.current = None
        self.phase = "setup"
        self.stage = "active"
        self._sent.clear()
        self.empty.hide()
        self.active.show()
        self.progress.setText("Practice interview")
        self.thread.clear()
        self.editor.clear()
        self.editor.setPlaceholderText(PLACEHOLDER)
        self._fit_editor()
        self.words.show()
        self.message.clear_message()
        self.thinking.stop()
        self.notice.dismiss()
        self.role.clear()
        self.countdown.reset()
        self.countdown.show()
        self.end_button.show()
        self.end_button.setEnabled(True)
        self.report_button.hide()
        self._set_answering(False)
        self.next_button.hide()
        self.busy.start("Connecting to your interviewer…")
        self.session = InterviewSession(self.client, session_id, max_questions,
                                        duration_minutes, self)
        self.session.received.connect(self._on_event)
        self.session.status.connect(self._on_status)
        if voice:
            self._open_voice(self.session)
        else:
            self.voice_panel.hide()
        self._fit_editor()

    # ---- voice ----------------------------------------------------------------------
    def set_devices(self, report: DeviceReport) -> None:
        self.devices = report

    def _open_voice(self, session: InterviewSession) -> None:
        prefs = VoicePrefs.load()
        voice = VoiceController(self.audio_io, prefs, self.devices, self)
        panel = self.voice_panel
        panel.set_devices(self.devices, prefs.input_device, prefs.output_device, prefs.review)
        panel.set_state("loading", "Loading voice models…")
        panel.show_heard("")
        voice.state_changed.connect(self._on_voice_state)
        voice.talk_state.connect(self._on_talk_state)
        voice.level.connect(panel.meter.set_level)
        voice.partial.connect(lambda text: panel.show_heard(text or "Listening…"))
        voice.final.connect(self._on_final_transcript)
        voice.speaking.connect(panel.set_speaking)
        voice.problem.connect(self.message.show_warning)
        voice.mic_silent.connect(panel.set_cant_hear)
        voice.auto_end.connect(panel.set_countdown)
        session.voice_options = voice.toggle_data
        voice.attach(session.connection)
        self.voice = voice
        panel.show()
        self._fit_editor()
        self._refresh_talk()

    def _close_voice(self) -> None:
        if self.voice is not None:
            voice, self.voice = self.voice, None
            spawn(voice.close())
            voice.setParent(None)
        self.talk_shortcut.setEnabled(False)

    def _can_talk(self) -> bool:
        voice = self.voice
        return (voice is not None and voice.stt_ready and voice.can_answer
                and voice.awaiting_answer and not self.editor.isReadOnly())

    def _refresh_talk(self) -> None:
        voice = self.voice
        recording = voice is not None and voice.talk == "recording"
        can = self._can_talk() or recording
        self.voice_panel.set_can_talk(can)
        self.talk_shortcut.setEnabled(can)

    def _talk_shortcut(self) -> None:
        if self.isVisible() and not self.editor.hasFocus():
            self.toggle_talking()

    def toggle_talking(self) -> None:
        """Space or the Talk button: start a spoken answer, or stop and send it."""
        voice = self.voice
        if voice is None:
            return
        if voice.talk == "recording":
            voice.stop_talking()
        elif self._can_talk():
            self.message.clear_message()
            voice.start_talking()

    def _on_voice_state(self, state: str, text: str) -> None:
        self.voice_panel.set_state(state, text)
        self._refresh_talk()
        if self._can_talk() and self.editor.hasFocus() and not self.editor.toPlainText():
            self.voice_panel.talk_button.setFocus()  # models just loaded: Space now talks

    def _on_talk_state(self, talk: str) -> None:
        self.voice_panel.set_talk(talk)
        if talk == "recording":
            self.editor.setReadOnly(True)
            self.submit_button.setEnabled(False)
        elif talk == "transcribing":
            self.busy.start("Transcribing your answer…")
        elif self.session is not None and self.session.awaiting in ANSWERING \
                and self.voice is not None and self.voice.awaiting_answer:
            self.busy.stop()
            self.editor.setReadOnly(False)
            self.submit_button.setEnabled(True)
        self._refresh_talk()

    def _on_final_transcript(self, text: str, delivery: dict, review: bool) -> None:
        """The transcript is always seen before it counts: in review mode it waits in the
        answer box for Submit; otherwise it shows in the conversation, with its unsure words
        marked, and is scored after CONFIRM_SECONDS unless the candidate edits it."""
        self.voice_panel.show_heard("")
        self.busy.stop()
        if not text or self.current is None:
            return  # nothing heard: the backend's error says so
        unsure = self.voice.low_confidence if self.voice is not None else []
        if review:
            self._edit_transcript(text, unsure, "Check what Rehearse heard, fix anything "
                                                "misheard, then submit (Ctrl+Enter).")
            return
        key = self.current
        self._set_answering(False)
        block = self.thread.show_answer(key, text)
        block.show_pending(text, unsure, CONFIRM_SECONDS)
        _connect_once(block, "edit", block.pending.edit_clicked, self._edit_pending)
        _connect_once(block, "send", block.pending.send_clicked, self._send_pending)
        self._pending = (key, text)
        self._pending_left = CONFIRM_SECONDS
        self._pending_timer.start()
        block.pending.edit_button.setFocus()

    def _edit_transcript(self, text: str, unsure: list[dict], note: str) -> None:
        """The transcript into the answer box, unsure words highlighted, for Submit."""
        self.editor.setPlainText(text)
        mark_unsure_words(self.editor, unsure)
        self.voice_panel.show_unsure(unsure, self.editor)
        self._set_answering(True)
        self.editor.setFocus()
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        self.message.show_info(note)

    @property
    def pending_seconds(self) -> int | None:
        """Seconds until the transcript on show is scored (None: none waits)."""
        return self._pending_left if self._pending is not None else None

    def _tick_pending(self) -> None:
        if self._pending is None:
            self._pending_timer.stop()
            return
        self._pending_left -= 1
        block = self.thread.answers.get(self._pending[0])
        if self._pending_left <= 0:
            self._send_pending()
        elif block is not None:
            block.pending.set_seconds(self._pending_left)

    def _take_pending(self) -> tuple[Key, str] | None:
        self._pending_timer.stop()
        pending, self._pending = self._pending, None
        return pending

    def _send_pending(self) -> None:
        """The countdown ended (or "Score now"): the transcript is the answer."""
        pending = self._take_pending()
        if pending is None or self.session is None:
            return
        key, text = pending
        block = self.thread.answers.get(key)
        if block is not None:
            block.end_pending(text)
        self._sent[key] = text
        self.busy.start("Scoring your answer…")
        spawn(self._send("answer", {"text": text}))

    def _edit_pending(self) -> None:
        """Edit: the transcript goes back to the answer box; Submit sends what is there."""
        pending = self._take_pending()
        if pending is None:
            return
        key, text = pending
        self.thread.remove_answer(key)
        unsure = self.voice.low_confidence if self.voice is not None else []
        self._edit_transcript(text, unsure, "Fix what Rehearse misheard, then submit "
                                            "(Ctrl+Enter).")

    def _cancel_pending(self) -> None:
        pending = self._take_pending()
        if pending is not None:
            self.thread.remove_answer(pending[0])

    def _offer_correction(self, key: Key, block: AnswerBlock) -> None:
        """ "This isn't what I said" under a scored spoken answer of the current question."""
        if not block.spoken:
            return
        block.correction.offer(block.text.text())
        _connect_once(block, "correct", block.correction.submitted,
                      lambda text, k=key: self._correct(k, text))

    def _correct(self, key: Key, text: str) -> None:
        self.busy.start("Scoring your words again…")
        spawn(self._send("correct_answer", {"question_number": key[0],
                                            "followup_number": key[1], "text": text}))

    def _withdraw_corrections(self, keep_question: int | None = None) -> None:
        for key, block in self.thread.answers.items():
            if key[0] != keep_question:
                block.correction.withdraw()

    async def shutdown(self) -> None:
        """Close the socket (the interview stays saved and can be resumed)."""
        if self.voice is not None:
            voice, self.voice = self.voice, None
            await voice.close()
        if self.session is not None:
            await self.session.close()
        self.countdown.stop()

    # ---- server events --------------------------------------------------------------
    def _on_status(self, state: str, message: str) -> None:
        if state != "connected":
            self.thinking.stop()  # a step's events cannot arrive on a dropped socket
        if state == "connected":
            self.connection_note.hide()
        elif state in ("connecting", "reconnecting"):
            self.connection_note.setText(message)
            self.connection_note.setProperty("kind", "info")
            self.connection_note.show()
            self.countdown.pause()
            if self.submit_button.isEnabled():
                self.submit_button.setEnabled(False)
        elif state == "failed":
            self.connection_note.hide()
            self.busy.stop()
            self._set_answering(False)
            self.message.show_error(message)

    def _on_event(self, ev: dict) -> None:
        if self.voice is not None:
            self.voice.handle(ev)
        if ev["type"] in ENDS_THINKING or ev["type"] == "interviewer_status":
            self._question_step_pending = False
        if ev["type"] in ENDS_THINKING:
            self.thinking.stop()
        handler = getattr(self, f"_ev_{ev['type']}", None)
        if handler is not None:
            handler(ev["data"])

    def _ev_connected(self, data: dict) -> None:
        self.phase = str(data.get("phase", self.phase))
        if data.get("role"):
            self.role.setText(str(data["role"]))
        if self.session is not None and self.session.awaiting in ("next", "end"):
            # Back after a drop while the candidate was reading feedback: let them move on.
            self.busy.stop()
            self._offer_next("Finish and see report" if self.session.awaiting == "end"
                             else "Next question")

    def _ev_intro(self, data: dict) -> None:
        self.phase = "intro"
        self.thread.show_intro(str(data.get("message") or ""))

    def _ev_new_question(self, data: dict) -> None:
        self.phase = "questioning"
        key = (int(data.get("question_number", 0)), 0)
        self.max_questions = int(data.get("max_questions") or self.max_questions)
        self.thread.show_prompt(key, {**data, "max_questions": self.max_questions},
                                followup=False)
        self._show_prompt(key, data)

    def _ev_followup(self, data: dict) -> None:
        number = int(data.get("question_number") or (self.current or (0, 0))[0])
        key = (number, int(data.get("followup_number") or 1))
        main = self.thread.prompts.get((number, 0))
        topic = main.topic.text() if main is not None else ""
        self.thread.show_prompt(key, {**data, "topic": topic}, followup=True)
        self._show_prompt(key, data)

    def _show_prompt(self, key: Key, data: dict) -> None:
        self._withdraw_corrections(keep_question=key[0])
        if key != self.current:  # a re-sent prompt (after a reconnect) keeps the draft
            self.editor.clear()
        self.current = key
        self.busy.stop()
        self.message.clear_message()
        if "time_remaining" in data:
            self.countdown.sync(float(data["time_remaining"]))
        self._set_answering(True)

    def _ev_score_update(self, data: dict) -> None:
        self.busy.stop()
        key = (int(data.get("question_number") or (self.current or (0, 0))[0]),
               int(data.get("followup_number") or 0))
        text = self._sent.pop(key, "")
        block = self.thread.show_score(key, data, text)
        self._offer_correction(key, block)
        if self.editor.isReadOnly() and self.editor.toPlainText().strip() == text.strip():
            self.editor.clear()  # a spoken answer, now in the thread
        awaiting = data.get("awaiting")  # the server says what comes next
        if awaiting != "followup":
            self.thread.offer_retry(key[0])
        if awaiting == "followup":
            self._set_answering(False)
            self.busy.start("Your interviewer has a follow-up…")
        elif awaiting == "end":
            self._offer_next("Finish and see report")
        else:
            self._offer_next("Next question")

    def _ev_answer_corrected(self, data: dict) -> None:
        self.busy.stop()
        key = (int(data.get("question_number") or 0), int(data.get("followup_number") or 0))
        block = self.thread.answers.get(key)
        if block is not None:
            block.show_corrected(data)

    def _ev_thinking(self, data: dict) -> None:
        """A local model started a step: say so, and let nothing be sent meanwhile.

        The next question is written right after the score, while the candidate reads the
        feedback: that is only worth showing once they press Next and wait for it."""
        step = str(data.get("step") or "")
        if step == "question" and self.next_button.isEnabled():
            self._question_step_pending = True
            return
        self.busy.stop()
        self.thinking.start(step)
        self.submit_button.setEnabled(False)

    def _ev_interviewer_status(self, data: dict) -> None:
        step = self.thinking.step
        self.thinking.stop()
        if data.get("fallback"):
            self.notice.show_notice(fallback_text(str(data.get("reason") or "")))
        if step:  # the built-in interviewer finishes that step; its event clears this
            self.busy.start(BUILTIN_BUSY.get(step, "One moment…"))

    def _ev_time_remaining(self, data: dict) -> None:
        if "seconds" in data:
            self.countdown.sync(float(data["seconds"]))

    def _ev_phase_update(self, data: dict) -> None:
        self.phase = str(data.get("phase", self.phase))
        if self.phase == "evaluation":
            self._cancel_pending()
            self._withdraw_corrections()
            self.voice_panel.show_heard("")  # "Listening…" must not outlive the interview
            self._set_answering(False)
            self.next_button.hide()
            self.end_button.setEnabled(False)
            self.countdown.stop()
            self.busy.start("Writing your report…")

    def _ev_feedback(self, data: dict) -> None:
        self.phase = "completed"
        if self._confirm is not None:
            self._confirm.close()
        self._show_finished()
        if self.session is not None:
            self.finished.emit(self.session.session_id)

    def _ev_skip_offer(self, data: dict) -> None:
        """The answer sent was a request to skip: nothing was graded. Put the words back and
        ask; Cancel leaves the question open for an answer."""
        self.busy.stop()
        if self.current is not None:
            text = self._sent.pop(self.current, "")
            self.thread.remove_answer(self.current)
            if text and not self.editor.toPlainText().strip():
                self.editor.setPlainText(text)
        self._set_answering(True)
        self.confirm_skip(str(data.get("message") or ""))

    def _ev_error(self, data: dict) -> None:
        self.busy.stop()
        for block in self.thread.answers.values():
            block.correction.failed()
        self.message.show_error(str(data.get("message") or "The interviewer could not use that."))
        if self.session is not None and self.session.awaiting in ANSWERING:
            self._set_answering(True)

    # ---- retries (issue 18) -----------------------------------------------------------
    def open_retry(self, number: int) -> RetryDialog | None:
        """“Try this answer again” on question `number`: a window-modal dialog that grades
        the retry beside the first attempt (the interview waits meanwhile)."""
        if self.session is None:
            return None
        if self.retry_dialog is not None:
            self.retry_dialog.close()
        prompt = self.thread.prompts.get((number, 0))
        text = prompt.question.text() if prompt is not None else f"Question {number}"
        can_speak = self.voice is not None and self.voice.can_answer
        self.retry_dialog = RetryDialog(self.client, self.session.session_id, number, text,
                                        audio_io=self.audio_io, can_speak=can_speak, parent=self)
        self.retry_dialog.finished.connect(self._retry_closed)
        self.retry_dialog.open()
        return self.retry_dialog

    def _retry_closed(self, _result: int) -> None:
        self.retry_dialog = None
        self.window().activateWindow()  # the keyboard comes back to the interview
        for button in (self.next_button, self.report_button):
            if button.isVisible() and button.isEnabled():
                button.setFocus()
                break

    # ---- candidate actions ----------------------------------------------------------
    def _update_word_count(self) -> None:
        n = word_count(self.editor.toPlainText())
        self.words.setText(f"{n} word" + ("" if n == 1 else "s"))

    def _submit_shortcut(self) -> None:
        if self.isVisible() and self.submit_button.isVisible() and self.submit_button.isEnabled():
            self.submit()

    def _next_shortcut(self) -> None:
        if self.isVisible() and self.next_button.isVisible() and self.next_button.isEnabled():
            self.go_next()

    def submit(self) -> None:
        text = self.editor.toPlainText().strip()
        if self.session is None or not self.submit_button.isEnabled():
            return
        if not text:
            self.message.show_info("Write an answer first — even a partial one is fine.")
            return
        self.message.clear_message()
        if self.voice is not None:
            self.voice.stop_talking(cancel=True)
            self.voice.stop_speaking()
        self._set_answering(False)
        if self.current is not None:  # the answer joins the conversation at once
            self._sent[self.current] = text
            self.thread.show_answer(self.current, text)
        self.editor.clear()
        self.busy.start("Scoring your answer…")
        spawn(self._send("answer", {"text": text}))

    def go_next(self) -> None:
        if self.session is None or not self.next_button.isEnabled():
            return
        self.next_button.setEnabled(False)
        if self.voice is not None:
            self.voice.stop_speaking()
        if self._question_step_pending:  # the local model is still writing it
            self.thinking.start("question")
        else:
            self.busy.start("Finishing…" if self.session.awaiting == "end" else "Next question…")
        spawn(self._send("ready"))

    async def _send(self, type_: str, data: dict | None = None) -> None:
        try:
            await self.session.send(type_, data)
        except ApiError:
            self.busy.stop()
            self.message.show_warning("Not sent: the connection dropped. Your text is still here; "
                                      "send it again once reconnected.")
            if type_ == "answer":
                if self.current is not None:  # back from the thread into the answer box
                    self._sent.pop(self.current, None)
                    self.thread.remove_answer(self.current)
                if not self.editor.toPlainText().strip():
                    self.editor.setPlainText(str((data or {}).get("text", "")))
                self._set_answering(True)
                self.submit_button.setEnabled(False)
            else:
                self.next_button.setEnabled(True)

    def confirm_skip(self, text: str = "") -> None:
        """Ask before skipping the pending question or follow-up (it counts as 0)."""
        if self.session is None or self._confirm is not None:
            return
        if self.session.awaiting not in ANSWERING:
            return
        self._confirm = confirm(
            self, "Skip this question?", text or "Skip this question? It will count as 0 in "
            "your report, and the interview moves on.", "Skip question", self._skip_confirmed,
            name="ConfirmSkip", on_close=lambda: setattr(self, "_confirm", None))

    def _skip_confirmed(self) -> None:
        if self.session is None or self.session.awaiting not in ANSWERING:
            return
        if self.voice is not None:
            self.voice.stop_talking(cancel=True)
            self.voice.stop_speaking()
        self._set_answering(False)
        self.editor.clear()
        self.busy.start("Skipping…")
        spawn(self._send("skip"))

    def confirm_end(self) -> None:
        """Ask before ending; the box is window-modal but does not block the event loop."""
        if not self.in_progress or self._confirm is not None:
            return
        self._confirm = confirm(
            self, "End the interview?", "End the interview now? You'll get a report on the "
            "questions you have answered so far.", "End interview", self._end_confirmed,
            destructive=True, name="ConfirmEnd",
            on_close=lambda: setattr(self, "_confirm", None))

    def _end_confirmed(self) -> None:
        if self.in_progress:
            if self._pending is not None:
                self._send_pending()  # the transcript on show is their last answer
            self._set_answering(False)
            self.next_button.hide()
            self.busy.start("Ending the interview…")
            spawn(self._send("end"))
