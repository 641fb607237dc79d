"""Tried as a new user: a local model server chosen in Settings, an interview that shows the
interviewer "thinking", and the built-in interviewer carrying on when the server stops.

Real embedded backend; tests/llm/fake_server.py as the model server. Set
REHEARSE_SCREENSHOTS=<folder> to also save the screenshots there (docs/screenshots/)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.responses import JSONResponse
from PySide6.QtCore import Qt

from desktop.widgets.thinking import ThinkingIndicator, fallback_text, thinking_text
from tests.data.documents import GOOD_ANSWER
from tests.desktop.test_interviewer_settings import choose_local_server, shoot
from tests.llm.fake_server import FakeLLM, FakeServer


class GatedLLM(FakeLLM):
    """The fake model, except that a reply waits while `gate` is closed (open by default),
    so a test can look at the window while the model "thinks"."""

    def __init__(self, **kw: Any):
        super().__init__(**kw)
        self.gate = threading.Event()
        self.gate.set()

        self.question_gate = threading.Event()  # holds only the "write a question" step
        self.question_gate.set()
        self.questions_asked = 0

    async def chat(self, body: dict[str, Any]) -> JSONResponse:
        await asyncio.to_thread(self.gate.wait, 60)
        if self.output_name(body) == "QuestionOut":
            self.questions_asked += 1
            await asyncio.to_thread(self.question_gate.wait, 60)
        return await super().chat(body)


@pytest.fixture
def gated_server(tmp_path) -> Iterator[tuple[GatedLLM, FakeServer]]:
    fake = GatedLLM()
    server = FakeServer(fake, tmp_path / "fake")
    yield fake, server
    fake.gate.set()
    fake.question_gate.set()
    server.stop()


async def start_with_local_model(ui, base_url: str, questions: int):
    """As a new user: choose the local server in Settings, then start from Setup. Returns
    the settings group."""
    await ui.show()
    group = await choose_local_server(ui, base_url)
    ui.window.show_page("Setup")
    await ui.pick_resume(ui.write_resume_txt())
    await ui.fill_job()
    await ui.start(questions=questions, minutes=10)
    return group


async def answer_until_next(ui, answer: str) -> str:
    """Answer the open question (and any follow-up) until the candidate may move on."""
    while True:
        turn = await ui.wait_for_turn()
        if turn != "answer":
            return turn
        ui.interview.editor.clear()
        await ui.type_answer(answer)
        ui.submit_by_keyboard()


def test_a_new_user_picks_a_local_model_and_the_builtin_carries_on_when_it_stops(
        ui, gated_server, tmp_path):
    fake, server = gated_server

    async def scenario():
        group = await start_with_local_model(ui, server.base_url, questions=3)
        assert group.active_label.text() == f"Using: fake-model at {server.base_url}"
        page = ui.interview
        seen: list[dict] = []
        page.session.received.connect(seen.append)
        assert not page.thinking.isVisible() and not page.notice.isVisible()

        # The model grades the first answer: the window says it is thinking until it is done.
        fake.gate.clear()
        await ui.type_answer(GOOD_ANSWER)
        ui.submit_by_keyboard()
        await ui.wait_until(lambda: page.thinking.isVisible(), 30, "the thinking state")
        assert page.thinking.text == thinking_text("grading")
        assert page.thinking.text == "The interviewer is thinking — reading your answer…"
        assert page.thinking.spinner.running
        assert not page.submit_button.isEnabled() and not page.busy.isVisible()
        shoot(ui.window, "interview-thinking.png", tmp_path)
        fake.gate.set()
        turn = await answer_until_next(ui, GOOD_ANSWER)
        assert turn == "next"
        assert not page.thinking.isVisible() and page.thinking.text == ""
        assert page.scores.feedback.text().startswith("FAKE FEEDBACK"), "the model graded it"
        steps = [e["data"]["step"] for e in seen if e["type"] == "thinking"]
        assert steps[0] == "grading" and set(steps) <= {"grading", "question"}, steps

        ui.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        assert await ui.wait_for_turn() == "answer"
        assert page.card.number.text() == "Question 2 of 3"

        # The model server stops mid-interview: the built-in interviewer carries on, visibly.
        await asyncio.to_thread(server.stop)
        seen.clear()
        await ui.type_answer(GOOD_ANSWER)
        ui.submit_by_keyboard()
        await ui.wait_until(lambda: page.notice.isVisible(), 60, "the fallback notice")
        turn = await answer_until_next(ui, GOOD_ANSWER)
        assert turn == "next", "a score arrived and the interview goes on"
        assert not page.scores.feedback.text().startswith("FAKE"), "the built-in graded it"
        fallbacks = [e["data"] for e in seen
                     if e["type"] == "interviewer_status" and e["data"].get("fallback")]
        assert fallbacks and fallbacks[0]["mode"] == "builtin"
        notice = page.notice.text
        assert notice.startswith("The local model did not answer (")
        assert notice.endswith("); the built-in interviewer is carrying on.")
        assert "could not be reached" in notice
        assert not page.thinking.isVisible()

        ui.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        assert await ui.wait_for_turn() == "answer"
        assert page.card.number.text() == "Question 3 of 3", "the next question arrived"
        assert page.notice.isVisible(), "the notice stays until dismissed"
        shoot(ui.window, "interview-fallback.png", tmp_path)
        page.notice.close_button.click()
        assert not page.notice.isVisible()

    ui.run(scenario())


def test_the_next_question_is_written_while_the_candidate_reads_the_feedback(
        ui, gated_server, tmp_path):
    fake, server = gated_server

    async def scenario():
        await start_with_local_model(ui, server.base_url, questions=4)
        page = ui.interview
        seen: list[dict] = []
        page.session.received.connect(seen.append)
        for _ in range(3):  # a resume-line ("experience") question is not the model's
            asked = fake.questions_asked
            fake.question_gate.clear()
            seen.clear()
            assert await answer_until_next(ui, GOOD_ANSWER) == "next", \
                "the score came without waiting for the next question"
            try:
                await ui.wait_until(lambda asked=asked: fake.questions_asked > asked, 3, "a model question")
            except AssertionError:
                fake.question_gate.set()
                ui.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
                assert await ui.wait_for_turn() == "answer"
                continue
            await ui.wait_until(lambda: any(e["type"] == "thinking" for e in seen), 10,
                                "the thinking notice")
            assert not page.thinking.isVisible(), "nothing to wait for while reading feedback"
            ui.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
            await ui.wait_until(lambda: page.thinking.isVisible(), 10, "the thinking state")
            assert page.thinking.text == ("The interviewer is thinking — preparing the next "
                                          "question…")
            fake.question_gate.set()
            assert await ui.wait_for_turn() == "answer"
            assert not page.thinking.isVisible()
            return
        raise AssertionError("the model never wrote a question")

    ui.run(scenario())


def test_thinking_wording_and_the_fallback_sentence(qtbot):
    indicator = ThinkingIndicator()
    qtbot.addWidget(indicator)
    indicator.start("question")
    assert indicator.text == "The interviewer is thinking — preparing the next question…"
    indicator.start("report")
    assert indicator.text.endswith("writing your report…") and indicator.step == "report"
    indicator.stop()
    assert indicator.isHidden() and indicator.step == ""
    reason = ("The model server could not be reached: connection refused; the built-in "
              "interviewer carries on for this step.")
    assert fallback_text(reason) == ("The local model did not answer (the model server could "
                                     "not be reached: connection refused); the built-in "
                                     "interviewer is carrying on.")
    assert fallback_text("The model took too long (trying again in 60 s); the built-in "
                         "interviewer carries on for this step.") == (
        "The local model did not answer (the model took too long, trying again in 60 s); the "
        "built-in interviewer is carrying on.")
    assert fallback_text("HTTP 500 from the server").startswith(
        "The local model did not answer (HTTP 500 from")
    assert fallback_text("") == ("The local model did not answer (no reason given); the "
                                 "built-in interviewer is carrying on.")
