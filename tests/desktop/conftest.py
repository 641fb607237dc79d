"""Desktop test fixtures: the real app (real embedded backend, temp data dir) on a qasync loop.

Scenarios are `async def`s run with `ui.run(scenario())`; they click and type with QTest and
await `ui.wait_until(predicate)`, which polls while the loop keeps running.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.data.documents import BACKEND_JD, SENIOR_RESUME


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path_factory) -> Iterator[Path]:
    """Every QSettings (theme, checklists…) goes to a temp folder, never the user's."""
    path = tmp_path_factory.mktemp("qsettings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(path))
    yield path


@pytest.fixture
def make_themes(qapp):
    """ThemeManagers destroyed after the test, so none keeps following the OS scheme."""
    import shiboken6

    from desktop.theme import ThemeManager

    made: list[ThemeManager] = []

    def make() -> ThemeManager:
        made.append(ThemeManager(qapp))
        return made[-1]
    yield make
    for manager in made:
        shiboken6.delete(manager)


class UiDriver:
    """The built app plus small helpers to drive it like a candidate would."""

    def __init__(self, qapp: QApplication, data_dir: Path, files: Path):
        import qasync

        from desktop.app import build_app

        self.app, self.window, self.server, self.client = build_app(data_dir)
        self.data_dir = data_dir
        self.files = files
        self.loop = qasync.QEventLoop(qapp)
        asyncio.set_event_loop(self.loop)
        self.closed = False

    # ---- plumbing -----------------------------------------------------------------------
    def run(self, coro: Awaitable[Any], timeout: float = 240) -> Any:
        return self.loop.run_until_complete(asyncio.wait_for(coro, timeout))

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 60,
                         what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.02)

    async def shutdown(self) -> None:
        from desktop.app import close_app

        if not self.closed:
            self.closed = True
            await close_app(self.window, self.client)

    def close(self) -> None:
        from desktop.app import stop_backend

        if not self.closed:
            self.run(self.shutdown())
        self.window.hide()
        stop_backend(self.server)
        self.loop.close()
        asyncio.set_event_loop(None)
        self.window.deleteLater()
        QApplication.sendPostedEvents(None, 0)  # run the deleteLater now
        gc.collect()  # free Qt wrappers here, not later in the next backend's thread

    # ---- the candidate's actions -------------------------------------------------------
    @property
    def setup(self):
        return self.window.setup_page

    @property
    def interview(self):
        return self.window.interview_page

    async def show(self) -> None:
        self.window.show()
        self.window.activateWindow()
        await self.wait_until(lambda: self.window.isVisible() and self.window.isActiveWindow(),
                              10, "the window to be shown and active")

    def write_resume_txt(self, text: str = SENIOR_RESUME) -> Path:
        path = self.files / "resume.txt"
        path.write_text(text, encoding="utf-8")
        return path

    def write_jd_txt(self, text: str = BACKEND_JD) -> Path:
        path = self.files / "job.txt"
        path.write_text(text, encoding="utf-8")
        return path

    async def pick_resume(self, path: Path, by_shortcut: bool = False) -> None:
        """Choose `path` in the (replaced) file dialog and wait for the analysis or an error."""
        self.setup.ask_resume_path = lambda: path
        if by_shortcut:
            QTest.keyClick(self.window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
        else:
            QTest.mouseClick(self.setup.drop_zone.choose_button, Qt.MouseButton.LeftButton)
        await self.wait_until(lambda: not self.setup._busy and (
            self.setup.analysis.isVisible() or self.setup.resume_message.isVisible()),
            60, "the resume analysis")

    async def fill_job(self, role: str = "Senior Backend Engineer") -> None:
        QTest.keyClicks(self.setup.role_edit, role)
        self.setup.ask_jd_path = lambda: self.write_jd_txt()
        QTest.mouseClick(self.setup.load_jd_button, Qt.MouseButton.LeftButton)
        await self.wait_until(lambda: bool(self.setup.jd_edit.toPlainText()), 5, "the JD")

    async def start(self, questions: int = 2, minutes: int = 10) -> None:
        self.setup.questions_spin.setValue(questions)
        self.setup.minutes_spin.setValue(minutes)
        await self.wait_until(lambda: self.setup.start_button.isEnabled(), 30, "Start enabled")
        QTest.mouseClick(self.setup.start_button, Qt.MouseButton.LeftButton)
        await self.wait_until(lambda: self.window.current_page == "Interview", 30,
                              "the interview page")
        await self.wait_for_turn()

    async def wait_for_turn(self, timeout: float = 90) -> str:
        """Wait until the candidate can act: 'answer', 'next' or 'report'."""
        page = self.interview

        def state() -> str:
            if self.window.current_page == "Report":
                return "report"
            if page.submit_button.isVisible() and page.submit_button.isEnabled():
                return "answer"
            if page.next_button.isVisible() and page.next_button.isEnabled():
                return "next"
            return ""

        await self.wait_until(lambda: bool(state()), timeout, "the candidate's turn")
        return state()

    async def type_answer(self, text: str, word_by_word: bool = False) -> None:
        editor = self.interview.editor
        editor.setFocus()
        if not word_by_word:
            QTest.keyClicks(editor, text)
            return
        for i, word in enumerate(text.split(" ")):  # let the loop breathe between words
            QTest.keyClicks(editor, word if i == 0 else " " + word)
            await asyncio.sleep(0)

    def press(self, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier,
              widget: QWidget | None = None) -> None:
        QTest.keyClick(widget or self.app.focusWidget() or self.window, key, modifiers)

    def submit_by_keyboard(self) -> None:
        self.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, self.interview.editor)

    async def answer_everything(self, answer: str, word_by_word: bool = False) -> list[str]:
        """Answer every question and follow-up until the report page shows; returns the
        sequence of turns taken ('answer'/'next')."""
        turns: list[str] = []
        while True:
            turn = await self.wait_for_turn()
            if turn == "report":
                return turns
            turns.append(turn)
            if turn == "answer":
                self.interview.editor.clear()
                await self.type_answer(answer, word_by_word)
                self.submit_by_keyboard()
                assert not self.interview.submit_button.isEnabled(), "Ctrl+Enter did not submit"
            else:
                self.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
                assert not self.interview.next_button.isEnabled(), "Ctrl+N did not move on"


@pytest.fixture
def ui(qapp, tmp_path) -> Iterator[UiDriver]:
    files = tmp_path / "files"
    files.mkdir()
    driver = UiDriver(qapp, tmp_path / "data", files)
    try:
        yield driver
    finally:
        driver.close()


def backend_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "rehearse-backend"]
