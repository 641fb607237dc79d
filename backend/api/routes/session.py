"""Sessions: create, inspect, list (history) and delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend.api.deps import HubDep, ServicesDep, SessionIdPath, load_session
from backend.api import examples as ex
from backend.api.error_docs import error_responses
from backend.api.errors import ApiError, ErrorCode
from backend.api.examples import ok
from backend.api.plan import plan_questions
from backend.api.practice_deps import forget_recordings
from backend.protocol.rest import (Deleted, InterviewPlan, PlannedQuestion, SessionCreated,
                                 SessionDetails, SessionSummary, Transcript)
from backend.api.transcript import build_transcript
from backend.config import DEFAULT_MAX_QUESTIONS

router = APIRouter(tags=["session"])

# What every operation on an existing session can answer besides its own errors.
SESSION_ERRORS = error_responses(ErrorCode.SESSION_NOT_FOUND, ErrorCode.NOT_FOUND)


@router.post("/session/start", response_model=SessionCreated, responses=ok(ex.SESSION_CREATED))
def start_session(services: ServicesDep) -> SessionCreated:
    row = services.store.create_session()
    return SessionCreated(session_id=row["id"], status=row["status"],
                          message="Session created successfully")


def details(row: dict) -> SessionDetails:
    analysis = row.get("analysis") or {}
    return SessionDetails(
        session_id=row["id"], status=row["status"], current_phase=row["phase"],
        has_resume=bool(row.get("resume_text")), has_jd=bool(row.get("job_description")),
        memory_opt_in=row["memory_opt_in"], role=row.get("role"),
        detected_seniority=analysis.get("seniority") if row.get("resume_text") else None,
        resume_filename=row.get("resume_filename"), created_at=row.get("created_at"))


@router.get("/session/{session_id:session_id}", response_model=SessionDetails,
            responses={**ok(ex.SESSION), **SESSION_ERRORS})
def get_session(session_id: SessionIdPath, services: ServicesDep) -> SessionDetails:
    return details(load_session(services, session_id))


@router.get("/session/{session_id:session_id}/transcript", response_model=Transcript,
            summary="The questions, answers and scores so far, to continue an interview "
                    "(extension)", responses={**ok(ex.TRANSCRIPT), **SESSION_ERRORS})
def get_transcript(session_id: SessionIdPath, services: ServicesDep) -> Transcript:
    return Transcript(**build_transcript(load_session(services, session_id)))


@router.get("/session/{session_id:session_id}/plan", response_model=InterviewPlan,
            summary="The topics the interview will ask about, in order (extension)",
            responses={**ok(ex.PLAN), **error_responses(
                ErrorCode.SESSION_NOT_FOUND, ErrorCode.NOT_FOUND, ErrorCode.RESUME_MISSING)})
async def get_plan(session_id: SessionIdPath, services: ServicesDep,
                   max_questions: Annotated[int, Query(ge=1, le=DEFAULT_MAX_QUESTIONS)]
                   = DEFAULT_MAX_QUESTIONS,
                   memory: bool = False) -> InterviewPlan:
    row = await services.run(load_session, services, session_id)
    if not row.get("resume_text"):
        raise ApiError(409, ErrorCode.RESUME_MISSING,
                       "Add a resume first: the plan is built from it.")
    questions = await services.run(plan_questions, services.interviewer, services.store, row,
                                   max_questions, memory)
    return InterviewPlan(session_id=row["id"], max_questions=max_questions, memory=memory,
                         has_job_description=bool(row.get("job_description")),
                         questions=[PlannedQuestion(**q) for q in questions])


@router.delete("/session/{session_id:session_id}", response_model=Deleted,
               summary="Delete a session and everything said in it (extension)",
               responses={**ok(ex.DELETED_ONE), **SESSION_ERRORS})
def delete_session(session_id: SessionIdPath, services: ServicesDep, hub: HubDep) -> Deleted:
    row = load_session(services, session_id)
    services.store.delete_session(row["id"])
    forget_recordings(services, row["id"])  # its recorded answers' files
    hub.forget(row["id"])
    return Deleted(deleted=1, message="The session, its documents and answers were deleted.")


@router.get("/sessions", response_model=list[SessionSummary],
            summary="Every session, newest first, for the history page (extension)",
            responses=ok(ex.SESSIONS))
def list_sessions(services: ServicesDep) -> list[SessionSummary]:
    return [SessionSummary(session_id=r["id"], created_at=r["created_at"], status=r["status"],
                           role=r.get("role"), detected_seniority=r.get("seniority"),
                           memory_opt_in=r["memory_opt_in"], started_at=r.get("started_at"),
                           ended_at=r.get("ended_at"), recommendation=r.get("recommendation"),
                           final_scores=r.get("final_scores"))
            for r in services.store.list_sessions()]
