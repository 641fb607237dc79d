"""Interviewer settings (extension): built-in or an OpenAI-compatible model server."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from backend.api.deps import ServicesDep
from backend.api.services import Services
from backend.interviewer.llm.client import LLMError, OpenAIClient
from backend.config import is_loopback_host
from backend.interviewer.llm.config import (DEFAULT_BASE_URL, DEFAULT_TIMEOUT_S, LM_STUDIO_URL,
                                            OLLAMA_URL, SETTINGS_KEY, ConfigError,
                                            check_base_url, remote_warning, url_host)
from backend.interviewer.router import InterviewerRouter

router = APIRouter(tags=["settings"])


class InterviewerSettingsIn(BaseModel):
    mode: Literal["builtin", "openai"]
    base_url: str = Field(DEFAULT_BASE_URL, max_length=500)
    model: str = Field("", max_length=500)
    api_key: str | None = Field(None, max_length=500,
                                description="write-only; null keeps the stored key, \"\" clears it")
    allow_remote: bool = False
    timeout_s: float = Field(DEFAULT_TIMEOUT_S, ge=1, le=600)
    gguf_path: str = Field("", max_length=1000)


class ConnectionTestIn(BaseModel):
    base_url: str = Field(max_length=500)
    api_key: str | None = Field(None, max_length=500)
    allow_remote: bool = False


def interviewer_router(services: Services) -> InterviewerRouter:
    r = services.interviewer
    if not isinstance(r, InterviewerRouter):
        raise HTTPException(409, "This backend was started with a fixed interviewer.")
    return r


def public(r: InterviewerRouter) -> dict[str, Any]:
    return {**r.config.public(), "active": r.mode, "local_server": r.local_base_url(),
            "defaults": {"ollama": OLLAMA_URL, "lm_studio": LM_STUDIO_URL}}


@router.get("/settings/interviewer", summary="Which interviewer runs (extension)")
def get_interviewer(services: ServicesDep) -> dict[str, Any]:
    return public(interviewer_router(services))


@router.put("/settings/interviewer", summary="Choose the interviewer (extension)")
def put_interviewer(body: InterviewerSettingsIn, services: ServicesDep) -> dict[str, Any]:
    r = interviewer_router(services)
    old = r.config
    config = replace(old, mode=body.mode, base_url=body.base_url, model=body.model,
                     api_key=old.api_key if body.api_key is None else body.api_key,
                     allow_remote=body.allow_remote, timeout_s=body.timeout_s,
                     gguf_path=body.gguf_path)
    try:
        config = config.validated()
        r.configure(config)
    except ConfigError as e:
        raise HTTPException(400, str(e)) from None
    services.store.set_setting(SETTINGS_KEY, config.stored())
    return public(r)


@router.post("/settings/interviewer/test",
             summary="List a server's models to check it is reachable (extension)")
def test_server(body: ConnectionTestIn, services: ServicesDep) -> dict[str, Any]:
    r = interviewer_router(services)
    try:
        url = check_base_url(body.base_url, body.allow_remote)
    except ConfigError as e:
        raise HTTPException(400, str(e)) from None
    key = body.api_key
    if key is None:
        key = r.config.api_key if r.config.base_url == url else ""
    try:
        models = OpenAIClient(url, key).list_models()
    except LLMError as e:
        raise HTTPException(502, f"Could not list the models at {url}/models: {e.reason}. Is the "
                                 "server running (Ollama, LM Studio or llama.cpp's server) and "
                                 "is the URL right?") from None
    remote = not is_loopback_host(url_host(url))
    return {"ok": True, "base_url": url, "models": models, "remote": remote,
            "warning": remote_warning(url) if remote else None}

