"""The interview never strands: a thread that keeps its context, a clear end, and continuing
after quitting mid-interview (real backend, real window, offscreen)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from desktop.widgets.question_card import QuestionCard
from desktop.widgets.thread import AnswerBlock, FinishedBlock
from tests.data.documents import GOOD_ANSWER
from tests.desktop.conftest import UiDriver

VAGUE = ("I don't know.", "I'm not sure, maybe a cache?")


async def _answer(ui: UiDriver, text: str) -> str:
    ui.interview.editor.clear()
    await ui.type_answer(text)
    ui.submit_by_keyboard()
    return await ui.wait_for_turn()


def test_the_thread_keeps_the_question_and_answers_through_two_followups_then_ends(ui):
    async def scenario():
        await ui.show()
        await ui.pick_resume(ui.write_resume_txt())
        await ui.fill_job()
        await ui.start(questions=2, minutes=10)
        page = ui.interview
        thread = page.thread
        question = page.card.question.text()
        assert page.stage == "active" and thread.intro.isVisible()
        assert ui.window.windowTitle() == "Interview practice"  # "— Rehearse" is Qt's suffix

        for text in VAGUE:
            assert await _answer(ui, text) == "answer"
            assert page.card.followup_badge.isVisible(), "a follow-up was asked"
        blocks = thread.blocks()
        kinds = [type(b) for b in blocks]
        assert kinds == [QuestionCard, AnswerBlock, QuestionCard, AnswerBlock, QuestionCard]
        first, answer1, probe1, answer2, probe2 = blocks
        assert first.question.text() == question, "the question stays above its follow-ups"
        assert first.number.text() == "Question 1 of 2"
        assert [answer1.text.text(), answer2.text.text()] == list(VAGUE)
        assert answer1.scores.isVisible() and answer2.scores.isVisible()
        assert answer1.scores.title.text() == "Feedback · Question 1"
        assert answer2.scores.title.text() == "Feedback · Question 1, follow-up 1"
        for probe, n in ((probe1, 1), (probe2, 2)):
            assert probe.followup_badge.text() == f"Follow-up {n}"
            assert probe.why_title.text() == "Why this follow-up" and probe.why.text()
            assert probe.property("followup") is True
        assert page.card is probe2 and page.editor.toPlainText() == ""
        bar = thread.verticalScrollBar()
        await ui.wait_until(lambda: bar.value() == bar.maximum(), 5, "the newest at the bottom")

        # A re-sent prompt (after a reconnect) updates its block; nothing is duplicated.
        states: list[str] = []
        page.session.status.connect(lambda state, _msg: states.append(state))
        page.session.connection._ws.transport.abort()
        await ui.wait_until(lambda: "reconnecting" in states, 10, "the drop to be noticed")
        await ui.wait_until(lambda: page.session.connected and page.submit_button.isEnabled(),
                            30, "the reconnect")
        assert len(thread.blocks()) == 5

        # End early: the page says it is over and nothing can be sent any more.
        QTest.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
        box = page.findChild(QMessageBox, "ConfirmEnd")
        box.action_button.click()
        await ui.wait_until(lambda: ui.window.current_page == "Report", 60, "the report")
        ui.window.show_page("Interview")
        assert page.stage == "finished"
        assert page.progress.text() == "Interview finished"
        assert not page.end_button.isVisible() and not page.countdown.isVisible()
        assert not page.countdown._timer.isActive(), "the clock stopped"
        assert page.editor.isReadOnly() and not page.submit_button.isVisible()
        page.editor.setFocus()
        QTest.keyClicks(page.editor, "more")
        assert page.editor.toPlainText() == "", "the finished interview takes no more text"
        assert "finished" in page.editor.placeholderText()
        assert isinstance(thread.blocks()[-1], FinishedBlock)
        assert len(thread.blocks()) == 6, "the conversation stays readable after the end"
        assert page.report_button.isVisible()
        ui.window.show_page("Setup")
        ui.window.show_page("Interview")
        QTest.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
        assert ui.window.current_page == "Report"

    ui.run(scenario())


def test_quit_mid_interview_then_continue_after_relaunch_and_finish(qapp, tmp_path):
    data = tmp_path / "data"
    files = tmp_path / "files"
    files.mkdir()
    first = UiDriver(qapp, data, files)
    try:
        async def before_quit():
            await first.show()
            await first.pick_resume(first.write_resume_txt())
            await first.fill_job()
            await first.start(questions=2, minutes=10)
            page = first.interview
            assert await _answer(first, "I don't know") == "answer"  # a follow-up now
            asked = page.card.question.text()
            closed: list[bool] = []
            first.window.closing.connect(lambda: closed.append(True))
            first.window.close()
            box = first.window.findChild(QMessageBox, "ConfirmQuit")
            assert box is not None and box.isVisible() and not closed, "it asks first"
            assert "Your answers are saved. Quit now and continue later?" in box.informativeText()
            assert box.action_button.text() == "Quit" and box.cancel_button.text() == "Cancel"
            box.cancel_button.click()
            await first.wait_until(lambda: first.window.findChild(QMessageBox, "ConfirmQuit")
                                   is None, 5, "the box to close")
            assert not closed and page.in_progress
            first.window.close()
            first.window.findChild(QMessageBox, "ConfirmQuit").action_button.click()
            assert closed == [True]
            return page.session.session_id, asked

        sid, asked = first.run(before_quit())
    finally:
        first.close()

    second = UiDriver(qapp, data, files)
    try:
        async def after_relaunch():
            await second.show()
            window = second.window

            def offer() -> QMessageBox | None:
                return window.findChild(QMessageBox, "ConfirmContinue")

            await second.wait_until(lambda: offer() is not None and offer().isVisible(), 30,
                                    "the offer to continue")
            text = offer().informativeText()
            assert re.search(r"question 1 of 2, \d+ min left", text), text
            assert offer().cancel_button.text() == "Later"
            assert offer().defaultButton() is offer().action_button, "Enter continues"
            offer().action_button.click()
            page = second.interview
            assert window.current_page == "Interview" and page.stage == "active"
            assert await second.wait_for_turn() == "answer"
            blocks = page.thread.blocks()
            assert [type(b) for b in blocks] == [QuestionCard, AnswerBlock, QuestionCard]
            assert blocks[1].text.text() == "I don't know" and blocks[1].scores.isVisible()
            assert blocks[2].question.text() == asked and page.card is blocks[2]
            assert page.thread.intro.isVisible()
            assert page.session.session_id == sid
            await second.show()  # offscreen Qt does not hand activation back after a dialog
            await second.answer_everything(GOOD_ANSWER)
            return await second.client.report(sid)

        report = second.run(after_relaunch())
    finally:
        second.close()
    assert report["status"] == "completed" and len(report["qa_history"]) == 2
    q1 = report["qa_history"][0]
    assert q1["answer"] == "I don't know", "the answer given before quitting is in the report"
    assert q1["followups"][0]["question"] == asked
    assert q1["followups"][0]["answer"] == GOOD_ANSWER


def test_history_continues_an_unfinished_interview(ui):
    async def scenario():
        await ui.show()
        await ui.pick_resume(ui.write_resume_txt())
        await ui.fill_job()
        await ui.start(questions=2, minutes=10)
        sid = ui.interview.session.session_id
        await ui.interview.shutdown()  # as if the app had gone; the session stays in progress
        ui.interview.session = None
        ui.interview._show_empty()
        history = ui.window.history_page
        ui.window.show_page("History")
        await ui.wait_until(lambda: sid in history.model.session_ids(), 30, "the history row")
        assert history.select_session(sid)
        assert history.open_button.text() == "Continue interview"
        assert history.open_button.isEnabled()
        QTest.mouseClick(history.open_button, Qt.MouseButton.LeftButton)
        assert ui.window.current_page == "Interview"
        assert await ui.wait_for_turn() == "answer"
        assert ui.interview.session.session_id == sid
        assert ui.interview.card.number.text() == "Question 1 of 2"

    ui.run(scenario())


def test_where_an_unfinished_interview_stands_in_words():
    from desktop.main_window import progress_summary

    base = {"max_questions": 8, "time_remaining": 27 * 60 + 10}
    assert progress_summary({**base, "question_number": 3, "awaiting": "answer"}) == \
        "question 3 of 8, 27 min left"
    assert progress_summary({**base, "question_number": 2, "awaiting": "next"}) == \
        "question 3 of 8, 27 min left"
    assert progress_summary({**base, "question_number": 8, "awaiting": "end",
                             "time_remaining": 20}) == \
        "every question answered, the report is next, less than a minute left"
