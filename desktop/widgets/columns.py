"""Side-by-side columns that stack when the window is narrow.

At 900 px wide the Setup page's two columns do not both fit beside the navigation; stacked,
every control keeps its full width and the page scrolls instead of cutting the right
column off.
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QWidget


class ResponsiveColumns(QWidget):
    """Columns left to right when at least `min_width` px wide (and wide enough for every
    column's minimum), else top to bottom. Its own minimum width is ignored by the parent
    layout, so a scroll area gives it the visible width and it stacks instead of growing."""

    def __init__(self, min_width: int, spacing: int = 28, parent: QWidget | None = None):
        super().__init__(parent)
        self._min_width = min_width
        self._spacing = spacing
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(spacing)
        self._columns: list[QWidget] = []
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    @property
    def stacked(self) -> bool:
        return self._layout.direction() == QBoxLayout.Direction.TopToBottom

    def add_column(self, column: QWidget) -> None:
        self._columns.append(column)
        self._layout.addWidget(column, 1)

    def needed_width(self) -> int:
        """The width below which the columns stack."""
        side_by_side = sum(c.minimumSizeHint().width() for c in self._columns)
        return max(self._min_width, side_by_side + self._spacing * (len(self._columns) - 1))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        stack = event.size().width() < self.needed_width()
        if stack != self.stacked:
            self._layout.setDirection(QBoxLayout.Direction.TopToBottom if stack
                                      else QBoxLayout.Direction.LeftToRight)
            self._layout.setSpacing(16 if stack else self._spacing)
        super().resizeEvent(event)
