"""Interviewer settings (extension): built-in or an OpenAI-compatible model server."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter

from backend.api.deps import ServicesDep
from backend.api import examples as ex
from backend.api.error_docs import error_responses
from backend.api.errors import ApiError, ErrorCode
from backend.api.examples import ok
from backend.protocol.rest import (ConnectionTestIn, ConnectionTestOut, InterviewerSettingsIn,
                                 InterviewerSettingsOut)
from backend.api.services import Services
from backend.config import is_loopback_host
from backend.interviewer.llm.client import LLMError, OpenAIClient
from backend.interviewer.llm.config import (LM_STUDIO_URL, OLLAMA_URL, SETTINGS_KEY,
                                            ConfigError, check_base_url, remote_warning,
                                            url_host)
from backend.interviewer.router import InterviewerRouter

router = APIRouter(tags=["settings"])

# What PUT can still refuse once the body validated (mode and timeout_s are the schema's).
SETTING_ERRORS = (ErrorCode.INVALID_URL, ErrorCode.REMOTE_NOT_ALLOWED, ErrorCode.MODEL_REQUIRED,
                  ErrorCode.MODEL_FILE_NOT_FOUND, ErrorCode.INVALID_MODEL_FILE,
                  ErrorCode.LLM_EXTRA_MISSING)


def interviewer_router(services: Services) -> InterviewerRouter:
    r = services.interviewer
    if not isinstance(r, InterviewerRouter):
        raise ApiError(409, ErrorCode.FIXED_INTERVIEWER,
                       "This backend was started with a fixed interviewer.")
    return r


def config_error(e: ConfigError) -> ApiError:
    return ApiError(400, ErrorCode(e.code), str(e), e.field)


def public(r: InterviewerRouter) -> dict[str, Any]:
    return {**r.config.public(), "active": r.mode, "local_server": r.local_base_url(),
            "defaults": {"ollama": OLLAMA_URL, "lm_studio": LM_STUDIO_URL}}


@router.get("/settings/interviewer", response_model=InterviewerSettingsOut,
            summary="Which interviewer runs (extension)",
            responses={**ok(ex.SETTINGS), **error_responses(ErrorCode.FIXED_INTERVIEWER)})
def get_interviewer(services: ServicesDep) -> dict[str, Any]:
    return public(interviewer_router(services))


@router.put("/settings/interviewer", response_model=InterviewerSettingsOut,
            summary="Choose the interviewer (extension)",
            responses={**ok(ex.SETTINGS),
                       **error_responses(*SETTING_ERRORS, ErrorCode.FIXED_INTERVIEWER)})
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
        raise config_error(e) from None
    services.store.set_setting(SETTINGS_KEY, config.stored())
    return public(r)


@router.post("/settings/interviewer/test", response_model=ConnectionTestOut,
             summary="List a server's models to check it is reachable (extension)",
             responses={**ok(ex.CONNECTION), **error_responses(
                 ErrorCode.INVALID_URL, ErrorCode.REMOTE_NOT_ALLOWED, ErrorCode.FIXED_INTERVIEWER,
                 ErrorCode.MODEL_SERVER_UNREACHABLE)})
def test_server(body: ConnectionTestIn, services: ServicesDep) -> dict[str, Any]:
    r = interviewer_router(services)
    try:
        url = check_base_url(body.base_url, body.allow_remote)
    except ConfigError as e:
        raise config_error(e) from None
    key = body.api_key
    if key is None:
        key = r.config.api_key if r.config.base_url == url else ""
    try:
        models = OpenAIClient(url, key).list_models()
    except LLMError as e:
        raise ApiError(502, ErrorCode.MODEL_SERVER_UNREACHABLE,
                       f"Could not list the models at {url}/models: {e.reason}. Is the server "
                       "running (Ollama, LM Studio or llama.cpp's server) and is the URL right?",
                       "base_url") from None
    remote = not is_loopback_host(url_host(url))
    return {"ok": True, "base_url": url, "models": models, "remote": remote,
            "warning": remote_warning(url) if remote else None}
