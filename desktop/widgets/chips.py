"""Words shown as rounded chips that wrap onto new lines (skills, strengths, gaps)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Lays children left to right and wraps, like words in a paragraph."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_h = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no room and no gap
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_h > 0:
                x, y, line_h = area.x(), y + line_h + self._gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line_h = max(line_h, hint.height())
        return y + line_h - rect.y() + m.bottom()


def flow_widget(parent: QWidget | None = None, spacing: int = 8) -> tuple[QWidget, FlowLayout]:
    """A plain widget whose children wrap (its height follows its width)."""
    widget = QWidget(parent)
    layout = FlowLayout(widget, spacing)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    widget.setSizePolicy(policy)
    return widget, layout


class ChipList(QWidget):
    """A wrapped row of chips; `kind` (strength, gap, focus, neutral) is a QSS property."""

    def __init__(self, kind: str = "neutral", empty_text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._kind = kind
        self._empty_text = empty_text
        self._layout = FlowLayout(self)
        sp = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)

    def items(self) -> list[str]:
        return [w.text() for w in self.findChildren(QLabel) if w.objectName() == "Chip"]

    def set_items(self, words: list[str], tips: dict[str, str] | None = None) -> None:
        """Show the words; ``tips`` gives a word its hover text (a strength's evidence)."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
                widget.setParent(None)
        for word in words:
            chip = QLabel(word, self)
            chip.setObjectName("Chip")
            chip.setProperty("kind", self._kind)
            chip.setAccessibleName(word)
            if tips and tips.get(word):
                chip.setToolTip(tips[word])
                chip.setAccessibleDescription(tips[word])
            self._layout.addWidget(chip)
        if not words and self._empty_text:
            label = QLabel(self._empty_text, self)
            label.setObjectName("Muted")
            self._layout.addWidget(label)
        self.setAccessibleDescription(", ".join(words) or self._empty_text)
        self.updateGeometry()
