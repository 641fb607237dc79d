"""Practice mode through the window (issue 18): a practice session on one topic with a hint,
an attempt, the model answer and a retry; a missed question due again in a later session."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from backend.interviewer.bank import default_bank

WEAK = "I don't know, I would have to look that up."


def bank_question(text: str):
    found = next((q for q in default_bank().questions if q.text == text), None)
    assert found is not None, text
    return found


async def open_practice(ui):
    await ui.show()
    ui.window.show_page("Practice")
    page = ui.window.practice_page
    await ui.wait_until(lambda: page.topic_combo.count() > 1, 30, "the practice topics")
    return page


async def answer(ui, page, text: str) -> None:
    await ui.wait_until(lambda: page.composer.isVisible()
                        and page.composer.submit_button.isEnabled(), 10, "the answer box")
    await ui.wait_until(page.composer.editor.hasFocus, 5, "the answer box to have focus")
    QTest.keyClicks(page.composer.editor, text)
    QTest.keyClick(page.composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    await ui.wait_until(lambda: page.feedback.isVisible() or page.composer.message.isVisible(),
                        60, "the attempt's score")
    assert page.feedback.isVisible(), page.composer.message.text()


def test_a_practice_session_on_one_topic_with_hint_model_answer_and_retry(ui):
    async def scenario():
        page = await open_practice(ui)
        assert page.topic_combo.itemText(0).startswith("Your weak topics")
        assert page.select_topic("caching")
        page.count_spin.setValue(2)
        QTest.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: page.view == "active", 30, "the first practice question")
        assert page.progress.text() == "Practice · Question 1 of 2"
        assert "Caching" in page.mode_label.text()
        assert page.card.topic.text() == "Caching"
        question = bank_question(page.card.question.text())

        assert page.hint_button.isVisible() and not page.hint_list.isVisible()
        QTest.mouseClick(page.hint_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: page.hint_list.isVisible(), 10, "the hint")
        shown = page.hint_list.text()
        assert all(k.point in shown for k in question.key_points)
        assert question.model_answer[:60] not in shown, "a hint is not the model answer"
        assert not page.model_frame.isVisible(), "no model answer before an attempt"

        await answer(ui, page, WEAK)
        assert page.model_frame.isVisible()
        assert page.model_answer.text() == question.model_answer
        assert not page.comparison.isVisible()
        first_tech = float(page.feedback.values["technical"].text().split()[0])

        QTest.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
        assert page.composer.isVisible() and not page.feedback.isVisible()
        await answer(ui, page, question.model_answer)
        assert page.comparison.isVisible()
        before, after = (float(x) for x in
                         page.comparison.score_rows["technical"].text().split("→"))
        assert before == first_tech and after > before
        assert page.comparison.point_texts("newly")
        assert page.comparison.before.answer.text() == WEAK

        QTest.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: page.progress.text().endswith("2 of 2"), 20, "question 2")
        assert page.composer.isVisible() and page.next_button.isHidden()
        QTest.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: page.view == "done", 20, "the practice summary")
        assert "→" in page.done_summary.text() and "after 2 attempts" in page.done_summary.text()

    ui.run(scenario())


def test_a_missed_question_is_due_again_in_a_later_practice_session(ui):
    async def scenario():
        page = await open_practice(ui)
        assert page.due_label.text() == "Nothing is due for review."
        page.select_topic("databases")
        page.count_spin.setValue(1)
        QTest.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: page.view == "active", 30, "the practice question")
        missed = page.card.question.text()
        assert not page.review_note.isVisible()
        await answer(ui, page, WEAK)
        assert page.next_button.text() == "Finish practice"
        QTest.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: page.view == "done", 20, "the practice summary")
        await ui.wait_until(lambda: page.done_due.text().startswith("Due for review: 1 question"),
                            20, "the review count")

        QTest.mouseClick(page.again_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: page.view == "start"
                            and page.due_label.text() == "Due for review: 1 question", 20,
                            "the start view with the review count")
        page.select_topic(None)  # the weak topics, and what is due
        page.count_spin.setValue(2)
        QTest.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: page.view == "active", 30, "the later practice session")
        assert page.card.question.text() == missed
        assert page.review_note.isVisible()
        assert "1 due for review" in page.mode_label.text()

    ui.run(scenario())
