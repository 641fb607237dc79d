"""The report as Markdown, as HTML and as a PDF (Qt's own PDF writer, no extra dependency).

The Markdown and HTML builders are pure functions of the report dict that
``GET /interview/report/{id}`` returns (see docs/protocol.md); the report page uses the
same wording helpers, so the screen and the exported files say the same thing.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

DIMENSIONS = ("technical", "design", "communication")
DIMENSION_LABELS = {"technical": "Technical", "design": "Design", "communication": "Communication"}

# The recommendation, a key for styling, and what it means for the candidate.
VERDICTS: dict[str, tuple[str, str]] = {
    "Hire": ("hire", "Strong across the board: at this level an interviewer would likely "
                     "move you forward."),
    "Borderline": ("borderline", "Close: solid in places, with gaps an interviewer would probe. "
                                 "The roadmap shows what to work on next."),
    "No-Hire": ("nohire", "Not yet: key points for this level were missing. The roadmap below "
                          "shows where to start."),
    "Too few answers": ("none", "Fewer than three questions were answered, so there is no "
                                "estimate; the summary says what we saw."),
}
# The recommendation estimates a practice interview; it is never called a hiring decision.
VERDICT_CAPTION = "Practice estimate"

# Voice delivery metrics worth showing, with how to print them.
DELIVERY_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("wpm", "Pace", "{:.0f} words/min"),
    ("speaking_time_s", "Speaking time", "{:.0f} s"),
    ("filler_count", "Filler words", "{:.0f}"),
    ("fillers_per_min", "Fillers per minute", "{:.1f}"),
    ("long_pauses", "Long pauses", "{:.0f}"),
    ("longest_pause_s", "Longest pause", "{:.1f} s"),
)


def verdict(recommendation: str | None, basis: str | None = None) -> tuple[str, str, str]:
    """(title, style key, one-line meaning) for a recommendation (and its basis: with too few
    answers there is none to show)."""
    rec = "Too few answers" if basis == "too_few_answers" else (recommendation or "Borderline")
    key, meaning = VERDICTS.get(rec, ("borderline", ""))
    return rec, key, meaning


def format_when(iso: str | None) -> str:
    """An ISO timestamp as local date and time, e.g. "25 Nov 2026, 10:00"."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when.day} {when:%b %Y, %H:%M}"


def capitalise(value: Any) -> str:
    """First letter upper-cased, the rest kept ("Databases and SQL" stays as it is)."""
    text = str(value)
    return text[:1].upper() + text[1:]


def format_score(value: Any) -> str:
    try:
        return f"{float(value):.1f}"
    except (TypeError, ValueError):
        return "–"


def scores_line(scores: Mapping[str, Any] | None) -> str:
    scores = scores or {}
    return " · ".join(f"{DIMENSION_LABELS[d]} {format_score(scores.get(d))}" for d in DIMENSIONS)


def correction_lines(q: Mapping[str, Any]) -> list[str]:
    """One sentence per spoken answer the candidate corrected (`qa_history[].corrections`):
    what Rehearse heard and graded first, and their words, scored again."""
    out = []
    for c in q.get("corrections") or []:
        n = int(c.get("followup_number") or 0)
        which = "your answer" if n == 0 else f"your answer to follow-up {n}"
        out.append(f"You corrected the transcript of {which}. Rehearse heard: “{c.get('heard', '')}” "
                   f"— your words, scored again: “{c.get('text', '')}”")
    return out


def delivery_lines(metrics: Mapping[str, Any]) -> list[str]:
    """Readable lines for one answer's voice delivery metrics (and any notes with them)."""
    lines = []
    for key, label, fmt in DELIVERY_FIELDS:
        value = metrics.get(key)
        if isinstance(value, (int, float)):
            lines.append(f"{label}: {fmt.format(value)}")
    notes = metrics.get("notes") or metrics.get("feedback") or []
    if isinstance(notes, str):
        notes = [notes]
    lines.extend(str(n) for n in notes if n)
    return lines


def summary_line(report: Mapping[str, Any]) -> str:
    parts = [format_when(report.get("ended_at") or report.get("started_at"))]
    minutes = report.get("duration_minutes")
    if isinstance(minutes, (int, float)) and minutes > 0:
        parts.append(f"{minutes:.0f} min" if minutes >= 1 else "under a minute")
    if report.get("detected_seniority"):
        parts.append(f"{capitalise(report['detected_seniority'])} level")
    answered = len(report.get("qa_history") or [])
    parts.append(f"{answered} question{'s' if answered != 1 else ''}")
    return " · ".join(p for p in parts if p)


def action_key(skill: str, action: str) -> str:
    """A stable id for one roadmap action (for remembering its checkbox)."""
    import hashlib

    return hashlib.sha1(f"{skill}\n{action}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------- Markdown

def _md_quote(text: str) -> str:
    lines = (text or "").strip().splitlines() or ["(no answer)"]
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def report_markdown(report: Mapping[str, Any], checked: Collection[str] = ()) -> str:
    """The whole report as Markdown; `checked` holds the action_key()s already done."""
    title, _key, meaning = verdict(report.get("recommendation"), report.get("recommendation_basis"))
    role = report.get("role") or "Mock interview"
    out: list[str] = [f"# Interview report: {role}", "", summary_line(report), "",
                      f"## {VERDICT_CAPTION}: {title}", "", meaning, "", "## Scores", "",
                      "| Dimension | Score (0-10) |", "|---|---|"]
    scores = report.get("scores") or {}
    out += [f"| {DIMENSION_LABELS[d]} | {format_score(scores.get(d))} |" for d in DIMENSIONS]
    out.append("")
    qa = report.get("qa_history") or []
    if qa:
        out += ["| Question | Topic | Technical | Design | Communication |", "|---|---|---|---|---|"]
        for q in qa:
            s = q.get("scores") or {}
            out.append(f"| Q{q.get('question_number', '')} | {q.get('topic', '')} | "
                       + " | ".join(format_score(s.get(d)) for d in DIMENSIONS) + " |")
        out.append("")
    if report.get("final_report"):
        out += ["## Summary", "", str(report["final_report"]).strip(), ""]
    for label, key in (("Strengths from your resume", "strengths"), ("Gaps for this job", "gaps")):
        if report.get(key):
            out += [f"**{label}:** " + ", ".join(report[key]), ""]
    out += ["## Questions", ""]
    for q in qa:
        out += _md_question(q)
    roadmap = report.get("skill_roadmap") or []
    if roadmap:
        out += ["## Skill roadmap", ""]
        for item in roadmap:
            skill = item.get("skill", "")
            priority = item.get("priority")
            out += [f"### {skill}" + (f" ({priority} priority)" if priority else ""), ""]
            if item.get("why"):
                out += [str(item["why"]), ""]
            for action in item.get("actions") or []:
                mark = "x" if action_key(skill, action) in checked else " "
                out.append(f"- [{mark}] {action}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


POINT_LISTS = (("Covered", "covered"), ("Not clear", "unclear"), ("Missed", "missing"))


def _said(q: Mapping[str, Any], point: str) -> str:
    """A key point, with the candidate's words that made it when the report has them."""
    words = next((e.get("quote") for e in q.get("evidence") or []
                  if isinstance(e, Mapping) and e.get("point") == point and e.get("quote")), None)
    return f"{point} (you said: \u201c{words}\u201d)" if words else str(point)


def _answer_text(q: Mapping[str, Any]) -> str:
    if q.get("status") == "skipped":
        return "(skipped: counts as 0)"
    return str(q.get("answer") or "")


def _md_question(q: Mapping[str, Any]) -> list[str]:
    meta = " · ".join(capitalise(x) for x in (q.get("topic"), q.get("difficulty"), q.get("kind")) if x)
    out = [f"### Q{q.get('question_number', '')}. {q.get('question', '')}", ""]
    if meta:
        out += [f"*{meta}*", ""]
    out += ["**Your answer**", "", _md_quote(_answer_text(q)), ""]
    for i, f in enumerate(q.get("followups") or [], 1):
        out += [f"**Follow-up {i}:** {f.get('question', '')}", ""]
        if f.get("reason"):
            out += [f"*Why it was asked:* {f['reason']}", ""]
        if f.get("answer"):
            out += [_md_quote(f["answer"]), ""]
    for line in correction_lines(q):
        out += [f"*{line}*", ""]
    out += [f"**Scores:** {scores_line(q.get('scores'))}", ""]
    if q.get("feedback"):
        out += [f"**Feedback:** {q['feedback']}", ""]
    for label, key in POINT_LISTS:
        if q.get(key):
            out += [f"**{label}:**", ""] + [f"- {_said(q, p)}" for p in q[key]] + [""]
    for n, metrics in enumerate(q.get("delivery") or [], 1):
        lines = delivery_lines(metrics)
        if lines:
            which = "" if len(q.get("delivery") or []) == 1 else f" (answer {n})"
            out += [f"**Voice delivery{which}:** " + "; ".join(lines), ""]
    if q.get("model_answer"):
        out += ["**Model answer**", "", _md_quote(q["model_answer"]), ""]
    return out


# ---------------------------------------------------------------------------- HTML

_HTML_STYLE = """
body { font-family: 'DejaVu Sans', 'Segoe UI', Arial, sans-serif; color: #1b1f2a; font-size: 10pt; }
h1 { font-size: 18pt; margin-bottom: 2px; }
h2 { font-size: 14pt; margin-top: 18px; color: #1b1f2a; }
h3 { font-size: 11.5pt; margin-top: 14px; }
.muted { color: #4f5668; }
.label { font-weight: bold; }
blockquote { margin-left: 12px; color: #333a4a; }
th { background-color: #eef0f6; text-align: left; }
"""

_VERDICT_COLOURS = {"hire": ("#e6f4ea", "#124a25"), "borderline": ("#fdf3dc", "#5e3c00"),
                    "nohire": ("#fbe9e7", "#7a1a12"), "none": ("#eef0f6", "#333a4a")}


def _e(text: Any) -> str:
    return html.escape(str(text if text is not None else ""))


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in (text or "").strip().split("\n\n") if p.strip())


def report_html(report: Mapping[str, Any], checked: Collection[str] = ()) -> str:
    """The whole report as self-contained HTML (the subset QTextDocument renders)."""
    title, key, meaning = verdict(report.get("recommendation"), report.get("recommendation_basis"))
    bg, fg = _VERDICT_COLOURS[key]
    role = report.get("role") or "Mock interview"
    parts = [f"<html><head><meta charset='utf-8'><title>Interview report: {_e(role)}</title>"
             f"<style>{_HTML_STYLE}</style></head><body>",
             f"<h1>Interview report: {_e(role)}</h1>",
             f"<p class='muted'>{_e(summary_line(report))}</p>",
             f"<table width='100%' cellpadding='10' cellspacing='0'><tr><td bgcolor='{bg}'>"
             f"<span style='font-size:16pt; font-weight:bold; color:{fg}'>{VERDICT_CAPTION}: "
             f"{_e(title)}</span><br/><span style='color:{fg}'>{_e(meaning)}</span>"
             "</td></tr></table>",
             "<h2>Scores</h2>", _html_scores_table(report)]
    if report.get("final_report"):
        parts += ["<h2>Summary</h2>", _paragraphs(str(report["final_report"]))]
    for label, k in (("Strengths from your resume", "strengths"), ("Gaps for this job", "gaps")):
        if report.get(k):
            parts.append(f"<p><span class='label'>{label}:</span> {_e(', '.join(report[k]))}</p>")
    parts.append("<h2>Questions</h2>")
    for q in report.get("qa_history") or []:
        parts.append(_html_question(q))
    roadmap = report.get("skill_roadmap") or []
    if roadmap:
        parts.append("<h2>Skill roadmap</h2>")
        for item in roadmap:
            skill = item.get("skill", "")
            prio = (f" <span class='muted'>({_e(item['priority'])} priority)</span>"
                    if item.get("priority") else "")
            parts.append(f"<h3>{_e(skill)}{prio}</h3>")
            if item.get("why"):
                parts.append(f"<p>{_e(item['why'])}</p>")
            rows = "".join(
                f"<li>{'&#9745;' if action_key(skill, a) in checked else '&#9744;'} {_e(a)}</li>"
                for a in item.get("actions") or [])
            if rows:
                parts.append(f"<ul style='list-style-type:none'>{rows}</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_scores_table(report: Mapping[str, Any]) -> str:
    scores = report.get("scores") or {}
    head = "".join(f"<th>{DIMENSION_LABELS[d]}</th>" for d in DIMENSIONS)
    rows = ["<tr><td><b>Overall</b></td><td></td>"
            + "".join(f"<td><b>{format_score(scores.get(d))}</b></td>" for d in DIMENSIONS)
            + "</tr>"]
    for q in report.get("qa_history") or []:
        s = q.get("scores") or {}
        rows.append(f"<tr><td>Q{_e(q.get('question_number', ''))}</td>"
                    f"<td>{_e(q.get('topic', ''))}</td>"
                    + "".join(f"<td>{format_score(s.get(d))}</td>" for d in DIMENSIONS) + "</tr>")
    return ("<table border='1' cellpadding='5' cellspacing='0' width='100%' "
            "style='border-collapse:collapse; border-color:#d6dae4'>"
            f"<tr><th>Question</th><th>Topic</th>{head}</tr>{''.join(rows)}</table>"
            "<p class='muted'>Scores are out of 10.</p>")


def _html_question(q: Mapping[str, Any]) -> str:
    meta = " · ".join(capitalise(x) for x in (q.get("topic"), q.get("difficulty"), q.get("kind")) if x)
    out = [f"<h3>Q{_e(q.get('question_number', ''))}. {_e(q.get('question', ''))}</h3>"]
    if meta:
        out.append(f"<p class='muted'>{_e(meta)}</p>")
    out.append(f"<p class='label'>Your answer</p><blockquote>{_e(_answer_text(q))}</blockquote>")
    for i, f in enumerate(q.get("followups") or [], 1):
        out.append(f"<p><span class='label'>Follow-up {i}:</span> {_e(f.get('question', ''))}</p>")
        if f.get("reason"):
            out.append(f"<p class='muted'>Why it was asked: {_e(f['reason'])}</p>")
        if f.get("answer"):
            out.append(f"<blockquote>{_e(f['answer'])}</blockquote>")
    for line in correction_lines(q):
        out.append(f"<p class='muted'>{_e(line)}</p>")
    out.append(f"<p><span class='label'>Scores:</span> {_e(scores_line(q.get('scores')))}</p>")
    if q.get("feedback"):
        out.append(f"<p><span class='label'>Feedback:</span> {_e(q['feedback'])}</p>")
    for label, key in POINT_LISTS:
        if q.get(key):
            items = "".join(f"<li>{_e(_said(q, p))}</li>" for p in q[key])
            out.append(f"<p class='label'>{label}:</p><ul>{items}</ul>")
    for metrics in q.get("delivery") or []:
        lines = delivery_lines(metrics)
        if lines:
            out.append(f"<p><span class='label'>Voice delivery:</span> {_e('; '.join(lines))}</p>")
    if q.get("model_answer"):
        out.append("<p class='label'>Model answer</p>"
                   f"<blockquote>{_e(q['model_answer'])}</blockquote>")
    return "\n".join(out)


# ---------------------------------------------------------------------------- PDF

def export_pdf(report: Mapping[str, Any], path: str | Path, checked: Collection[str] = ()) -> Path:
    """Write the report as an A4 PDF. Needs a QGuiApplication (fonts)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(16, 16, 16, 16), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(f"Interview report: {report.get('role') or 'Mock interview'}")
    writer.setCreator("Rehearse")
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setHtml(report_html(report, checked))
    doc.print_(writer)
    del writer  # flushes and closes the file
    return path


def export_markdown(report: Mapping[str, Any], path: str | Path,
                    checked: Collection[str] = ()) -> Path:
    path = Path(path)
    path.write_text(report_markdown(report, checked), encoding="utf-8")
    return path
