"""The report page: recommendation, score charts, every question with its feedback, the
skill roadmap as a checklist, and export to PDF or Markdown."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout,
                               QWidget)

from desktop.async_utils import spawn
from desktop.audio.clips import ClipPlayer
from desktop.audio.hardware import AudioIO
from desktop.pages.report_retries import REPORT_NOTE, QuestionRetriesPanel
from desktop.export import (DIMENSION_LABELS, DIMENSIONS, capitalise, action_key, correction_lines,
                            delivery_lines, export_markdown, export_pdf, format_score,
                            summary_line, verdict, VERDICT_CAPTION)
from desktop.theme import app_settings
from desktop.widgets.charts import ScoreChart, ScoreGroup
from desktop.widgets.retry_dialog import RetryDialog
from desktop.widgets.labels import text_label

if TYPE_CHECKING:
    from desktop.client import BackendClient


def label(text: str, name: str = "", selectable: bool = True, wrap: bool = True) -> QLabel:
    return text_label(text, name, selectable=selectable, wrap=wrap)


def chip(text: str) -> QLabel:
    c = label(text, "Chip", selectable=False, wrap=False)
    c.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return c


def card(name: str = "Card", spacing: int = 10) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName(name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 18, 20, 18)
    layout.setSpacing(spacing)
    return frame, layout


def quote(text: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName("Quote")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 10)
    layout.addWidget(label(text.strip() or "(no answer)"))
    return frame


def chip_row(texts: list[str]) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    for t in texts:
        row.addWidget(chip(t))
    row.addStretch(1)
    return row


class Collapsible(QWidget):
    """A disclosure button that shows and hides one block (the model answer)."""

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self._title = title
        self.button = QToolButton()
        self.button.setObjectName("Disclosure")
        self.button.setCheckable(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.RightArrow)
        self.button.setText(f"Show {title}")
        self.button.setAccessibleName(f"Show or hide the {title}")
        self.button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.body = body
        body.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(body)
        self.button.toggled.connect(self.set_expanded)

    def set_expanded(self, expanded: bool) -> None:
        self.button.setChecked(expanded)
        self.button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.button.setText(f"{'Hide' if expanded else 'Show'} {self._title}")
        self.body.setVisible(expanded)

    def is_expanded(self) -> bool:
        return self.button.isChecked()


class _ClickLabel(QLabel):
    clicked = Signal()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self.hasSelectedText():
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class ActionCheck(QWidget):
    """A checkbox with a wrapping label (QCheckBox's own text never wraps)."""

    def __init__(self, text: str, checked: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.box = QCheckBox()
        self.box.setChecked(checked)
        self.box.setAccessibleName(text)
        self.text = _ClickLabel(text)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.clicked.connect(self.box.toggle)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)


class ReportPage(QWidget):
    """Shows one completed interview's report. MainWindow calls `await show_report(sid)`."""

    report_loaded = Signal(str)

    def __init__(self, client: BackendClient, parent: QWidget | None = None,
                 settings: QSettings | None = None):
        super().__init__(parent)
        self._client = client
        self._settings = settings
        self._report: dict[str, Any] | None = None
        self._checks: dict[str, ActionCheck] = {}
        self.question_cards: list[QFrame] = []
        self.chart: ScoreChart | None = None
        self.verdict_title: QLabel | None = None
        # Retries (issue 18): MainWindow gives the audio devices; panels per question.
        self.audio_io: AudioIO | None = None
        self.can_speak = False
        self.retry_panels: dict[int, QuestionRetriesPanel] = {}
        self.retry_dialog: RetryDialog | None = None
        self._player: ClipPlayer | None = None

        self.title = label("Interview report", "PageTitle", selectable=False)
        self.status = label("", "Muted")
        self.status.setVisible(False)
        self.pdf_button = QPushButton("Export PDF…")
        self.pdf_button.setAccessibleName("Export the report as a PDF file")
        self.md_button = QPushButton("Export Markdown…")
        self.md_button.setAccessibleName("Export the report as a Markdown file")
        for b in (self.pdf_button, self.md_button):
            b.setEnabled(False)
        self.pdf_button.clicked.connect(lambda: self._export("pdf"))
        self.md_button.clicked.connect(lambda: self._export("md"))

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.pdf_button)
        top.addWidget(self.md_button)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(QWidget())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 12)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.scroll, 1)
        self.setTabOrder(self.pdf_button, self.md_button)

    # ------------------------------------------------------------------ data

    @property
    def report(self) -> dict[str, Any] | None:
        return self._report

    async def show_report(self, sid: str) -> None:
        """Load a report from the backend and show it; a failure is shown on the page."""
        self._show_status("Loading the report…")
        try:
            report = await self._client.report(sid)
        except asyncio.CancelledError:
            raise
        except Exception as e:  # ApiError or a connection error: say what went wrong
            self._show_status(f"The report could not be loaded: {e}", error=True)
            return
        self.set_report(report)
        await self.load_retries(sid)  # recordings and retries kept with it (issue 18)

    def set_report(self, report: Mapping[str, Any]) -> None:
        self._report = dict(report)
        self.status.setVisible(False)
        self._checks = {}
        self.question_cards = []
        self.retry_panels = {}
        self.scroll.setWidget(self._build_body(self._report))  # deletes the previous body
        self.scroll.verticalScrollBar().setValue(0)
        for b in (self.pdf_button, self.md_button):
            b.setEnabled(True)
        self.report_loaded.emit(str(report.get("session_id", "")))

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setObjectName("ErrorText" if error else "Muted")
        self.status.setText(text)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setVisible(True)
        if error:
            self._report = None
            self.scroll.setWidget(QWidget())
            for b in (self.pdf_button, self.md_button):
                b.setEnabled(False)

    # ------------------------------------------------------------------ building

    def _build_body(self, report: dict[str, Any]) -> QWidget:
        body = QWidget()
        body.setObjectName("PageBody")
        col = QVBoxLayout(body)
        col.setContentsMargins(0, 0, 12, 24)
        col.setSpacing(16)
        role = str(report.get("role") or "").strip()
        col.addWidget(label(" · ".join(p for p in (role, summary_line(report)) if p), "Muted"))
        col.addWidget(self._verdict(report))
        col.addWidget(label("Scores", "SectionTitle", selectable=False))
        col.addLayout(self._score_cards(report))
        self.chart = ScoreChart()
        self.chart.setAccessibleName("Scores per dimension and per question")
        self.chart.set_groups(_chart_groups(report))
        col.addWidget(self.chart)
        if report.get("final_report"):
            col.addWidget(label("Summary", "SectionTitle", selectable=False))
            col.addWidget(label(str(report["final_report"]).strip()))
        strengths, gaps = report.get("strengths") or [], report.get("gaps") or []
        if strengths or gaps:
            grid = QGridLayout()
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(8)
            for row, (name, items) in enumerate((("Strengths from your resume", strengths),
                                                 ("Gaps for this job", gaps))):
                if items:
                    grid.addWidget(label(name, "Muted", selectable=False), row, 0,
                                   Qt.AlignmentFlag.AlignTop)
                    grid.addWidget(label(", ".join(items)), row, 1)
            grid.setColumnStretch(1, 1)
            col.addLayout(grid)
        qa = report.get("qa_history") or []
        col.addWidget(label(f"Questions ({len(qa)})", "SectionTitle", selectable=False))
        col.addWidget(label(REPORT_NOTE, "Muted", selectable=False))
        for q in qa:
            frame = self._question_card(q)
            self.question_cards.append(frame)
            col.addWidget(frame)
        roadmap = report.get("skill_roadmap") or []
        if roadmap:
            col.addWidget(label("Skill roadmap", "SectionTitle", selectable=False))
            col.addWidget(label("Tick actions off as you practise; your progress is kept on this "
                                "computer.", "Muted", selectable=False))
            sid = str(report.get("session_id", ""))
            for item in roadmap:
                col.addWidget(self._roadmap_card(sid, item))
        col.addStretch(1)
        return body

    def _verdict(self, report: Mapping[str, Any]) -> QFrame:
        title, key, meaning = verdict(report.get("recommendation"),
                                      report.get("recommendation_basis"))
        frame = QFrame()
        frame.setObjectName("Verdict")
        frame.setProperty("verdict", key)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(22, 16, 22, 16)
        layout.setSpacing(4)
        layout.addWidget(label(VERDICT_CAPTION, "VerdictMeaning", selectable=False))
        head = label(title, "VerdictTitle")
        head.setAccessibleName(f"{VERDICT_CAPTION}: {title}")
        layout.addWidget(head)
        layout.addWidget(label(meaning, "VerdictMeaning"))
        self.verdict_title = head
        return frame

    def _score_cards(self, report: Mapping[str, Any]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(12)
        scores = report.get("scores") or {}
        for dim in DIMENSIONS:
            frame, layout = card("ScoreCard", spacing=2)
            value = label(f"{format_score(scores.get(dim))}", "ScoreFigure")
            value.setAccessibleName(f"{DIMENSION_LABELS[dim]} score {format_score(scores.get(dim))} "
                                    "out of 10")
            layout.addWidget(value)
            layout.addWidget(label(f"{DIMENSION_LABELS[dim]} / 10", "Muted", selectable=False))
            row.addWidget(frame, 1)
        return row

    def _question_card(self, q: Mapping[str, Any]) -> QFrame:
        frame, col = card("QuestionCard")
        number = q.get("question_number", "")
        status = str(q.get("status") or "")
        meta = [f"Question {number}"] + [capitalise(x) for x in
                                         (q.get("topic"), q.get("difficulty"), q.get("kind")) if x]
        meta += {"skipped": ["Skipped"], "off_topic": ["Off-topic answer"]}.get(status, [])
        col.addLayout(chip_row(meta))
        col.addWidget(label(str(q.get("question", "")), "SubTitle"))
        if q.get("explanation"):
            col.addWidget(label(str(q["explanation"]), "Muted"))
        if status == "skipped":
            col.addWidget(label("You skipped this question; it counts as 0.", "Muted"))
        elif q.get("answer"):
            col.addWidget(label("Your answer", "Muted", selectable=False))
            col.addWidget(quote(str(q.get("answer", ""))))
        for i, f in enumerate(q.get("followups") or [], 1):
            col.addWidget(label(f"Follow-up {i}: {f.get('question', '')}", "SubTitle"))
            if f.get("reason"):
                col.addWidget(label(f"Why it was asked: {f['reason']}", "Muted"))
            if f.get("skipped"):
                col.addWidget(label("You skipped this follow-up.", "Muted"))
            elif f.get("answer"):
                col.addWidget(quote(str(f["answer"])))
        for line in correction_lines(q):
            col.addWidget(label(line, "Muted"))
        scores = q.get("scores") or {}
        col.addLayout(chip_row([f"{DIMENSION_LABELS[d]} {format_score(scores.get(d))}"
                                for d in DIMENSIONS]))
        if q.get("feedback"):
            col.addWidget(label(str(q["feedback"])))
        said = {str(e.get("point")): e for e in q.get("evidence") or [] if isinstance(e, dict)}
        for title, key, mark, name in (("Covered", "covered", "✓", "GoodText"),
                                       ("Not clear", "unclear", "?", "Muted"),
                                       ("Missed", "missing", "✗", "WarnText")):
            items = q.get(key) or []
            if items:
                col.addWidget(label(title, "Muted", selectable=False))
                points = QVBoxLayout()
                points.setSpacing(4)
                for item in items:
                    words = said.get(str(item), {}).get("quote")
                    text = f"{mark}  {item}" + (f" — you said: “{words}”" if words else "")
                    line = label(text, name)
                    line.setAccessibleName(f"{title}: {text[3:]}")
                    points.addWidget(line)
                col.addLayout(points)
        deliveries = [m for m in q.get("delivery") or [] if delivery_lines(m)]
        for n, metrics in enumerate(deliveries, 1):
            which = "" if len(deliveries) == 1 else f" (answer {n})"
            col.addWidget(label(f"Voice delivery{which}", "Muted", selectable=False))
            col.addWidget(label("\n".join(delivery_lines(metrics))))
        if q.get("model_answer"):
            col.addWidget(Collapsible("model answer", quote(str(q["model_answer"]))))
        panel = QuestionRetriesPanel(int(number or 0), bool(q.get("scores")) and
                                     q.get("status") != "unanswered")
        panel.retry_requested.connect(self.open_retry)
        panel.play_requested.connect(self.play)
        self.retry_panels[int(number or 0)] = panel
        col.addWidget(panel)
        frame.setAccessibleName(f"Question {number}: {q.get('question', '')}")
        return frame

    def _roadmap_card(self, sid: str, item: Mapping[str, Any]) -> QFrame:
        frame, col = card()
        skill = str(item.get("skill", ""))
        head = QHBoxLayout()
        head.addWidget(label(skill, "SubTitle"), 1)
        if item.get("priority"):
            head.addWidget(chip(f"{capitalise(item['priority'])} priority"))
        col.addLayout(head)
        if item.get("why"):
            col.addWidget(label(str(item["why"]), "Muted"))
        store = self._store()
        for action in item.get("actions") or []:
            key = action_key(skill, action)
            done = _truthy(store.value(f"roadmap/{sid}/{key}", False))
            check = ActionCheck(action, done)
            check.box.toggled.connect(lambda on, k=key: self._remember(sid, k, on))
            self._checks[key] = check
            col.addWidget(check)
        return frame

    # ------------------------------------------------------------------ retries

    async def load_retries(self, sid: str) -> None:
        """The recordings and retries kept with this interview, into each question's panel."""
        try:
            kept = await self._client.retries(sid)
        except Exception:  # noqa: BLE001 - the report stands without them
            return
        if self._report is None or str(self._report.get("session_id")) != sid:
            return
        for rec in kept.get("recordings") or []:
            panel = self.retry_panels.get(int(rec.get("question_number") or 0))
            if panel is not None and rec.get("attempt") == 0 and \
                    rec.get("followup_number") == 0:
                panel.set_recordings([int(rec["recording_id"])])
        for question in kept.get("questions") or []:
            panel = self.retry_panels.get(int(question.get("question_number") or 0))
            if panel is not None:
                panel.set_retries(question)

    def open_retry(self, number: int) -> RetryDialog | None:
        if self._report is None:
            return None
        sid = str(self._report.get("session_id", ""))
        q = next((q for q in self._report.get("qa_history") or []
                  if q.get("question_number") == number), {})
        if self.retry_dialog is not None:
            self.retry_dialog.close()
        self.retry_dialog = RetryDialog(self._client, sid, number, str(q.get("question", "")),
                                        audio_io=self.audio_io, can_speak=self.can_speak,
                                        parent=self)
        self.retry_dialog.retried.connect(lambda _r: spawn(self.load_retries(sid)))
        self.retry_dialog.finished.connect(self._retry_closed)
        self.retry_dialog.open()
        return self.retry_dialog

    def _retry_closed(self, _result: int) -> None:
        self.retry_dialog = None
        self.window().activateWindow()

    def play(self, recording_id: int) -> None:
        if self.audio_io is None:
            return
        if self._player is None:
            from desktop.audio.prefs import VoicePrefs

            self._player = ClipPlayer(self.audio_io, self._client.recording_pcm,
                                      VoicePrefs.load().output_device or None, self)
            self._player.state.connect(self._on_play_state)
        if self._player.current == recording_id:
            self._player.stop()
        else:
            self._player.play(recording_id)

    @property
    def player(self) -> ClipPlayer | None:
        return self._player

    def _on_play_state(self, recording_id: int, state: str) -> None:
        playing = recording_id if state in ("loading", "playing") else None
        for panel in self.retry_panels.values():
            panel.set_playing(playing)
        if state not in ("loading", "playing", "done"):
            self._show_status(state)

    # ------------------------------------------------------------------ checklist

    def _store(self) -> QSettings:
        return self._settings if self._settings is not None else app_settings()

    def _remember(self, sid: str, key: str, done: bool) -> None:
        store = self._store()
        if done:
            store.setValue(f"roadmap/{sid}/{key}", True)
        else:
            store.remove(f"roadmap/{sid}/{key}")

    def checked_actions(self) -> set[str]:
        return {k for k, c in self._checks.items() if c.box.isChecked()}

    def action_checks(self) -> list[ActionCheck]:
        return list(self._checks.values())

    # ------------------------------------------------------------------ export

    def save_pdf(self, path: str | Path) -> Path:
        assert self._report is not None, "no report shown"
        return export_pdf(self._report, path, self.checked_actions())

    def save_markdown(self, path: str | Path) -> Path:
        assert self._report is not None, "no report shown"
        return export_markdown(self._report, path, self.checked_actions())

    def _export(self, kind: str) -> None:
        if self._report is None:
            return
        suffix, filt = ((".pdf", "PDF document (*.pdf)") if kind == "pdf"
                        else (".md", "Markdown (*.md)"))
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        default = str(Path(folder or Path.home()) / (_file_stem(self._report) + suffix))
        path, _ = QFileDialog.getSaveFileName(self, "Export the report", default, filt)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            (self.save_pdf if kind == "pdf" else self.save_markdown)(path)
        except OSError as e:
            self._show_status(f"Could not save {path}: {e.strerror or e}", error=False)
        else:
            self._show_status(f"Saved {path}")
        finally:
            QGuiApplication.restoreOverrideCursor()


def _chart_groups(report: Mapping[str, Any]) -> list[ScoreGroup]:
    groups = [ScoreGroup("Overall", report.get("scores") or {}, "mean over the answered questions")]
    for q in report.get("qa_history") or []:
        groups.append(ScoreGroup(f"Q{q.get('question_number', '')}", q.get("scores") or {},
                                 str(q.get("topic", ""))))
    return groups


def _file_stem(report: Mapping[str, Any]) -> str:
    role = re.sub(r"[^\w\- ]+", "", str(report.get("role") or "interview")).strip() or "interview"
    day = str(report.get("ended_at") or report.get("started_at") or "")[:10]
    return f"Rehearse report - {role}" + (f" - {day}" if day else "")


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1")
