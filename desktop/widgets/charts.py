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
    hollow: bool = False  # TrendChart: drawn as an outline (a practice session, not an interview)


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
    """Lines over time: one point per session, one line per dimension. Hollow points (practice
    sessions) are drawn as outlines, and the legend says so when there are any."""

    _MARGIN_TOP = 40

    def _draw_legend(self, p: QPainter) -> None:
        super()._draw_legend(p)
        if any(g.hollow for g in self._groups):
            p.setFont(self._small_font())
            label = "hollow: practice"
            x = self.width() - self._MARGIN_RIGHT - p.fontMetrics().horizontalAdvance(label) - 18
            self._draw_outline(p, QPointF(x + 6, 16), 5.0, self._text_colour(muted=True))
            p.setPen(self._text_colour(muted=True))
            p.drawText(QPointF(x + 16, 16 + p.fontMetrics().ascent() / 2 - 1), label)

    def _draw_outline(self, p: QPainter, centre: QPointF, r: float, colour: QColor) -> None:
        p.setPen(QPen(colour, 1.8))
        p.setBrush(self.palette().color(QPalette.ColorRole.Window))
        p.drawEllipse(centre, r, r)

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
            hollow = [g.hollow for g, (_x, v) in zip(self._groups, scored, strict=False)
                      if v is not None]
            for pt, outline in zip(points, hollow, strict=False):
                if outline:
                    self._draw_outline(p, pt, 4.5, self._colours[dim])
                else:
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


@dataclass(frozen=True)
class DeliveryPoint:
    """One session's spoken answers: mean pace and fillers per minute."""

    label: str
    wpm: float | None
    fillers_per_minute: float | None
    detail: str = ""


class DeliveryChart(_Chart):
    """Delivery over time, for spoken answers: pace (words per minute, with the comfortable
    100-165 band shaded) above, fillers per minute below. Never a score."""

    COMFORTABLE_WPM = (100.0, 165.0)  # backend/voice/metrics.py
    WPM_MAX = 220.0
    FILLERS_MAX = 12.0
    _MARGIN_TOP = 34

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._points: list[DeliveryPoint] = []
        self.setMinimumHeight(220)

    def set_points(self, points: Sequence[DeliveryPoint]) -> None:
        self._points = list(points)
        self._groups = [ScoreGroup(pt.label, {}) for pt in self._points]
        self.setAccessibleDescription(self.summary())
        self.update()

    def points(self) -> list[DeliveryPoint]:
        return list(self._points)

    def summary(self) -> str:
        parts = [f"{pt.label}: {_num(pt.wpm)} words a minute, {_num(pt.fillers_per_minute)} "
                 "fillers a minute" for pt in self._points]
        return "; ".join(parts) if parts else "No spoken answers yet."

    def _paint(self, p: QPainter) -> None:
        plot = self._plot_rect()
        gap = 26.0
        half = (plot.height() - gap) / 2
        pace = QRectF(plot.left(), plot.top(), plot.width(), half)
        fillers = QRectF(plot.left(), plot.top() + half + gap, plot.width(), half)
        small = self._small_font()
        p.setFont(small)
        n = len(self._points)
        step = plot.width() / n
        xs = [plot.left() + step * (i + 0.5) for i in range(n)]
        lo, hi = self.COMFORTABLE_WPM
        band = QRectF(pace.left(), self._at(pace, hi, self.WPM_MAX), pace.width(),
                      self._at(pace, lo, self.WPM_MAX) - self._at(pace, hi, self.WPM_MAX))
        shade = QColor(self._colours["communication"])
        shade.setAlpha(36)
        p.fillRect(band, shade)
        for rect, title, top, key, values in (
                (pace, "Pace, words a minute (shaded: easy to follow)", self.WPM_MAX,
                 "technical", [pt.wpm for pt in self._points]),
                (fillers, "Fillers a minute", self.FILLERS_MAX, "design",
                 [pt.fillers_per_minute for pt in self._points])):
            p.setPen(self._text_colour())
            p.drawText(QRectF(rect.left(), rect.top() - 22, rect.width(), 18),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
            p.setPen(QPen(self._colours["grid"], 1))
            p.drawLine(QPointF(rect.left(), rect.bottom()), QPointF(rect.right(), rect.bottom()))
            for tick in (0.0, top / 2, top):
                y = self._at(rect, tick, top)
                p.setPen(self._text_colour(muted=True))
                p.drawText(QRectF(0, y - 9, self._MARGIN_LEFT - 8, 18),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           f"{tick:.0f}")
            pts = [QPointF(x, self._at(rect, min(float(v), top), top))
                   for x, v in zip(xs, values, strict=False) if v is not None]
            if len(pts) > 1:
                p.setPen(QPen(self._colours[key], 2.2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPolyline(pts)
            for pt in pts:
                self._draw_marker(p, key, pt, 4.0)
        p.setPen(self._text_colour())
        for x, point in zip(xs, self._points, strict=False):
            self._hits.append((QRectF(x - step / 2, plot.top(), step, plot.height()),
                               f"{point.label}{' — ' + point.detail if point.detail else ''}\n"
                               f"{_num(point.wpm)} words a minute\n"
                               f"{_num(point.fillers_per_minute)} fillers a minute"))
            p.drawText(QRectF(x - step / 2, plot.bottom() + 6, step, 20),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                       p.fontMetrics().elidedText(point.label, Qt.TextElideMode.ElideRight,
                                                  int(step) - 4))

    @staticmethod
    def _at(rect: QRectF, value: float, top: float) -> float:
        return rect.bottom() - rect.height() * max(0.0, value) / top

    def _draw_empty(self, p: QPainter) -> None:
        p.setPen(self._text_colour(muted=True))
        p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No spoken answers yet.")


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"
