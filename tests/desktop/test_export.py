"""Exporting a real report to PDF and Markdown, and reading the text back."""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QLabel

from desktop.export import action_key, export_pdf, report_html, report_markdown, verdict
from desktop.pages.report import ReportPage
from tests.desktop.test_report_history import complete_interview


def flat(text: str) -> str:
    """Text with ligatures unfolded and all whitespace as single spaces (PDF extraction
    splits words with tabs and lines wherever the layout broke them)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def pdf_text(path) -> str:
    """The PDF's visible text, without page numbers. Qt draws the line that ends a page
    again, clipped away, above the next page's top margin: the reader never sees it (looked
    at with pdftoppm), but text extraction does."""
    from pypdf import PdfReader

    pages = [page.extract_text().splitlines() for page in PdfReader(str(path)).pages]
    for lines in pages:  # the page number in the footer would split a paragraph in two
        if lines and flat(lines[-1]).isdigit():
            lines.pop()
    for before, after in zip(pages, pages[1:], strict=False):
        if after and before and flat(after[0]) == flat(before[-1]):
            del after[0]
    text = flat(" ".join("\n".join(lines) for lines in pages))
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)  # "mid-job" wrapped after its hyphen


@pytest.fixture(autouse=True)
def private_settings(tmp_path) -> Iterator[None]:
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture(scope="module")
def report(live_backend) -> dict:
    sid = complete_interview(live_backend, questions=2)
    body = live_backend.http.get(f"/interview/report/{sid}").json()
    assert body["status"] == "completed" and body["skill_roadmap"]
    return body


def must_contain(text: str, report: dict) -> None:
    title = verdict(report["recommendation"], report.get("recommendation_basis"))[0]
    assert f"Practice estimate: {title}" in text
    assert flat(report["final_report"])[:200] in text
    for q in report["qa_history"]:
        assert flat(q["question"]) in text
        assert flat(q["answer"])[:120] in text
        assert flat(q["model_answer"])[:120] in text
        for f in q["followups"]:
            assert flat(f["question"]) in text
    for item in report["skill_roadmap"]:
        assert flat(item["skill"]) in text
        for action in item["actions"]:
            assert flat(action)[:80] in text


def test_pdf_holds_the_whole_report(qapp, tmp_path, report):
    path = export_pdf(report, tmp_path / "report.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"
    must_contain(pdf_text(path), report)


def test_markdown_holds_the_whole_report(report):
    text = report_markdown(report)
    assert text.startswith("# Interview report")
    must_contain(flat(text), report)
    for q in report["qa_history"]:
        assert f"### Q{q['question_number']}. {q['question']}" in text


def test_ticked_actions_are_ticked_in_the_export(report):
    item = report["skill_roadmap"][0]
    done = action_key(item["skill"], item["actions"][0])
    text = report_markdown(report, checked={done})
    assert f"- [x] {item['actions'][0]}" in text
    assert text.count("- [x]") == 1
    assert text.count("- [ ]") == sum(len(i["actions"]) for i in report["skill_roadmap"]) - 1


def test_html_escapes_what_the_candidate_typed(report):
    hostile = copy.deepcopy(report)
    hostile["qa_history"][0]["answer"] = "<script>alert(1)</script> & <b>bold</b>"
    page = report_html(hostile)
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_voice_delivery_metrics_are_reported(qtbot, report):
    voiced = copy.deepcopy(report)
    voiced["qa_history"][0]["delivery"] = [{"wpm": 142.4, "filler_count": 3, "fillers_per_min": 2.5,
                                            "long_pauses": 1, "longest_pause_s": 3.2,
                                            "speaking_time_s": 75.0}]
    md = report_markdown(voiced)
    assert "Pace: 142 words/min" in md and "Filler words: 3" in md
    assert "Longest pause: 3.2 s" in md
    assert "Voice delivery" not in report_markdown(report)  # text answers have no such section
    page = ReportPage(None)
    qtbot.addWidget(page)
    page.set_report(voiced)
    shown = "\n".join(lbl.text() for lbl in page.question_cards[0].findChildren(QLabel))
    assert "Pace: 142 words/min" in shown


@pytest.mark.parametrize("kind", ["pdf", "md"])
def test_the_export_buttons_save_where_the_candidate_chose(qtbot, tmp_path, monkeypatch, report,
                                                           kind):
    target = tmp_path / "my report"  # no suffix: the page adds it
    offered: list[str] = []

    def ask(_parent, _title, default, _filter):
        offered.append(default)
        return str(target), ""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    page = ReportPage(None)
    qtbot.addWidget(page)
    page.set_report(report)
    (page.pdf_button if kind == "pdf" else page.md_button).click()

    saved = target.with_name(f"my report.{kind}")
    assert saved.exists()
    assert offered and offered[0].endswith(f".{kind}") and report["role"] in offered[0]
    text = pdf_text(saved) if kind == "pdf" else flat(saved.read_text(encoding="utf-8"))
    must_contain(text, report)
    assert str(saved) in page.status.text()
