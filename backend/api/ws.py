"""The live interview over WebSocket: `/ws/interview/{session_id}`.

Access is checked after the socket is accepted, so that a refused client reads a
close code (`CloseCode`: token, origin, malformed id, unknown session, documents missing).
Bad messages never close the socket: they get an `error` event and the interview goes on.
Engine calls run in a thread under the session's lock.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.types import Message

from backend.api.hub import LiveInterview
from backend.api.security import ws_access_error
from backend.api.services import Services
from backend.api.practice_deps import answering_key, keep_answer_audio
from backend.api.strict_json import BadJSON, loads
from backend.api.voice_ws import PendingQuestion, VoiceChannel, VoiceOptions, toggle_voice
from backend.config import ALLOWED_ORIGINS, MAX_ANSWER_CHARS
from backend.engine.machine import InterviewEngine, ProtocolError
from backend.interviewer.domain import ResumeAnalysis
from backend.interviewer.llm.events import notice_sink
from backend.protocol import events as wire
from backend.protocol.codes import CloseCode, SocketErrorCode
from backend.protocol.events import Event
from backend.protocol.steps import ANSWERING
from backend.store import SessionNotFound, WriteFailed

log = logging.getLogger(__name__)
router = APIRouter()

TAKEN_OVER = ("This interview was opened in another window, so this one was disconnected. "
              "Carry on there, or reopen it here.")

# A full or read-only disk (SocketErrorCode.NOT_SAVED): what could not be saved, and the
# button that sends the message again.
_NOT_SAVED = {"answer": ("your answer", "Submit"), "audio_end": ("your answer", "Submit"),
              "skip": ("your skip", "Skip"), "start": ("the start of the interview", "Start"),
              "ready": ("your progress", "Next"), "end": ("the end of the interview", "End")}


def not_saved(message_type: str, failure: WriteFailed) -> str:
    """E.g. "Could not save your answer: the disk is full. Free some space and press Submit
    again — nothing was lost." """
    what, button = _NOT_SAVED.get(message_type, ("your progress", ""))
    retry = f"press {button} again" if button else "try again"
    return f"Could not save {what}: {failure.problem}. {failure.remedy} and {retry} — nothing was lost."


INTERNAL_ERROR = ("Something went wrong on our side; your interview is saved up to its last "
                  "score. Send 'ready' to carry on.")


class Connection:
    """One client socket; serialises sends from the reader and the timer."""

    def __init__(self, ws: WebSocket):
        self.ws = ws
        self._send_lock = asyncio.Lock()
        self.open = True
        self.taken_over = False  # a newer connection drives the interview now

    async def send(self, ev: Event) -> None:
        await self._send(self.ws.send_text, json.dumps(ev))

    async def send_bytes(self, data: bytes) -> None:
        await self._send(self.ws.send_bytes, data)

    async def _send(self, fn: Callable[[Any], Awaitable[None]], payload: Any) -> None:
        if not self.open:
            return
        async with self._send_lock:
            try:
                await fn(payload)
            except (WebSocketDisconnect, RuntimeError, OSError):
                self.open = False

    async def send_all(self, events: list[Event]) -> None:
        for ev in events:
            await self.send(ev)

    async def error(self, code: SocketErrorCode | CloseCode, message: str) -> None:
        await self.send(wire.Error(message=message, code=code).event())

    async def refuse(self, code: CloseCode, message: str) -> None:
        await self.error(code, message)
        self.open = False
        with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
            await self.ws.close(code=code, reason=message[:120])

    async def take_over_from(self, previous: Connection | None) -> None:
        """This connection drives the interview now; the previous one (if still open) is
        told why and closed with `CloseCode.TAKEN_OVER`, and what it had queued is dropped."""
        if previous is None or previous is self:
            return
        previous.taken_over = True
        if previous.open:
            await previous.refuse(CloseCode.TAKEN_OVER, TAKEN_OVER)


async def _admit(conn: Connection, services: Services, session_id: str) -> dict | None:
    """The session row if this client may run it; otherwise close with the right code."""
    code = ws_access_error(conn.ws.scope, services.settings.token, ALLOWED_ORIGINS)
    if code == CloseCode.UNAUTHORISED:
        await conn.refuse(code, "Missing or wrong token: connect with ?token=<launch token>.")
        return None
    if code == CloseCode.ORIGIN_NOT_ALLOWED:
        await conn.refuse(code, "Origin not allowed.")
        return None
    try:
        session_id = str(uuid.UUID(session_id))
    except ValueError:
        await conn.refuse(CloseCode.BAD_SESSION_ID, "Invalid session ID format.")
        return None
    try:
        row = await services.run(services.store.get_session, session_id)
    except SessionNotFound:
        await conn.refuse(CloseCode.SESSION_NOT_FOUND, "Session not found.")
        return None
    if not (row.get("resume_text") and row.get("job_description")):
        await conn.refuse(CloseCode.NEEDS_DOCUMENTS, "Upload resume and JD first.")
        return None
    return row


@router.websocket("/ws/interview/{session_id}")
async def interview_socket(ws: WebSocket, session_id: str) -> None:
    await ws.accept()
    services: Services = ws.app.state.services
    conn = Connection(ws)
    row = await _admit(conn, services, session_id)
    if row is None:
        return
    live = await ws.app.state.hub.get(row["id"])
    live.clients += 1
    previous, live.owner = live.owner, conn  # one writer per interview: the newest
    await conn.take_over_from(previous)
    live.engine.attach()
    # Support logs name the session and the steps, never what was said (logging_setup.py).
    log.info("interview %s connected, awaiting %s", row["id"][:8], live.engine.state.awaiting)
    analysis = row.get("analysis") or {}
    await conn.send(wire.Connected(session_id=row["id"], status=row["status"],
                                   phase=live.engine.state.phase,
                                   seniority=analysis.get("seniority", "mid"), role=row.get("role"),
                                   awaiting=live.engine.state.awaiting).event())
    ticker = asyncio.create_task(_tick(conn, live, services.settings.tick_seconds))
    session = InterviewSocket(conn, live, services)
    # Messages are handled one at a time by a worker, in order, while this loop keeps
    # reading: an `end` that arrives during a slow step (an LLM grading) can cancel it.
    inbox: asyncio.Queue[Message | None] = asyncio.Queue()
    worker = asyncio.create_task(_dispatch(session, inbox))
    try:
        while conn.open:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect" or conn.taken_over:
                break
            try:
                if _is_end(message.get("text")):
                    _cancel_interviewer(services)
            except Exception:  # noqa: BLE001 - the reader must outlive any bug
                log.exception("error reading a message ahead")
            inbox.put_nowait(message)  # every message is answered by the worker, in order
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        inbox.put_nowait(None)
        await worker  # what was received is still handled (and committed) in order
        conn.open = False
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker
        await session.close()
        log.info("interview %s disconnected%s", row["id"][:8],
                 " (taken over by a newer connection)" if conn.taken_over else "")
        if live.owner is conn:
            live.owner = None
        live.clients -= 1
        if live.clients == 0:
            async with live.lock:
                await services.run(live.engine.detach)


async def _dispatch(session: InterviewSocket, inbox: asyncio.Queue[Message | None]) -> None:
    while (message := await inbox.get()) is not None:
        if session.conn.taken_over:
            continue  # a newer connection drives the interview; this one's queue is void
        try:
            if message.get("text") is not None:
                await session.on_text(message["text"])
            elif message.get("bytes") is not None:
                await session.on_bytes(message["bytes"])
        except Exception:  # noqa: BLE001 - one bad message must not stop the rest
            log.exception("error handling a message")
            await session.conn.error(SocketErrorCode.INTERNAL, INTERNAL_ERROR)


def _is_end(text: str | None) -> bool:
    """Whether a message is `end` (read ahead of the queue, to cancel slow work). Never
    raises: the worker answers whatever is wrong with the message."""
    if not text or '"end"' not in text:
        return False
    try:
        message = loads(text)
    except BadJSON:
        return False
    return isinstance(message, dict) and message.get("type") == "end"


def _cancel_interviewer(services: Services) -> None:
    """The candidate ends the interview: abandon slow interviewer work in flight (it falls
    back to the built-in interviewer, so the end is handled at once)."""
    services.interviewer.cancel()


async def _tick(conn: Connection, live: LiveInterview, every_s: float) -> None:
    while conn.open:
        await asyncio.sleep(every_s)
        async with live.lock:
            ev = live.engine.tick()
        if ev is not None:
            await conn.send(ev)


class EngineView:
    """What voice may see of the live interview (``voice_ws.InterviewView``)."""

    def __init__(self, engine: InterviewEngine):
        self._engine = engine

    def pending(self) -> PendingQuestion | None:
        state = self._engine.state
        turn = state.current
        if turn is None or state.awaiting not in ANSWERING:
            return None
        if state.awaiting == "followup":
            return PendingQuestion("followup", turn.followups[-1].question, turn.number,
                                   turn.question)
        return PendingQuestion("question", turn.question.text, turn.number, turn.question)

    def upcoming_text(self) -> str | None:
        upcoming = self._engine.state.upcoming
        return upcoming.text if upcoming is not None else None

    def analysis(self) -> ResumeAnalysis:
        return self._engine.info.analysis


class InterviewSocket:
    """Dispatches one connection's messages to the engine (and voice, when on)."""

    def __init__(self, conn: Connection, live: LiveInterview, services: Services):
        self.conn = conn
        self.live = live
        self.services = services
        self.engine = live.engine
        self.handlers: dict[str, Callable[[dict[str, Any]], Awaitable[None]]] = {
            "start": self.on_start, "answer": self.on_answer, "ready": self.on_ready,
            "end": self.on_end, "skip": self.on_skip, "voice_toggle": self.on_voice_toggle,
            "correct_answer": self.on_correct_answer,
            "audio_start": self.on_voice("audio_start"), "audio_end": self.on_voice("audio_end"),
            "audio_cancel": self.on_voice("audio_cancel"), "replay": self.on_voice("replay"),
        }
        self.voice: VoiceChannel | None = None  # once voice is switched on

    async def on_text(self, raw: str) -> None:
        try:
            message = loads(raw)
        except BadJSON as e:
            await self.conn.error(SocketErrorCode.BAD_MESSAGE, f"{e} Messages must be JSON objects like "
                                                 '{"type": "answer", "data": {...}}.')
            return
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.conn.error(SocketErrorCode.BAD_MESSAGE, 'Messages must be JSON objects with a "type".')
            return
        data = message.get("data", {})
        if data is None:
            data = {}
        if not isinstance(data, dict):
            await self.conn.error(SocketErrorCode.BAD_MESSAGE, '"data" must be a JSON object.')
            return
        handler = self.handlers.get(message["type"])
        if handler is None:
            await self.conn.error(SocketErrorCode.BAD_MESSAGE, f"Unknown message type {message['type'][:40]!r}; "
                                                 f"expected one of {', '.join(self.handlers)}.")
            return
        await self._handle(message["type"], handler(data))

    async def _handle(self, kind: str, work: Awaitable[None]) -> None:
        """Run a message's handler; whatever it raises becomes the right `error` event."""
        try:
            await work
        except ProtocolError as e:
            await self.conn.error(e.code, e.message)
        except WriteFailed as e:  # the engine rolled back: the same message can be sent again
            log.warning("interview %s: %s not saved (%s)", self.engine.session_id[:8], kind,
                        e.kind)
            await self.conn.error(SocketErrorCode.NOT_SAVED, not_saved(kind, e))
        except Exception:  # noqa: BLE001 - the interview must survive any bug
            log.exception("error handling %s", kind)
            await self.conn.error(SocketErrorCode.INTERNAL, INTERNAL_ERROR)

    async def on_bytes(self, data: bytes) -> None:
        if self.voice is None:
            await self.conn.error(SocketErrorCode.BAD_MESSAGE, "Audio was sent but voice mode is off: send "
                                                 "voice_toggle first.")
            return
        # Audio can end an answer (auto-end after silence): it is submitted from here.
        await self._handle("audio_end", self.voice.on_audio(data))

    async def call(self, fn: Callable[..., list[Event]], *args: Any) -> list[Event]:
        """Run an engine method in a thread. Notices the interviewer emits meanwhile
        (`thinking`, `interviewer_status`) are sent as they happen, all before it returns."""
        loop = asyncio.get_running_loop()
        notices: list[concurrent.futures.Future[None]] = []

        def sink(notice: Event) -> None:
            notices.append(asyncio.run_coroutine_threadsafe(self.conn.send(notice), loop))

        token = notice_sink.set(sink)
        try:
            return await self.services.run(fn, *args)
        finally:
            notice_sink.reset(token)
            for sent in notices:
                await asyncio.wrap_future(sent)

    async def run(self, fn: Callable[..., list[Event]], *args: Any) -> list[Event]:
        """Run an engine method off the event loop, under the session's lock, and send
        its events (already committed to disk) to the client."""
        async with self.live.lock:
            events = await self.call(fn, *args)
        log.info("interview %s: %s", self.live.engine.session_id[:8],
                 ", ".join(e["type"] for e in events) or "no events")
        await self.conn.send_all(events)
        await self.after(events)
        return events

    async def after(self, events: list[Event]) -> None:
        """Hook for extensions that react to sent events (voice speaks questions)."""
        if self.voice is not None:
            await self.voice.after_events(events)

    async def on_start(self, data: dict[str, Any]) -> None:
        await self.run(self.engine.start, data.get("max_questions"), data.get("duration_minutes"))

    async def on_answer(self, data: dict[str, Any]) -> None:
        metrics = self.voice.take_review_metrics() if self.voice is not None else None
        await self.answer(data.get("text"), metrics)

    async def answer(self, text: Any, metrics: dict[str, Any] | None = None) -> None:
        audio = self.voice.take_recording() if self.voice is not None else None
        answering = answering_key(self.engine.state)
        await self.run(self.engine.answer, text, metrics, MAX_ANSWER_CHARS)
        if audio and answering is not None:  # issue 18: a spoken answer is kept, compressed
            await keep_answer_audio(self.services, self.engine, answering, audio)
        await self._plan_next()

    async def on_skip(self, data: dict[str, Any]) -> None:
        """Extension: skip the question (or its follow-up); it counts as 0."""
        if self.voice is not None:
            self.voice.take_recording()  # a reviewed recording not sent belongs to no answer
        await self.run(self.engine.skip)
        await self._plan_next()

    async def _plan_next(self) -> None:
        if self.engine.state.awaiting == "next":
            await self.run(self.engine.plan_next)  # after the score: then pre-synthesis

    async def on_correct_answer(self, data: dict[str, Any]) -> None:
        """Extension: "This isn't what I said" on a spoken answer of the current question."""
        await self.run(self.engine.correct_answer, data.get("question_number"),
                       data.get("followup_number", 0), data.get("text"), MAX_ANSWER_CHARS)

    async def on_ready(self, data: dict[str, Any]) -> None:
        if self.engine.state.awaiting == "end":
            await self._finish(self.engine.begin_evaluation)
        else:
            await self.run(self.engine.ready)

    async def on_end(self, data: dict[str, Any]) -> None:
        """Extension: the candidate ends the interview early. (The reader already cancelled
        slow interviewer work when this message arrived; the report may use it again.)"""
        self.services.interviewer.resume()
        if self.engine.state.awaiting == "done":
            await self.run(self.engine.ready)
            return
        await self._finish(self.engine.end_early_begin)

    async def _finish(self, begin: Callable[[], list[Event]]) -> None:
        # The phase_update goes out before the (possibly slow) report is written.
        async with self.live.lock:
            await self.conn.send_all(await self.services.run(begin))
            events = await self.call(self.engine.finish)
        log.info("interview %s finished: %s", self.live.engine.session_id[:8],
                 ", ".join(e["type"] for e in events))
        await self.conn.send_all(events)

    def on_voice(self, name: str) -> Callable[[dict[str, Any]], Awaitable[None]]:
        """A handler for a voice message; an error while voice mode is off."""
        async def handle(data: dict[str, Any]) -> None:
            if self.voice is None:
                await self.conn.error(SocketErrorCode.BAD_MESSAGE, f"'{name}' needs voice mode: send "
                                                     'voice_toggle with "enabled": true first.')
                return
            if name == "replay":
                self.voice.replay()
            else:
                actions = {"audio_start": self.voice.audio_start,
                           "audio_end": self.voice.audio_end,
                           "audio_cancel": self.voice.audio_cancel}
                await actions[name](data)
        return handle

    async def on_voice_toggle(self, data: dict[str, Any]) -> None:
        options = VoiceOptions.from_message(data)
        service = self.services.voice_service() if options.enabled else self.services.voice
        self.voice = await toggle_voice(self.voice, options, conn=self.conn, service=service,
                                        view=EngineView(self.engine), submit=self.answer)

    async def close(self) -> None:
        if self.voice is not None:
            await self.voice.close()
