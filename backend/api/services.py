"""The objects one running backend is made of, built once by `create_app`."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from backend.config import Settings
from backend.documents.isolated import IsolatedParser, ParseLimits, lower_priority
from backend.interviewer.interface import Interviewer
from backend.store import Store

if TYPE_CHECKING:
    from backend.voice.service import VoiceService

T = TypeVar("T")
P = ParamSpec("P")


def make_executor() -> ThreadPoolExecutor:
    """The backend's worker threads for blocking work (as many as asyncio's default)."""
    return ThreadPoolExecutor(max_workers=min(32, (os.cpu_count() or 1) + 4),
                              thread_name_prefix="rehearse-work")


def make_upload_executor() -> ThreadPoolExecutor:
    """Uploads' own threads: a flood of slow files queues here, never in front of an
    interview's work on the main executor. Two at once: a file's reader is a process that
    may use a core and up to its memory limit. On Linux they run at a low priority, which the
    readers they start inherit (``lower_priority``); elsewhere a thread's nice value is the
    whole process's, so only the readers lower their own."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="rehearse-upload",
                              initializer=lower_priority if sys.platform.startswith("linux")
                              else None)


@dataclass
class Services:
    settings: Settings
    store: Store
    interviewer: Interviewer
    voice: VoiceService | None = None  # created lazily by the voice extension
    executor: ThreadPoolExecutor = field(default_factory=make_executor)
    uploads: ThreadPoolExecutor = field(default_factory=make_upload_executor)
    parser: IsolatedParser = field(init=False)  # from the settings' limits
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.parser = IsolatedParser(ParseLimits(time_s=self.settings.parse_time_limit_s,
                                                 memory_mb=self.settings.parse_memory_limit_mb))

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` on the executor, off the event loop. Context variables
        go along (as with ``asyncio.to_thread``): the interviewer's notices find their socket."""
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self.executor, call)

    async def run_upload(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Like :meth:`run`, on the uploads' own threads (reading and analysing a file)."""
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self.uploads, call)

    def voice_service(self) -> VoiceService:
        """The process-wide voice service, created (and its models loading) on first use."""
        if self.voice is None:
            from backend.voice.service import VoiceService

            self.voice = VoiceService.from_dir(self.settings.voice_models_dir,
                                               join_dir=self.settings.data_dir / "voice-models")
        self.voice.start()
        return self.voice

    def close(self) -> None:
        """Stop everything, in order: voice, work queued ahead of need, the interviewer,
        then the database (no worker may still write to it)."""
        if self.voice is not None:
            self.voice.close()
        self.interviewer.cancel()
        self.parser.close()
        self.uploads.shutdown(wait=True, cancel_futures=True)
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.interviewer.close()
        self.store.close()
