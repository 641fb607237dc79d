"""`create_app(settings)`: the FastAPI application, built from settings, no globals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import Executor
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from backend import __version__
from backend.api import failures
from backend.api.errors import install_error_handlers
from backend.api.hub import InterviewHub
from backend.api.openapi import install_openapi
from backend.api.routes import data, interview, report, session, settings as settings_routes, upload
from backend.api.routes import practice, retries
from backend.api.routes import voice as voice_routes
from backend.api.security import (BodySizeLimitMiddleware, HostCheckMiddleware,
                                  TokenAuthMiddleware)
from backend.api.services import Services, make_executor
from backend.api.strict_json import StrictJSONBodyMiddleware
from backend.api import ws
from backend.config import ALLOWED_ORIGINS, MAX_RESUME_BYTES, Settings
from backend.interviewer.interface import Interviewer
from backend.interviewer.llm.config import ConfigError, load_config
from backend.interviewer.router import InterviewerRouter
from backend.store import Store

if TYPE_CHECKING:
    from backend.voice.service import VoiceService

MULTIPART_OVERHEAD = 64 * 1024
API_DESCRIPTION = (
    "The local API of Rehearse, a private mock-interview coach: the REST reference. The live "
    "interview (WebSocket), the voice add-on and the rules behind the numbers are in "
    "docs/protocol.md.\n\n"
    "Every error is `{\"detail\", \"code\", \"field\"?}`: `detail` a sentence to show as is, "
    "`code` a stable name to branch on (see `ErrorCode`), `field` the request field it is "
    "about, where there is one. A 405 names the path's methods in `Allow`.")


def create_app(settings: Settings, *, interviewer: Interviewer | None = None,
               store: Store | None = None, voice: VoiceService | None = None) -> FastAPI:
    executor = make_executor()
    if interviewer is None:
        from backend.interviewer.builtin import BuiltinInterviewer

        interviewer = BuiltinInterviewer(background=executor)
    store = store or Store(settings.database_path)
    services = Services(settings=settings, store=store, executor=executor,
                        interviewer=_router(interviewer, store, executor), voice=voice)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()

    app = FastAPI(title="Rehearse", version=__version__, lifespan=lifespan,
                  description=API_DESCRIPTION)
    app.state.services = services
    app.state.hub = InterviewHub(services)
    for module in (session, upload, interview, report, data, settings_routes, voice_routes,
                   retries, practice):
        app.include_router(module.router)
    app.include_router(ws.router)
    install_error_handlers(app)
    failures.install(app)
    install_openapi(app)

    # Added innermost first: Host check wraps CORS, which wraps the token check, so a
    # preflight from an allowed origin is answered without a token. JSON bodies are
    # checked only once the token is.
    app.add_middleware(failures.UnexpectedErrorMiddleware)
    app.add_middleware(StrictJSONBodyMiddleware)
    app.add_middleware(TokenAuthMiddleware, token=settings.token)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_RESUME_BYTES + MULTIPART_OVERHEAD,
                       paths={"/upload/resume"})
    app.add_middleware(CORSMiddleware, allow_origins=list(ALLOWED_ORIGINS),
                       allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
                       allow_headers=["Authorization", "Content-Type"], allow_credentials=False)
    app.add_middleware(HostCheckMiddleware, allowed_hosts=settings.allowed_hosts())
    return app


def _router(builtin: Interviewer, store: Store, executor: Executor) -> InterviewerRouter:
    """The built-in interviewer, or the LLM one the stored settings choose (with the
    built-in as its fallback); a stored choice that cannot start falls back to built-in."""
    try:
        return InterviewerRouter(builtin, load_config(store), background=executor)
    except ConfigError:
        return InterviewerRouter(builtin, background=executor)
