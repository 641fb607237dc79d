"""Work done ahead of need (embedding the next question, loading the grader's encoder).

The running backend owns one executor (``Services.executor``) and hands it to the parts
that prepare things in the background. Without one (a library caller, a bench, a unit
test) the work runs at once, in the caller's thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

log = logging.getLogger(__name__)


def run_soon(executor: Executor | None, fn: Callable[..., Any], *args: Any) -> Future[Any] | None:
    """``fn(*args)`` on ``executor``, or now when there is none. Never raises: what is
    prepared ahead is done again when it is needed, so a failure here is only logged
    (and after the executor has shut down, the work is skipped)."""
    if executor is None:
        try:
            fn(*args)
        except Exception:  # noqa: BLE001 - see the docstring
            log.exception("background work %s failed", getattr(fn, "__name__", fn))
        return None
    try:
        future = executor.submit(fn, *args)
    except RuntimeError:  # shut down: the backend is stopping
        return None
    future.add_done_callback(_log_failure)
    return future


def _log_failure(future: Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("background work failed", exc_info=future.exception())
