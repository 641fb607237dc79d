"""What REST answers when something fails that no route expected: always the error model
(errors.py) with a ``detail`` a person can act on, never a plain-text 500.

A full or read-only disk is **507** `storage_unavailable` (Insufficient Storage): the request
changed nothing and can be sent again once there is space. Any other unexpected error is
**500** `internal_error`.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.errors import INTERNAL_DETAIL, ErrorCode, error_response
from backend.api.strict_json import json_error
from backend.store import WriteFailed

log = logging.getLogger(__name__)

def storage_detail(failure: WriteFailed) -> str:
    return (f"Could not save: {failure.problem}. {failure.remedy} and try again "
            "— nothing was changed.")


async def _write_failed(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, WriteFailed)
    log.warning("%s %s: could not write (%s)", request.method, request.url.path, exc.kind)
    return error_response(507, ErrorCode.STORAGE_UNAVAILABLE, storage_detail(exc))


class UnexpectedErrorMiddleware:
    """A route's unexpected exception becomes a JSON 500 and is logged here. (Starlette's
    own handler for ``Exception`` re-raises after answering, which drops the client's
    keep-alive connection; this one keeps it. That handler, errors.py's, still answers
    what fails in the middleware around this one.)"""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:
                raise  # half an answer went out: only closing the connection is honest
            await json_error(send, 500, ErrorCode.INTERNAL_ERROR, INTERNAL_DETAIL)


def install(app: FastAPI) -> None:
    """The handlers; add :class:`UnexpectedErrorMiddleware` as the innermost middleware."""
    app.add_exception_handler(WriteFailed, _write_failed)
