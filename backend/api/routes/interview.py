"""Interview configuration: the memory opt-in."""

from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import HubDep, ServicesDep, SessionIdQuery, load_session
from backend.api import examples as ex
from backend.api.error_docs import error_responses
from backend.api.errors import ApiError, ErrorCode
from backend.api.examples import ok
from backend.protocol.rest import OptInBody, OptInResult

router = APIRouter(tags=["interview"])


@router.post("/interview/opt-in-memory", response_model=OptInResult,
             responses={**ok(ex.OPT_IN), **error_responses(
                 ErrorCode.INVALID_SESSION_ID, ErrorCode.SESSION_NOT_FOUND,
                 ErrorCode.INTERVIEW_IN_PROGRESS)})
def opt_in_memory(session_id: SessionIdQuery, body: OptInBody, services: ServicesDep,
                  hub: HubDep) -> OptInResult:
    row = load_session(services, session_id)
    if row["status"] == "in_progress":
        raise ApiError(409, ErrorCode.INTERVIEW_IN_PROGRESS,
                       "Memory can be switched before the interview starts or after it ends.")
    services.store.update_session(row["id"], memory_opt_in=int(body.opt_in))
    hub.forget(row["id"])
    message = ("Memory storage enabled: this session will shape your future practice."
               if body.opt_in else "Memory storage disabled: no other session will read this one.")
    return OptInResult(session_id=row["id"], memory_opt_in=body.opt_in, message=message)
