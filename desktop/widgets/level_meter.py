"""A small horizontal microphone level bar (0..1), painted with the theme's palette."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

FALL_PER_UPDATE = 0.12  # how far the bar may drop per frame (100 ms): a calmer needle


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("LevelMeter")
        self.setAccessibleName("Microphone level")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(60)
        self.setFixedHeight(10)
        self._level = 0.0

    @property
    def level(self) -> float:
        return self._level

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(140, 10)

    def set_level(self, value: float) -> None:
        value = max(0.0, min(1.0, float(value)))
        shown = value if value >= self._level else max(value, self._level - FALL_PER_UPDATE)
        if abs(shown - self._level) > 1e-3:
            self._level = shown
            self.setAccessibleDescription(f"{round(shown * 100)}%")
            self.update()

    def reset(self) -> None:
        self._level = 0.0
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = rect.height() / 2
        pal = self.palette()
        painter.setBrush(pal.color(QPalette.ColorRole.Midlight))
        painter.drawRoundedRect(rect, radius, radius)
        if self._level > 0:
            filled = QRectF(rect.x(), rect.y(), max(rect.height(), rect.width() * self._level),
                            rect.height())
            painter.setBrush(pal.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(filled, radius, radius)
        painter.end()
