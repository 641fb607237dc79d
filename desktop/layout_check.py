"""Finds text that does not fit and widgets that stick out of their parents.

Used by tests/desktop/test_layout.py and scripts/screenshots.py (`--check`) on a shown
window: every visible widget of the window is measured against what it needs.

- a QLabel's text: one line that is wider than the label (Qt clips it), a wrapped text
  taller than the label, or a single word wider than a wrapping label;
- a button, check box, radio button or spin box smaller than its size hint (its label is
  cut: "ubmit answer (Ctrl+Ente");
- a table column narrower than its widest cell or its header (Qt elides it with "…");
- a widget whose rectangle is not inside its parent's; inside a scroll area only the
  horizontal direction counts, and only when the area cannot scroll sideways.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractScrollArea,
                               QAbstractSpinBox, QLabel, QScrollBar, QTableView, QWidget)

TOLERANCE = 1  # px: rounding at fractional scale factors


@dataclass(frozen=True)
class Problem:
    widget: str
    kind: str    # "text", "button", "column", "outside"
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.widget}: {self.detail}"


def describe(w: QWidget) -> str:
    """A readable path: Page > Parent > Widget("text…")."""
    names: list[str] = []
    node: QWidget | None = w
    while node is not None and not node.isWindow() and len(names) < 4:
        names.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    text = ""
    if isinstance(w, (QLabel, QAbstractButton)) and w.text():
        text = w.text().replace("\n", " ")
        text = f' "{text[:40]}{"…" if len(text) > 40 else ""}"'
    return " > ".join(reversed(names)) + text


def _shown(w: QWidget, root: QWidget) -> bool:
    return w.window() is root and w.isVisible() and w.width() > 0 and w.height() > 0


def _label_problems(label: QLabel) -> list[str]:
    text = label.text()
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return []
    rect = label.contentsRect()
    pad = 2 * label.margin() + max(label.indent(), 0)
    width = rect.width() - pad
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    if label.wordWrap():
        out = []
        needed = label.heightForWidth(label.width())
        if needed > label.height() + TOLERANCE:
            out.append(f"wrapped text needs {needed}px of height, has {label.height()}px")
        if not rich:
            fm = label.fontMetrics()
            words = text.split()
            widest = max((fm.horizontalAdvance(word) for word in words), default=0)
            if widest > width + TOLERANCE:
                word = max(words, key=fm.horizontalAdvance)
                out.append(f"the word {word[:30]!r} needs {widest}px, has {width}px")
        return out
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        needed = int(doc.idealWidth() + 0.999)
    else:
        fm = label.fontMetrics()
        needed = max(fm.horizontalAdvance(line) for line in text.split("\n"))
    if needed > width + TOLERANCE:
        return [f"one-line text needs {needed}px, has {width}px"]
    return []


def _hint_problems(w: QWidget) -> list[str]:
    hint = w.sizeHint()
    out = []
    if hint.width() > w.width() + TOLERANCE:
        out.append(f"needs {hint.width()}px of width, has {w.width()}px")
    if hint.height() > w.height() + TOLERANCE:
        out.append(f"needs {hint.height()}px of height, has {w.height()}px")
    return out


def _table_problems(view: QTableView) -> list[str]:
    if view.model() is None or view.model().rowCount() == 0:
        return []
    header = view.horizontalHeader()
    out = []
    for col in range(view.model().columnCount()):
        if view.isColumnHidden(col):
            continue
        needed = max(view.sizeHintForColumn(col), header.sectionSizeHint(col))
        if needed > view.columnWidth(col) + TOLERANCE:
            name = view.model().headerData(col, Qt.Orientation.Horizontal)
            out.append(f"column {name!r} needs {needed}px, has {view.columnWidth(col)}px")
    return out


def _outside(w: QWidget) -> list[str]:
    parent = w.parentWidget()
    if parent is None:
        return []
    geo = w.geometry()
    area = parent.parentWidget()
    if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
        if isinstance(area, QAbstractItemView):
            return []  # cell editors and the like
        if area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
            return []
        if geo.left() < -TOLERANCE or geo.right() > parent.width() - 1 + TOLERANCE:
            return [f"{geo.width()}px wide in a {parent.width()}px area that cannot scroll "
                    "sideways"]
        return []
    bounds = QRect(parent.rect()).adjusted(-TOLERANCE, -TOLERANCE, TOLERANCE, TOLERANCE)
    if not bounds.contains(geo):
        return [f"at {geo.x()},{geo.y()} {geo.width()}x{geo.height()} in a "
                f"{parent.width()}x{parent.height()} parent"]
    return []


def layout_problems(root: QWidget) -> list[Problem]:
    """Every problem in the shown window `root` (widgets of other windows are skipped)."""
    problems: list[Problem] = []
    for w in root.findChildren(QWidget):
        if not _shown(w, root) or isinstance(w, QScrollBar):
            continue
        if w.objectName().startswith("qt_") and not isinstance(w, QLabel):
            continue  # Qt's own parts (viewports, a spin box's line edit)
        found: list[tuple[str, str]] = [("outside", d) for d in _outside(w)]
        if isinstance(w, QLabel):
            found += [("text", d) for d in _label_problems(w)]
        elif isinstance(w, (QAbstractButton, QAbstractSpinBox)):
            found += [("button", d) for d in _hint_problems(w)]
        elif isinstance(w, QTableView):
            found += [("column", d) for d in _table_problems(w)]
        problems += [Problem(describe(w), kind, detail) for kind, detail in found]
    return problems
