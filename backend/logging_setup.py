"""One logging setup for the desktop app, `rehearse serve` and the self-test.

Records go to a rotating file in the user's log folder (private: 0700/0600), so a user with
a problem has something to send. What is never written there: the text of a resume, a job
description or an answer. Rehearse's own log calls never pass them; libraries that could
echo them are held back:
- only Rehearse's own loggers (backend, desktop) write INFO, or DEBUG with --debug; every
  library writes warnings and errors only (qasync logs future results, websockets frames,
  httpx bodies at DEBUG: a resume's bytes would otherwise land in the file);
- uvicorn's access log would carry the WebSocket token in its URL: it stays off;
- an exception's message may quote its input (a validation error shows the value): only
  exceptions defined by Rehearse itself keep their message; others show their type and
  where they were raised.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.paths import open_private, prepare_log_dir, private_file

LOG_FILE_NAME = "rehearse.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
OWN_PACKAGES = ("backend", "desktop")
OWN_LOGGERS = ("backend", "desktop", "rehearse")
# Loggers that would write message contents or URLs (with the token) at lower levels.
QUIET_LOGGERS = ("websockets", "httpx", "httpcore", "uvicorn.access", "asyncio", "hpack",
                 "multipart", "python_multipart", "PIL", "matplotlib", "onnxruntime")
WITHHELD = "(message withheld: it may quote your documents or answers)"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every file it opens, including after a rollover, is created 0600."""

    def _open(self):  # noqa: D401 (logging's hook)
        return open_private(Path(self.baseFilename), self.mode, encoding=self.encoding)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's hook)
        """A full or read-only disk loses log records quietly: a traceback on the console
        for every record would bury the one sentence that says what is wrong."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def _is_own(exc_type: type[BaseException]) -> bool:
    module = getattr(exc_type, "__module__", "") or ""
    return module.split(".")[0] in OWN_PACKAGES


def format_exception_safely(exc_type, exc, tb) -> str:
    """A traceback whose exception messages are kept only for Rehearse's own exceptions."""
    te = traceback.TracebackException(exc_type, exc, tb, compact=True)
    chain: list[tuple[traceback.TracebackException, str]] = []
    seen: set[int] = set()
    link = ""
    current: traceback.TracebackException | None = te
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, "The above exception was the direct cause of:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "During handling of the above exception:"
        else:
            current = None
    lines: list[str] = []
    for i in reversed(range(len(chain))):
        item, link_text = chain[i]
        lines.append("Traceback (most recent call last):")
        lines.extend(line.rstrip("\n") for line in item.stack.format())
        exc_cls = item.exc_type
        name = f"{exc_cls.__module__}.{exc_cls.__qualname__}" if exc_cls else "Exception"
        message = "".join(item.format_exception_only()).strip().split(": ", 1)
        own = exc_cls is not None and _is_own(exc_cls)
        lines.append(f"{name}: {message[1] if own and len(message) > 1 else WITHHELD}")
        if i > 0:
            lines.append(link_text)  # how the exception printed next led to this one
    return "\n".join(lines)


class SafeFormatter(logging.Formatter):
    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return format_exception_safely(*ei)

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return stack_info


@dataclass
class LoggingHandle:
    """What configure_logging() installed, so a test (or a second call) can undo it."""

    path: Path
    handler: logging.Handler
    previous_level: int
    previous_hook: Any = None
    console: logging.Handler | None = None
    own_levels: dict[str, int] | None = None

    def close(self) -> None:
        global _installed
        root = logging.getLogger()
        for handler in (self.handler, self.console):
            if handler is not None:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(self.previous_level)
        for name, level in (self.own_levels or {}).items():
            logging.getLogger(name).setLevel(level)
        if self.previous_hook is not None:
            sys.excepthook = self.previous_hook
        if _installed is self:
            _installed = None


_installed: LoggingHandle | None = None


def _install_excepthook() -> Any:
    """Uncaught exceptions (e.g. in a Qt slot) reach the log too, then the usual hook.
    Returns the hook it replaced (None if ours was already installed)."""
    if getattr(sys.excepthook, "_rehearse", False):
        return None
    previous = sys.excepthook

    def hook(exc_type, exc, tb) -> None:
        if not issubclass(exc_type, KeyboardInterrupt):
            logging.getLogger("rehearse").critical("uncaught exception",
                                                   exc_info=(exc_type, exc, tb))
        previous(exc_type, exc, tb)

    hook._rehearse = True  # type: ignore[attr-defined]
    sys.excepthook = hook
    return previous


def add_logging_options(parser) -> None:
    """--debug and --log-dir, the same for every entry point."""
    parser.add_argument("--debug", action="store_true",
                        help="write more detail to the log file (never your documents or answers)")
    parser.add_argument("--log-dir", type=Path, default=None,
                        help="where the log file goes (default: the per-user log folder)")


def configure_logging(log_dir: Path | None = None, *, debug: bool = False,
                      console: bool = False) -> LoggingHandle:
    """Send log records to `log_dir/rehearse.log` (default: the user log folder), rotating
    at 1 MB with 3 old files. Rehearse's own loggers at INFO (DEBUG with `debug`), every
    other at WARNING. A second call replaces the first one's handler."""
    global _installed
    if _installed is not None:
        _installed.close()
    folder = prepare_log_dir(log_dir)
    path = private_file(folder / LOG_FILE_NAME)
    handler = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                         encoding="utf-8", delay=False)
    handler.setFormatter(SafeFormatter(FORMAT))
    root = logging.getLogger()
    previous = root.level
    root.setLevel(logging.WARNING)  # libraries: warnings and errors only
    root.addHandler(handler)
    own_levels = {name: logging.getLogger(name).level for name in OWN_LOGGERS}
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    stream = None
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(SafeFormatter(FORMAT))
        stream.setLevel(logging.WARNING)
        root.addHandler(stream)
    _installed = LoggingHandle(path, handler, previous, _install_excepthook(), stream,
                               own_levels)
    logging.getLogger("backend").info("logging to %s (debug=%s)", path, debug)
    return _installed
