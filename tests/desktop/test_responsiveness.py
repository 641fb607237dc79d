"""The window never freezes: a 10 ms GUI timer keeps ticking through a whole interview."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer

from tests.data.documents import GOOD_ANSWER

MAX_GAP_S = 0.250


class GapMeter:
    """Records the largest gap between ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.largest = 0.0
        self.ticks = 0

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.ticks:
            self.largest = max(self.largest, now - self.last)
        self.last = now
        self.ticks += 1

    def start(self) -> None:
        self.last, self.ticks, self.largest = time.perf_counter(), 0, 0.0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


def test_the_gui_timer_never_stalls_during_an_interview(ui):
    meter = GapMeter()

    async def scenario():
        await ui.show()
        meter.start()
        t0 = time.perf_counter()
        await ui.pick_resume(ui.write_resume_txt())
        await ui.fill_job()
        await ui.start(questions=3, minutes=10)
        await ui.type_answer("I don't know", word_by_word=True)
        ui.submit_by_keyboard()
        turns = await ui.answer_everything(GOOD_ANSWER, word_by_word=True)
        meter.stop()
        return turns, time.perf_counter() - t0

    turns, elapsed = ui.run(scenario())
    assert ui.window.current_page == "Report"
    assert turns.count("answer") >= 3 and "next" in turns
    assert meter.ticks > elapsed / 0.010 * 0.3, "the timer hardly ran: the loop was starved"
    print(f"\nlargest GUI gap {meter.largest * 1000:.0f} ms over {elapsed:.1f} s "
          f"({meter.ticks} ticks)")
    assert meter.largest < MAX_GAP_S, f"the GUI froze for {meter.largest * 1000:.0f} ms"
