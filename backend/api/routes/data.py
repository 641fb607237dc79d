"""The candidate's data as a whole: health, the long-term profile, deleting everything."""

from __future__ import annotations

from fastapi import APIRouter

from backend import __version__
from backend.api import examples as ex
from backend.api.deps import HubDep, ServicesDep
from backend.api.examples import ok
from backend.api.practice_deps import forget_recordings
from backend.protocol.rest import Deleted, Health, Profile
from backend.engine.memory import build_profile, score_trend

router = APIRouter()


@router.get("/health", response_model=Health, tags=["health"],
            summary="Whether the backend runs (no token needed)", responses=ok(ex.HEALTH))
def health() -> Health:
    return Health(status="ok", version=__version__)


@router.get("/profile", response_model=Profile, tags=["data"],
            summary="What opted-in sessions say about the candidate (extension)",
            responses=ok(ex.PROFILE))
def profile(services: ServicesDep) -> Profile:
    sessions = services.store.opted_in_sessions()
    p = build_profile(sessions)
    return Profile(sessions=p.sessions, weak_topics=p.weak_topics,
                   questions_seen=len(p.asked_question_ids), trend=score_trend(sessions))


@router.delete("/data", response_model=Deleted, tags=["data"],
               summary="Delete every session and answer, then compact the file (extension)",
               responses=ok(ex.DELETED_ALL))
def delete_all(services: ServicesDep, hub: HubDep) -> Deleted:
    n = services.store.delete_all()
    forget_recordings(services, None)  # every recording's file
    hub.forget()
    return Deleted(deleted=n, message=f"Deleted {n} session(s); the database file was compacted "
                                      "so no deleted text remains in it.")
