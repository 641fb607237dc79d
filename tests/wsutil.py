"""A small synchronous client for the interview WebSocket, for tests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from websockets.sync.client import ClientConnection, connect

from backend.protocol.events import parse_event


def open_ws(backend, session_id: str, token: str | None = None, **kw: Any) -> ClientConnection:
    tok = backend.token if token is None else token
    return connect(f"{backend.ws_base}/ws/interview/{session_id}?token={tok}",
                   open_timeout=20, max_size=2**24, **kw)


def send(ws: ClientConnection, type_: str, data: dict | None = None) -> None:
    ws.send(json.dumps({"type": type_, **({"data": data} if data is not None else {})}))


def next_event(ws: ClientConnection, wanted: set[str], timeout: float = 60,
               seen: list | None = None) -> dict:
    """The next JSON event whose type is wanted; other events are kept in `seen`. Every
    event is checked against its model in backend/protocol (an undeclared or missing field,
    an unknown type fail the test that received it)."""
    deadline = time.monotonic() + timeout
    while True:
        msg = ws.recv(timeout=max(deadline - time.monotonic(), 0.01))
        if isinstance(msg, bytes):
            if seen is not None:
                seen.append({"type": "<binary>", "data": {"size": len(msg)}})
            continue
        ev = json.loads(msg)
        parse_event(ev)
        if seen is not None:
            seen.append(ev)
        if ev["type"] in wanted:
            return ev


def ready_session(backend, resume: str, jd: str, role: str = "Backend Engineer") -> str:
    sid = backend.http.post("/session/start").json()["session_id"]
    r = backend.http.post("/upload/resume", data={"session_id": sid},
                          files={"file": ("resume.txt", resume.encode(), "text/plain")})
    assert r.status_code == 200, r.text
    r = backend.http.post("/upload/jd", data={"session_id": sid, "job_description": jd, "role": role})
    assert r.status_code == 200, r.text
    return sid


def answer_until_feedback(ws: ClientConnection, answers: Sequence[str], seen: list,
                          timeout: float = 120,
                          on_score: Callable[[int], None] | None = None) -> dict:
    """Answer every question and follow-up with ``answers`` (cycled) until the report;
    returns the feedback event. ``on_score(n)`` runs after the n-th score_update."""
    n = 0
    while True:
        send(ws, "answer", {"text": answers[n % len(answers)]})
        n += 1
        update = next_event(ws, {"score_update", "error"}, timeout=timeout, seen=seen)
        assert update["type"] == "score_update", update
        if on_score is not None:
            on_score(n)
        nxt = update["data"]["next"]
        if nxt == "followup":
            next_event(ws, {"followup"}, seen=seen)
            continue
        send(ws, "ready")
        if nxt == "question":
            next_event(ws, {"new_question"}, timeout=timeout, seen=seen)
            continue
        return next_event(ws, {"feedback"}, timeout=timeout, seen=seen)
