"""FastAPI dependencies, as `Annotated` aliases the routes share."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from backend.api.hub import InterviewHub
from backend.api.services import Services
from backend.store import SessionNotFound


def get_services(request: Request) -> Services:
    return request.app.state.services


def get_hub(request: Request) -> InterviewHub:
    return request.app.state.hub


ServicesDep = Annotated[Services, Depends(get_services)]
HubDep = Annotated[InterviewHub, Depends(get_hub)]


def valid_session_id(session_id: str) -> str:
    try:
        return str(uuid.UUID(session_id))
    except ValueError:
        raise HTTPException(400, f"'{session_id[:60]}' is not a valid session id (a UUID).") from None


def load_session(services: Services, session_id: str) -> dict[str, Any]:
    try:
        return services.store.get_session(valid_session_id(session_id))
    except SessionNotFound:
        raise HTTPException(404, "Session not found. Start a new session with POST /session/start.") from None
