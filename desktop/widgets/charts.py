"""Score charts drawn with QPainter (QtCharts is not part of PySide6-Essentials).

Colours come from the theme's stylesheet through Qt properties
(``qproperty-technicalColor`` and friends, see assets/themes/*.qss), so the charts follow
light and dark themes; text and axes use the widget palette.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Property
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

DIMENSIONS = ("technical", "design", "communication")
DIMENSION_LABELS = {"technical": "Technical", "design": "Design", "communication": "Communication"}
MAX_SCORE = 10.0


@dataclass(frozen=True)
class ScoreGroup:
    """One group of bars or one point on a line: a label and a score per dimension."""

    label: str
    scores: Mapping[str, float | None]
    detail: str = ""  # longer text for the tooltip, e.g. the question's topic


def _score(value: object) -> float | None:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return min(max(v, 0.0), MAX_SCORE)


class _Chart(QWidget):
    """Shared axes, legend, colours and tooltips."""

    _MARGIN_LEFT = 40
    _MARGIN_RIGHT = 16
    _MARGIN_TOP = 56  # room for the legend and the value above a full bar
    _MARGIN_BOTTOM = 34

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._colours = {"technical": QColor("#2f5bd3"), "design": QColor("#8a3ffc"),
                         "communication": QColor("#0e7c6b"), "grid": QColor("#d6dae4")}
        self._groups: list[ScoreGroup] = []
        self._hits: list[tuple[QRectF, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(260)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    # Colours, settable from QSS as qproperty-<name>.
    def _get(self, key: str) -> QColor:
        return QColor(self._colours[key])

    def _set(self, key: str, colour: QColor) -> None:
        self._colours[key] = QColor(colour)
        self.update()

    technicalColor = Property(QColor, lambda s: s._get("technical"),
                              lambda s, c: s._set("technical", c))
    designColor = Property(QColor, lambda s: s._get("design"), lambda s, c: s._set("design", c))
    communicationColor = Property(QColor, lambda s: s._get("communication"),
                                  lambda s, c: s._set("communication", c))
    gridColor = Property(QColor, lambda s: s._get("grid"), lambda s, c: s._set("grid", c))

    def sizeHint(self) -> QSize:
        return QSize(640, self.minimumHeight() + 20)

    def set_groups(self, groups: Sequence[ScoreGroup]) -> None:
        self._groups = list(groups)
        self.setAccessibleDescription(self.summary())
        self.update()

    def groups(self) -> list[ScoreGroup]:
        return list(self._groups)

    def summary(self) -> str:
        """The chart as text, for screen readers."""
        parts = []
        for g in self._groups:
            vals = ", ".join(f"{DIMENSION_LABELS[d]} {_fmt(g.scores.get(d))}" for d in DIMENSIONS)
            parts.append(f"{g.label}: {vals}")
        return "; ".join(parts) if parts else "No scores yet."

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._hits = []
            if self._groups:
                self._paint(p)
            else:
                self._draw_empty(p)
        finally:
            p.end()

    def _paint(self, p: QPainter) -> None:
        raise NotImplementedError

    def _plot_rect(self) -> QRectF:
        return QRectF(self._MARGIN_LEFT, self._MARGIN_TOP,
                      max(self.width() - self._MARGIN_LEFT - self._MARGIN_RIGHT, 10),
                      max(self.height() - self._MARGIN_TOP - self._MARGIN_BOTTOM, 10))

    def _y(self, plot: QRectF, value: float) -> float:
        return plot.bottom() - plot.height() * value / MAX_SCORE

    def _text_colour(self, muted: bool = False) -> QColor:
        role = QPalette.ColorRole.PlaceholderText if muted else QPalette.ColorRole.WindowText
        return self.palette().color(role)

    def _draw_axes(self, p: QPainter, plot: QRectF) -> None:
        p.setFont(self._small_font())
        for value in range(0, 11, 2):
            y = self._y(plot, value)
            p.setPen(QPen(self._colours["grid"], 1, Qt.PenStyle.SolidLine if value == 0
                          else Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(self._text_colour(muted=True))
            p.drawText(QRectF(0, y - 9, self._MARGIN_LEFT - 8, 18),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value))

    def _draw_legend(self, p: QPainter) -> None:
        p.setFont(self._small_font())
        x = float(self._MARGIN_LEFT)
        metrics = p.fontMetrics()
        for dim in DIMENSIONS:
            self._draw_marker(p, dim, QPointF(x + 6, 16), 5.5)
            p.setPen(self._text_colour())
            label = DIMENSION_LABELS[dim]
            p.drawText(QPointF(x + 16, 16 + metrics.ascent() / 2 - 1), label)
            x += 16 + metrics.horizontalAdvance(label) + 22

    def _draw_marker(self, p: QPainter, dim: str, centre: QPointF, r: float) -> None:
        """A distinct shape per dimension, so the chart does not rely on colour alone."""
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._colours[dim])
        if dim == "technical":
            p.drawEllipse(centre, r, r)
        elif dim == "design":
            p.drawRect(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
        else:
            path = QPainterPath()
            path.moveTo(centre.x(), centre.y() - r * 1.15)
            path.lineTo(centre.x() + r * 1.15, centre.y() + r * 0.9)
            path.lineTo(centre.x() - r * 1.15, centre.y() + r * 0.9)
            path.closeSubpath()
            p.drawPath(path)

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.88, 7.5))
        return font

    def _draw_empty(self, p: QPainter) -> None:
        p.setPen(self._text_colour(muted=True))
        p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No scores yet.")

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            help_event = cast(QHelpEvent, e)  # PySide6 delivers tool tips as QHelpEvent
            pos = QPointF(help_event.pos())
            for rect, text in self._hits:
                if rect.contains(pos):
                    QToolTip.showText(help_event.globalPos(), text, self)
                    return True
            QToolTip.hideText()
            e.ignore()
            return True
        return super().event(e)

    def _tooltip(self, group: ScoreGroup, dim: str | None = None) -> str:
        head = f"{group.label} — {group.detail}" if group.detail else group.label
        dims = [dim] if dim else list(DIMENSIONS)
        return head + "\n" + "\n".join(f"{DIMENSION_LABELS[d]}: {_fmt(group.scores.get(d))}"
                                       for d in dims)


class ScoreChart(_Chart):
    """Grouped bars: one group per question (and usually an "Overall" group first)."""

    def _paint(self, p: QPainter) -> None:
        plot = self._plot_rect()
        self._draw_legend(p)
        self._draw_axes(p, plot)
        n = len(self._groups)
        group_w = plot.width() / n
        bar_w = min(30.0, group_w * 0.72 / len(DIMENSIONS))
        show_values = bar_w >= 22
        small = self._small_font()
        metrics_font = QFont(small)
        metrics_font.setPointSizeF(max(small.pointSizeF() * 0.92, 7.0))
        for i, group in enumerate(self._groups):
            x0 = plot.left() + i * group_w + (group_w - bar_w * len(DIMENSIONS)) / 2
            for j, dim in enumerate(DIMENSIONS):
                value = _score(group.scores.get(dim))
                x = x0 + j * bar_w
                if value is None:
                    continue
                top = self._y(plot, value)
                rect = QRectF(x + 1.5, top, bar_w - 3, max(plot.bottom() - top, 1.5))
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(self._colours[dim])
                p.drawRoundedRect(rect, 3, 3)
                self._hits.append((QRectF(x, plot.top(), bar_w, plot.height()),
                                   self._tooltip(group, dim)))
                if show_values:
                    p.setFont(metrics_font)
                    p.setPen(self._text_colour())
                    p.drawText(QRectF(x - 4, top - 17, bar_w + 8, 15),
                               Qt.AlignmentFlag.AlignCenter, f"{value:.1f}")
            p.setFont(small)
            p.setPen(self._text_colour())
            label_rect = QRectF(plot.left() + i * group_w, plot.bottom() + 6, group_w, 20)
            text = p.fontMetrics().elidedText(group.label, Qt.TextElideMode.ElideRight,
                                              int(group_w) - 4)
            p.drawText(label_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)


class TrendChart(_Chart):
    """Lines over time: one point per session, one line per dimension."""

    _MARGIN_TOP = 40

    def _paint(self, p: QPainter) -> None:
        plot = self._plot_rect()
        self._draw_legend(p)
        self._draw_axes(p, plot)
        n = len(self._groups)
        step = plot.width() / n
        xs = [plot.left() + step * (i + 0.5) for i in range(n)]
        for dim in DIMENSIONS:
            scored = [(x, _score(g.scores.get(dim))) for x, g in zip(xs, self._groups, strict=False)]
            points = [QPointF(x, self._y(plot, v)) for x, v in scored if v is not None]
            if len(points) > 1:
                p.setPen(QPen(self._colours[dim], 2.2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPolyline(points)
            for pt in points:
                self._draw_marker(p, dim, pt, 4.5)
        small = self._small_font()
        p.setFont(small)
        label_every = max(1, int(70 // max(step, 1)) + 1)
        for i, (x, group) in enumerate(zip(xs, self._groups, strict=False)):
            self._hits.append((QRectF(x - step / 2, plot.top(), step, plot.height()),
                               self._tooltip(group)))
            if i % label_every and i != n - 1:
                continue
            p.setPen(self._text_colour())
            width = step * label_every
            p.drawText(QRectF(x - width / 2, plot.bottom() + 6, width, 20),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, group.label)


def _fmt(value: object) -> str:
    v = _score(value)
    return "–" if v is None else f"{v:.1f}"
