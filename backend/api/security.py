"""Who may talk to the backend: loopback Host headers and the launch token.

Pure ASGI middleware, so it guards HTTP and WebSocket alike without buffering bodies.
A WebSocket is never refused during the handshake for a bad token or origin: the
protocol wants it accepted and then closed with a 4xxx code the client can read, so
those checks live in the WebSocket route (`ws_access_error`).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.errors import ErrorCode, error_body
from backend.protocol.codes import CloseCode

OPEN_PATHS = frozenset({"/health", "/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc"})

def token_matches(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def host_of(header: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1'; '[::1]:8000' -> '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


# The error model's `code` for the answers given here, before any route runs, and the
# `field` where the error is about one.
_CODES: dict[int, tuple[ErrorCode, str | None]] = {
    401: (ErrorCode.UNAUTHORIZED, None), 413: (ErrorCode.FILE_TOO_LARGE, "file"),
    421: (ErrorCode.HOST_NOT_ALLOWED, None)}


async def _json_response(send: Send, status: int, detail: str, extra: Iterable = ()) -> None:
    code, field = _CODES.get(status, (ErrorCode.REQUEST_ERROR, None))
    body = json.dumps(error_body(code, detail, field)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


class HostCheckMiddleware:
    """Refuse requests whose Host is not this machine (DNS-rebinding defence)."""

    def __init__(self, app: ASGIApp, allowed_hosts: set[str]):
        self.app = app
        self.allowed = {h.lower() for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = host_of(_header(scope, b"host") or "")
            if host not in self.allowed:
                if scope["type"] == "http":
                    await _json_response(send, 421, "This server only answers requests "
                                                    "addressed to 127.0.0.1 or localhost.")
                else:
                    await send({"type": "websocket.close", "code": 1008})
                return
        await self.app(scope, receive, send)


class TokenAuthMiddleware:
    """Every HTTP request except the open paths needs `Authorization: Bearer <token>`."""

    def __init__(self, app: ASGIApp, token: str):
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in OPEN_PATHS:
            auth = _header(scope, b"authorization") or ""
            scheme, _, given = auth.partition(" ")
            if scheme.lower() != "bearer" or not token_matches(given.strip(), self.token):
                await _json_response(send, 401, "Missing or wrong token: send "
                                     "'Authorization: Bearer <token>' with the token "
                                     "printed when the server started.",
                                     [(b"www-authenticate", b"Bearer")])
                return
        await self.app(scope, receive, send)


def ws_access_error(scope: Scope, token: str,
                    allowed_origins: Iterable[str]) -> CloseCode | None:
    """The close code a WebSocket must get for its token or origin, or None if allowed."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if not token_matches((query.get("token") or [None])[0], token):
        return CloseCode.UNAUTHORISED
    origin = _header(scope, b"origin")
    if origin is not None and origin not in set(allowed_origins):
        return CloseCode.ORIGIN_NOT_ALLOWED
    return None


class BodySizeLimitMiddleware:
    """Refuse an upload over ``max_bytes`` with 413: by its Content-Length before reading
    it, and otherwise (a chunked body) by counting while it streams in, stopping at the
    limit instead of spooling the rest to a temporary file."""

    MESSAGE = ("The file is larger than 10 MB. Save your resume without embedded images, "
               "or as plain text.")

    def __init__(self, app: ASGIApp, max_bytes: int, paths: Iterable[str]):
        self.app = app
        self.max_bytes = max_bytes
        self.paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            await _json_response(send, 413, self.MESSAGE)
            return
        received = 0
        refused = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Answer now; the app sees the client gone and stops reading.
                    refused = True
                    if not response_started:
                        await _json_response(send, 413, self.MESSAGE)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if refused:
                return  # the 413 was the answer; whatever the app says after is dropped
            response_started = True
            await send(message)

        await self.app(scope, counting_receive, guarded_send)
