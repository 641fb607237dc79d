"""Two attempts at one question side by side: the scores before -> after, the key points the
new attempt made that the first had not (with the candidate's own words), the points still
missing, and for spoken answers both recordings (Play) and both delivery summaries.

Fed with the backend's retry or practice attempt (`comparison`: before, after, change,
newly_covered, still_missing, no_longer_covered; docs/protocol.md, "Practice")."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from desktop.widgets.voice_panel import delivery_summary
from desktop.widgets.labels import text_label

DIMENSIONS = (("technical", "Technical"), ("design", "Design"),
              ("communication", "Communication"))


def _label(text: str, name: str = "", parent: QWidget | None = None,
           selectable: bool = True) -> QLabel:
    return text_label(text, name, parent, selectable=selectable)


def _score(value: object) -> str:
    try:
        return f"{float(value):.1f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"


def change_text(delta: float) -> str:
    if abs(delta) < 0.05:
        return "no change"
    return f"{'+' if delta > 0 else '−'}{abs(delta):.1f}"


class AttemptColumn(QFrame):
    """One attempt: its answer, how it sounded, and Play when it was recorded."""

    play_requested = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Quote")
        self.recording_ids: list[int] = []
        self.title = _label(title, "SubTitle", self, selectable=False)
        self.answer = _label("", "", self)
        self.answer.setAccessibleName(f"{title}: answer")
        self.delivery = _label("", "Muted", self)
        self.delivery.setAccessibleName(f"{title}: how it sounded")
        self.play_button = QPushButton("▶  Play", self)
        self.play_button.setAccessibleName(f"Play the recording of the {title.lower()}")
        self.play_button.clicked.connect(self._play)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.answer)
        layout.addWidget(self.delivery)
        row = QHBoxLayout()
        row.addWidget(self.play_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def show_attempt(self, answer: str, delivery: dict | None, recording_ids: list[int]) -> None:
        self.answer.setText(answer.strip() or "(no answer)")
        self.delivery.setText(f"How it sounded: {delivery_summary(delivery)}" if delivery else "")
        self.delivery.setVisible(bool(delivery))
        self.recording_ids = [int(r) for r in recording_ids if r is not None]
        self.play_button.setVisible(bool(self.recording_ids))

    def set_playing(self, playing: bool) -> None:
        self.play_button.setText("■  Stop" if playing else "▶  Play")

    def _play(self) -> None:
        if self.recording_ids:
            self.play_requested.emit(self.recording_ids[0])


class ComparisonView(QFrame):
    play_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ScoreCard")
        self.setAccessibleName("Before and after")
        self.title = _label("Before → after", "SubTitle", self, selectable=False)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(4)
        self.score_rows: dict[str, QLabel] = {}
        self.change_labels: dict[str, QLabel] = {}
        for row, (key, name) in enumerate(DIMENSIONS):
            self.grid.addWidget(_label(name, "", self, selectable=False), row, 0)
            value = _label("", "ScoreValue", self)
            value.setAccessibleName(f"{name}: before and after")
            self.score_rows[key] = value
            self.grid.addWidget(value, row, 1)
            change = _label("", "Muted", self, selectable=False)
            self.change_labels[key] = change
            self.grid.addWidget(change, row, 2)
        self.grid.setColumnStretch(3, 1)
        self.newly_title = _label("Newly covered", "SubTitle", self, selectable=False)
        self.newly = QVBoxLayout()
        self.newly.setSpacing(4)
        self.missing_title = _label("Still missing", "SubTitle", self, selectable=False)
        self.missing = QVBoxLayout()
        self.missing.setSpacing(4)
        self.lost_title = _label("Covered the first time, not this time", "SubTitle", self,
                                 selectable=False)
        self.lost = QVBoxLayout()
        self.lost.setSpacing(4)
        self.note = _label("", "Muted", self)
        self.before = AttemptColumn("First attempt", self)
        self.after = AttemptColumn("This attempt", self)
        for column in (self.before, self.after):
            column.play_requested.connect(self.play_requested)
        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addWidget(self.before, 1)
        columns.addWidget(self.after, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addLayout(self.grid)
        for title, items in ((self.newly_title, self.newly), (self.missing_title, self.missing),
                             (self.lost_title, self.lost)):
            layout.addWidget(title)
            layout.addLayout(items)
        layout.addLayout(columns)
        layout.addWidget(self.note)

    # what tests and screen readers read
    def point_texts(self, which: str) -> list[str]:
        box = {"newly": self.newly, "missing": self.missing, "lost": self.lost}[which]
        return [w.text() for w in _widgets(box) if isinstance(w, QLabel)]

    def show_comparison(self, comparison: dict, before: dict, after: dict,
                        note: str = "", before_title: str = "First attempt",
                        after_title: str = "This attempt") -> None:
        """`before`/`after`: {"answer", "delivery", "recording_ids"} of each attempt."""
        b = (comparison.get("before") or {}).get("scores") or {}
        a = (comparison.get("after") or {}).get("scores") or {}
        change = comparison.get("change") or {}
        for key, _name in DIMENSIONS:
            self.score_rows[key].setText(f"{_score(b.get(key))}  →  {_score(a.get(key))}")
            delta = float(change.get(key) or 0.0)
            label = self.change_labels[key]
            label.setText(change_text(delta))
            label.setObjectName("GoodText" if delta >= 0.05 else
                                "WarnText" if delta <= -0.05 else "Muted")
            label.style().unpolish(label)
            label.style().polish(label)
        newly = [f"✓  {p.get('point', '')}" + (f" — You said: “{p['quote']}”"
                                                  if p.get("quote") else "")
                 for p in comparison.get("newly_covered") or []]
        self._fill(self.newly_title, self.newly, newly, "GoodText")
        self._fill(self.missing_title, self.missing,
                   [f"✗  {p}" for p in comparison.get("still_missing") or []], "WarnText")
        self._fill(self.lost_title, self.lost,
                   [f"•  {p}" for p in comparison.get("no_longer_covered") or []], "Muted")
        if not newly:
            self._fill(self.newly_title, self.newly,
                       ["No key point this attempt made is new; the scores show what changed."],
                       "Muted")
        self.before.title.setText(before_title)
        self.after.title.setText(after_title)
        self.before.show_attempt(str(before.get("answer") or ""), before.get("delivery"),
                                 list(before.get("recording_ids") or []))
        self.after.show_attempt(str(after.get("answer") or ""), after.get("delivery"),
                                list(after.get("recording_ids") or []))
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def set_playing(self, recording_id: int | None) -> None:
        for column in (self.before, self.after):
            column.set_playing(recording_id is not None and recording_id in column.recording_ids)

    def _fill(self, title: QLabel, box: QVBoxLayout, lines: list[str], name: str) -> None:
        for widget in _widgets(box):
            box.removeWidget(widget)
            widget.deleteLater()
        for line in lines:
            label = _label(line, name, self)
            label.setAccessibleName(f"{title.text()}: {line.lstrip('✓✗• ')}")
            box.addWidget(label)
        title.setVisible(bool(lines))


def _widgets(box: QVBoxLayout) -> list[QWidget]:
    items = (box.itemAt(i) for i in range(box.count()))
    return [w for item in items if item is not None and (w := item.widget()) is not None]
