"""The window's shutdown is bounded even when a background task can no longer run."""

from __future__ import annotations

import asyncio
import logging
import time

from PySide6.QtWidgets import QApplication

from desktop.async_utils import cancel_all, spawn


def test_cancel_all_returns_when_a_task_lost_its_wake_up(qapp, caplog):
    """Re-entering the Qt loop from a coroutine makes qasync drop a task's wake-up ("Cannot
    enter into task"): that task never runs again, not even to be cancelled. Waiting for it
    hung the shutdown (the voice sender, issue 17); cancel_all now gives up after a bound."""
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    caplog.set_level(logging.WARNING)

    async def sender(inbox: asyncio.Queue) -> None:
        while True:
            await inbox.get()

    async def scenario() -> float:
        inbox: asyncio.Queue = asyncio.Queue()
        task = spawn(sender(inbox))
        await asyncio.sleep(0.05)  # the sender waits on its queue
        inbox.put_nowait(b"frame")  # schedules its wake-up ...
        QApplication.processEvents()  # ... which runs re-entrantly here, and is lost
        await asyncio.sleep(0.1)
        assert not task.done()
        began = time.monotonic()
        await cancel_all(grace=0.2, cancel_timeout=0.5)
        return time.monotonic() - began

    try:
        took = loop.run_until_complete(asyncio.wait_for(scenario(), 30))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    assert took < 3.0, f"cancel_all took {took:.1f} s"
    assert any("Cannot enter into task" in r.getMessage() or r.exc_info and
               "Cannot enter into task" in str(r.exc_info[1]) for r in caplog.records), \
        "the wake-up really was lost (else this test proves nothing)"
    assert any("did not stop when cancelled" in r.getMessage() and "sender" in r.getMessage()
               for r in caplog.records), [r.getMessage() for r in caplog.records]
