"""“Try this answer again” from the live feedback card and from the report (issue 18): the
retry is graded like the first attempt and shown beside it; the report keeps the first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from backend.interviewer.bank import default_bank

WEAK = "I don't know, I have not worked with that."
STORY = ("The pipeline replaced nightly batch jobs that made invoices a day late. I owned the "
         "consumer design. The hardest decision was exactly-once processing: we chose "
         "idempotent writes keyed by order id over Kafka transactions, because they were simpler "
         "to operate. Invoices then arrived within seconds and duplicates dropped to zero; I "
         "learned to measure lag before tuning throughput.")


def model_answer_for(question: str) -> str:
    found = next((q for q in default_bank().questions if q.text == question), None)
    assert found is not None, f"not a bank question: {question}"
    return found.model_answer


async def retry_in(ui, dialog, text: str) -> None:
    await ui.wait_until(lambda: dialog.isVisible(), 10, "the retry dialog")
    await ui.wait_until(dialog.composer.editor.hasFocus, 5, "the answer box to have focus")
    QTest.keyClicks(dialog.composer.editor, text)
    QTest.keyClick(dialog.composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    await ui.wait_until(lambda: dialog.result_area.isVisible()
                        or dialog.composer.message.isVisible(), 90, "the retry's score")
    assert dialog.result_area.isVisible(), dialog.composer.message.text()


def test_retry_from_the_feedback_card_and_from_the_report(ui):
    async def scenario():
        await ui.show()
        await ui.pick_resume(ui.write_resume_txt())
        await ui.fill_job()
        await ui.start(questions=2, minutes=10)
        page = ui.interview
        # Answer weakly (follow-ups too) until question 2, a bank question, is done.
        while not (page.current and page.current[0] == 2 and await ui.wait_for_turn() == "next"):
            if await ui.wait_for_turn() == "next":
                ui.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
                continue
            page.editor.clear()
            await ui.type_answer(WEAK)
            ui.submit_by_keyboard()
            await ui.wait_until(lambda: not page.submit_button.isEnabled(), 5, "the submit")
        block = page.thread.latest_answer
        assert block.key[0] == 2 and block.retry_button.isVisible(), "question 2 is done"
        assert page.thread.offer_retry(1) is not None  # question 1 was offered too
        question = page.thread.prompts[(2, 0)].question.text()
        before = {k: v.text() for k, v in page.thread.answers[(2, 0)].scores.values.items()}
        QTest.mouseClick(block.retry_button, Qt.MouseButton.LeftButton)
        dialog = page.retry_dialog
        assert dialog is not None and dialog.question.text() == question
        await retry_in(ui, dialog, model_answer_for(question))
        cmp = dialog.comparison
        tech_before, tech_after = (float(x) for x in cmp.score_rows["technical"].text().split("→"))
        assert tech_after > tech_before
        assert cmp.change_labels["technical"].text().startswith("+")
        assert cmp.change_labels["technical"].objectName() == "GoodText"
        gained = cmp.point_texts("newly")
        assert gained and all(t.startswith("✓") for t in gained)
        assert cmp.before.answer.text() == WEAK
        assert "first attempt" in cmp.note.text()
        assert not cmp.before.play_button.isVisible(), "a typed answer has no recording"
        QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: page.retry_dialog is None, 5, "the dialog to close")
        # The interview's own feedback card is untouched by the retry.
        assert {k: v.text() for k, v in page.thread.answers[(2, 0)].scores.values.items()} \
            == before

        await ui.wait_until(ui.window.isActiveWindow, 5, "the window to be active again")
        assert page.next_button.hasFocus(), "the keyboard is back on Next"
        await ui.answer_everything(WEAK)
        report_page = ui.window.report_page
        await ui.wait_until(lambda: report_page.report is not None, 60, "the report")
        report = report_page.report
        panel = report_page.retry_panels[2]
        await ui.wait_until(lambda: panel.comparison.isVisible(), 30, "the kept retry")
        assert "1 time" in panel.summary.text()
        assert not report_page.retry_panels[1].comparison.isVisible()
        QTest.mouseClick(report_page.retry_panels[1].retry_button, Qt.MouseButton.LeftButton)
        dialog = report_page.retry_dialog
        assert dialog.question.text() == report["qa_history"][0]["question"]
        await retry_in(ui, dialog, STORY)
        assert dialog.comparison.after.answer.text() == STORY
        QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: report_page.retry_panels[1].comparison.isVisible(), 30,
                            "the report to show the new retry")
        fresh = await ui.client.report(report["session_id"])
        assert fresh["scores"] == report["scores"]
        assert fresh["recommendation"] == report["recommendation"]

    ui.run(scenario())
