"""Resume and job-description uploads. A failed upload stores nothing."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from backend.api.deps import ServicesDep, SessionIdForm, load_session
from backend.api import examples as ex
from backend.api.error_docs import error_responses
from backend.api.errors import ApiError, ErrorCode
from backend.api.examples import ok
from backend.protocol.rest import NON_SPACE, SPACE, JobReceived, ResumeAnalysisOut
from backend.api.services import Services
from backend.config import MAX_JOB_DESCRIPTION_CHARS, MAX_RESUME_BYTES
from backend.documents import DocumentError
from backend.interviewer.domain import ResumeAnalysis

router = APIRouter(tags=["upload"])

# The schema states these and the route checks them with the same pattern and number, so
# what the OpenAPI document accepts is exactly what is accepted. Three words or more:
JOB_DESCRIPTION_WORDS = f"{NON_SPACE}{SPACE}+{NON_SPACE}+{SPACE}+{NON_SPACE}"
_WORDS = re.compile(JOB_DESCRIPTION_WORDS)
RESUME_TYPES = {"application/pdf": "PDF (at most 30 pages)",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
                "text/plain": "plain text, any common encoding"}
RESUME_FILE_DOC = (
    f"The resume: {', '.join(RESUME_TYPES.values())}; at most {MAX_RESUME_BYTES // 2**20} MB "
    f"({MAX_RESUME_BYTES} bytes; more gets 413). The type is read from the content, not from "
    "the file name or the part's Content-Type. Empty, image-only, binary, damaged or "
    "password-protected files get 400 `unreadable_document`.")
UPLOAD_ENCODING = {"requestBody": {"content": {"multipart/form-data": {"encoding": {
    "file": {"contentType": ", ".join(RESUME_TYPES)}}}}}}
STARTED_SESSION_ERRORS = (ErrorCode.INVALID_SESSION_ID, ErrorCode.SESSION_NOT_FOUND,
                          ErrorCode.INTERVIEW_STARTED, ErrorCode.MALFORMED_BODY)


def _refuse_if_started(row: dict) -> None:
    if row["status"] != "created":
        raise ApiError(409, ErrorCode.INTERVIEW_STARTED,
                       "This interview has already started; its documents can no longer "
                       "change. Start a new session to use other documents.")


async def _analyse(services: Services, resume_text: str, jd: str, role: str) -> ResumeAnalysis:
    """On the uploads' threads: a long document's analysis never delays an interview."""
    return await services.run_upload(services.interviewer.analyse_resume, resume_text, jd, role)


def plan_fields(analysis: ResumeAnalysis) -> dict:
    """The plan extension of the upload answers: what the interview will ask and why, and
    the resume lines behind each strength."""
    plan = analysis.plan or {}
    return {"plan": plan.get("plan", []), "uncovered": plan.get("uncovered", []),
            "not_asked": plan.get("not_asked", []), "opener": plan.get("opener", ""),
            "planned_questions": plan.get("max_questions", 0),
            "behavioral": plan.get("behavioral", False),
            "strength_evidence": {s: analysis.evidence_for(s) for s in analysis.strengths}}


@router.post("/upload/resume", response_model=ResumeAnalysisOut,
             summary="Upload a resume; answers its analysis",
             responses={**ok(ex.RESUME), **error_responses(
                 *STARTED_SESSION_ERRORS, ErrorCode.UNREADABLE_DOCUMENT,
                 ErrorCode.FILE_TOO_LARGE)},
             openapi_extra=UPLOAD_ENCODING)
async def upload_resume(services: ServicesDep, session_id: SessionIdForm,
                        file: Annotated[UploadFile, File(description=RESUME_FILE_DOC,
                                                         json_schema_extra={"minLength": 1})]
                        ) -> ResumeAnalysisOut:
    row = await services.run(load_session, services, session_id)
    _refuse_if_started(row)
    data = await file.read(MAX_RESUME_BYTES + 1)
    filename = file.filename or "resume"
    try:  # in a child process with a hard time and memory limit (documents/isolated.py)
        text = await services.run_upload(services.parser.parse, data, filename)
    except DocumentError as e:
        raise document_error(e) from None
    analysis = await _analyse(services, text, row.get("job_description") or "", row.get("role") or "")
    await services.run(services.store.update_session, row["id"], resume_text=text,
                       resume_filename=filename[:200], analysis=analysis.to_dict(),
                       seniority=analysis.seniority)
    return ResumeAnalysisOut(
        session_id=row["id"], resume_received=True, detected_seniority=analysis.seniority,
        strengths=analysis.strengths, gaps=analysis.gaps, focus_areas=analysis.focus_areas,
        years_experience=analysis.years_experience,
        skills=[s.skill for s in analysis.skills], filename=filename, **plan_fields(analysis))


def document_error(e: DocumentError) -> ApiError:
    code = ErrorCode.FILE_TOO_LARGE if e.status_code == 413 else ErrorCode.UNREADABLE_DOCUMENT
    return ApiError(e.status_code, code, str(e), "file")


def _role_from(role: str, jd: str) -> str:
    role = " ".join(role.split())
    if role:
        return role[:120]
    first_line = next((ln.strip() for ln in jd.splitlines() if ln.strip()), "")
    return first_line[:80] or "Software Engineer"


JOB_DESCRIPTION_DOC = (f"The posting's text: three words or more, at most "
                       f"{MAX_JOB_DESCRIPTION_CHARS:,} characters (else 400 "
                       "`job_description_too_short` or `job_description_too_long`).")


@router.post("/upload/jd", response_model=JobReceived,
             summary="Add the job description; answers the plan once a resume is in",
             responses={**ok(ex.JOB), **error_responses(
                 *STARTED_SESSION_ERRORS, ErrorCode.JOB_DESCRIPTION_TOO_SHORT,
                 ErrorCode.JOB_DESCRIPTION_TOO_LONG)})
async def upload_jd(services: ServicesDep, session_id: SessionIdForm,
                    job_description: Annotated[str, Form(
                        description=JOB_DESCRIPTION_DOC,
                        json_schema_extra={"pattern": JOB_DESCRIPTION_WORDS,
                                           "maxLength": MAX_JOB_DESCRIPTION_CHARS})],
                    role: Annotated[str, Form(description="the role's title; by default the "
                                                          "posting's first line")] = ""
                    ) -> JobReceived:
    row = await services.run(load_session, services, session_id)
    _refuse_if_started(row)
    if not _WORDS.search(job_description):
        raise ApiError(400, ErrorCode.JOB_DESCRIPTION_TOO_SHORT,
                       "The job description is empty or too short. Paste the full posting: "
                       "the role, its responsibilities and requirements.", "job_description")
    if len(job_description) > MAX_JOB_DESCRIPTION_CHARS:
        raise ApiError(400, ErrorCode.JOB_DESCRIPTION_TOO_LONG,
                       f"The job description is {len(job_description):,} characters; at most "
                       f"{MAX_JOB_DESCRIPTION_CHARS:,} are accepted. Paste just the posting.",
                       "job_description")
    jd = job_description.strip()
    role = _role_from(role, jd)
    fields: dict = {"job_description": jd, "role": role}
    out = JobReceived(session_id=row["id"], jd_received=True, role=role)
    if row.get("resume_text"):
        analysis = await _analyse(services, row["resume_text"], jd, role)
        fields.update(analysis=analysis.to_dict(), seniority=analysis.seniority)
        out = out.model_copy(update={"detected_seniority": analysis.seniority,
                                     "strengths": analysis.strengths, "gaps": analysis.gaps,
                                     "focus_areas": analysis.focus_areas,
                                     **plan_fields(analysis)})
    await services.run(services.store.update_session, row["id"], **fields)
    return out
