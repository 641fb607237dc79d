"""Building and running the desktop app: backend thread, client, theme, window, qasync loop.

This is the one place where objects are built and connected. The backend's port is bound
before anything else, so the window can be built and shown while the backend is still
importing: requests made meanwhile wait in the socket's backlog instead of failing.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import threading
from pathlib import Path
from typing import cast

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from backend.config import Settings
from backend.logging_setup import add_logging_options, configure_logging
from backend.paths import default_log_dir, prepare_data_dir
from backend.server import EmbeddedServer
from desktop.client import BackendClient
from desktop.main_window import MainWindow
from desktop.theme import ThemeManager


class BackendStarter:
    """Runs EmbeddedServer.start() on a helper thread and keeps its error for the caller."""

    def __init__(self, server: EmbeddedServer):
        self.server = server
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="rehearse-backend-start",
                                        daemon=True)

    def start(self) -> BackendStarter:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            # Warm-up: what the client imports on first use, loaded here off the GUI thread.
            import anyio._backends._asyncio  # noqa: F401
            import httpx  # noqa: F401
            import websockets.asyncio.client  # noqa: F401

            self.server.start()
        except BaseException as e:  # reported on the GUI thread
            self.error = e

    @property
    def started(self) -> bool:
        return self._thread.ident is not None

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self) -> None:
        """Block until the backend is up; re-raise its start-up error."""
        self._thread.join()
        if self.error is not None:
            raise RuntimeError(f"the backend could not start: {self.error}") from self.error

    async def wait_async(self) -> None:
        while not self.done:
            await asyncio.sleep(0.02)
        self.wait()


class DesktopServer(EmbeddedServer):
    """The embedded backend, with the thread that starts it (``starter``)."""

    starter: BackendStarter


def build_app(data_dir: Path | None = None, *, wait_for_backend: bool = True,
              log_dir: Path | None = None
              ) -> tuple[QApplication, MainWindow, DesktopServer, BackendClient]:
    """Start the backend on a free loopback port and build the (not yet shown) window.

    With wait_for_backend=False the caller starts it, after showing the window, with
    `server.starter.start()` and may wait on `server.starter` (a BackendStarter).
    """
    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))
    app.setOrganizationName("Rehearse")
    app.setApplicationName("Rehearse")
    app.setApplicationDisplayName("Rehearse")
    app.setQuitOnLastWindowClosed(False)  # closing ends the loop via MainWindow.closing
    data_dir = prepare_data_dir(data_dir)  # private (0700) before anything is written
    server = DesktopServer(Settings(data_dir=data_dir))  # the port is bound here
    starter = server.starter = BackendStarter(server)
    client = BackendClient(server.base_url, server.ws_url, server.token)
    theme = ThemeManager(app)
    theme.restore()  # the saved choice, or follow the system
    window = MainWindow(client, data_dir, theme, log_dir=log_dir or default_log_dir())
    if wait_for_backend:
        starter.start().wait()
    return app, window, server, client


async def close_app(window: MainWindow, client: BackendClient) -> None:
    """The async half of shutting down: sockets and HTTP connections first."""
    await window.shutdown()
    await client.aclose()


def stop_backend(server: EmbeddedServer) -> None:
    """Stop the backend thread and close its port (after close_app)."""
    starter = getattr(server, "starter", None)
    if starter is not None and starter.started:
        starter._thread.join()
    server.stop()


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rehearse", description="Rehearse interview practice")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where sessions are stored (default: the per-user data folder)")
    add_logging_options(parser)
    return parser.parse_args(argv)


async def _watch_backend(window: MainWindow, starter: BackendStarter) -> None:
    try:
        await starter.wait_async()
    except RuntimeError as e:
        box = QMessageBox(QMessageBox.Icon.Critical, "Rehearse could not start",
                          f"Rehearse's interview engine did not start ({e.__cause__}). "
                          "Open Rehearse again; if this keeps happening, check that the data "
                          "folder is writable.", QMessageBox.StandardButton.Close, window)
        box.finished.connect(window.close)
        box.open()  # not exec(): no nested event loop inside a task


def main(argv: list[str] | None = None) -> int:
    import qasync

    from desktop.async_utils import spawn

    args = _parse(sys.argv[1:] if argv is None else argv)
    logs = configure_logging(args.log_dir, debug=args.debug)
    app, window, server, client = build_app(args.data_dir, wait_for_backend=False,
                                            log_dir=logs.path.parent)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = loop.create_future()
    window.closing.connect(lambda: closed.done() or closed.set_result(None))
    # Ctrl+C in a terminal closes the window like the close button; the timer lets Python
    # run its signal handler while Qt's loop is in C++.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QTimer()
    wake.start(250)
    wake.timeout.connect(lambda: None)
    try:
        window.show()
        app.processEvents()  # paint the window before the backend's imports compete for the GIL
        server.starter.start()
        spawn(_watch_backend(window, server.starter))
        loop.run_until_complete(closed)
        loop.run_until_complete(close_app(window, client))
    finally:
        wake.stop()
        stop_backend(server)
        loop.close()
        asyncio.set_event_loop(None)
    return 0
