"""The report, history and settings pages against a real backend with real interviews."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop.client import BackendClient
from desktop.export import verdict
from desktop.pages.history import HistoryPage
from desktop.pages.report import ReportPage
from desktop.pages.settings import SettingsPage
from tests.conftest import start_backend
from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME
from tests.wsutil import next_event, open_ws, ready_session, send

WEAK_ANSWER = "I don't know."
# Strong on both questions these interviews ask: the candidate's own project (the opener)
# and the job's PostgreSQL must-have.
STRONG_ANSWER = (
    "The situation was that our order database could not keep up at peak traffic because "
    "every request hit one PostgreSQL primary. I decided to add a composite index for the hot "
    "query, move long reports to a replica and keep transactions short, because a long-running "
    "transaction holds back vacuum, keeps old row versions alive and bloats tables. The "
    "tradeoff was extra write cost for each index, instead of the bigger machine we "
    "considered. As a result p99 latency fell from 900 ms to 120 ms. Looking back, I learned "
    "to measure with EXPLAIN ANALYZE before and after every change.")


def complete_interview(backend, answer: str = GOOD_ANSWER, questions: int = 2,
                       opt_in: bool = True) -> str:
    """Drive a whole interview over the WebSocket; return its session id."""
    sid = ready_session(backend, SENIOR_RESUME, BACKEND_JD)
    r = backend.http.post(f"/interview/opt-in-memory?session_id={sid}", json={"opt_in": opt_in})
    assert r.status_code == 200, r.text
    with open_ws(backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": questions})
        next_event(ws, {"new_question"})
        while True:
            send(ws, "answer", {"text": answer})
            nxt = next_event(ws, {"score_update"})["data"]["next"]
            if nxt == "followup":
                next_event(ws, {"followup"})
                continue
            send(ws, "ready")
            if nxt == "end":
                next_event(ws, {"feedback"}, timeout=120)
                return sid
            next_event(ws, {"new_question"})


@pytest.fixture(scope="module")
def aloop(qapp) -> Iterator[asyncio.AbstractEventLoop]:
    """One qasync loop for the module (a new loop per test crashes Qt now and then)."""
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


async def wait_until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def client_for(backend) -> BackendClient:
    return BackendClient(backend.base, backend.ws_base, backend.token)


def run(loop, backend, scenario) -> None:
    """Run `scenario(client)` on the qasync loop with a fresh client."""
    async def main():
        client = client_for(backend)
        try:
            await scenario(client)
        finally:
            await client.aclose()
    loop.run_until_complete(main())


def texts(widget) -> list[str]:
    return [lbl.text() for lbl in widget.findChildren(QLabel)]


@pytest.fixture(scope="module")
def interviews(live_backend) -> dict[str, str]:
    """Two completed interviews (a strong and a weak one) and one left unfinished."""
    strong = complete_interview(live_backend, STRONG_ANSWER)
    weak = complete_interview(live_backend, WEAK_ANSWER)
    unfinished = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    return {"strong": strong, "weak": weak, "unfinished": unfinished}


# ---------------------------------------------------------------------------- report

def test_report_page_shows_the_recommendation_narrative_and_every_question(
        qtbot, aloop, live_backend, interviews):
    report = live_backend.http.get(f"/interview/report/{interviews['strong']}").json()
    assert len(report["qa_history"]) == 2

    async def scenario(client):
        page = ReportPage(client)
        qtbot.addWidget(page)
        page.resize(1000, 800)
        page.show()
        await page.show_report(interviews["strong"])

        assert page.verdict_title.text() == verdict(report["recommendation"],
                                                    report.get("recommendation_basis"))[0]
        shown = "\n".join(texts(page))
        assert report["final_report"].strip() in shown
        assert len(page.question_cards) == len(report["qa_history"])
        for card, q in zip(page.question_cards, report["qa_history"], strict=False):
            card_text = "\n".join(texts(card))
            assert q["question"] in card_text
            assert q["answer"] in card_text
            for f in q["followups"]:
                assert f["question"] in card_text
        # One "Overall" group and one per question, with the backend's numbers.
        groups = page.chart.groups()
        assert [g.label for g in groups] == ["Overall", "Q1", "Q2"]
        assert groups[0].scores == report["scores"]
        assert page.pdf_button.isEnabled() and page.md_button.isEnabled()

    run(aloop, live_backend, scenario)


def test_the_model_answer_is_collapsed_until_asked_for(qtbot, aloop, live_backend, interviews):
    async def scenario(client):
        page = ReportPage(client)
        qtbot.addWidget(page)
        page.show()
        await page.show_report(interviews["strong"])
        from desktop.pages.report import Collapsible
        first = page.question_cards[0].findChild(Collapsible)
        assert first is not None and not first.body.isVisible()
        first.button.setFocus()
        QTest.keyClick(first.button, Qt.Key.Key_Space)
        assert first.is_expanded() and first.body.isVisible()
        assert first.button.text().startswith("Hide")

    run(aloop, live_backend, scenario)


def test_roadmap_ticks_are_remembered_per_session(qtbot, aloop, live_backend, interviews):
    async def scenario(client):
        page = ReportPage(client)
        qtbot.addWidget(page)
        await page.show_report(interviews["weak"])
        checks = page.action_checks()
        assert checks, "the weak interview has a roadmap"
        assert not any(c.box.isChecked() for c in checks)
        checks[0].box.click()
        ticked = page.checked_actions()
        assert len(ticked) == 1

        again = ReportPage(client)
        qtbot.addWidget(again)
        await again.show_report(interviews["weak"])
        assert again.checked_actions() == ticked
        await again.show_report(interviews["strong"])  # another session has its own list
        assert not again.checked_actions()

    run(aloop, live_backend, scenario)


def test_a_report_that_is_not_ready_shows_why(qtbot, aloop, live_backend, interviews):
    async def scenario(client):
        page = ReportPage(client)
        qtbot.addWidget(page)
        await page.show_report(interviews["unfinished"])
        assert page.report is None
        assert page.status.isVisibleTo(page) and "could not be loaded" in page.status.text()
        assert not page.pdf_button.isEnabled()

    run(aloop, live_backend, scenario)


# ---------------------------------------------------------------------------- history

def _row_of(page: HistoryPage, sid: str) -> int:
    for row in range(page.proxy.rowCount()):
        if page.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole + 1) == sid:
            return row
    return -1


def test_history_lists_every_session_and_sorts_by_score(qtbot, aloop, live_backend, interviews):
    listed = live_backend.http.get("/sessions").json()

    async def scenario(client):
        page = HistoryPage(client)
        qtbot.addWidget(page)
        await page.refresh()
        assert page.proxy.rowCount() == len(listed)
        assert set(page.model.session_ids()) == {s["session_id"] for s in listed}
        strong_row = _row_of(page, interviews["strong"])
        status = page.proxy.index(_row_of(page, interviews["unfinished"]), 3).data()
        assert status == "Not started"
        rec = page.proxy.index(strong_row, 3).data()
        strong = next(s for s in listed if s["session_id"] == interviews["strong"])
        assert rec == strong["recommendation"]

        page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # scores, best first
        values = [page.proxy.index(r, 2).data(Qt.ItemDataRole.UserRole)
                  for r in range(page.proxy.rowCount())]
        assert values == sorted(values, reverse=True)
        assert _row_of(page, interviews["strong"]) < _row_of(page, interviews["weak"])

    run(aloop, live_backend, scenario)


def test_enter_opens_a_finished_report_only(qtbot, aloop, live_backend, interviews):
    async def scenario(client):
        page = HistoryPage(client)
        qtbot.addWidget(page)
        page.show()
        await page.refresh()
        opened: list[str] = []
        page.open_report.connect(opened.append)

        assert page.select_session(interviews["strong"])
        page.table.setFocus()
        QTest.keyClick(page.table, Qt.Key.Key_Return)
        assert opened == [interviews["strong"]]

        assert page.select_session(interviews["unfinished"])
        assert not page.open_button.isEnabled()
        QTest.keyClick(page.table, Qt.Key.Key_Return)
        assert opened == [interviews["strong"]]
        assert "not started" in page.status.text()

    run(aloop, live_backend, scenario)


def test_the_progress_chart_has_one_point_per_finished_interview(qtbot, aloop, live_backend,
                                                                 interviews):
    points = live_backend.http.get("/progress").json()["points"]
    assert len(points) >= 2 and {p["kind"] for p in points} == {"interview"}

    async def scenario(client):
        page = HistoryPage(client)
        qtbot.addWidget(page)
        await page.refresh()
        shown = page.chart.groups()
        assert len(shown) == len(points)
        assert [g.scores["technical"] for g in shown] == \
            [p["scores"]["technical"] for p in points]
        assert not any(g.hollow for g in shown), "interviews are filled points"

    run(aloop, live_backend, scenario)


def test_delete_key_deletes_after_confirmation(qtbot, aloop, tmp_path, monkeypatch):
    backend = start_backend(tmp_path / "data")
    try:
        keep = ready_session(backend, SENIOR_RESUME, BACKEND_JD)
        doomed = complete_interview(backend, questions=1)
        asked: list[str] = []

        async def scenario(client):
            page = HistoryPage(client)
            qtbot.addWidget(page)
            page.show()
            await page.refresh()
            changed: list[bool] = []
            page.data_changed.connect(lambda: changed.append(True))
            assert page.select_session(doomed)
            page.table.setFocus()
            def box() -> QMessageBox | None:
                return page.findChild(QMessageBox, "ConfirmDelete")

            QTest.keyClick(page.table, Qt.Key.Key_Delete)
            await wait_until(lambda: box() is not None and box().isVisible())
            asked.append(box().windowTitle())
            QTest.keyClick(box(), Qt.Key.Key_Escape)  # Cancel
            await wait_until(lambda: box() is None or not box().isVisible())
            await asyncio.sleep(0.2)
            assert doomed in page.model.session_ids() and not changed
            QTest.keyClick(page.table, Qt.Key.Key_Delete)
            await wait_until(lambda: box() is not None and box().isVisible())
            asked.append(box().windowTitle())
            box().action_button.click()
            await wait_until(lambda: doomed not in page.model.session_ids())
            assert changed and page.model.session_ids() == [keep]

        run(aloop, backend, scenario)
        assert len(asked) == 2
        assert [s["session_id"] for s in backend.http.get("/sessions").json()] == [keep]
        assert backend.http.get(f"/session/{doomed}").status_code == 404
    finally:
        backend.close()


# ---------------------------------------------------------------------------- settings

def test_settings_deletes_all_data_after_confirmation(qtbot, aloop, qapp, tmp_path, monkeypatch,
                                                      make_themes):
    backend = start_backend(tmp_path / "data")
    try:
        complete_interview(backend, questions=1)
        ready_session(backend, SENIOR_RESUME, BACKEND_JD)

        async def scenario(client):
            page = SettingsPage(client, backend.data_dir, make_themes())
            qtbot.addWidget(page)
            deleted: list[int] = []
            page.data_deleted.connect(deleted.append)
            assert str(backend.data_dir) in page.folder_label.text()
            page.delete_all_button.click()
            box = page.findChild(QMessageBox, "ConfirmDeleteAll")
            assert box.action_button.text() == "Delete all"
            box.action_button.click()
            await wait_until(lambda: bool(deleted))
            assert deleted == [2]
            assert "Deleted 2 interviews" in page.status.text()

        run(aloop, backend, scenario)
        assert backend.http.get("/sessions").json() == []
    finally:
        backend.close()


def test_every_control_has_an_accessible_name(qtbot, qapp, live_backend, interviews, make_themes):
    from PySide6.QtWidgets import QAbstractButton, QTableView

    report = live_backend.http.get(f"/interview/report/{interviews['weak']}").json()
    report_page = ReportPage(None)  # no backend call is made here
    report_page.set_report(report)
    pages = [report_page, HistoryPage(None),
             SettingsPage(None, live_backend.data_dir, make_themes())]
    for page in pages:
        qtbot.addWidget(page)
        controls = page.findChildren(QAbstractButton) + page.findChildren(QTableView)
        assert len(controls) >= 3
        unnamed = [c for c in controls
                   if not c.objectName().startswith("qt_") and not c.accessibleName().strip()]
        assert not unnamed, f"{type(page).__name__}: {[type(c).__name__ for c in unnamed]}"
