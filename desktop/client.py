"""The desktop's only door to the backend: REST through httpx, the interview through websockets.

This is the one module that knows URLs. Everything is async and runs on the qasync loop,
so a slow backend never freezes the window. Proxies from the environment are ignored on
purpose: the backend is on loopback and nothing may leave the machine. httpx is imported on
first use (it costs ~0.3 s, which would otherwise delay the window; app.py warms it up on
the backend's start-up thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    import httpx
    from websockets.asyncio.client import ClientConnection

log = logging.getLogger(__name__)

NO_CONNECTION = 0  # ApiError.status when the backend could not be reached at all

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_CONTENT_TYPES = {".pdf": "application/pdf", ".txt": "text/plain", ".docx": _DOCX}
_PCM = {"Content-Type": "application/octet-stream"}  # spoken answers: PCM16 mono 16 kHz


class ApiError(Exception):
    """A failed backend call: a sentence the candidate can read (`detail`), and from the
    backend's error model (docs/protocol.md, "Errors") the stable `code` to branch on and the
    request `field` the error is about, where there is one."""

    def __init__(self, status: int, detail: str, code: str | None = None,
                 field: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.detail


def _error(response: "httpx.Response") -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    detail, code, field = body.get("detail"), body.get("code"), body.get("field")
    if not isinstance(detail, str) or not detail:
        detail = (f"The Rehearse engine answered with an unexpected error "
                  f"({response.status_code}).")
    return ApiError(response.status_code, detail, code if isinstance(code, str) else None,
                    field if isinstance(field, str) else None)


class BackendClient:
    def __init__(self, base_url: str, ws_url: str, token: str):
        self.base_url = base_url.rstrip("/")
        self.ws_url = ws_url.rstrip("/")
        self._token = token
        self._http: httpx.AsyncClient | None = None

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            import httpx

            # verify=False: plain HTTP on loopback, never TLS; building the default SSL
            # context would cost ~90 ms on the GUI thread for nothing.
            # No keep-alive: every request gets its own loopback connection (~0.2 ms). A
            # pooled connection left locked by a request cancelled mid-flight (a page the
            # candidate left) made every later request wait on its lock forever, with no
            # timeout to end the wait (seen once in CI: the report never loaded). httpcore
            # issues #830/#1093 describe the same class of pool state lost on cancellation.
            self._http = httpx.AsyncClient(
                base_url=self.base_url, trust_env=False, verify=False,
                headers={"Authorization": f"Bearer {self._token}"},
                timeout=httpx.Timeout(120.0, connect=10.0),
                limits=httpx.Limits(max_keepalive_connections=0))
        return self._http

    async def _request(self, method: str, path: str, **kw: Any) -> Any:
        import httpx

        try:
            response = await self._client().request(method, path, **kw)
        except httpx.TimeoutException as e:
            raise ApiError(NO_CONNECTION, "The Rehearse engine took too long to answer. "
                                          "Please try again.") from e
        except httpx.HTTPError as e:
            raise ApiError(NO_CONNECTION, "The Rehearse engine could not be reached. "
                                          "Restart Rehearse if this keeps happening.") from e
        if response.status_code >= 400:
            raise _error(response)
        return response.json()

    async def create_session(self) -> str:
        return (await self._request("POST", "/session/start"))["session_id"]

    async def get_session(self, sid: str) -> dict:
        return await self._request("GET", f"/session/{sid}")

    async def upload_resume(self, sid: str, path: Path) -> dict:
        path = Path(path)
        try:
            content = await asyncio.to_thread(path.read_bytes)
        except OSError as e:
            raise ApiError(400, f"Could not read {path.name}: {e.strerror or e}.") from e
        mime = _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return await self._request("POST", "/upload/resume", data={"session_id": sid},
                                   files={"file": (path.name, content, mime)})

    async def upload_jd(self, sid: str, job_description: str, role: str) -> dict:
        data = {"session_id": sid, "job_description": job_description}
        if role.strip():
            data["role"] = role.strip()
        return await self._request("POST", "/upload/jd", data=data)

    async def set_memory(self, sid: str, opt_in: bool) -> dict:
        return await self._request("POST", "/interview/opt-in-memory",
                                   params={"session_id": sid}, json={"opt_in": bool(opt_in)})

    async def report(self, sid: str) -> dict:
        return await self._request("GET", f"/interview/report/{sid}")

    async def transcript(self, sid: str) -> dict:
        """GET /session/{id}/transcript (extension): the questions, answers and scores so far,
        with `awaiting`, `max_questions`, `time_remaining` (see docs/protocol.md)."""
        return await self._request("GET", f"/session/{sid}/transcript")

    async def plan(self, sid: str, max_questions: int, memory: bool) -> dict:
        """GET /session/{id}/plan (extension): the topics the interview will ask about, in
        order; 409 before a resume is in."""
        return await self._request("GET", f"/session/{sid}/plan",
                                   params={"max_questions": int(max_questions),
                                           "memory": "true" if memory else "false"})

    async def voice_warm_up(self) -> dict:
        """POST /voice/warm-up (extension): start loading Whisper and Piper now."""
        return await self._request("POST", "/voice/warm-up")

    async def transcribe(self, pcm: bytes) -> dict:
        """POST /voice/transcribe (extension): what Whisper hears in a short recording
        (PCM16 mono 16 kHz), with its loudness: the microphone test."""
        return await self._request("POST", "/voice/transcribe", content=pcm,
                                   headers={"Content-Type": "application/octet-stream"})

    async def sessions(self) -> list[dict]:
        return await self._request("GET", "/sessions")

    async def delete_session(self, sid: str) -> None:
        await self._request("DELETE", f"/session/{sid}")

    async def delete_all(self) -> int:
        return int((await self._request("DELETE", "/data"))["deleted"])

    async def profile(self) -> dict:
        return await self._request("GET", "/profile")

    async def interviewer_settings(self) -> dict:
        """GET /settings/interviewer: which interviewer runs (the API key is never returned;
        `has_api_key` says whether one is stored)."""
        return await self._request("GET", "/settings/interviewer")

    async def save_interviewer_settings(self, settings: dict) -> dict:
        """PUT /settings/interviewer; returns the settings as stored, with `active`.
        An `api_key` of None (or absent) keeps the stored key, "" clears it."""
        return await self._request("PUT", "/settings/interviewer", json=settings)

    async def test_interviewer_server(self, base_url: str, api_key: str | None = None,
                                      allow_remote: bool = False) -> dict:
        """POST /settings/interviewer/test: `{"ok", "base_url", "models", "remote", "warning"}`;
        ApiError 502 when the server cannot be reached, 400 for a bad or remote URL."""
        body: dict[str, Any] = {"base_url": base_url, "allow_remote": bool(allow_remote)}
        if api_key:
            body["api_key"] = api_key
        return await self._request("POST", "/settings/interviewer/test", json=body)

    # ---- practice (extension, issue 18; docs/protocol.md, "Practice") ------------------
    async def _raw(self, method: str, path: str, **kw: Any) -> bytes:
        """A call whose answer is bytes (a recording), with the same errors as _request."""
        import httpx

        try:
            response = await self._client().request(method, path, **kw)
        except httpx.HTTPError as e:
            raise ApiError(NO_CONNECTION, "The Rehearse engine could not be reached. "
                                          "Restart Rehearse if this keeps happening.") from e
        if response.status_code >= 400:
            raise _error(response)
        return response.content

    async def retry(self, sid: str, question_number: int, text: str) -> dict:
        """POST /session/{id}/retries: the question answered again, beside the first attempt."""
        return await self._request("POST", f"/session/{sid}/retries",
                                   json={"question_number": int(question_number), "text": text})

    async def retry_spoken(self, sid: str, question_number: int, pcm: bytes) -> dict:
        """The same, spoken: PCM16 mono 16 kHz, transcribed by the backend."""
        return await self._request("POST", f"/session/{sid}/retries/audio",
                                   params={"question_number": int(question_number)},
                                   content=bytes(pcm), headers=_PCM)

    async def retries(self, sid: str) -> dict:
        return await self._request("GET", f"/session/{sid}/retries")

    async def recording_pcm(self, recording_id: int) -> bytes:
        """A kept recording, decoded: PCM16 mono 16 kHz."""
        return await self._raw("GET", f"/recordings/{int(recording_id)}",
                               params={"format": "pcm"})

    async def delete_recordings(self) -> int:
        return int((await self._request("DELETE", "/recordings"))["deleted"])

    async def practice_settings(self) -> dict:
        return await self._request("GET", "/settings/practice")

    async def save_practice_settings(self, **changes: bool) -> dict:
        return await self._request("PUT", "/settings/practice", json=changes)

    async def progress(self) -> dict:
        return await self._request("GET", "/progress")

    async def delete_progress(self) -> int:
        return int((await self._request("DELETE", "/progress"))["deleted"])

    async def practice_topics(self) -> list[dict]:
        return await self._request("GET", "/practice/topics")

    async def review(self) -> dict:
        return await self._request("GET", "/practice/review")

    async def start_practice(self, topic: str | None, questions: int) -> dict:
        return await self._request("POST", "/practice/sessions",
                                   json={"topic": topic, "questions": int(questions)})

    async def practice(self, pid: str) -> dict:
        return await self._request("GET", f"/practice/sessions/{pid}")

    async def practice_step(self, pid: str, step: str) -> dict:
        """POST /practice/sessions/{id}/{step}: hint, next or end."""
        assert step in ("hint", "next", "end")
        return await self._request("POST", f"/practice/sessions/{pid}/{step}")

    async def practice_answer(self, pid: str, text: str) -> dict:
        return await self._request("POST", f"/practice/sessions/{pid}/answer",
                                   json={"text": text})

    async def practice_answer_spoken(self, pid: str, pcm: bytes) -> dict:
        return await self._request("POST", f"/practice/sessions/{pid}/answer/audio",
                                   content=bytes(pcm), headers=_PCM)

    def interview(self, sid: str) -> InterviewConnection:
        return InterviewConnection(f"{self.ws_url}/ws/interview/{sid}?token={self._token}")

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None


class InterviewConnection(QObject):
    """One interview WebSocket. Events arrive as Qt signals; `closed` fires exactly once
    per connect(), with the close code (1006 when the connection was lost)."""

    event_received = Signal(dict)
    audio_received = Signal(bytes)
    closed = Signal(int, str)

    def __init__(self, url: str, parent: QObject | None = None):
        super().__init__(parent)
        self._url = url
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task | None = None

    @property
    def is_open(self) -> bool:
        return self._ws is not None and self._reader is not None and not self._reader.done()

    # Not Qt's QObject.connect (unused on this object: its signals are connected directly).
    async def connect(self, timeout: float = 10.0) -> None:  # type: ignore[override]
        """Open the socket and start reading; raises ApiError if it cannot be opened."""
        from websockets.asyncio.client import connect

        await self.close()
        try:
            self._ws = await connect(self._url, proxy=None, open_timeout=timeout,
                                     max_size=2**24, compression=None)
        except Exception as e:  # OSError, TimeoutError, InvalidHandshake, ...
            self._ws = None
            raise ApiError(NO_CONNECTION, "Could not connect to the interview.") from e
        self._reader = asyncio.ensure_future(self._read(self._ws))

    async def _read(self, ws) -> None:
        from websockets.exceptions import ConnectionClosed

        code, reason = 1006, "connection lost"
        try:
            async for message in ws:
                if isinstance(message, bytes):
                    self.audio_received.emit(message)
                    continue
                try:
                    ev = json.loads(message)
                except ValueError:
                    log.warning("ignored a non-JSON message from the backend")
                    continue
                if isinstance(ev, dict) and isinstance(ev.get("type"), str):
                    if not isinstance(ev.get("data"), dict):
                        ev["data"] = {}
                    self.event_received.emit(ev)
        except ConnectionClosed:
            pass
        except asyncio.CancelledError:
            code, reason = 1000, "closed by the app"
            raise
        finally:
            if ws.close_code is not None:
                code, reason = ws.close_code, ws.close_reason or ""
            if self._ws is ws:
                self._ws = None
            self.closed.emit(code, reason)

    async def send(self, type: str, data: dict | None = None) -> None:
        message = {"type": type} if data is None else {"type": type, "data": data}
        await self._send(json.dumps(message))

    async def send_audio(self, data: bytes) -> None:
        await self._send(bytes(data))

    async def _send(self, payload: str | bytes) -> None:
        from websockets.exceptions import ConnectionClosed

        if self._ws is None:
            raise ApiError(NO_CONNECTION, "The interview is not connected.")
        try:
            await self._ws.send(payload)
        except ConnectionClosed as e:
            raise ApiError(NO_CONNECTION, "The interview connection was lost.") from e

    async def close(self) -> None:
        """Close normally and wait for the reader to finish (idempotent)."""
        ws, reader = self._ws, self._reader
        self._ws = None
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()
        if reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(reader, 5)
        self._reader = None
