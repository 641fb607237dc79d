"""Reading a resume file in a child process with a hard time and memory limit.

A hostile or broken file can make a parser run for minutes (a PDF of millions of text
operators) or take gigabytes (a DOCX of 400,000 paragraphs). In a thread of the server
that work cannot be stopped, and the memory it took stays with the server (glibc keeps
its arenas). So every file is read by a fresh process, started with ``spawn`` (no state
inherited, the same on Linux, macOS and Windows): it is killed when the time limit
passes, and everything it allocated goes back to the system when it ends.

The memory limit is ``RLIMIT_AS`` where the platform enforces it (Linux); elsewhere only
the time limit applies. The child runs at a lower priority (``lower_priority``), so a file
being read never slows a live interview's grading.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from backend.documents.extract import DocumentError, extract_text

log = logging.getLogger(__name__)

TOO_SLOW = ("Reading this file took too long, so it was stopped; it may be damaged or far "
            "more complex than a resume. Save it again as PDF or upload a .txt version.")
TOO_BIG = ("Reading this file needed far more memory than a resume does, so it was "
           "stopped. Save it again as PDF or upload a .txt version.")
FAILED = ("This file could not be read. Upload your resume as a PDF with selectable text, "
          "a Word .docx file, or a .txt file.")
CLOSED = "The server is shutting down; upload the file again once it has restarted."


@dataclass(frozen=True)
class ParseLimits:
    time_s: float = 30.0     # wall time from the child's start, start-up included
    memory_mb: int = 1024    # the child's address space (where the platform enforces it)


def _limit_memory(max_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the time limit alone applies
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    except (ValueError, OSError, AttributeError):  # e.g. macOS refuses lowering RLIMIT_AS
        pass


READER_NICE = 10


def lower_priority() -> None:
    """Run the calling thread at nice 10 (about a tenth of a busy core's share): the
    interviews come first, yet a real resume, which needs well under a second of CPU, is
    still read in time on a loaded machine (nice 19 would starve it into the time limit).

    On Linux the nice value is the thread's own, and a process started from the thread
    inherits it (elsewhere it is the whole process's). The uploads' threads run at it on
    Linux, so a reader process is born at low priority: its start-up (``spawn`` imports the
    interpreter's modules again, about a second of CPU) no longer competes with grading.
    Seen in CI: with two readers starting on two cores, the next answer's grade took 2.1 s.
    Never lowers a priority already at or below it."""
    if not hasattr(os, "nice"):
        return
    try:
        current = os.nice(0)
        if current < READER_NICE:
            os.nice(READER_NICE - current)
    except OSError:
        pass


def _peak_address_space() -> int | None:
    """The child's peak virtual size in bytes (Linux), else None."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _hit_memory_limit(memory_bytes: int) -> bool:
    """Whether a failure was the memory limit: parsers report an allocation that failed
    in many ways (lxml says "unknown error"), so look at how close to the limit we got."""
    peak = _peak_address_space()
    return peak is not None and peak > 0.9 * memory_bytes


def _child(conn: Connection, data: bytes, filename: str, memory_bytes: int) -> None:
    """The child process: read the file and send one result tuple back."""
    _limit_memory(memory_bytes)
    lower_priority()
    try:
        result: tuple[Any, ...] = ("ok", extract_text(data, filename))
    except MemoryError:
        result = ("memory",)
    except DocumentError as e:
        result = (("memory",) if _hit_memory_limit(memory_bytes)
                  else ("refused", str(e), e.status_code))
    except Exception:  # noqa: BLE001 - any parser bug is "could not be read"
        result = ("memory",) if _hit_memory_limit(memory_bytes) else ("failed",)
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory",))
    finally:
        conn.close()


class IsolatedParser:
    """``parse(data, filename)`` -> text, each file in its own short-lived process.

    Blocking (it waits for the child): call it from a thread that is not the interview's.
    """

    def __init__(self, limits: ParseLimits = ParseLimits()):
        self.limits = limits
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._running: set[BaseProcess] = set()
        self._closed = False

    def parse(self, data: bytes, filename: str = "") -> str:
        if not data:
            return extract_text(data, filename)  # the empty-file message, no process needed
        receiver, sender = self._ctx.Pipe(duplex=False)
        process = self._ctx.Process(
            target=_child, name="rehearse-parse", daemon=True,
            args=(sender, data, filename, self.limits.memory_mb * 1024 * 1024))
        with self._lock:
            if self._closed:
                raise DocumentError(CLOSED, status_code=503)
            process.start()
            self._running.add(process)
        sender.close()  # the child holds the only writer: EOF when it dies
        started = time.monotonic()
        try:
            if not receiver.poll(self.limits.time_s):
                log.warning("a document took over %.0f s to read; its reader was stopped",
                            self.limits.time_s)
                raise DocumentError(TOO_SLOW)
            try:
                result = receiver.recv()
            except (EOFError, OSError):  # killed by the memory limit, or by close()
                raise DocumentError(CLOSED if self._closed else TOO_BIG,
                                    status_code=503 if self._closed else 400) from None
        finally:
            self._end(process)
            receiver.close()
        log.info("document read in %.2f s (%s)", time.monotonic() - started, result[0])
        return _unpack(result)

    def _end(self, process: BaseProcess) -> None:
        if process.is_alive():
            process.kill()
        process.join(5)
        with self._lock:
            self._running.discard(process)
        if process.exitcode is not None and hasattr(process, "close"):
            process.close()

    def close(self) -> None:
        """Stop every reader still running (the server is stopping)."""
        with self._lock:
            self._closed = True
            running = list(self._running)
        for process in running:
            try:
                process.kill()
            except (ValueError, OSError):  # already closed
                pass


def _unpack(result: tuple[Any, ...]) -> str:
    kind = result[0]
    if kind == "ok":
        return str(result[1])
    if kind == "refused":
        raise DocumentError(result[1], status_code=result[2])
    if kind == "memory":
        raise DocumentError(TOO_BIG)
    raise DocumentError(FAILED)
