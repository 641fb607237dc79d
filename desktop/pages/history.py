"""The history page: past interviews in a sortable table, opening, continuing and deleting
them, and the candidate's progress at a glance (interviews and practice, per dimension and
topic, delivery, what is due for review; widgets/progress.py). It reloads itself whenever it
is shown and after an interview starts or ends (no Refresh button)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QPersistentModelIndex,
                            QSortFilterProxyModel, Qt, Signal)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QScrollArea, QTableView, QVBoxLayout, QWidget)

from desktop.async_utils import spawn
from desktop.export import DIMENSIONS, format_score, format_when
from desktop.widgets.progress import ProgressPanel
from desktop.widgets.confirm import confirm

if TYPE_CHECKING:
    from desktop.client import BackendClient

STATUS_LABELS = {"created": "Not started", "in_progress": "In progress", "completed": "Completed"}
RESULT_ORDER = {"Hire": 5, "Borderline": 4, "No-Hire": 3, "in_progress": 2, "created": 1}


def short_when(iso: str | None, now: datetime | None = None) -> str:
    """"5 Dec, 21:16" this year, "5 Dec 2025, 21:16" before (the table's date column)."""
    try:
        when = datetime.fromisoformat(iso or "")
    except ValueError:
        return format_when(iso)
    if when.tzinfo is not None:
        when = when.astimezone()
    now = now or datetime.now(when.tzinfo)
    return f"{when.day} {when:%b}, {when:%H:%M}" if when.year == now.year else format_when(iso)
SORT_ROLE = Qt.ItemDataRole.UserRole
SESSION_ROLE = Qt.ItemDataRole.UserRole + 1


class SessionTableModel(QAbstractTableModel):
    """Rows of `GET /sessions`. The sort role holds raw values (dates, numbers)."""

    # One scores column ("7.5 · 6.8 · 7.8") leaves the role room to be read at 900 px.
    COLUMNS = ("Date", "Role", "Scores", "Result")
    TOOLTIPS = ("When the interview ended (or started)", "The role practised",
                "Technical · Design · Communication, 0-10 (sorts by their average)",
                "Hire, Borderline or No-Hire; or In progress / Not started")
    SCORES, RESULT = 2, 3

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def set_sessions(self, sessions: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [dict(s) for s in sessions]
        self.endResetModel()

    def session(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def session_ids(self) -> list[str]:
        return [r["session_id"] for r in self._rows]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.TOOLTIPS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == SESSION_ROLE:
            return row.get("session_id")
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.SCORES:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.SCORES:
            scores = row.get("final_scores") or {}
            return " · ".join(f"{name.capitalize()} {format_score(scores[name])}"
                              for name in DIMENSIONS if scores.get(name) is not None) or None
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return f"Started {format_when(row.get('started_at') or row.get('created_at'))}"
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return row.get("role") or None  # a very long role may still be elided
        if role == Qt.ItemDataRole.ToolTipRole and col == self.RESULT \
                and row.get("status") == "in_progress":
            return "Select it and press Continue interview (or Enter) to carry on."
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.COLUMNS[col]}: {self._display(row, col)}"
        return None

    @staticmethod
    def _when(row: dict[str, Any]) -> str:
        return row.get("ended_at") or row.get("started_at") or row.get("created_at") or ""

    def _display(self, row: dict[str, Any], col: int) -> str:
        if col == 0:
            return short_when(self._when(row))
        if col == 1:
            return row.get("role") or "—"
        if col == self.SCORES:
            scores = row.get("final_scores") or {}
            values = [scores.get(name) for name in DIMENSIONS]
            if all(v is None for v in values):
                return "—"
            return " · ".join("—" if v is None else format_score(v) for v in values)
        status = row.get("status", "")
        if status == "completed":
            return row.get("recommendation") or STATUS_LABELS[status]
        return STATUS_LABELS.get(status, status)

    def _sort_key(self, row: dict[str, Any], col: int) -> Any:
        if col == 0:
            try:
                return datetime.fromisoformat(self._when(row)).timestamp()
            except ValueError:
                return 0.0
        if col == self.SCORES:
            values = [v for v in (row.get("final_scores") or {}).values() if v is not None]
            return sum(float(v) for v in values) / len(values) if values else -1.0
        if col == self.RESULT:
            key = row.get("recommendation") if row.get("status") == "completed" else row.get("status")
            return RESULT_ORDER.get(key or "", 0)
        return self._display(row, col).lower()


class SessionTable(QTableView):
    """The table, with Enter to open a row and Delete to delete it."""

    open_requested = Signal()
    delete_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        if event.key() == Qt.Key.Key_Delete and self.currentIndex().isValid():
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)


class HistoryPage(QWidget):
    """Past interviews. Emits `open_report(session_id)` for a completed one and
    `continue_interview(session_id)` for one in progress."""

    open_report = Signal(str)
    continue_interview = Signal(str)
    data_changed = Signal()  # sessions were deleted
    practice_requested = Signal()  # "Practise now": questions are due for review

    def __init__(self, client: BackendClient, parent: QWidget | None = None):
        super().__init__(parent)
        self._client = client
        self._generation = itertools.count()
        self._latest = 0

        self.model = SessionTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = SessionTable()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setCornerButtonEnabled(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the role takes the rest
        header.setMinimumSectionSize(64)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header.setHighlightSections(False)
        self.table.setAccessibleName("Past interviews")
        self.table.setAccessibleDescription("Enter opens the report, Delete deletes the interview.")
        self.table.setMinimumHeight(180)

        self.title = QLabel("History")
        self.title.setObjectName("PageTitle")
        self.hint = QLabel("Double-click or press Enter to open a report or continue an "
                           "unfinished interview; Delete removes one.")
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        self.status = QLabel("")
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)

        self.open_button = QPushButton("Open report")
        self.open_button.setObjectName("PrimaryButton")
        self.open_button.setAccessibleName("Open the selected interview's report")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete the selected interview")
        self.delete_all_button = QPushButton("Delete all…")
        self.delete_all_button.setObjectName("DangerButton")
        self.delete_all_button.setAccessibleName("Delete every interview")
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        for b in (self.open_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_all_button)

        self.progress = ProgressPanel()
        self.progress.practice_requested.connect(self.practice_requested)
        self.chart = self.progress.chart  # the scores over time

        body = QWidget()
        body.setObjectName("PageBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.progress, 2)
        # The page scrolls when the window is short; the table keeps a usable height.
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("PageScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.open_requested.connect(self.open_selected)
        self.table.delete_requested.connect(self.delete_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_all_button.clicked.connect(self.delete_everything)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        for a, b in itertools.pairwise((self.table, self.open_button, self.delete_button,
                                        self.delete_all_button)):
            self.setTabOrder(a, b)
        self._update_buttons()

    # ------------------------------------------------------------------ loading

    async def refresh(self) -> None:
        """Reload the sessions and the progress trend from the backend."""
        generation = self._latest = next(self._generation)
        try:
            sessions, progress = await asyncio.gather(self._client.sessions(),
                                                      self._client.progress())
        except asyncio.CancelledError:
            raise
        except Exception as e:
            if generation == self._latest:
                self._say(f"The history could not be loaded: {e}")
            return
        if generation != self._latest:
            return  # a newer refresh is under way
        self.set_data(sessions, progress)

    def set_data(self, sessions: Sequence[dict[str, Any]],
                 progress: dict[str, Any] | None) -> None:
        selected = self.selected_session_id()
        self.model.set_sessions(sessions)
        self._say("" if sessions else "No interviews yet. Finished and unfinished interviews "
                                      "will appear here.")
        if selected:
            self.select_session(selected)
        self.progress.set_progress(progress or {})

    # ------------------------------------------------------------------ selection

    def selected_session_id(self) -> str | None:
        index = self.table.currentIndex()
        selection = self.table.selectionModel()
        if not index.isValid() or not selection.isRowSelected(index.row(), QModelIndex()):
            return None
        return self.proxy.index(index.row(), 0).data(SESSION_ROLE)

    def selected_session(self) -> dict[str, Any] | None:
        sid = self.selected_session_id()
        return next((self.model.session(r) for r in range(self.model.rowCount())
                     if self.model.session(r)["session_id"] == sid), None)

    def select_session(self, sid: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(SESSION_ROLE) == sid:
                self.table.selectRow(row)
                self.table.setCurrentIndex(index)
                return True
        return False

    def _update_buttons(self) -> None:
        session = self.selected_session()
        unfinished = bool(session) and session.get("status") == "in_progress"
        self.open_button.setText("Continue interview" if unfinished else "Open report")
        self.open_button.setAccessibleName("Continue the selected interview" if unfinished
                                           else "Open the selected interview's report")
        self.open_button.setEnabled(bool(session) and session.get("status") in
                                    ("completed", "in_progress"))
        self.delete_button.setEnabled(session is not None)
        self.delete_all_button.setEnabled(self.model.rowCount() > 0)

    # ------------------------------------------------------------------ actions

    def open_selected(self) -> None:
        session = self.selected_session()
        if session is None:
            return
        if session.get("status") == "in_progress":
            self.continue_interview.emit(session["session_id"])
            return
        if session.get("status") != "completed":
            self._say("This interview was not started, so it has no report. Start a new one "
                      "from Setup.")
            return
        self.open_report.emit(session["session_id"])

    def delete_selected(self) -> None:
        session = self.selected_session()
        if session is None:
            return
        what = f"the {session.get('role') or 'interview'} interview from " \
               f"{format_when(SessionTableModel._when(session))}"
        sid = session["session_id"]
        confirm(self, "Delete this interview?",
                f"Delete {what}? Its answers and report are erased from this computer. "
                "This cannot be undone.", "Delete", lambda: spawn(self._delete(sid)),
                destructive=True, name="ConfirmDelete")

    def delete_everything(self) -> None:
        if self.model.rowCount():
            confirm(self, "Delete every interview?",
                    f"Delete all {self.model.rowCount()} interviews, with their answers and "
                    "reports? This cannot be undone.", "Delete all",
                    lambda: spawn(self._delete(None)), destructive=True, name="ConfirmDeleteAll")

    async def _delete(self, sid: str | None) -> None:
        try:
            if sid is None:
                count = await self._client.delete_all()
                message = f"Deleted {count} interview{'s' if count != 1 else ''}."
            else:
                await self._client.delete_session(sid)
                message = "Interview deleted."
        except asyncio.CancelledError:
            raise
        except Exception as e:
            self._say(f"Could not delete: {e}")
            return
        await self.refresh()
        self._say(message)
        self.data_changed.emit()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
