"""`create_app(settings)`: the FastAPI application, built from settings, no globals."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from backend import __version__
from backend.api.hub import InterviewHub
from backend.api.routes import data, interview, report, session, settings as settings_routes, upload
from backend.api.security import (BodySizeLimitMiddleware, HostCheckMiddleware,
                                  TokenAuthMiddleware)
from backend.api.services import Services
from backend.api import ws
from backend.config import ALLOWED_ORIGINS, MAX_RESUME_BYTES, Settings
from backend.interviewer.interface import Interviewer
from backend.interviewer.llm.config import ConfigError
from backend.interviewer.router import InterviewerRouter
from backend.store import Store

MULTIPART_OVERHEAD = 64 * 1024


def create_app(settings: Settings, *, interviewer: Interviewer | None = None,
               store: Store | None = None, voice=None) -> FastAPI:
    if interviewer is None:
        from backend.interviewer.builtin import BuiltinInterviewer

        interviewer = BuiltinInterviewer()
    store = store or Store(settings.database_path)
    services = Services(settings=settings, store=store,
                        interviewer=_router(interviewer, store), voice=voice)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        if services.voice is not None:
            services.voice.close()
        services.interviewer.close()
        services.store.close()

    app = FastAPI(title="Rehearse", version=__version__, lifespan=lifespan,
                  description="The local API of Rehearse, a private mock-interview coach. "
                              "See docs/protocol.md.")
    app.state.services = services
    app.state.hub = InterviewHub(services)
    for module in (session, upload, interview, report, data, settings_routes):
        app.include_router(module.router)
    app.include_router(ws.router)

    # Added innermost first: Host check wraps CORS, which wraps the token check, so a
    # preflight from an allowed origin is answered without a token.
    app.add_middleware(TokenAuthMiddleware, token=settings.token)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_RESUME_BYTES + MULTIPART_OVERHEAD,
                       paths={"/upload/resume"})
    app.add_middleware(CORSMiddleware, allow_origins=list(ALLOWED_ORIGINS),
                       allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
                       allow_headers=["Authorization", "Content-Type"], allow_credentials=False)
    app.add_middleware(HostCheckMiddleware, allowed_hosts=settings.allowed_hosts())
    return app


def _router(builtin: Interviewer, store: Store) -> InterviewerRouter:
    """The built-in interviewer, or the LLM one the stored settings choose (with the
    built-in as its fallback); a stored choice that cannot start falls back to built-in."""
    try:
        return InterviewerRouter(builtin, settings_routes.load_config(store))
    except ConfigError:
        return InterviewerRouter(builtin)
