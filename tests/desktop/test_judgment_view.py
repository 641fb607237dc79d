"""What the window shows of the grader's judgment (issue 11): the candidate's own words per
key point, behind "Details"; a Skip action with a confirmation; a request to skip typed as
an answer turned into the same question; the skipped question labelled in the report."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from backend.interviewer.bank import default_bank
from desktop.layout_check import layout_problems
from tests.desktop.test_interviewer_settings import shoot

STORY = ("I decided to replace our nightly batch with a streaming job and built it myself. The "
         "problem was that reports were a day late and sales complained every week. Instead of "
         "buying a bigger warehouse, which we considered, we streamed changes, at the cost of "
         "more moving parts. As a result reports were ten minutes fresh, and I learned to agree "
         "the success metric first.")


def _confirm_box(name: str):
    return next((w for w in QApplication.topLevelWidgets()
                 if w.objectName() == name and w.isVisible()), None)


def test_evidence_skip_and_skip_offer_in_the_window(ui, tmp_path):
    async def scenario():
        await ui.show()
        await ui.pick_resume(ui.write_resume_txt())
        await ui.fill_job()
        await ui.start(questions=3, minutes=20)
        page = ui.interview

        # A request to skip, typed as an answer: nothing is graded, the words come back and
        # the app asks; Cancel keeps the question open.
        await ui.type_answer("Can we skip this one and move on?")
        ui.submit_by_keyboard()
        await ui.wait_until(lambda: _confirm_box("ConfirmSkip") is not None, 30, "the skip offer")
        box = _confirm_box("ConfirmSkip")
        assert "count as 0" in box.informativeText()
        QTest.mouseClick(box.cancel_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: _confirm_box("ConfirmSkip") is None, 10, "the box to close")
        assert page.editor.toPlainText() == "Can we skip this one and move on?"
        assert page.submit_button.isEnabled() and page.skip_button.isEnabled()
        assert page.thread.latest_answer is None, "the request is not an answer in the thread"

        # The Skip button, confirmed: the question is scored 0 and labelled skipped.
        QTest.mouseClick(page.skip_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: _confirm_box("ConfirmSkip") is not None, 10, "the confirmation")
        QTest.mouseClick(_confirm_box("ConfirmSkip").action_button, Qt.MouseButton.LeftButton)
        assert await ui.wait_for_turn() == "next"
        # Offscreen there is no window manager to hand activation back after the box closes;
        # shortcuts need an active window.
        ui.window.activateWindow()
        await ui.wait_until(lambda: QApplication.activeWindow() is ui.window, 10, "activation")
        card = page.scores
        assert card.title.text().endswith("skipped"), card.title.text()
        assert [v.text() for v in card.values.values()] == ["0.0 / 10"] * 3
        assert not page.skip_button.isVisible()
        ui.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        assert await ui.wait_for_turn() == "answer"

        # A real answer: the short feedback quotes the candidate, the details list their words.
        question = default_bank().by_text(page.card.question.text())
        answer = question.model_answer if question is not None else STORY
        page.editor.clear()
        page.editor.setPlainText(answer)
        ui.submit_by_keyboard()
        skipped_feedback = card.feedback.text()
        await ui.wait_until(lambda: page.scores.feedback.text() not in (
            "", skipped_feedback, "Your scores and feedback appear here after each answer."),
            90, "the feedback")
        card = page.scores
        assert "\u201c" in card.feedback.text(), "the feedback quotes the candidate"
        assert card.details_button.isVisible() and not card.details.isVisible()
        QTest.mouseClick(card.details_button, Qt.MouseButton.LeftButton)
        assert card.details.isVisible()
        assert card.evidence.isVisible() and "You said:" in card.evidence.text()
        assert not card.strengths.isVisible(), "the quotes are what worked: said once"
        # Let the opened details lay out before looking (by yielding to the loop: a
        # processEvents() inside a coroutine re-enters qasync and can lose a task's wake-up).
        def settled() -> bool:  # no cut text, and the wrapped labels have their full height
            return layout_problems(card) == [] and all(
                w.height() >= w.heightForWidth(w.width()) for w in (card.feedback, card.evidence))
        try:
            await ui.wait_until(settled, 5, "the details' layout")
        except AssertionError:
            raise AssertionError(layout_problems(card)) from None
        shoot(page, "interview-evidence.png", tmp_path)

        await ui.answer_everything("I am not sure, I would look it up.")
        assert ui.window.current_page == "Report"
        report = ui.window.report_page
        await ui.wait_until(lambda: any("You skipped this question" in w.text()
                                        for w in report.findChildren(QLabel)), 30,
                            "the skipped question in the report")
        assert any(w.text() == "Skipped" for w in report.findChildren(QLabel))
    ui.run(scenario())
