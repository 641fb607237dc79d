"""Live interviews in memory: one engine per session, shared by its connections.

The database is the source of truth; an engine is rebuilt from it whenever a
session is first touched after a start or a crash. Operations on one session are
serialised by its lock; different sessions run concurrently. One connection at a
time drives an interview: the newest takes over (ws.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from backend.engine.machine import InterviewEngine, Limits, SessionInfo
from backend.engine.memory import build_profile
from backend.engine.state import InterviewState
from backend.interviewer.domain import CandidateProfile, ResumeAnalysis
from backend.api.services import Services


@dataclass
class LiveInterview:
    engine: InterviewEngine
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    clients: int = 0  # sockets not yet finished (a replaced one counts until it ends)
    owner: Any = None  # the one connection that may drive the interview (ws.Connection)


class InterviewHub:
    def __init__(self, services: Services):
        self.services = services
        self._live: dict[str, LiveInterview] = {}
        self._loading = asyncio.Lock()

    async def get(self, session_id: str) -> LiveInterview:
        live = self._live.get(session_id)
        if live is None:
            async with self._loading:
                live = self._live.get(session_id)
                if live is None:
                    engine = await self.services.run(self._build_engine, session_id)
                    live = self._live[session_id] = LiveInterview(engine)
        return live

    def forget(self, session_id: str | None = None) -> None:
        """Drop cached engines after their session was deleted (None: all of them)."""
        if session_id is None:
            self._live.clear()
        else:
            self._live.pop(session_id, None)

    def _build_engine(self, session_id: str) -> InterviewEngine:
        store = self.services.store
        settings = self.services.settings
        row = store.get_session(session_id)
        profile = CandidateProfile()
        if row["memory_opt_in"]:
            profile = build_profile(store.opted_in_sessions(exclude=session_id))
        info = SessionInfo(role=row.get("role") or "", job_description=row.get("job_description") or "",
                           resume_text=row.get("resume_text") or "",
                           analysis=ResumeAnalysis.from_dict(row["analysis"]), profile=profile)
        saved = row.get("engine_state")
        return InterviewEngine(
            session_id, info, self.services.interviewer, store,
            state=InterviewState.from_dict(saved) if saved else None,
            limits=Limits(default_duration_minutes=settings.default_duration_minutes,
                          max_questions=settings.max_questions,
                          max_followups=settings.max_followups))
