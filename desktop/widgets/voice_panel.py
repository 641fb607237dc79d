"""The voice controls on the interview page, and how an answer sounded.

VoicePanel: push-to-talk (Space or the button starts and stops), the microphone level,
what Rehearse hears so far, replay, device pickers and "review before sending". It only
renders and emits; desktop.audio.controller.VoiceController does the work.
DeliveryView: pace, fillers and pauses from `score_update.delivery`, with its notes.
mark_unsure_words: in review mode, highlights the words the recogniser was unsure of
(`transcript.low_confidence`) in the answer box, so the candidate checks them first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFrame, QHBoxLayout, QLabel,
                               QPlainTextEdit, QSizePolicy, QTextEdit, QVBoxLayout, QWidget)

from desktop.audio.devices import DeviceReport
from desktop.widgets.buttons import ActionButton
from desktop.widgets.level_meter import LevelMeter
from desktop.widgets.status import BusyIndicator

TALK_TEXT = "Talk  (Space)"
STOP_TEXT = "Stop  (Space)"  # nothing is sent yet: the transcript shows first
# The hint under the buttons while recording: how to stop, not how to start.
RECORDING_HINT = "Recording — press Space or click Stop when you have finished your answer."
DEFAULT_DEVICE = "System default"
LIVE_LINES = 3  # the live transcript's height; it scrolls to the newest words


class LiveTranscript(QPlainTextEdit):
    """What Rehearse hears so far: a few lines, always scrolled to the newest words (a label
    clipped after six lines and hid them)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = self.font()
        font.setItalic(True)
        self.setFont(font)
        self.setObjectName("LiveTranscript")
        lines = self.fontMetrics().lineSpacing() * LIVE_LINES
        self.setFixedHeight(lines + 2 * int(self.document().documentMargin()) + 4)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name, for callers
        if text != self.toPlainText():
            self.setPlainText(text)
        self.scroll_to_newest()

    def scroll_to_newest(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())


def _muted(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label


class VoicePanel(QFrame):
    talk_clicked = Signal()
    replay_clicked = Signal()
    review_changed = Signal(bool)
    input_chosen = Signal(str)  # a device name, "" for the system default
    output_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.setAccessibleName("Voice answer")
        self.talk_button = ActionButton(TALK_TEXT, "Talk", "PrimaryButton", self)
        self.talk_button.setToolTip("Space (when the answer box is not focused) starts and "
                                    "stops recording")
        self.talk_button.clicked.connect(self.talk_clicked)
        self.meter = LevelMeter(self)
        self.replay_button = ActionButton("Replay question", "Replay question",
                                          parent=self)
        self.replay_button.setToolTip("Hear the question again")
        self.replay_button.clicked.connect(self.replay_clicked)
        self.speaking = QLabel("Interviewer speaking…", self)
        self.speaking.setObjectName("Muted")
        self.speaking.setAccessibleName("Interviewer speaking")
        self.speaking.hide()
        self.busy = BusyIndicator(self)
        self.status = _muted("", self)  # the voice state's hint (how to talk, or to stop)
        self._state_text = ""
        self._recording = False
        self.status.setAccessibleName("Voice status")
        self.heard = LiveTranscript(self)
        self.heard.setAccessibleName("What Rehearse heard so far")
        self.heard.hide()
        self.cant_hear = QLabel(self)
        self.cant_hear.setObjectName("WarnText")
        self.cant_hear.setWordWrap(True)
        self.cant_hear.setAccessibleName("Microphone warning")
        self.cant_hear.hide()
        self.countdown = QLabel(self)
        self.countdown.setObjectName("SubTitle")
        self.countdown.setWordWrap(True)
        self.countdown.setAccessibleName("Your answer ends in")
        self.countdown.hide()
        self.unsure = QLabel(self)
        self.unsure.setObjectName("WarnText")
        self.unsure.setWordWrap(True)
        self.unsure.setAccessibleName("Words Rehearse may have misheard")
        self.unsure.hide()
        self._watched: QPlainTextEdit | None = None
        self.mic_combo = QComboBox(self)
        self.mic_combo.setAccessibleName("Microphone")
        self.speaker_combo = QComboBox(self)
        self.speaker_combo.setAccessibleName("Speaker")
        for combo in (self.mic_combo, self.speaker_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(15)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.mic_combo.activated.connect(lambda _i: self.input_chosen.emit(
            self.mic_combo.currentData() or ""))
        self.speaker_combo.activated.connect(lambda _i: self.output_chosen.emit(
            self.speaker_combo.currentData() or ""))
        self.review_check = QCheckBox("Review every transcript before it is scored", self)
        self.review_check.setAccessibleName("Review every transcript before it is scored")
        self.review_check.setToolTip("Off: each transcript shows for 3 s, then is scored "
                                     "unless you press Edit")
        self.review_check.toggled.connect(self.review_changed)
        self._mic_label = QLabel("Microphone", self)
        self._speaker_label = QLabel("Speaker", self)

        self.meter.setMinimumWidth(60)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.talk_button)
        top.addWidget(self.meter, 1)
        top.addWidget(self.speaking)
        top.addWidget(self.replay_button)
        devices = QHBoxLayout()
        devices.setSpacing(8)
        devices.addWidget(self._mic_label)
        devices.addWidget(self.mic_combo, 1)
        devices.addSpacing(8)
        devices.addWidget(self._speaker_label)
        devices.addWidget(self.speaker_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.cant_hear)
        layout.addWidget(self.countdown)
        layout.addWidget(self.heard)
        layout.addWidget(self.unsure)
        layout.addLayout(devices)
        layout.addWidget(self.review_check, 0, Qt.AlignmentFlag.AlignLeft)  # not a full-width hit area
        self.set_talk("idle")
        self.set_can_talk(False)

    # ---- what the controller says ------------------------------------------------------
    def set_devices(self, report: DeviceReport, input_name: str, output_name: str,
                    review: bool) -> None:
        for combo, pool, chosen, label in (
                (self.mic_combo, report.inputs, input_name, self._mic_label),
                (self.speaker_combo, report.outputs, output_name, self._speaker_label)):
            combo.clear()
            combo.addItem(DEFAULT_DEVICE, "")
            for device in pool:
                combo.addItem(device.name, device.key)
            index = combo.findData(chosen) if chosen else 0
            combo.setCurrentIndex(max(0, index))
            combo.setVisible(bool(pool))
            label.setVisible(bool(pool))
        self.talk_button.setVisible(report.can_answer)
        self.meter.setVisible(report.can_answer)
        self.review_check.setVisible(report.can_answer)
        self.review_check.blockSignals(True)
        self.review_check.setChecked(review)
        self.review_check.blockSignals(False)

    def set_state(self, state: str, text: str) -> None:
        self._state_text = "" if state == "loading" else text
        if state == "loading":
            self.busy.start(text)
            self.status.hide()
        else:
            self.busy.stop()
            self._show_hint()
        self.replay_button.setEnabled(state in ("ready", "listen-only"))

    def set_can_talk(self, can: bool) -> None:
        self.talk_button.setEnabled(can or self.talk_button.text() == STOP_TEXT)

    def _show_hint(self) -> None:
        text = RECORDING_HINT if self._recording and self._state_text else self._state_text
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_talk(self, talk: str) -> None:
        recording = talk == "recording"
        self._recording = recording
        self._show_hint()
        self.talk_button.setText(STOP_TEXT if recording else TALK_TEXT)
        self.talk_button.setAccessibleName("Stop" if recording else "Talk")
        self.talk_button.setObjectName("DangerButton" if recording else "PrimaryButton")
        self.talk_button.style().unpolish(self.talk_button)
        self.talk_button.style().polish(self.talk_button)
        if recording:
            self.talk_button.setEnabled(True)
            self.unsure.hide()
            self.show_heard("Listening… speak when ready.")
        elif talk == "transcribing":
            self.talk_button.setEnabled(False)
            self.meter.reset()
        else:
            self.meter.reset()
        if not recording:
            self.set_cant_hear(False)
            self.set_countdown(None)

    def set_cant_hear(self, silent: bool) -> None:
        """The microphone gives nothing above its noise floor (2 s after Talk)."""
        from desktop.audio.controller import CANT_HEAR

        self.cant_hear.setText(CANT_HEAR if silent else "")
        self.cant_hear.setVisible(silent)

    def set_countdown(self, remaining: float | None) -> None:
        """Hands-free: the answer ends after this many seconds of silence (None: hidden)."""
        if remaining is None:
            self.countdown.hide()
            return
        seconds = max(1, int(remaining + 0.99))
        self.countdown.setText(f"Ending your answer in {seconds} s — keep talking to go on.")
        self.countdown.show()

    def show_heard(self, text: str) -> None:
        self.heard.setVisible(bool(text))
        self.heard.setText(text)

    def set_speaking(self, on: bool) -> None:
        self.speaking.setVisible(on)

    def _on_answer_edited(self) -> None:
        if self._watched is not None and not self._watched.toPlainText():
            self.unsure.hide()

    def show_unsure(self, marked: list[dict], editor: QPlainTextEdit | None = None) -> None:
        """Say which words of the transcript to check (review mode); nothing if none.

        With ``editor`` (the answer box), the note goes once that box is emptied (the next
        question) or a new recording starts."""
        if editor is not None and editor is not self._watched:
            self._watched = editor
            editor.textChanged.connect(self._on_answer_edited)
        words = list(dict.fromkeys(str(m.get("word", "")) for m in marked if m.get("word")))
        if not words:
            self.unsure.hide()
            return
        shown = ", ".join(f"“{w}”" for w in words[:6]) + ("…" if len(words) > 6 else "")
        noun = "word" if len(words) == 1 else "words"
        self.unsure.setText(f"I may have misheard {len(words)} {noun}, highlighted in your "
                            f"answer: {shown}. Check {'it' if len(words) == 1 else 'them'} "
                            "before you submit.")
        self.unsure.show()


# (background, text) of a highlighted word: the themes' @warn-bg / @warn-fg.
UNSURE_COLOURS = {"light": ("#fcebdc", "#8f3a0a"), "dark": ("#3a2a18", "#ffc08a")}


def unsure_format(widget: QWidget) -> QTextCharFormat:
    """How a low-confidence word looks: the theme's warning colours, underlined."""
    from desktop.theme import is_dark

    background, foreground = UNSURE_COLOURS["dark" if is_dark(widget.palette()) else "light"]
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(background))
    fmt.setForeground(QColor(foreground))
    fmt.setFontUnderline(True)
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    fmt.setToolTip("Rehearse may have misheard this word: check it.")
    return fmt


def mark_unsure_words(editor: QPlainTextEdit, marked: list[dict]) -> int:
    """Highlight ``marked`` words (``transcript.low_confidence``) in ``editor``.

    The editor must hold the transcript the spans refer to; a span whose text no longer
    matches is skipped. The highlights follow the text as the candidate edits it (they
    are extra selections, not part of the text). Returns how many were highlighted.
    """
    text = editor.toPlainText()
    fmt = unsure_format(editor)
    selections = []
    for m in marked:
        start, end = m.get("start_char"), m.get("end_char")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
            continue
        if text[start:end] != m.get("word"):
            continue
        cursor = QTextCursor(editor.document())
        cursor.setPosition(_utf16(text, start))
        cursor.setPosition(_utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        selections.append(selection)
    editor.setExtraSelections(selections)
    return len(selections)


def _utf16(text: str, index: int) -> int:
    """Qt counts positions in UTF-16 code units; Python in code points."""
    return len(text[:index].encode("utf-16-le")) // 2


class DeliveryView(QFrame):
    """How the spoken answer sounded: never a score, just pace, fillers and pauses."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.setAccessibleName("How you sounded")
        title = QLabel("How you sounded", self)
        title.setObjectName("SectionTitle")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Delivery")
        self.notes = _muted("", self)
        self.notes.setAccessibleName("Delivery notes")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        self.hide()

    def show_delivery(self, delivery: dict | None) -> None:
        if not delivery:
            self.hide()
            return
        self.summary.setText(delivery_summary(delivery))
        notes = [str(n) for n in (delivery.get("notes") or []) if n]
        self.notes.setText("\n".join(f"•  {n}" for n in notes))
        self.notes.setVisible(bool(notes))
        self.show()


def delivery_summary(delivery: dict) -> str:
    """e.g. "138 words a minute · 1 filler · no long pauses"."""
    parts = []
    wpm = delivery.get("wpm")
    if isinstance(wpm, (int, float)) and wpm > 0:
        parts.append(f"{round(wpm)} words a minute")
    fillers = delivery.get("filler_count")
    if isinstance(fillers, int):
        parts.append("no fillers heard" if fillers == 0 else
                     f"{fillers} filler{'s' if fillers != 1 else ''}")
    pauses = delivery.get("long_pauses")
    if isinstance(pauses, int):
        if pauses == 0:
            parts.append("no long pauses")
        else:
            longest = delivery.get("longest_pause_s")
            extra = f" (longest {float(longest):.1f} s)" if isinstance(longest, (int, float)) else ""
            parts.append(f"{pauses} long pause{'s' if pauses != 1 else ''}{extra}")
    spoken = delivery.get("speaking_time_s")
    if isinstance(spoken, (int, float)) and spoken > 0:
        parts.append(f"{spoken:.0f} s of speech")
    return " · ".join(parts) or "Delivery measured."
