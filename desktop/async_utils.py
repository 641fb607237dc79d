"""Running coroutines from Qt slots on the qasync loop without losing their errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

_running: set[asyncio.Task] = set()  # strong references: the loop keeps only weak ones


def spawn(coro: Coroutine[Any, Any, Any] | asyncio.Future[Any],
          on_error: Callable[[BaseException], None] | None = None) -> asyncio.Task:
    """Start `coro` as a task; an exception goes to `on_error` (or the log), never lost."""
    task = asyncio.ensure_future(coro)
    _running.add(task)

    def done(t: asyncio.Task) -> None:
        _running.discard(t)
        if t.cancelled():
            return
        exc = t.exception()
        if exc is None:
            return
        if on_error is not None:
            on_error(exc)
        else:
            log.error("background task failed", exc_info=exc)

    task.add_done_callback(done)
    return task


async def cancel_all(grace: float = 1.0, cancel_timeout: float = 2.0) -> None:
    """Cancel every task started with spawn() and wait for them (used at shutdown).

    Tasks get `grace` seconds to finish first: a short REST call (a history refresh) then
    completes instead of being cancelled mid-request, which httpx's anyio cancel scope does
    not survive under qasync once the loop has stopped.

    The wait after cancelling is bounded too: a task whose wake-up was lost (qasync drops
    it with "Cannot enter into task" when the Qt loop is re-entered from a coroutine) never
    runs again, not even to be cancelled, and waiting for it hung the window's shutdown."""
    loop = asyncio.get_running_loop()  # a task of an earlier loop can never finish here
    tasks = [t for t in _running if not t.done() and t.get_loop() is loop]
    if tasks and grace > 0:
        await asyncio.wait(tasks, timeout=grace)
        tasks = [t for t in tasks if not t.done()]
    for t in tasks:
        t.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=cancel_timeout)
        stuck = [t for t in tasks if not t.done()]
        if stuck:
            log.warning("shutdown: %d task(s) did not stop when cancelled: %s", len(stuck),
                        ", ".join(_describe(t) for t in stuck))


def _describe(task: asyncio.Task) -> str:
    coro = task.get_coro()
    return getattr(coro, "__qualname__", None) or task.get_name()
