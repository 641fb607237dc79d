"""A payments interview's report on the report page: the estimate labelled as such, the
summary's figures equal to the chart's, and a roadmap specific to each skill.

Set REHEARSE_SCREENSHOTS=<folder> to also save the screenshot there (docs/screenshots/)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtWidgets import QLabel, QWidget

from desktop.pages.report import ReportPage
from tests.desktop import test_report_history as history
from tests.desktop.test_report_history import run, texts
from tests.wsutil import answer_until_feedback, next_event, open_ws, ready_session, send

aloop = history.aloop  # the report-history module's qasync loop fixture
DATA = Path(__file__).resolve().parent.parent / "data"
RESUME = (DATA / "resumes" / "34_mid_backend_payments_repartition.txt").read_text(encoding="utf-8")
PAYMENTS_JD = (DATA / "jobs" / "payments_platform.txt").read_text(encoding="utf-8")
ANSWERS = [
    "The situation was that our nightly reports took 40 minutes because the orders table had "
    "grown to 1.8 TB. I decided to repartition it by month with zero downtime, copying rows in "
    "batches while writes continued. The tradeoff was a more complex migration instead of a "
    "bigger machine. As a result the reports went from 40 to 6 minutes, and I learned to "
    "rehearse the cut-over on a copy first.",
    "I don't know.",
    "I would retry the request with the same key, and the server should not charge twice.",
]


def test_the_report_roadmap_is_specific_and_the_figures_are_the_chart_s(
        qtbot, aloop, live_backend, tmp_path):
    sid = ready_session(live_backend, RESUME, PAYMENTS_JD, role="Backend Engineer, Payments")
    seen: list = []
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 5})
        next_event(ws, {"new_question"}, seen=seen)
        answer_until_feedback(ws, ANSWERS, seen)
    report = live_backend.http.get(f"/interview/report/{sid}").json()

    async def scenario(client):
        page = ReportPage(client)
        qtbot.addWidget(page)
        page.resize(1000, 900)
        page.show()
        await page.show_report(sid)
        shown = "\n".join(texts(page))
        assert "Practice estimate" in shown
        assert f"Practice estimate: {report['recommendation']}" in page.verdict_title.accessibleName()
        # the chart's per-question numbers are the summary's
        groups = page.chart.groups()
        for g, q in zip(groups[1:], report["qa_history"], strict=True):
            assert g.scores == q["scores"]
        for q in report["qa_history"]:
            s = q["scores"]
            figure = f"{s['technical']:.1f} technical, {s['design']:.1f} design"
            if sum(1 for o in report["qa_history"] if o["topic"] == q["topic"]) == 1:
                assert f"{q['topic']} (Q{q['question_number']}): {figure}" in report["final_report"]
        roadmap = report["skill_roadmap"]
        assert roadmap and all(item["skill"] in shown for item in roadmap)
        actions = [a for item in roadmap for a in item["actions"]]
        assert len(actions) == len(set(actions))
        said = [a[:40] for a in ANSWERS if len(a) > 40]
        assert any(any(a in item["why"] for a in said) for item in roadmap)  # their own words
        assert any("did not cover" in item["why"] for item in roadmap)
        body = page.findChild(QWidget, "PageBody")
        titles = [w for w in body.findChildren(QLabel) if w.text() == "Skill roadmap"]
        assert titles
        top = titles[0].mapTo(body, titles[0].rect().topLeft()).y()
        shot = body.grab(body.rect().adjusted(0, max(top - 10, 0), 0, 0))
        path = tmp_path / "report-roadmap.png"
        assert shot.save(str(path))
        folder = os.environ.get("REHEARSE_SCREENSHOTS")
        if folder:
            assert shot.save(str(Path(folder) / "report-roadmap.png"))
        assert re.search(r"\d", report["final_report"])
    run(aloop, live_backend, scenario)
