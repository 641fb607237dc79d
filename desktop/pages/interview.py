"""The interview: the question, a calm countdown, the answer box, and feedback after each answer.

Keys: Ctrl+Enter submits, Ctrl+N moves on, Enter on a focused button clicks it. In voice mode
Space (when the answer box is not focused) starts and stops a spoken answer; the voice
work itself is desktop.audio.controller.VoiceController's, this page only shows it.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit,
                               QScrollArea, QVBoxLayout, QWidget)

from desktop.async_utils import spawn
from desktop.audio.controller import VoiceController
from desktop.audio.devices import DeviceReport
from desktop.audio.hardware import AudioIO
from desktop.audio.prefs import VoicePrefs
from desktop.client import ApiError, BackendClient
from desktop.interview_session import InterviewSession
from desktop.widgets.buttons import ActionButton
from desktop.widgets.question_card import QuestionCard
from desktop.widgets.score_card import ScoreCard
from desktop.widgets.status import BusyIndicator, InlineMessage
from desktop.widgets.thinking import InterviewerNotice, ThinkingIndicator, fallback_text
from desktop.widgets.voice_panel import DeliveryView, VoicePanel

log = logging.getLogger(__name__)

LOW_TIME_S = 5 * 60

# Events that end a model step's "thinking" state (docs/protocol.md, Live events);
# `interviewer_status` ends it too, in its own handler.
ENDS_THINKING = frozenset({"score_update", "new_question", "followup", "feedback", "error"})
# What the busy line says when the built-in interviewer takes over a step mid-way.
BUILTIN_BUSY = {"grading": "Scoring your answer…", "question": "Preparing the next question…",
                "report": "Writing your report…"}


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
    """Call begin(session_id, max_questions, duration_minutes); emits finished(session_id)
    when the report is ready and setup_requested() from the empty state."""

    finished = Signal(str)
    setup_requested = Signal()

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
        self.current: tuple[int, int] | None = None  # (question_number, followup_number)
        self.phase = "setup"
        self._confirm: QMessageBox | None = None
        self._build()
        self._show_empty()

    # ---- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        self.progress = QLabel("Practice interview", self)
        self.progress.setObjectName("PageTitle")
        self.role = QLabel(self)
        self.role.setObjectName("Muted")
        self.role.setAccessibleName("Role")
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.progress)
        titles.addWidget(self.role)
        self.countdown = Countdown(self)
        self.connection_note = QLabel(self)
        self.connection_note.setObjectName("WarnText")
        self.connection_note.setAccessibleName("Connection status")
        self.connection_note.hide()
        self.end_button = ActionButton("End interview", "End interview", "DangerButton")
        self.end_button.clicked.connect(self.confirm_end)
        header = QHBoxLayout()
        header.setSpacing(16)
        header.addLayout(titles, 1)
        header.addWidget(self.connection_note)
        header.addWidget(self.countdown)
        header.addWidget(self.end_button)

        self.intro = QLabel(self)
        self.intro.setObjectName("IntroNote")
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName("Interviewer's introduction")
        self.intro.hide()
        self.card = QuestionCard(self)
        self.voice_panel = VoicePanel(self)
        self.voice_panel.hide()

        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("AnswerEditor")
        self.editor.setAccessibleName("Your answer")
        self.editor.setPlaceholderText("Type your answer as you would say it. Think aloud; it's "
                                       "fine to say what you don't know.")
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(150)
        self.editor.textChanged.connect(self._update_word_count)
        self.words = QLabel("0 words", self)
        self.words.setObjectName("Muted")
        self.words.setAccessibleName("Word count")
        self.submit_button = ActionButton("Submit answer  (Ctrl+Enter)", "Submit answer",
                                          "PrimaryButton")
        self.submit_button.setToolTip("Ctrl+Enter")
        self.submit_button.clicked.connect(self.submit)
        self.next_button = ActionButton("Next question  (Ctrl+N)", "Next question", "PrimaryButton")
        self.next_button.setToolTip("Ctrl+N")
        self.next_button.clicked.connect(self.go_next)
        self.busy = BusyIndicator(self)
        self.message = InlineMessage(self)
        self.thinking = ThinkingIndicator(self)
        self.thinking.setAccessibleDescription("A local model is working on this step")
        self._question_step_pending = False  # the model writes the next question in the background
        self.notice = InterviewerNotice(self)
        answer_bar = QHBoxLayout()
        answer_bar.addWidget(self.words)
        answer_bar.addWidget(self.busy, 1)
        answer_bar.addWidget(self.submit_button)
        answer_bar.addWidget(self.next_button)

        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self.intro)
        left.addWidget(self.card)
        left.addWidget(self.voice_panel)
        left.addWidget(self.editor, 1)
        left.addWidget(self.thinking)
        left.addLayout(answer_bar)
        left.addWidget(self.message)

        self.scores = ScoreCard(self)
        self.delivery = DeliveryView(self)
        score_column = QWidget(self)
        score_layout = QVBoxLayout(score_column)
        score_layout.setContentsMargins(0, 0, 0, 0)
        score_layout.setSpacing(12)
        score_layout.addWidget(self.scores)
        score_layout.addWidget(self.delivery)
        score_layout.addStretch(1)
        score_scroll = QScrollArea(self)
        score_scroll.setObjectName("PageScroll")
        score_scroll.setWidgetResizable(True)
        score_scroll.setFrameShape(QFrame.Shape.NoFrame)
        score_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        score_scroll.setMinimumWidth(340)
        score_scroll.setWidget(score_column)
        score_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        body = QHBoxLayout()
        body.setSpacing(20)
        body.addLayout(left, 3)
        body.addWidget(score_scroll, 2)

        self.active = QWidget(self)
        active_layout = QVBoxLayout(self.active)
        active_layout.setContentsMargins(0, 0, 0, 0)
        active_layout.setSpacing(14)
        active_layout.addLayout(header)
        active_layout.addWidget(self.notice)
        active_layout.addLayout(body, 1)

        self.empty = QWidget(self)
        empty_title = QLabel("No interview in progress", self.empty)
        empty_title.setObjectName("PageTitle")
        empty_text = QLabel("Add your resume and the job description on the Setup page, then "
                            "start when you feel ready.", self.empty)
        empty_text.setObjectName("Muted")
        empty_text.setWordWrap(True)
        self.setup_button = ActionButton("Go to Setup", "Go to Setup", "PrimaryButton")
        self.setup_button.clicked.connect(self.setup_requested)
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(empty_title, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addWidget(empty_text, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addWidget(self.setup_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.addWidget(self.active)
        outer.addWidget(self.empty)

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

    # ---- states ---------------------------------------------------------------------
    def _show_empty(self) -> None:
        self.active.hide()
        self.empty.show()

    def _set_answering(self, on: bool) -> None:
        self.editor.setReadOnly(not on)
        self.submit_button.setVisible(True)
        self.submit_button.setEnabled(on)
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
        self.next_button.setText(f"{label}  (Ctrl+N)")
        self.next_button.setAccessibleName(label)
        self.next_button.setEnabled(True)
        self.next_button.show()
        self.next_button.setFocus()

    @property
    def in_progress(self) -> bool:
        return self.session is not None and not self.session.completed

    def begin(self, session_id: str, max_questions: int, duration_minutes: int,
              voice: bool = False) -> None:
        """Start (or resume) the interview of `session_id`; returns at once. With `voice`,
        questions are spoken and (with a microphone) answers can be."""
        if self.session is not None:
            spawn(self.session.close())
        self._close_voice()
        self.max_questions = max_questions
        self.current = None
        self.phase = "setup"
        self.empty.hide()
        self.active.show()
        self.intro.hide()
        self.card.clear("Connecting to your interviewer…")
        self.scores.clear()
        self.delivery.show_delivery(None)
        self.editor.clear()
        self.message.clear_message()
        self.thinking.stop()
        self.notice.dismiss()
        self.role.clear()
        self.countdown.reset()
        self.end_button.setEnabled(True)
        self._set_answering(False)
        self.next_button.hide()
        self.busy.start("Preparing your first question…")
        self.session = InterviewSession(self.client, session_id, max_questions,
                                        duration_minutes, self)
        self.session.event.connect(self._on_event)
        self.session.status.connect(self._on_status)
        if voice:
            self._open_voice(self.session)
        else:
            self.voice_panel.hide()
        spawn(self.session.open())

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
        session.voice_options = voice.toggle_data
        voice.attach(session.connection)
        self.voice = voice
        panel.show()
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
        elif self.session is not None and self.session.awaiting in ("answer", "followup") \
                and self.voice is not None and self.voice.awaiting_answer:
            self.busy.stop()
            self.editor.setReadOnly(False)
            self.submit_button.setEnabled(True)
        self._refresh_talk()

    def _on_final_transcript(self, text: str, delivery: dict, review: bool) -> None:
        self.voice_panel.show_heard("")
        self.editor.setPlainText(text)
        if review:
            self.busy.stop()
            self._set_answering(True)
            self.editor.setFocus()
            self.message.show_info("Check what Rehearse heard, fix anything misheard, then "
                                   "submit (Ctrl+Enter).")
        elif text:
            self._set_answering(False)
            self.busy.start("Scoring your answer…")

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
        self.intro.setText(data.get("message", ""))
        self.intro.setVisible(bool(data.get("message")))

    def _ev_new_question(self, data: dict) -> None:
        self.phase = "questioning"
        key = (int(data.get("question_number", 0)), 0)
        self.max_questions = int(data.get("max_questions") or self.max_questions)
        if key[0] > 1:
            self.intro.hide()
        self._show_prompt(key, data)
        self.card.show_question({**data, "max_questions": self.max_questions})

    def _ev_followup(self, data: dict) -> None:
        number = int(data.get("question_number") or (self.current or (0, 0))[0])
        key = (number, int(data.get("followup_number") or 1))
        self._show_prompt(key, data)
        self.card.show_followup(data)

    def _show_prompt(self, key: tuple[int, int], data: dict) -> None:
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
        number = data.get("question_number") or (self.current or (0, 0))[0]
        fu = int(data.get("followup_number") or 0)
        self.scores.show_update(data, f"Question {number}" + (f", follow-up {fu}" if fu else ""))
        self.delivery.show_delivery(data.get("delivery"))
        nxt = data.get("next")
        if nxt == "followup":
            self._set_answering(False)
            self.busy.start("Your interviewer has a follow-up…")
        elif nxt == "end":
            self._offer_next("Finish and see report")
        else:
            self._offer_next("Next question")

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
            self._set_answering(False)
            self.next_button.hide()
            self.end_button.setEnabled(False)
            self.countdown.stop()
            self.busy.start("Writing your report…")

    def _ev_feedback(self, data: dict) -> None:
        self.phase = "completed"
        self.busy.stop()
        self.countdown.stop()
        self.end_button.setEnabled(False)
        if self._confirm is not None:
            self._confirm.close()
        if self.session is not None:
            self.finished.emit(self.session.session_id)

    def _ev_error(self, data: dict) -> None:
        self.busy.stop()
        self.message.show_error(str(data.get("message") or "The interviewer could not use that."))
        if self.session is not None and self.session.awaiting in ("answer", "followup"):
            self._set_answering(True)

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
                self._set_answering(True)
                self.submit_button.setEnabled(False)
            else:
                self.next_button.setEnabled(True)

    def confirm_end(self) -> None:
        """Ask before ending; the box is window-modal but does not block the event loop."""
        if not self.in_progress or self._confirm is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "End the interview?",
                          "End the interview now? You'll get a report on the questions you "
                          "have answered so far.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("ConfirmEnd")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText("End interview")
        box.button(QMessageBox.StandardButton.No).setText("Keep going")
        box.finished.connect(lambda result: self._end_confirmed(box))
        self._confirm = box
        box.open()

    def _end_confirmed(self, box: QMessageBox) -> None:
        self._confirm = None
        ended = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
        box.deleteLater()
        if ended and self.in_progress:
            self._set_answering(False)
            self.next_button.hide()
            self.busy.start("Ending the interview…")
            spawn(self._send("end"))
