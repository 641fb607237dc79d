"""Notices an interviewer sends to the client while it works (``thinking``,
``interviewer_status``).

The API layer sets :data:`notice_sink` around each engine call; ``asyncio.to_thread``
copies the context into the worker thread, so the interviewer reaches the right
connection without knowing about sessions or sockets. Outside a call (tests, the
bench) there is no sink and notices are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

Notice = dict[str, Any]
notice_sink: ContextVar[Callable[[Notice], None] | None] = ContextVar("notice_sink", default=None)


def emit(type_: str, **data: Any) -> None:
    sink = notice_sink.get()
    if sink is not None:
        sink({"type": type_, "data": data})
