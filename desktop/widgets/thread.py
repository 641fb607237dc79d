"""The interview as a conversation: each question, the candidate's answer and its feedback,
then each follow-up with its reason and answer, stacked with the latest at the bottom.

Nothing vanishes when a follow-up arrives: the question and the answer it follows stay
above it. Blocks are keyed by (question_number, followup_number), 0 for the main question,
so a prompt the server re-sends (after a reconnect or `ready`) updates its block instead of
adding a second one. The view scrolls to the newest block unless the candidate scrolled up
to re-read something.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy,
                               QVBoxLayout, QWidget)

from desktop.widgets.buttons import ActionButton
from desktop.widgets.question_card import QuestionCard
from desktop.widgets.score_card import ScoreCard
from desktop.widgets.transcript_check import CorrectionBox, PendingBar, highlighted_html
from desktop.widgets.voice_panel import DeliveryView

Key = tuple[int, int]  # (question_number, followup_number)
MAX_THREAD_WIDTH = 860  # a readable line on a wide screen


def prompt_label(key: Key) -> str:
    """"Question 2" or "Question 2, follow-up 1": what a feedback card is about."""
    number, followup = key
    return f"Question {number}" + (f", follow-up {followup}" if followup else "")


class AnswerBlock(QWidget):
    """The candidate's answer as sent, then (once scored) its feedback card; once the
    question is done, "Try this answer again" under its last card (issue 18)."""

    retry_clicked = Signal(int)  # the question's number

    def __init__(self, key: Key, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        bubble = QFrame(self)
        bubble.setObjectName("AnswerBubble")
        caption = QLabel("Your answer", bubble)
        caption.setObjectName("Muted")
        self.text = QLabel(bubble)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Your answer")
        inner = QVBoxLayout(bubble)
        inner.setContentsMargins(16, 10, 16, 12)
        inner.setSpacing(4)
        inner.addWidget(caption)
        inner.addWidget(self.text)
        self.bubble = bubble
        self.pending = PendingBar(bubble)
        self.pending.hide()
        inner.addWidget(self.pending)
        self.correction = CorrectionBox(bubble)
        self.correction.hide()
        inner.addWidget(self.correction)
        self.caption = caption
        self.scores = ScoreCard(self)
        self.scores.hide()
        self.delivery = DeliveryView(self)
        self.retry_button = ActionButton("Try this answer again", f"Try question {key[0]} again",
                                         "SecondaryButton", self)
        self.retry_button.setToolTip("Answer this question once more and see it beside your "
                                     "first attempt; the report keeps the first attempt.")
        self.retry_button.clicked.connect(lambda: self.retry_clicked.emit(self.key[0]))
        self.retry_button.hide()
        retry_row = QHBoxLayout()
        retry_row.addStretch(1)
        retry_row.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 0, 0, 0)  # indented: the candidate's side
        layout.setSpacing(8)
        layout.addWidget(bubble)
        layout.addWidget(self.scores)
        layout.addWidget(self.delivery)
        self.spoken = False  # a transcript (only those can be corrected)
        layout.addLayout(retry_row)
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setText(text)
        self.bubble.setVisible(bool(text))

    def show_pending(self, text: str, marked: list[dict], seconds: int) -> None:
        """A transcript that counts in ``seconds``: its unsure words marked, Edit offered."""
        from desktop.theme import is_dark

        self.spoken = True
        self.caption.setText("What Rehearse heard")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setText(highlighted_html(text, marked, is_dark(self.palette())))
        self.bubble.show()
        self.pending.set_seconds(seconds)
        self.pending.set_unsure(len({m.get("word") for m in marked if m.get("word")}))
        self.pending.show()

    def end_pending(self, text: str) -> None:
        """Sent as the answer: the plain transcript stays."""
        self.pending.hide()
        self.caption.setText("Your answer")
        self.set_text(text)

    def show_corrected(self, data: dict) -> None:
        """`answer_corrected`: the candidate's words, scored again; what was heard noted."""
        self.set_text(str(data.get("text", "")))
        self.correction.corrected(str(data.get("heard", "")))
        self.show_score({**data, "delivery": None}, keep_delivery=True)

    def show_score(self, data: dict, keep_delivery: bool = False) -> None:
        self.scores.show_update(data, prompt_label(self.key))
        self.scores.show()
        if not keep_delivery:
            self.delivery.show_delivery(data.get("delivery"))
        if data.get("delivery"):
            self.spoken = True


class FinishedBlock(QFrame):
    """The end of the conversation: the interview is over, the report is one click away
    (the page's "See your report" button, always in view below the thread)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        title = QLabel("Interview finished — see your report", self)
        title.setObjectName("SubTitle")
        title.setWordWrap(True)
        text = QLabel("Your answers, scores and a practice plan are in the report.", self)
        text.setObjectName("Muted")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(text)


class ThreadView(QScrollArea):
    retry_requested = Signal(int)  # a question's number: "Try this answer again"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("PageScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("The conversation so far")
        outer = QWidget(self)
        outer.setObjectName("PageBody")
        row = QHBoxLayout(outer)
        row.setContentsMargins(0, 0, 12, 0)  # room for the scroll bar
        self.body = QWidget(outer)
        self.body.setMaximumWidth(MAX_THREAD_WIDTH)
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._column = QVBoxLayout(self.body)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(12)
        self._column.addStretch(1)
        row.addStretch(0)
        row.addWidget(self.body, 1)
        row.addStretch(0)
        self.setWidget(outer)
        self.intro = QLabel(self.body)
        self.intro.setObjectName("IntroNote")
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.intro.setAccessibleName("Interviewer's introduction")
        self.intro.hide()
        self._column.insertWidget(0, self.intro)
        self.prompts: dict[Key, QuestionCard] = {}
        self.answers: dict[Key, AnswerBlock] = {}
        self.finished: FinishedBlock | None = None
        self._order: list[QWidget] = []
        self._follow = True  # keep the newest block in view
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range)
        bar.actionTriggered.connect(self._on_user_scroll)

    # ---- content ----------------------------------------------------------------------
    def clear(self) -> None:
        for widget in self._order:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        self._order.clear()
        self.prompts.clear()
        self.answers.clear()
        self.finished = None
        self.intro.clear()
        self.intro.hide()
        self._follow = True

    def show_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def show_prompt(self, key: Key, data: dict, followup: bool) -> QuestionCard:
        """Add the question or follow-up `key`, or update it if it is already shown."""
        card = self.prompts.get(key)
        if card is None:
            card = QuestionCard(self.body)
            self.prompts[key] = card
            self._append(card)
        if followup:
            card.show_followup({"question_number": key[0], "followup_number": key[1], **data})
        else:
            card.show_question(data)
        self._stick()
        return card

    def show_answer(self, key: Key, text: str) -> AnswerBlock:
        block = self.answers.get(key)
        if block is None:
            block = AnswerBlock(key, text, self.body)
            block.retry_clicked.connect(self.retry_requested)
            self.answers[key] = block
            self._append(block)
        else:
            block.set_text(text)
        self._stick()
        return block

    def remove_answer(self, key: Key) -> None:
        """Take back an answer that could not be sent (it returns to the answer box)."""
        block = self.answers.pop(key, None)
        if block is not None and not block.scores.isVisible():
            self._order.remove(block)
            block.hide()
            block.setParent(None)
            block.deleteLater()
        elif block is not None:
            self.answers[key] = block

    def show_score(self, key: Key, data: dict, answer_text: str = "") -> AnswerBlock:
        block = self.answers.get(key) or self.show_answer(key, answer_text)
        if answer_text and not block.text.text():
            block.set_text(answer_text)
        block.show_score(data)
        self._stick()
        return block

    def offer_retry(self, number: int) -> AnswerBlock | None:
        """Question `number` is done: its last feedback card offers to try it again."""
        blocks = [b for k, b in self.answers.items() if k[0] == number and b.scores.isVisible()]
        for block in blocks:
            block.retry_button.hide()
        if not blocks:
            return None
        last = max(blocks, key=lambda b: b.key[1])
        last.retry_button.show()
        return last

    def show_finished(self) -> FinishedBlock:
        if self.finished is None:
            self.finished = FinishedBlock(self.body)
            self._append(self.finished)
        self._stick()
        return self.finished

    @property
    def latest_prompt(self) -> QuestionCard | None:
        return next((w for w in reversed(self._order) if isinstance(w, QuestionCard)), None)

    @property
    def latest_answer(self) -> AnswerBlock | None:
        return next((w for w in reversed(self._order) if isinstance(w, AnswerBlock)), None)

    def blocks(self) -> list[QWidget]:
        """Every block in order (intro excluded): QuestionCard, AnswerBlock, FinishedBlock."""
        return list(self._order)

    def _append(self, widget: QWidget) -> None:
        self._order.append(widget)
        self._column.insertWidget(self._column.count() - 1, widget)  # above the stretch
        widget.show()

    # ---- following the newest block ---------------------------------------------------
    def _stick(self) -> None:
        self._follow = True
        QTimer.singleShot(0, self.scroll_to_end)

    def scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _on_range(self, _low: int, high: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(high)

    def _on_user_scroll(self, _action: int) -> None:
        bar = self.verticalScrollBar()
        QTimer.singleShot(0, lambda: setattr(self, "_follow", bar.value() >= bar.maximum() - 4))
