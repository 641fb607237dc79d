"""A loopback front door for the in-process model server that no web page can use.

llama.cpp's server answers any ``Host`` and echoes any ``Origin``. A page in the
candidate's browser could reach a loopback port by DNS rebinding (a name of the page's
that resolves to 127.0.0.1) and read the answers. This guard listens on 127.0.0.1 and
lets a request through only if:

- its ``Host`` is ``127.0.0.1:<port>`` or ``localhost:<port>`` (DNS-rebinding defence);
- it has no ``Origin`` header (browsers send one on every cross-origin request; Rehearse's
  own client never does), so no page gets an answer it could read.

It relays one request per connection (``Connection: close`` is forced), so every request
is checked. The model server behind it also wants the random API key.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

MAX_HEAD = 64 * 1024
Connector = Callable[[], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]
_HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection"}


def _refusal(status: int, reason: str, detail: str) -> bytes:
    body = json.dumps({"error": {"code": status, "message": detail}}).encode()
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


class HostGuard:
    """``start()`` -> the port it listens on; relays checked requests to ``connect()``."""

    def __init__(self, connect: Connector, host: str = "127.0.0.1"):
        self._connect = connect
        self._host = host
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    def start(self) -> int:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._handle, self._host, 0, limit=MAX_HEAD))
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as e:  # noqa: BLE001 - handed to start()
                failure.append(e)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            self._server.close()
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

        self._thread = threading.Thread(target=run, name="llm-host-guard", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            raise failure[0]
        return self.port

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
        self._thread = None

    def allowed_hosts(self) -> set[bytes]:
        return {f"127.0.0.1:{self.port}".encode(), f"localhost:{self.port}".encode()}

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError,
                    ConnectionError):
                return
            lines = head[:-4].split(b"\r\n")
            headers = [(name.strip().lower(), value.strip(), line)
                       for line in lines[1:] if b":" in line
                       for name, value in [line.split(b":", 1)]]
            names = {name: value for name, value, _ in headers}
            if names.get(b"host", b"").lower() not in self.allowed_hosts():
                writer.write(_refusal(421, "Misdirected Request",
                                      "This model server only answers requests addressed to "
                                      f"127.0.0.1:{self.port}."))
                return
            if b"origin" in names:
                writer.write(_refusal(403, "Forbidden", "Web pages may not use this model "
                                                        "server."))
                return
            kept = [lines[0]] + [line for name, _, line in headers if name not in _HOP_BY_HOP]
            await self._relay(b"\r\n".join(kept) + b"\r\nConnection: close\r\n\r\n",
                              reader, writer)
        except Exception:  # noqa: BLE001 - one bad connection must not stop the guard
            log.exception("model server guard: a connection failed")
        finally:
            with contextlib.suppress(Exception):
                writer.close()
                await writer.wait_closed()

    async def _relay(self, head: bytes, reader: asyncio.StreamReader,
                     writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await self._connect()
        up_writer.write(head)

        async def upstream() -> None:  # the request body, as it comes
            with contextlib.suppress(ConnectionError):
                while chunk := await reader.read(65536):
                    up_writer.write(chunk)
                    await up_writer.drain()

        sending = asyncio.create_task(upstream())
        try:
            while chunk := await up_reader.read(65536):  # until the server closes
                writer.write(chunk)
                await writer.drain()
        finally:
            sending.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await sending
            up_writer.close()
