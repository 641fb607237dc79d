"""A thread-to-asyncio broadcast channel: a worker thread publishes, async readers follow."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Channel(Generic[T]):
    """Append-only sequence of items; every reader sees every item from the start."""

    def __init__(self) -> None:
        self._items: list[T] = []
        self._closed = False
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._closed_event = threading.Event()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def publish(self, item: T) -> None:
        self._update(lambda: self._items.append(item))

    def close(self, error: BaseException | None = None) -> None:
        def mark() -> None:
            self._closed, self._error = True, error

        self._update(mark)
        self._closed_event.set()

    def _update(self, change: Callable[[], None]) -> None:
        with self._lock:
            if self._closed:
                return
            change()
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            try:
                loop.call_soon_threadsafe(_wake, future)
            except RuntimeError:  # that reader's loop has closed
                pass

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def error(self) -> BaseException | None:
        return self._error

    def snapshot(self) -> list[T]:
        with self._lock:
            return list(self._items)

    def wait_closed(self, timeout: float | None = None) -> bool:
        return self._closed_event.wait(timeout)

    async def __aiter__(self) -> AsyncIterator[T]:
        loop = asyncio.get_running_loop()
        index = 0
        while True:
            with self._lock:
                if index < len(self._items):
                    item, future = self._items[index], None
                elif self._closed:
                    if self._error is not None:
                        raise self._error
                    return
                else:
                    item, future = None, loop.create_future()
                    self._waiters.append((loop, future))
            if future is not None:
                await future
                continue
            yield item  # type: ignore[misc]
            index += 1


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
