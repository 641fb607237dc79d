"""Progress over time at a glance (the History page; issue 18): the scores of every interview
and practice session, per dimension (for all topics or one), the topics from weakest to
strongest, delivery for spoken answers, and how many questions are due for review.

Fed with `GET /progress` (docs/protocol.md, "Progress")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.widgets.buttons import ActionButton
from desktop.widgets.charts import DeliveryChart, DeliveryPoint, ScoreChart, ScoreGroup, TrendChart

ALL_TOPICS = "All topics"
MAX_TOPIC_BARS = 8
EXPLANATION = ("Every interview (filled points) and practice session (hollow) on this computer, "
               "oldest first. It stays here, never leaves it; Settings turns it off or deletes it.")


def _muted(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label


def point_labels(points: Sequence[dict[str, Any]]) -> list[str]:
    """One label per point: the day ("5 Dec"), with the time when a day has several."""
    def stamp(item: dict[str, Any]) -> datetime | None:
        try:
            return datetime.fromisoformat(item.get("at") or "").astimezone()
        except ValueError:
            return None
    stamps = [stamp(p) for p in points]
    days = [f"{s.day} {s:%b}" if s else "" for s in stamps]
    crowded = len(set(days)) < len(days)
    return [f"{d} {s:%H:%M}" if crowded and s else d for d, s in zip(days, stamps, strict=True)]


class ProgressPanel(QFrame):
    practice_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.progress: dict[str, Any] = {}
        title = QLabel("Your progress", self)
        title.setObjectName("SectionTitle")
        self.note = _muted(EXPLANATION, self)
        self.due_label = QLabel(self)
        self.due_label.setObjectName("SubTitle")
        self.due_label.setAccessibleName("Questions due for review")
        self.practice_button = ActionButton("Practise now", "Practise the questions due for review",
                                            "PrimaryButton", self)
        self.practice_button.clicked.connect(self.practice_requested)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_label, 1)
        due_row.addWidget(self.practice_button)
        self.topic_combo = QComboBox(self)
        self.topic_combo.setAccessibleName("Show the scores of one topic")
        self.topic_combo.currentIndexChanged.connect(lambda _i: self._draw_trend())
        trend_row = QHBoxLayout()
        self.trend_title = QLabel("Scores over time", self)
        self.trend_title.setObjectName("SubTitle")
        trend_row.addWidget(self.trend_title, 1)
        trend_row.addWidget(self.topic_combo)
        self.chart = TrendChart(self)
        self.chart.setMinimumHeight(200)
        self.chart.setAccessibleName("Your scores over time")
        self.topics_title = QLabel("By topic, weakest first (your recent answers)", self)
        self.topics_title.setObjectName("SubTitle")
        self.topics_chart = ScoreChart(self)
        self.topics_chart.setMinimumHeight(220)
        self.topics_chart.setAccessibleName("Your scores by topic")
        self.delivery_title = QLabel("Spoken answers", self)
        self.delivery_title.setObjectName("SubTitle")
        self.delivery_chart = DeliveryChart(self)
        self.delivery_chart.setAccessibleName("Pace and fillers over time")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.note)
        layout.addLayout(due_row)
        layout.addLayout(trend_row)
        layout.addWidget(self.chart)
        layout.addWidget(self.topics_title)
        layout.addWidget(self.topics_chart)
        layout.addWidget(self.delivery_title)
        layout.addWidget(self.delivery_chart)
        self.set_progress({})

    def set_progress(self, progress: dict[str, Any]) -> None:
        self.progress = dict(progress)
        enabled = bool(progress.get("enabled", True))
        points = list(progress.get("points") or [])
        due = int(progress.get("due_for_review") or 0)
        self.due_label.setText(f"Due for review: {due} question{'s' if due != 1 else ''}"
                               if due else "Nothing is due for review.")
        self.practice_button.setVisible(due > 0)
        if not enabled:
            self.note.setText("Progress is off: interviews and practice are not charted. Turn "
                              "it on in Settings.")
        elif not points:
            self.note.setText("Finish an interview or a practice session to see your progress "
                              "here. " + EXPLANATION.split(". ", 1)[1])
        else:
            self.note.setText(EXPLANATION)
        topics = sorted({t for p in points for t in (p.get("topics") or {})},
                        key=lambda t: self._topic_title(t).lower())
        chosen = self.topic_combo.currentData()
        self.topic_combo.blockSignals(True)
        self.topic_combo.clear()
        self.topic_combo.addItem(ALL_TOPICS, None)
        for t in topics:
            self.topic_combo.addItem(self._topic_title(t), t)
        index = self.topic_combo.findData(chosen)
        self.topic_combo.setCurrentIndex(max(index, 0))
        self.topic_combo.blockSignals(False)
        self.topic_combo.setVisible(bool(topics))
        for w in (self.trend_title, self.chart):
            w.setVisible(bool(points))
        self._draw_trend()
        summary = list(progress.get("topics") or [])[:MAX_TOPIC_BARS]
        self.topics_chart.set_groups([ScoreGroup(_short(t["title"]), t.get("scores") or {},
                                                 f"{t['title']} · {t.get('answers', 0)} answers"
                                                 + (" · weak" if t.get("weak") else ""))
                                      for t in summary])
        self.topics_title.setVisible(bool(summary))
        self.topics_chart.setVisible(bool(summary))
        labels = point_labels(points)
        spoken = [DeliveryPoint(label, (p["delivery"] or {}).get("wpm"),
                                (p["delivery"] or {}).get("fillers_per_minute"), p.get("label", ""))
                  for p, label in zip(points, labels, strict=True) if p.get("delivery")]
        self.delivery_chart.set_points(spoken)
        self.delivery_title.setVisible(bool(spoken))
        self.delivery_chart.setVisible(bool(spoken))

    def select_topic(self, topic_id: str | None) -> bool:
        index = self.topic_combo.findData(topic_id)
        if index >= 0:
            self.topic_combo.setCurrentIndex(index)
        return index >= 0

    def _topic_title(self, topic_id: str) -> str:
        for p in self.progress.get("points") or []:
            info = (p.get("topics") or {}).get(topic_id)
            if info:
                return str(info.get("title") or topic_id)
        return topic_id

    def _draw_trend(self) -> None:
        points = list(self.progress.get("points") or [])
        topic = self.topic_combo.currentData()
        groups = []
        for p, label in zip(points, point_labels(points), strict=True):
            kind = "Practice" if p.get("kind") == "practice" else "Interview"
            if topic is None:
                scores = p.get("scores") or {}
            else:
                info = (p.get("topics") or {}).get(topic)
                if not info:
                    continue
                scores = info.get("scores") or {}
            groups.append(ScoreGroup(label, scores, f"{kind} · {p.get('label', '')}",
                                     hollow=p.get("kind") == "practice"))
        self.chart.set_groups(groups)
        self.trend_title.setText("Scores over time" if topic is None else
                                 f"{self._topic_title(topic)} over time")


def _short(title: str) -> str:
    """A topic's title short enough for a bar's label ("Databases and SQL" -> "Databases")."""
    for sep in (" and ", ","):
        if sep in title:
            return title.split(sep, 1)[0]
    return title
