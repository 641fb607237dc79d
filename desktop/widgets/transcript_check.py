"""A spoken answer's transcript, shown before it counts, and corrected after.

PendingBar: under a fresh transcript in the conversation, "Scoring in 3 s" with Edit and
Score now (issue 17: answers were graded on words the candidate never saw).
CorrectionBox: "This isn't what I said" under a scored spoken answer of the current question;
the candidate types what they said and it is scored again (`correct_answer`, docs/protocol.md).
highlighted_html: the transcript with the words Whisper was unsure of marked, for a label.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.widgets.buttons import ActionButton

CONFIRM_SECONDS = 3  # how long a transcript shows before it is scored


def highlighted_html(text: str, marked: list[dict], dark: bool) -> str:
    """``text`` as rich text with each ``marked`` span (``transcript.low_confidence``) in the
    theme's warning colours, underlined; spans that do not match the text are skipped."""
    from desktop.widgets.voice_panel import UNSURE_COLOURS

    background, foreground = UNSURE_COLOURS["dark" if dark else "light"]
    out, cursor = [], 0
    spans = sorted((m for m in marked if isinstance(m.get("start_char"), int)
                    and isinstance(m.get("end_char"), int)), key=lambda m: m["start_char"])
    for m in spans:
        start, end = m["start_char"], m["end_char"]
        if start < cursor or not start < end <= len(text) or text[start:end] != m.get("word"):
            continue
        out.append(html.escape(text[cursor:start]))
        out.append(f'<span style="background-color:{background}; color:{foreground}; '
                   f'text-decoration: underline;">{html.escape(text[start:end])}</span>')
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


class PendingBar(QWidget):
    """ "Scoring in 3 s — Edit · Score now" under a transcript that has not counted yet."""

    edit_clicked = Signal()
    send_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("SubTitle")
        self.label.setAccessibleName("Scoring in")
        self.label.setWordWrap(True)
        self.note = QLabel(self)
        self.note.setObjectName("WarnText")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Words to check")
        self.edit_button = ActionButton("Edit", "Edit the transcript", "SecondaryButton", self)
        self.edit_button.setToolTip("Fix what Rehearse heard before it is scored")
        self.edit_button.clicked.connect(self.edit_clicked)
        self.send_button = ActionButton("Score now", "Score it now", "SecondaryButton", self)
        self.send_button.clicked.connect(self.send_clicked)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.label, 1)
        row.addWidget(self.edit_button)
        row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.note.hide()

    def set_seconds(self, seconds: int) -> None:
        self.label.setText(f"Scoring in {max(0, seconds)} s — Edit if Rehearse misheard you.")

    def set_unsure(self, count: int) -> None:
        self.note.setText(f"{count} highlighted word{'' if count == 1 else 's'} may be misheard."
                          if count else "")
        self.note.setVisible(bool(count))


class CorrectionBox(QWidget):
    """ "This isn't what I said" → an editor with the transcript → "Score my words"."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.open_button = ActionButton("This isn't what I said", "This isn't what I said",
                                        "SecondaryButton", self)
        self.open_button.setToolTip("Correct the transcript; your words are scored again")
        self.open_button.clicked.connect(self.open)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("What you said")
        self.editor.setTabChangesFocus(True)
        self.editor.setFixedHeight(84)
        self.send_button = ActionButton("Score my words", "Score my words", "PrimaryButton", self)
        self.send_button.clicked.connect(self._submit)
        self.cancel_button = ActionButton("Cancel", "Cancel the correction", "SecondaryButton",
                                          self)
        self.cancel_button.clicked.connect(self.close_editor)
        self.note = QLabel(self)
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Correction")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        self._form = QWidget(self)
        form = QVBoxLayout(self._form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(6)
        form.addWidget(self.editor)
        form.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self._form)
        layout.addWidget(self.note)
        self._form.hide()
        self.note.hide()
        self._heard = ""

    def offer(self, heard: str) -> None:
        """Show the link for this transcript."""
        self._heard = heard
        self.open_button.show()
        self.show()

    def withdraw(self) -> None:
        """The question is over: a correction is no longer possible."""
        self.open_button.hide()
        self._form.hide()
        self.setVisible(self.note.isVisible())

    def open(self) -> None:
        self.editor.setPlainText(self._heard)
        self.open_button.hide()
        self._form.show()
        self.send_button.setEnabled(True)
        self.editor.setFocus()

    def close_editor(self) -> None:
        self._form.hide()
        self.open_button.show()

    def _submit(self) -> None:
        text = self.editor.toPlainText().strip()
        if not text or text == self._heard.strip():
            self.editor.setFocus()
            return
        self.send_button.setEnabled(False)
        self.submitted.emit(text)

    def failed(self) -> None:
        self.send_button.setEnabled(True)

    def corrected(self, heard: str) -> None:
        """Scored again: say what was heard, once and for all."""
        self._form.hide()
        self.open_button.hide()
        self.note.setText(f"You corrected this transcript and it was scored again on your "
                          f"words. Rehearse had heard: “{heard}”")
        self.note.show()
        self.show()
