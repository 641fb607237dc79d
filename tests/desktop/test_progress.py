"""Progress over time through the window (issue 18): on by default and explained on the first
run; after three sessions (two interviews and a practice session) the History page charts
them per dimension and per topic, says what is due for review, and Settings turns it off."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from desktop.widgets.progress_notice import ProgressNotice
from tests.conftest import LiveBackend
from tests.data.documents import GOOD_ANSWER
from tests.desktop.test_report_history import WEAK_ANSWER, complete_interview


def test_the_progress_chart_after_three_sessions(ui):
    backend = LiveBackend(ui.server, ui.data_dir)

    async def scenario():
        import asyncio

        await ui.show()
        notice = ui.window.progress_notice
        assert notice.isVisible() and "on this computer" in notice.text.text()
        QTest.mouseClick(notice.settings_button, Qt.MouseButton.LeftButton)
        assert ui.window.current_page == "Settings"

        weak = await asyncio.to_thread(complete_interview, backend, WEAK_ANSWER, 2, False)
        await asyncio.to_thread(complete_interview, backend, GOOD_ANSWER, 2, False)
        practice = await ui.client.start_practice("caching", 1)
        await ui.client.practice_answer(practice["practice_id"], WEAK_ANSWER)
        await ui.client.practice_step(practice["practice_id"], "end")

        ui.window.show_page("History")
        panel = ui.window.history_page.progress
        await ui.wait_until(lambda: len(panel.chart.groups()) == 3, 30, "three points")
        points = panel.chart.groups()
        assert [g.hollow for g in points] == [False, False, True], "the practice is hollow"
        report = await ui.client.report(weak)
        assert points[0].scores == report["scores"]
        assert points[2].detail.startswith("Practice")
        assert panel.topics_chart.isVisible() and panel.topics_chart.groups()
        assert not panel.delivery_chart.isVisible(), "no spoken answers"
        assert panel.due_label.text().startswith("Due for review:")
        assert panel.practice_button.isVisible()

        assert panel.select_topic("caching")
        caching = panel.chart.groups()
        assert len(caching) >= 1 and caching[-1].hollow
        assert panel.trend_title.text() == "Caching over time"

        QTest.mouseClick(panel.practice_button, Qt.MouseButton.LeftButton)
        assert ui.window.current_page == "Practice"

        QTest.mouseClick(notice.ok_button, Qt.MouseButton.LeftButton)
        assert not notice.isVisible() and not ProgressNotice().isVisible(), "explained once"

        ui.window.show_page("Settings")
        settings = ui.window.settings_page.practice
        await ui.wait_until(lambda: settings.loaded, 20, "the progress settings")
        assert settings.progress_check.isChecked(), "on by default"
        box = settings.progress_check
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(12, box.height() // 2))
        assert not settings.progress_check.isChecked(), settings.status.text()
        await ui.wait_until(lambda: "Progress is off" in settings.status.text(), 20, "saved")
        ui.window.show_page("History")
        await ui.wait_until(lambda: not panel.chart.isVisible(), 20, "progress off")
        assert "Progress is off" in panel.note.text()

    try:
        ui.run(scenario())
    finally:
        backend.http.close()
