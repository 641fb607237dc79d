"""Running the backend: on the main thread (`rehearse serve`) or embedded in the app.

The socket is bound here, with IPPROTO_TCP so asyncio sets TCP_NODELAY (without it
every keep-alive request waits ~48 ms for delayed ACKs; see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from backend.config import Settings

if TYPE_CHECKING:
    import uvicorn
    from starlette.types import ASGIApp


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _uvicorn_server(settings: Settings, app: ASGIApp | None = None) -> uvicorn.Server:
    import uvicorn

    if app is None:
        from backend.api.app import create_app

        app = create_app(settings)
    # log_config=None: uvicorn's records go to the app's one logging setup
    # (backend/logging_setup.py); no access log, whose URLs would carry the token.
    config = uvicorn.Config(app, log_level="warning", log_config=None, access_log=False,
                            ws_max_size=2**24,
                            ws_ping_interval=20, ws_ping_timeout=60, timeout_graceful_shutdown=5,
                            lifespan="on")
    return uvicorn.Server(config)


def serve_forever(settings: Settings, announce=print, app: ASGIApp | None = None) -> None:
    """Run in the foreground until SIGINT/SIGTERM (the `rehearse serve` command). ``app``:
    one built already (the CLI builds it first, to report a data folder it cannot use)."""
    sock = bind_socket(settings.host, settings.port)
    port = sock.getsockname()[1]
    settings = replace(settings, port=port)
    server = _uvicorn_server(settings, app)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    announce(f"Rehearse backend on http://{host}:{port}")
    announce(f"Token: {settings.token}")
    announce(f"Data: {settings.data_dir}")
    server.run(sockets=[sock])


class EmbeddedServer:
    """The backend in a thread of the desktop process, with its own event loop, so a
    slow handler can never freeze the window."""

    def __init__(self, settings: Settings,
                 app_factory: Callable[[Settings], ASGIApp] | None = None):
        """`app_factory(settings) -> ASGI app` replaces `create_app` (tests use it to
        inject parts, e.g. a voice service whose models are missing)."""
        self._sock = bind_socket(settings.host, settings.port)
        self.settings = replace(settings, port=self._sock.getsockname()[1])
        self._app_factory = app_factory
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.settings.host}:{self.settings.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.settings.host}:{self.settings.port}"

    @property
    def token(self) -> str:
        return self.settings.token

    def start(self, timeout: float = 30.0) -> EmbeddedServer:
        app = self._app_factory(self.settings) if self._app_factory else None
        server = self._server = _uvicorn_server(self.settings, app)
        self._thread = threading.Thread(target=self._run, args=(server,), name="rehearse-backend",
                                        daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the backend stopped during start-up")
            if time.monotonic() > deadline:
                raise TimeoutError("the backend did not start in time")
            time.sleep(0.01)
        return self

    def _run(self, server: uvicorn.Server) -> None:
        asyncio.run(server.serve(sockets=[self._sock]))

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._sock.close()
