"""The verdict on one answer: three scores, the running average and what to do next.

In the interview's thread each answer has its own card. The short feedback is always shown;
the detail (the candidate's own words per key point made, and what is still to cover) folds
away behind "Details", so nothing is said twice on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFrame, QGridLayout, QLabel, QProgressBar, QToolButton,
                               QVBoxLayout, QWidget)

DIMENSIONS = (("technical", "Technical"), ("design", "Design"), ("communication", "Communication"))


def _score_text(value: float | int | None) -> str:
    return "–" if value is None else f"{float(value):.1f} / 10"


def _bullets(items: list[str]) -> str:
    return "\n".join(f"•  {s}" for s in items)


class ScoreCard(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ScoreCard")
        self.title = QLabel("Feedback on your answer", self)
        self.title.setObjectName("SubTitle")
        self.title.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        self.bars: dict[str, QProgressBar] = {}
        self.values: dict[str, QLabel] = {}
        self.averages: dict[str, float | None] = {}
        for row, (key, title) in enumerate(DIMENSIONS):
            grid.addWidget(QLabel(title, self), row, 0)
            bar = QProgressBar(self)
            bar.setRange(0, 100)
            bar.setTextVisible(False)
            bar.setMaximumHeight(10)
            bar.setAccessibleName(f"{title} score")
            self.bars[key] = bar
            grid.addWidget(bar, row, 1)
            value = QLabel("–", self)
            value.setObjectName("ScoreValue")
            value.setAccessibleName(f"{title} score")
            self.values[key] = value
            grid.addWidget(value, row, 2)
        grid.setColumnStretch(1, 1)
        self.average = self._muted("")
        self.average.setWordWrap(True)
        self.average.setAccessibleName("Average so far")

        self.feedback = self._text("Feedback")
        self.details_button = QToolButton(self)
        self.details_button.setObjectName("DetailsToggle")
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.setText("Details")
        self.details_button.setAccessibleName("Show the details of this feedback")
        self.details_button.toggled.connect(self._toggle_details)
        self.strengths_title = self._section("What worked")
        self.strengths = self._text("What worked")
        self.improvements_title = self._section("Still to cover")
        self.improvements = self._text("Still to cover")
        self.evidence_title = self._section("In your words")
        self.evidence = self._text("In your words")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.average)
        layout.addSpacing(4)
        layout.addWidget(self.feedback)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.details = QWidget(self)
        detail_layout = QVBoxLayout(self.details)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(6)
        for w in (self.evidence_title, self.evidence, self.strengths_title, self.strengths,
                  self.improvements_title, self.improvements):
            detail_layout.addWidget(w)
        layout.addWidget(self.details)
        self.clear()

    def _toggle_details(self, shown: bool) -> None:
        self.details_button.setArrowType(Qt.ArrowType.DownArrow if shown
                                         else Qt.ArrowType.RightArrow)
        self.details.setVisible(shown)

    def _muted(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("Muted")
        return label

    def _section(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("SubTitle")
        return label

    def _text(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def clear(self) -> None:
        self.title.setText("Feedback on your answer")
        for key, _ in DIMENSIONS:
            self.bars[key].setValue(0)
            self.values[key].setText("–")
            self.averages[key] = None
        self.average.hide()
        self.feedback.setText("Your scores and feedback appear here after each answer.")
        for w in (self.strengths_title, self.strengths, self.improvements_title,
                  self.improvements, self.evidence_title, self.evidence):
            w.hide()
        self.details_button.setChecked(False)
        self.details_button.hide()
        self.details.hide()

    def show_update(self, data: dict, label: str) -> None:
        """Render a `score_update` event; `label` names what was scored ("Question 2")."""
        status = {"skipped": " · skipped", "off_topic": " · off-topic"}.get(
            str(data.get("status") or ""), "")
        self.title.setText(f"Feedback · {label}{status}")
        current = data.get("current_scores") or {}
        average = data.get("running_average") or {}
        for key, _ in DIMENSIONS:
            value = current.get(key)
            self.bars[key].setValue(round(float(value) * 10) if value is not None else 0)
            self.values[key].setText(_score_text(value))
            avg = average.get(key) if isinstance(average, dict) else None
            self.averages[key] = float(avg) if avg is not None else None
        shown = [f"{title} {self.averages[key]:.1f}" for key, title in DIMENSIONS
                 if self.averages[key] is not None]
        self.average.setText("Average so far: " + " · ".join(shown))
        self.average.setVisible(bool(shown))
        self.feedback.setText(data.get("feedback", ""))
        evidence = [e for e in data.get("evidence") or [] if isinstance(e, dict)]
        self.show_evidence(evidence)
        # With quotes, "What worked" would say the same again: the quotes are what worked.
        strengths = [] if evidence else data.get("strengths")
        for title, body, items in ((self.strengths_title, self.strengths, strengths),
                                   (self.improvements_title, self.improvements,
                                    data.get("improvements"))):
            items = [str(s) for s in (items or [])]
            body.setText(_bullets(items))
            title.setVisible(bool(items))
            body.setVisible(bool(items))
        has_details = any(w.isVisibleTo(self.details) for w in
                          (self.evidence, self.strengths, self.improvements))
        self.details_button.setVisible(has_details)
        self.details.setVisible(has_details and self.details_button.isChecked())

    def show_evidence(self, items: list[dict]) -> None:
        """The candidate's own words per key point made: [{"point", "quote", "certain"}];
        a point the words may make but not clearly is marked so."""
        lines = [f"•  {item.get('point', '')}"
                 + ("" if item.get("certain", True) else " (not clearly)")
                 + f" — You said: “{item.get('quote', '')}”"
                 for item in items if isinstance(item, dict) and item.get("quote")]
        self.evidence.setText("\n".join(lines))
        self.evidence_title.setVisible(bool(lines))
        self.evidence.setVisible(bool(lines))
