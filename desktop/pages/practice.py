"""Practice mode (issue 18): no clock and no pressure. Questions come from the weak topics of
past interviews and practice (or a topic the candidate picks), questions due for review come
first, a hint shows what a strong answer covers (the key points' headings, never the model
answer), the model answer comes after an attempt, and a retry is one click away, shown
beside the first attempt. Practice answers feed progress, never an interview's estimate.

Three views: start (topic, length, "Due for review: N questions"), a question, finished.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QScrollArea,
                               QStackedWidget, QVBoxLayout, QWidget)

from desktop.async_utils import spawn
from desktop.audio.clips import ClipPlayer
from desktop.audio.hardware import AudioIO
from desktop.audio.prefs import VoicePrefs
from desktop.pages.setup import CountSpinBox
from desktop.widgets.answer_box import AnswerComposer
from desktop.widgets.buttons import ActionButton
from desktop.widgets.comparison import ComparisonView
from desktop.widgets.question_card import QuestionCard
from desktop.widgets.retry_dialog import after_side
from desktop.widgets.score_card import ScoreCard
from desktop.widgets.status import BusyIndicator, InlineMessage
from desktop.widgets.labels import text_label

if TYPE_CHECKING:
    from desktop.client import BackendClient

WEAK_TOPICS = "Your weak topics (recommended)"
INTRO = ("No clock and no pressure. Answer, ask what a strong answer covers when you are "
         "stuck, read the model answer, and try again straight away. Practice counts towards "
         "your progress, never towards an interview's practice estimate.")
MAX_WIDTH = 920


def _label(text: str = "", name: str = "", parent: QWidget | None = None,
           selectable: bool = False) -> QLabel:
    return text_label(text, name, parent, selectable=selectable)


def due_text(due: int) -> str:
    if due <= 0:
        return "Nothing is due for review."
    return f"Due for review: {due} question{'s' if due != 1 else ''}"


def _scores_text(scores: dict | None) -> str:
    if not scores:
        return "–"
    return " · ".join(f"{float(scores.get(d) or 0):.1f}"
                      for d in ("technical", "design", "communication"))


class PracticePage(QWidget):
    data_changed = Signal()  # a practice answer was recorded: progress has moved

    def __init__(self, client: BackendClient, audio_io: AudioIO | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("PracticePage")
        self.client = client
        self.audio_io = audio_io
        self.can_speak = False  # MainWindow: a microphone was found
        self.session: dict[str, Any] | None = None  # the practice session, as last returned
        self.topics: list[dict] = []
        self.review: dict = {}
        self._player: ClipPlayer | None = None
        self._retrying = False  # "Try again": the answer box over the last attempt
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._build_start())
        self.stack.addWidget(self._build_active())
        self.stack.addWidget(self._build_done())
        outer = QHBoxLayout(self)
        outer.setContentsMargins(28, 24, 28, 16)
        outer.addWidget(self.stack)

    # ---- building -------------------------------------------------------------------
    def _build_start(self) -> QWidget:
        page = QWidget(self)
        page.setMaximumWidth(MAX_WIDTH)
        title = _label("Practice", "PageTitle", page)
        intro = _label(INTRO, "Muted", page)
        due_card = QFrame(page)
        due_card.setObjectName("Card")
        self.due_label = _label("", "SubTitle", due_card)
        self.due_label.setAccessibleName("Questions due for review")
        self.due_list = _label("", "", due_card, selectable=True)
        self.due_list.setAccessibleName("The questions due for review")
        self.due_rule = _label("", "Muted", due_card)
        due_layout = QVBoxLayout(due_card)
        due_layout.setContentsMargins(20, 14, 20, 14)
        due_layout.setSpacing(6)
        for w in (self.due_label, self.due_list, self.due_rule):
            due_layout.addWidget(w)
        self.topic_combo = QComboBox(page)
        self.topic_combo.setAccessibleName("Topic to practise")
        self.topic_combo.setMinimumContentsLength(28)
        self.topic_combo.setMaximumWidth(440)
        self.count_spin = CountSpinBox("question", page)
        self.count_spin.setMaximumWidth(180)
        self.count_spin.setRange(1, 10)
        self.count_spin.setValue(5)
        self.count_spin.setAccessibleName("Number of practice questions")
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.addRow("Topic", self.topic_combo)
        form.addRow("Length", self.count_spin)
        self.weak_note = _label("", "Muted", page)
        self.start_button = ActionButton("Start practice", "Start practice", "PrimaryButton", page)
        self.start_button.clicked.connect(lambda: spawn(self.start()))
        self.start_busy = BusyIndicator(page)
        self.start_message = InlineMessage(page)
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addWidget(self.start_busy, 1)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        for w in (title, intro, due_card):
            layout.addWidget(w)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.weak_note)
        layout.addLayout(row)
        layout.addWidget(self.start_message)
        layout.addStretch(1)
        return page

    def _build_active(self) -> QWidget:
        page = QWidget(self)
        page.setMaximumWidth(MAX_WIDTH)
        self.progress = _label("Practice", "PageTitle", page)
        self.mode_label = _label("", "Muted", page)
        self.end_button = ActionButton("End practice", "End practice", "SecondaryButton", page)
        self.end_button.clicked.connect(lambda: spawn(self._step("end")))
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.progress)
        titles.addWidget(self.mode_label)
        header = QHBoxLayout()
        header.addLayout(titles, 1)
        header.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignTop)

        body = QWidget(page)
        body.setObjectName("PageBody")
        self.card = QuestionCard(body)
        self.review_note = _label("Back for review: you missed points on this question before.",
                                  "WarnText", body)
        self.hint_button = ActionButton("What should a strong answer cover?", "Show a hint",
                                        "SecondaryButton", body)
        self.hint_button.setToolTip("Shows the points a strong answer makes, not the model answer")
        self.hint_button.clicked.connect(lambda: spawn(self._step("hint")))
        self.card.add_action(self.hint_button)
        self.hint_frame = QFrame(body)
        self.hint_frame.setObjectName("Quote")
        self.hint_title = _label("A strong answer covers", "SubTitle", self.hint_frame)
        self.hint_list = _label("", "", self.hint_frame, selectable=True)
        self.hint_list.setAccessibleName("What a strong answer covers")
        hf = QVBoxLayout(self.hint_frame)
        hf.setContentsMargins(14, 10, 14, 12)
        hf.addWidget(self.hint_title)
        hf.addWidget(self.hint_list)
        self.composer = AnswerComposer(self.audio_io, False, None,
                                       "Type your answer as you would say it. No clock: take "
                                       "your time.", body)
        self.composer.submitted.connect(lambda text: spawn(self._answer(text=text)))
        self.composer.recorded.connect(lambda pcm: spawn(self._answer(pcm=pcm)))
        self.feedback = ScoreCard(body)
        self.feedback.hide()
        self.comparison = ComparisonView(body)
        self.comparison.play_requested.connect(self.play)
        self.comparison.hide()
        self.model_title = _label("Model answer", "SubTitle", body)
        self.model_answer = _label("", "", body, selectable=True)
        self.model_answer.setAccessibleName("Model answer")
        self.model_frame = QFrame(body)
        self.model_frame.setObjectName("Quote")
        mf = QVBoxLayout(self.model_frame)
        mf.setContentsMargins(14, 10, 14, 12)
        mf.addWidget(self.model_title)
        mf.addWidget(self.model_answer)
        self.model_frame.hide()
        self.retry_button = ActionButton("Try again", "Try this question again", "SecondaryButton",
                                         body)
        self.retry_button.clicked.connect(self.try_again)
        self.next_button = ActionButton("Next question", "Next question", "PrimaryButton", body)
        self.next_button.clicked.connect(lambda: spawn(self._step("next")))
        self.busy = BusyIndicator(body)
        self.message = InlineMessage(body)
        after = QHBoxLayout()
        after.addWidget(self.busy, 1)
        after.addStretch(1)
        after.addWidget(self.retry_button)
        after.addWidget(self.next_button)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 12, 12)
        column.setSpacing(12)
        for w in (self.card, self.review_note, self.hint_frame, self.composer,
                  self.feedback, self.comparison, self.model_frame):
            column.addWidget(w)
        column.addLayout(after)
        column.addWidget(self.message)
        column.addStretch(1)
        self.scroll = QScrollArea(page)
        self.scroll.setObjectName("PageScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.scroll, 1)
        return page

    def _build_done(self) -> QWidget:
        page = QWidget(self)
        page.setMaximumWidth(MAX_WIDTH)
        title = _label("Practice finished", "PageTitle", page)
        self.done_summary = _label("", "", page, selectable=True)
        self.done_due = _label("", "SubTitle", page)
        self.again_button = ActionButton("Practise again", "Practise again", "PrimaryButton", page)
        self.again_button.clicked.connect(lambda: spawn(self.refresh()))
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        for w in (title, self.done_summary, self.done_due):
            layout.addWidget(w)
        row = QHBoxLayout()
        row.addWidget(self.again_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    # ---- the start view -----------------------------------------------------------------
    @property
    def view(self) -> str:
        return ("start", "active", "done")[self.stack.currentIndex()]

    async def refresh(self) -> None:
        """The start view with the topics and the review queue, fresh from the backend
        (a practice session in progress stays on screen)."""
        if self.view == "active":
            return
        self.stack.setCurrentIndex(0)
        try:
            self.topics = await self.client.practice_topics()
            self.review = await self.client.review()
        except Exception as e:  # noqa: BLE001 - ApiError or a lost connection: say so
            self.start_message.show_error(f"Practice could not be prepared: {e}")
            return
        self.start_message.clear_message()
        chosen = self.topic_combo.currentData()
        self.topic_combo.clear()
        self.topic_combo.addItem(WEAK_TOPICS, None)
        for t in self.topics:
            scores = t.get("scores")
            extra = f" — {scores['technical']:.1f} technical" if scores else ""
            self.topic_combo.addItem(f"{t['title']}{extra}", t["topic_id"])
        if chosen is not None:
            self.select_topic(chosen)
        due = int(self.review.get("due") or 0)
        self.due_label.setText(due_text(due))
        items = [i for i in self.review.get("items") or [] if i.get("due")]
        shown = [f"•  {i['question']}  ({i['topic']})" for i in items[:4]]
        if len(items) > 4:
            shown.append(f"…and {len(items) - 4} more.")
        self.due_list.setText("\n".join(shown))
        self.due_list.setVisible(bool(shown))
        self.due_rule.setText(str(self.review.get("rule") or "") if self.review.get("enabled", True)
                              else "Progress is off (Settings), so nothing is scheduled for "
                                   "review.")
        weak = [t["title"] for t in self.topics if t.get("weak")]
        self.weak_note.setText(
            "Your weak topics: " + ", ".join(weak[:4]) + "." if weak else
            "No weak topic yet: practice starts with the core topics of your role. Pick a "
            "topic to focus on one.")

    def select_topic(self, topic_id: str | None) -> bool:
        index = self.topic_combo.findData(topic_id)
        if index >= 0:
            self.topic_combo.setCurrentIndex(index)
        return index >= 0

    async def start(self) -> None:
        self.start_button.setEnabled(False)
        self.start_busy.start("Choosing your questions…")
        try:
            session = await self.client.start_practice(self.topic_combo.currentData(),
                                                       self.count_spin.value())
        except Exception as e:  # noqa: BLE001
            self.start_message.show_error(f"Practice could not start: {e}")
            return
        finally:
            self.start_busy.stop()
            self.start_button.setEnabled(True)
        self.show_session(session)

    def set_can_speak(self, can: bool) -> None:
        """A microphone exists: spoken practice answers (transcribed by the backend)."""
        self.can_speak = can
        if can and self.audio_io is not None:
            self.composer.enable_recording(self.audio_io, VoicePrefs.load().input_device or None)
        else:
            self.composer.record_button.hide()

    # ---- a question -------------------------------------------------------------------
    def show_session(self, session: dict) -> None:
        self.session = session
        if session.get("finished"):
            self._show_done(session)
            return
        self.stack.setCurrentIndex(1)
        item = session["item"]
        total = session["total"]
        self.progress.setText(f"Practice · Question {session['number']} of {total}")
        mode = {"topic": f"Topic: {session.get('topic_title') or ''}",
                "weak": "Your weak topics: " + ", ".join(session.get("weak_topics") or []),
                "core": "The core topics of your role"}[session["mode"]]
        reviews = int(session.get("reviews") or 0)
        if reviews:
            mode += f" · {reviews} due for review"
        self.mode_label.setText(mode)
        self.card.show_question({"question_number": session["number"], "max_questions": total,
                                 "topic": item.get("topic"), "difficulty": item.get("difficulty"),
                                 "question": item.get("question"),
                                 "explanation": item.get("explanation")})
        self.review_note.setVisible(bool(item.get("review")))
        hint = item.get("hint")
        self.hint_frame.setVisible(hint is not None)
        self.hint_list.setText("\n".join(f"•  {p}" for p in hint or []))
        self.hint_button.setVisible(hint is None and bool(item.get("hint_available")))
        attempts = item.get("attempts") or []
        self.busy.stop()
        self.message.clear_message()
        if not attempts or self._retrying:
            self._show_answering()
        else:
            self._show_attempt(item, attempts)
        last = session["number"] >= total
        self.next_button.setText("Finish practice" if last else "Next question")
        self.next_button.setAccessibleName(self.next_button.text())

    def _show_answering(self) -> None:
        self.composer.show()
        self.composer.set_ready()
        self.feedback.hide()
        self.comparison.hide()
        self.model_frame.hide()
        self.retry_button.hide()
        self.next_button.hide()
        QTimer.singleShot(0, self.composer.editor.setFocus)

    def _show_attempt(self, item: dict, attempts: list[dict]) -> None:
        latest = attempts[-1]
        self.composer.hide()
        self.composer.clear()
        self.feedback.show_update({"current_scores": latest.get("scores"),
                                   "feedback": latest.get("feedback"),
                                   "strengths": latest.get("strengths"),
                                   "improvements": latest.get("improvements")},
                                  f"attempt {latest.get('attempt')}")
        self.feedback.show_evidence(latest.get("evidence") or [])
        self.feedback.show()
        if len(attempts) > 1 and latest.get("comparison"):
            first = attempts[0]
            self.comparison.show_comparison(latest["comparison"], after_side(first),
                                            after_side(latest),
                                            after_title=f"Attempt {latest.get('attempt')}")
            self.comparison.show()
        else:
            self.comparison.hide()
        model = item.get("model_answer")
        self.model_answer.setText(model or "This question has no model answer.")
        self.model_frame.setVisible(model is not None)
        self.retry_button.show()
        self.next_button.show()
        self.next_button.setFocus()

    def try_again(self) -> None:
        """Answer the same question again at once; the result is shown beside the first."""
        self._retrying = True
        self._show_answering()

    async def _answer(self, text: str | None = None, pcm: bytes | None = None) -> None:
        if self.session is None:
            return
        self.composer.set_busy("Scoring your answer…" if pcm is None
                               else "Transcribing and scoring your answer…")
        pid = self.session["practice_id"]
        try:
            if pcm is None:
                session = await self.client.practice_answer(pid, text or "")
            else:
                session = await self.client.practice_answer_spoken(pid, pcm)
        except Exception as e:  # noqa: BLE001
            self.composer.show_error(f"Not scored: {e}")
            return
        self._retrying = False
        self.show_session(session)
        self.data_changed.emit()

    async def _step(self, step: str) -> None:
        if self.session is None:
            return
        self.busy.start({"hint": "One moment…", "next": "Next question…",
                         "end": "Ending the practice…"}[step])
        for b in (self.next_button, self.hint_button, self.end_button):
            b.setEnabled(False)
        try:
            session = await self.client.practice_step(self.session["practice_id"], step)
        except Exception as e:  # noqa: BLE001
            self.busy.stop()
            self.message.show_error(str(e))
            return
        finally:
            for b in (self.next_button, self.hint_button, self.end_button):
                b.setEnabled(True)
        self._retrying = self._retrying and step == "hint"
        self.show_session(session)

    # ---- finished ---------------------------------------------------------------------
    def _show_done(self, session: dict) -> None:
        self.stack.setCurrentIndex(2)
        lines = []
        for s in session.get("summary") or []:
            tried = int(s.get("attempts") or 0)
            head = f"Q{s['number']}{' (review)' if s.get('review') else ''}: {s['question']}"
            if not tried:
                lines.append(f"{head}\n    not answered")
            elif tried == 1:
                lines.append(f"{head}\n    {_scores_text(s.get('first_scores'))}")
            else:
                lines.append(f"{head}\n    {_scores_text(s.get('first_scores'))} → "
                             f"{_scores_text(s.get('last_scores'))} after {tried} attempts")
        self.done_summary.setText("Scores are technical · design · communication.\n\n"
                                  + "\n\n".join(lines))
        spawn(self._refresh_due())

    async def _refresh_due(self) -> None:
        try:
            review = await self.client.review()
        except Exception:  # noqa: BLE001
            return
        self.review = review
        self.done_due.setText(due_text(int(review.get("due") or 0)) +
                              (" — they come back in your next practice session."
                               if review.get("due") else ""))

    # ---- playback -----------------------------------------------------------------------
    def play(self, recording_id: int) -> None:
        if self.audio_io is None:
            return
        if self._player is None:
            self._player = ClipPlayer(self.audio_io, self.client.recording_pcm,
                                      VoicePrefs.load().output_device or None, self)
            self._player.state.connect(
                lambda rid, state: self.comparison.set_playing(
                    rid if state in ("loading", "playing") else None))
        if self._player.current == recording_id:
            self._player.stop()
        else:
            self._player.play(recording_id)

    def shutdown(self) -> None:
        self.composer.close_audio()
        if self._player is not None:
            self._player.close()
