"""The interview plan as a readable list: what will be asked and why, and which of the
job's must-haves the interview cannot cover (the upload answers' plan extension)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

MAX_EVIDENCE_CHARS = 90


def _clip(text: str, n: int = MAX_EVIDENCE_CHARS) -> str:
    text = " ".join(text.split()).rstrip(" ,;:.")
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def plan_lines(data: dict) -> list[str]:
    """The plan as plain sentences, one a line (also the accessible description)."""
    lines: list[str] = []
    if data.get("opener"):
        lines.append(f"First, your own work: \u201c{_clip(data['opener'])}\u201d")
    for item in data.get("plan") or []:
        kind = "must-have" if item.get("kind") == "must" else "nice-to-have"
        evidence = item.get("evidence") or []
        seen = (f"your resume shows it: \u201c{_clip(evidence[0], 60)}\u201d" if evidence
                else "not in your resume")
        n = int(item.get("questions") or 0)
        lines.append(f"{item.get('requirement', '')} ({kind}, {seen})"
                     + (f" \u2014 {n} questions" if n > 1 else ""))
    if data.get("behavioral"):
        lines.append("Last, one behavioral question")
    return lines


class PlanList(QLabel):
    """"We'll focus on: ..." and "Not covered: ..." as a wrapped rich-text list."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("PlanList")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_plan(self, data: dict) -> None:
        items = data.get("plan") or []
        if not items:
            self.clear()
            self.hide()
            return
        parts = ["<b>We'll focus on:</b>", "<ol style='margin-left:-20px'>"]
        parts += [f"<li>{escape(line)}</li>" for line in plan_lines(data)]
        parts.append("</ol>")
        uncovered = data.get("uncovered") or []
        if uncovered:
            parts.append("<b>Not covered in this interview:</b><ul style='margin-left:-20px'>")
            parts += [f"<li>{escape(u.get('requirement', ''))} \u2014 {escape(u.get('reason', ''))}</li>"
                      for u in uncovered]
            parts.append("</ul>")
        self.setText("".join(parts))
        described = plan_lines(data) + [f"Not covered: {u.get('requirement', '')}, "
                                        f"{u.get('reason', '')}" for u in uncovered]
        self.setAccessibleDescription(". ".join(described))
        self.show()
