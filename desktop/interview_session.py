"""One live interview: opening the socket, starting or resuming, and reconnecting.

The page only renders; this object decides what to send when a connection opens. What the
interview waits for is the server's to say: `awaiting` comes with `connected` and with
every event after which it changes (prompts, scores, the report), and is kept as it comes.
On every `connected` event: a fresh session gets `start` (with the chosen length); one
waiting for an answer gets `ready`, which re-sends the open question (the protocol makes
that safe). With voice on, `voice_toggle` goes first. One waiting for the candidate to move
on (`next`/`end`) is left alone, so a dropped connection never skips the feedback the
candidate is reading.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from backend.protocol.codes import FINAL_CLOSE_CODES, CloseCode
from desktop.async_utils import spawn
from desktop.client import ApiError, BackendClient

log = logging.getLogger(__name__)

RETRY_DELAYS = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0)  # then every 5 s until it works or is closed

# What the candidate reads when the server closes the interview for good.
FINAL_MESSAGES: dict[int, str] = {
    CloseCode.NEEDS_DOCUMENTS: "This session is missing its resume or job description. Set it "
                               "up again.",
    CloseCode.BAD_SESSION_ID: "This interview session is not valid. Set up a new one.",
    CloseCode.ORIGIN_NOT_ALLOWED: "The interview connection was refused.",
    CloseCode.SESSION_NOT_FOUND: "This interview session no longer exists. Set up a new one.",
    # Not retried: reconnecting would take it back and the two would take turns forever.
    CloseCode.TAKEN_OVER: "This interview was opened in another window, so it was disconnected "
                          "here. Carry on there, or open it again from History.",
    CloseCode.UNAUTHORISED: "The interview connection was refused (the app's access key did "
                            "not match). Restart Rehearse.",
}


class InterviewSession(QObject):
    """Emits every server event (`received`), plus `status(state, message)` with state one of
    connecting, connected, reconnecting, completed, failed, closed."""

    received = Signal(dict)  # (not `event`: that would hide QObject.event, Qt's dispatcher)
    status = Signal(str, str)

    def __init__(self, client: BackendClient, session_id: str, max_questions: int,
                 duration_minutes: int, parent: QObject | None = None):
        super().__init__(parent)
        self.session_id = session_id
        self.options = {"max_questions": int(max_questions),
                        "duration_minutes": int(duration_minutes)}
        self.connection = client.interview(session_id)
        self.connection.event_received.connect(self._on_event)
        self.connection.closed.connect(self._on_closed)
        self.state = "idle"
        self.awaiting = ""
        # Voice mode: returns the voice_toggle body sent first on every connection.
        self.voice_options: Callable[[], dict] | None = None
        self.completed = False
        self._closing = False
        self._reconnect: asyncio.Task | None = None

    @property
    def connected(self) -> bool:
        return self.state == "connected"

    def _set_state(self, state: str, message: str = "") -> None:
        self.state = state
        self.status.emit(state, message)

    async def open(self) -> None:
        """Connect (retrying like a reconnect if the first attempt fails)."""
        self._set_state("connecting", "Connecting to your interviewer…")
        try:
            await self.connection.connect()
        except ApiError:
            self._start_reconnect()

    async def send(self, type_: str, data: dict | None = None) -> None:
        """Send a message; raises ApiError when not connected (the caller says so)."""
        await self.connection.send(type_, data)

    async def close(self) -> None:
        self._closing = True
        if self._reconnect is not None:
            self._reconnect.cancel()
            self._reconnect = None
        await self.connection.close()
        if self.state not in ("completed", "failed"):
            self._set_state("closed")

    # ---- events -------------------------------------------------------------------------
    def _on_event(self, ev: dict) -> None:
        kind, data = ev["type"], ev["data"]
        if "awaiting" in data:
            self.awaiting = str(data["awaiting"])
        if kind == "connected":
            self._set_state("connected")
            spawn(self._resume(self.awaiting), on_error=self._send_failed)
        elif kind == "feedback":
            self.completed = True
        self.received.emit(ev)
        if kind == "feedback":
            self._set_state("completed")
            spawn(self._finish())

    async def _resume(self, awaiting: str) -> None:
        if self.voice_options is not None:  # a new socket starts with voice off
            await self.send("voice_toggle", self.voice_options())
        if awaiting == "start":
            await self.send("start", self.options)
        elif awaiting in ("answer", "followup", "done", ""):
            await self.send("ready")

    def _send_failed(self, exc: BaseException) -> None:
        log.info("a resume message was not sent: %s", exc)  # the reconnect will retry

    async def _finish(self) -> None:
        self._closing = True
        await self.connection.close()

    def _on_closed(self, code: int, reason: str) -> None:
        if self._closing or self.completed:
            return
        if code in FINAL_CLOSE_CODES:
            self._set_state("failed", FINAL_MESSAGES.get(code, reason or "The interview ended."))
            return
        self._start_reconnect()

    def _start_reconnect(self) -> None:
        if self._reconnect is None or self._reconnect.done():
            self._reconnect = spawn(self._reconnect_loop())

    async def _reconnect_loop(self) -> None:
        attempt = 0
        while not self._closing:
            self._set_state("reconnecting", "Reconnecting… your answers so far are saved.")
            delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
            await asyncio.sleep(delay)
            attempt += 1
            if self._closing:
                return
            try:
                await self.connection.connect()
                return  # the `connected` event takes it from here
            except ApiError:
                continue
