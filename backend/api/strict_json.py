"""JSON as the protocol means it: numbers are finite and of sane length.

Python's ``json`` accepts ``NaN``, ``Infinity`` and ``1e999`` (read as infinity), and
raises a bare ``ValueError`` for an integer of more than 4,300 digits. Those slipped past
the error rules (a dropped socket, a 500 in plain text). Everything that reads client
JSON goes through :func:`loads`, which turns all of them into :class:`BadJSON` with a
sentence a person can act on.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.errors import ErrorCode, error_body

MAX_NUMBER_CHARS = 100  # far beyond any real option, far below the 4,300-digit trap


class BadJSON(ValueError):
    """The text is not JSON the protocol accepts; the message says why."""


def _constant(name: str) -> Any:
    raise BadJSON(f"{name} is not a number JSON allows; send a plain finite number.")


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise BadJSON(f"A number of {len(text):,} characters is too long; send a plain number.")
    value = float(text)
    if not math.isfinite(value):
        raise BadJSON(f"{text[:20]} is out of range; send a plain finite number.")
    return value


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise BadJSON(f"A number of {len(text):,} digits is too long; send a plain number.")
    return int(text)


def loads(text: str | bytes) -> Any:
    """``json.loads`` that refuses non-finite and absurdly long numbers (:class:`BadJSON`);
    malformed or too deeply nested text is :class:`BadJSON` too."""
    try:
        return json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except BadJSON:
        raise
    except RecursionError:
        raise BadJSON("The JSON is nested too deeply.") from None
    except (ValueError, UnicodeDecodeError) as e:  # JSONDecodeError is a ValueError
        raise BadJSON(f"The text is not valid JSON ({str(e)[:80]}).") from None


MAX_JSON_BODY = 1024 * 1024  # every JSON body of the API is a few hundred bytes


class StrictJSONBodyMiddleware:
    """REST bodies sent as JSON are read with :func:`loads` before any route sees them: a
    non-finite or absurdly long number is a 422 with a JSON ``detail``, never a 500 (the
    framework's own error answer cannot even serialise a NaN it echoes back). A body of
    any other type than JSON or a form is a 415."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = _body_kind(scope) if scope["type"] == "http" else "none"
        if kind in ("none", "form", "raw") or _spoken_answer(scope):
            await self.app(scope, receive, send)
            return
        if kind == "other":  # the framework would echo undecodable bytes and fail (a 500)
            await json_error(send, 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                             "Send the body as JSON with 'Content-Type: application/json' "
                             "(uploads as multipart/form-data).")
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_JSON_BODY:
                await json_error(send, 413, ErrorCode.BODY_TOO_LARGE,
                                 f"The JSON body is over {MAX_JSON_BODY // 1024} KB; the API's "
                                 "requests are a few hundred bytes.")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body.strip():
            try:
                loads(body)
            except BadJSON as e:
                await json_error(send, 422, ErrorCode.VALIDATION_ERROR, str(e))
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


# Operations whose body is raw bytes (application/octet-stream): the microphone test's PCM16.
RAW_BODY_PATHS = frozenset({"/voice/transcribe"})


def _spoken_answer(scope: Scope) -> bool:
    """A spoken answer (practice extension, `POST …/audio`): a raw PCM16 body that its route
    reads itself, with its own size limit and a 415 `audio_format` for any other type."""
    return scope.get("method") == "POST" and str(scope.get("path", "")).endswith("/audio")


def _body_kind(scope: Scope) -> str:
    """'json' for a body the framework reads as JSON (declared so, or, as FastAPI does,
    sent without a Content-Type), 'form' for forms and uploads, 'raw' for the bytes of an
    operation in RAW_BODY_PATHS, 'other' for anything else, 'none' for methods without a
    body."""
    if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
        return "none"
    for key, value in scope.get("headers", ()):
        if key == b"content-type":
            kind = value.split(b";", 1)[0].strip().lower()
            if kind == b"application/json" or kind.endswith(b"+json"):
                return "json"
            if kind in (b"multipart/form-data", b"application/x-www-form-urlencoded"):
                return "form"
            if kind == b"application/octet-stream" and scope.get("path") in RAW_BODY_PATHS:
                return "raw"  # the route reads and checks the bytes itself
            return "other"
    return "json"


async def json_error(send: Send, status: int, code: ErrorCode, detail: str) -> None:
    """An answer in the error model, from a middleware (no route, no exception handler)."""
    body = json.dumps(error_body(code, detail)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
