"""Whole interviews driven through the window, against the real embedded backend."""

from __future__ import annotations

import json
import re
import socket

import docx
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QLineEdit,
                               QMessageBox, QPlainTextEdit)

from tests.data.documents import GOOD_ANSWER, SENIOR_RESUME
from tests.desktop.conftest import backend_threads

SCORE = re.compile(r"^\d+\.\d / 10$")


def test_a_whole_interview_from_resume_to_report_export_and_deletion(ui, tmp_path, monkeypatch):
    async def scenario():
        await ui.show()
        await ui.pick_resume(ui.write_resume_txt(), by_shortcut=True)  # Ctrl+O
        setup = ui.setup
        assert setup.analysis.isVisible(), setup.resume_message.text()
        details = await ui.client.get_session(setup.session_id)
        assert details["has_resume"]
        assert details["detected_seniority"].capitalize() in setup.analysis.summary.text()
        assert {"Python", "PostgreSQL", "Kafka"} & set(setup.analysis.strengths.items())
        assert not setup.start_button.isEnabled(), "no start without a job description"

        await ui.fill_job()
        await ui.start(questions=2, minutes=10)
        page = ui.interview
        sid = page.session.session_id
        assert page.card.number.text() == "Question 1 of 2"
        assert page.card.topic.text() and page.card.difficulty.text() in {"Easy", "Medium", "Hard"}
        assert page.card.why.isVisible() and page.card.why.text()
        assert re.fullmatch(r"Time left (0\d|10):\d\d", page.countdown.text())
        assert page.intro.isVisible() and "Senior Backend Engineer" in page.intro.text()
        assert page.role.text() == "Senior Backend Engineer"

        # "I don't know" is vague: the interviewer follows up, visibly, with its reason.
        first_question = page.card.question.text()
        await ui.type_answer("I don't know")
        assert page.words.text() == "3 words"
        ui.submit_by_keyboard()
        assert await ui.wait_for_turn() == "answer"
        assert page.card.followup_badge.isVisible()
        assert page.card.property("followup") is True
        assert page.card.why_title.text() == "Why this follow-up" and page.card.why.text()
        assert page.card.question.text() != first_question
        assert page.editor.toPlainText() == "", "a new prompt starts with an empty answer box"
        assert all(SCORE.match(v.text()) for v in page.scores.values.values())
        assert page.scores.feedback.text()
        assert page.scores.average.text().startswith("Average so far")

        turns = await ui.answer_everything(GOOD_ANSWER)
        assert "next" in turns
        assert ui.window.current_page == "Report"

        # Export the report as PDF: the file holds the report's own text.
        report = await ui.client.report(sid)
        assert report["status"] == "completed"
        assert len(report["qa_history"]) == 2
        first = report["qa_history"][0]
        assert first["answer"] == "I don't know"
        assert first["followups"] and first["followups"][0]["answer"] == GOOD_ANSWER
        assert report["qa_history"][1]["answer"] == GOOD_ANSWER
        report_page = ui.window.report_page
        await ui.wait_until(lambda: report_page._report is not None, 30, "the report shown")
        narrative = report["final_report"]
        pdf = report_page.save_pdf(tmp_path / "report.pdf")
        pdf_text = " ".join((p.extract_text() or "") for p in PdfReader(str(pdf)).pages)
        assert " ".join(narrative.split()[:6]) in " ".join(pdf_text.split())

        # History lists the session; deleting it (after the confirmation) removes it.
        history = ui.window.history_page
        ui.window.show_page("History")
        await ui.wait_until(lambda: sid in history.model.session_ids(), 30, "the history row")
        assert history.select_session(sid)
        history.delete_selected()
        box = history.findChild(QMessageBox, "ConfirmDelete")
        assert box is not None and box.action_button.text() == "Delete"
        assert box.cancel_button.text() == "Cancel" and box.defaultButton() is box.cancel_button
        box.action_button.click()
        await ui.wait_until(lambda: sid not in history.model.session_ids(), 30, "the deletion")
        return sid

    sid = ui.run(scenario())
    assert sid not in [s["session_id"] for s in ui.run(ui.client.sessions())]


def _write_docx(path, text: str) -> None:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))


def _drop(widget, path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def test_a_dropped_docx_resume_is_analysed_and_a_bad_file_is_explained(ui):
    async def scenario():
        await ui.show()
        setup = ui.setup
        bad = ui.files / "photo.txt"
        bad.write_bytes(bytes(range(256)) * 40)  # binary, whatever the name says
        await ui.pick_resume(bad)
        assert setup.resume_message.isVisible() and setup.resume_message.kind == "error"
        text = setup.resume_message.text()
        assert text and "Traceback" not in text and "Error" not in text.split()[0]
        assert not setup.analysis.isVisible()
        assert not setup.start_button.isEnabled()

        resume = ui.files / "resume.docx"
        _write_docx(resume, SENIOR_RESUME)
        _drop(setup.drop_zone, resume)
        await ui.wait_until(lambda: not setup._busy and setup.analysis.isVisible(), 60,
                            "the DOCX analysis")
        assert not setup.resume_message.isVisible()
        assert "resume.docx" in setup.drop_zone._title.text()
        details = await ui.client.get_session(setup.session_id)
        assert details["resume_filename"] == "resume.docx"
        assert setup.analysis.strengths.items()

    ui.run(scenario())


def test_a_dropped_connection_reconnects_and_keeps_the_draft(ui):
    async def scenario():
        await ui.show()
        await ui.pick_resume(ui.write_resume_txt())
        await ui.fill_job()
        await ui.start(questions=1, minutes=10)
        page = ui.interview
        question = page.card.question.text()
        await ui.type_answer("half of my answer")
        notes: list[str] = []
        page.session.status.connect(lambda state, msg: notes.append(state))

        page.session.connection._ws.transport.abort()  # the socket dies under us
        await ui.wait_until(lambda: "reconnecting" in notes, 10, "Reconnecting…")
        await ui.wait_until(lambda: page.session.connected and page.submit_button.isEnabled(),
                            30, "the interview to resume")
        assert not page.connection_note.isVisible()
        assert page.card.question.text() == question, "ready re-sent the same question"
        assert page.editor.toPlainText() == "half of my answer", "the draft survived"
        await ui.type_answer(", and the rest. " + GOOD_ANSWER)
        ui.submit_by_keyboard()
        await ui.answer_everything(GOOD_ANSWER)
        return page.session.session_id

    sid = ui.run(scenario())
    report = ui.run(ui.client.report(sid))
    assert report["qa_history"][0]["answer"].startswith("half of my answer")


def test_ending_early_asks_first_then_shows_the_report(ui):
    async def scenario():
        await ui.show()
        await ui.pick_resume(ui.write_resume_txt())
        await ui.fill_job()
        await ui.start(questions=3, minutes=10)
        page = ui.interview
        await ui.type_answer(GOOD_ANSWER)
        ui.submit_by_keyboard()
        await ui.wait_for_turn()

        def box() -> QMessageBox | None:
            return page.findChild(QMessageBox, "ConfirmEnd")

        QTest.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: box() is not None and box().isVisible(), 30, "the question")
        assert box().cancel_button.text() == "Cancel"
        assert box().cancel_button.icon().isNull(), "no danger icon on the safe choice"
        box().cancel_button.click()
        await ui.wait_until(lambda: box() is None, 30, "the box to close")
        assert ui.window.current_page == "Interview" and page.in_progress

        QTest.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: box() is not None and box().isVisible(), 30, "the question")
        assert box().action_button.text() == "End interview"
        box().action_button.click()
        await ui.wait_until(lambda: ui.window.current_page == "Report", 60, "the report")
        return page.session.session_id

    sid = ui.run(scenario())
    report = ui.run(ui.client.report(sid))
    assert report["status"] == "completed"
    assert len(report["qa_history"]) == 1


def test_keyboard_only_setup_has_names_and_a_sensible_tab_order(ui):
    async def scenario():
        await ui.show()
        for page in (ui.setup, ui.interview):
            controls = [w for cls in (QAbstractButton, QLineEdit, QPlainTextEdit, QAbstractSpinBox)
                        for w in page.findChildren(cls)]
            assert controls
            unnamed = [w for w in controls if not w.accessibleName()
                       and not isinstance(w.parent(), QAbstractSpinBox)]  # Qt's inner edit
            assert not unnamed, [type(w).__name__ + ":" + w.objectName() for w in unnamed]

        setup = ui.setup
        setup.drop_zone.choose_button.setFocus()
        await ui.wait_until(lambda: setup.drop_zone.choose_button.hasFocus(), 5, "focus")
        order = []
        for _ in range(8):
            ui.press(Qt.Key.Key_Tab)
            order.append(QApplication.focusWidget())
        expected = [setup.role_edit, setup.jd_edit, setup.load_jd_button,
                    setup.minutes_spin]  # "Check fit" is disabled until there is a job
        got = [w for w in order if w in expected]
        assert got[:4] == expected, [w.accessibleName() for w in order]

        # Enter on a focused button clicks it; Ctrl+1..5 switch pages.
        ui.press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        assert ui.window.current_page == "Interview"
        ui.interview.setup_button.setFocus()
        await ui.wait_until(lambda: ui.interview.setup_button.hasFocus(), 5, "focus")
        ui.press(Qt.Key.Key_Return)
        await ui.wait_until(lambda: ui.window.current_page == "Setup", 5, "Enter to click")

    ui.run(scenario())


def test_closing_the_window_stops_the_backend_and_frees_the_port(ui):
    port = ui.server.settings.port

    async def scenario():
        await ui.show()
        closed = []
        ui.window.closing.connect(lambda: closed.append(True))
        ui.window.close()
        assert closed == [True]
        await ui.shutdown()

    ui.run(scenario())
    ui.server.stop()
    assert backend_threads() == []
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "nothing listens on the old port"


def test_the_rehearse_command_opens_and_closes_cleanly(tmp_path):
    """`rehearse` (desktop.app:main) in its own process: Ctrl+C closes the window like the
    close button, the backend stops and the process exits 0 with no traceback."""
    import os
    import signal
    import subprocess
    import sys
    import time

    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from desktop.app import main; "
                             f"sys.exit(main(['--data-dir', {str(data)!r}]))"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while not (data / "rehearse.db").exists():  # the backend has started
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the backend never started"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err


def test_client_errors_carry_the_backends_words_and_close_codes(ui):
    import uuid

    import pytest

    from desktop.client import ApiError

    async def scenario():
        with pytest.raises(ApiError) as missing:
            await ui.client.get_session(str(uuid.uuid4()))
        assert missing.value.status == 404
        assert str(missing.value) == missing.value.detail and missing.value.detail
        sid = await ui.client.create_session()
        with pytest.raises(ApiError) as empty:
            await ui.client.upload_jd(sid, "   ", "")
        assert empty.value.status in (400, 422) and str(empty.value)

        conn = ui.client.interview(str(uuid.uuid4()))
        codes: list[int] = []
        events: list[dict] = []
        conn.closed.connect(lambda code, reason: codes.append(code))
        conn.event_received.connect(events.append)
        await conn.connect()
        await ui.wait_until(lambda: bool(codes), 10, "the close code")
        assert codes == [4004]
        assert events and events[-1]["type"] == "error" and events[-1]["data"]["code"] == 4004
        await conn.close()
        assert codes == [4004], "closed fires once per connection"

    ui.run(scenario())


def test_an_interview_opened_elsewhere_is_let_go_without_a_tug_of_war(ui):
    """Another connection takes the interview over (close 4010): the page says so and does
    not reconnect, which would take it back and start a tug of war."""
    async def scenario():
        from websockets.asyncio.client import connect

        await ui.show()
        await ui.pick_resume(ui.write_resume_txt())
        await ui.fill_job()
        await ui.start(questions=1, minutes=10)
        page = ui.interview
        states: list[str] = []
        page.session.status.connect(lambda state, _msg: states.append(state))
        url = (f"{ui.server.ws_url}/ws/interview/{page.session.session_id}"
               f"?token={ui.server.token}")
        async with connect(url, proxy=None) as other:
            assert json.loads(await other.recv())["type"] == "connected"
            await ui.wait_until(lambda: page.session.state == "failed", 20, "the take-over")
            assert "opened in another window" in page.message.text()
            assert not page.submit_button.isEnabled()
            await other.send(json.dumps({"type": "ready"}))
            assert json.loads(await other.recv())["type"] == "new_question"  # it drives now
        assert "reconnecting" not in states

    ui.run(scenario())
