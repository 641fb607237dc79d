"""FastAPI dependencies and parameter types, as `Annotated` aliases the routes share."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import Depends, Form, Path, Query, Request
from starlette.convertors import Convertor, register_url_convertor

from backend.api.errors import ApiError, ErrorCode
from backend.api.hub import InterviewHub
from backend.api.services import Services
from backend.store import SessionNotFound


def get_services(request: Request) -> Services:
    return request.app.state.services


def get_hub(request: Request) -> InterviewHub:
    return request.app.state.hub


ServicesDep = Annotated[Services, Depends(get_services)]
HubDep = Annotated[InterviewHub, Depends(get_hub)]

# A session id is a UUID: `format: uuid` in the OpenAPI document, 8-4-4-4-12 hex digits.
UUID_REGEX = (r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
              r"[0-9a-fA-F]{12}")
UUID_TEXT = re.compile(UUID_REGEX)


class SessionIdConvertor(Convertor[str]):
    """`{session_id:session_id}` in a route's path: only a UUID is a session id there, so
    `GET /session/start` is not session "start" but the wrong method on POST /session/start
    (405), and `/session/abc` is no path at all (404 `not_found`)."""

    regex = UUID_REGEX

    def convert(self, value: str) -> str:
        return str(uuid.UUID(value))

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("session_id", SessionIdConvertor())

# In a form field or the query, a malformed id gets 400 `invalid_session_id`.
_SESSION_ID_DOC = "the id `POST /session/start` returned (a UUID)"
_UUID: dict[str, Any] = {"format": "uuid"}
_EXAMPLE_ID = "3f2c9a4e-8b1d-4c6e-9f70-2a5b8c1d0e93"
SessionIdPath = Annotated[str, Path(description=_SESSION_ID_DOC, json_schema_extra=_UUID,
                                    examples=[_EXAMPLE_ID])]
SessionIdQuery = Annotated[str, Query(description=_SESSION_ID_DOC, json_schema_extra=_UUID,
                                      examples=[_EXAMPLE_ID])]
SessionIdForm = Annotated[str, Form(description=_SESSION_ID_DOC, json_schema_extra=_UUID)]


def valid_session_id(session_id: str) -> str:
    """The id in its canonical (lower-case) form; ApiError 400 if it is not a UUID."""
    if UUID_TEXT.fullmatch(session_id):
        return str(uuid.UUID(session_id))
    raise ApiError(400, ErrorCode.INVALID_SESSION_ID,
                   f"'{session_id[:60]}' is not a valid session id (a UUID).", "session_id")


def load_session(services: Services, session_id: str) -> dict[str, Any]:
    try:
        return services.store.get_session(valid_session_id(session_id))
    except SessionNotFound:
        raise ApiError(404, ErrorCode.SESSION_NOT_FOUND,
                       "Session not found. Start a new session with POST /session/start.",
                       "session_id") from None
