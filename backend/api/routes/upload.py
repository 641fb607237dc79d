"""Resume and job-description uploads. A failed upload stores nothing."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, UploadFile

from backend.api.deps import ServicesDep, load_session
from backend.api.schemas import JobReceived, ResumeAnalysisOut
from backend.api.services import Services
from backend.config import MAX_JOB_DESCRIPTION_CHARS, MAX_RESUME_BYTES
from backend.documents import DocumentError, extract_text
from backend.interviewer.domain import ResumeAnalysis

router = APIRouter(tags=["upload"])
PARSE_TIMEOUT_S = 30


def _refuse_if_started(row: dict) -> None:
    if row["status"] != "created":
        raise HTTPException(409, "This interview has already started; its documents can no "
                                 "longer change. Start a new session to use other documents.")


async def _analyse(services: Services, resume_text: str, jd: str, role: str) -> ResumeAnalysis:
    return await services.run(services.interviewer.analyse_resume, resume_text, jd, role)


def plan_fields(analysis: ResumeAnalysis) -> dict:
    """The plan extension of the upload answers: what the interview will ask and why, and
    the resume lines behind each strength."""
    plan = analysis.plan or {}
    return {"plan": plan.get("plan", []), "uncovered": plan.get("uncovered", []),
            "not_asked": plan.get("not_asked", []), "opener": plan.get("opener", ""),
            "planned_questions": plan.get("max_questions", 0),
            "behavioral": plan.get("behavioral", False),
            "strength_evidence": {s: analysis.evidence_for(s) for s in analysis.strengths}}


@router.post("/upload/resume", response_model=ResumeAnalysisOut)
async def upload_resume(services: ServicesDep, session_id: Annotated[str, Form()],
                        file: Annotated[UploadFile, File()]) -> ResumeAnalysisOut:
    row = await services.run(load_session, services, session_id)
    _refuse_if_started(row)
    data = await file.read(MAX_RESUME_BYTES + 1)
    filename = file.filename or "resume"
    try:
        text = await asyncio.wait_for(services.run(extract_text, data, filename),
                                      PARSE_TIMEOUT_S)
    except DocumentError as e:
        raise HTTPException(e.status_code, str(e)) from None
    except TimeoutError:
        raise HTTPException(400, "Reading this file took too long; it may be damaged. "
                                 "Save it again as PDF or upload a .txt version.") from None
    analysis = await _analyse(services, text, row.get("job_description") or "", row.get("role") or "")
    await services.run(services.store.update_session, row["id"], resume_text=text,
                       resume_filename=filename[:200], analysis=analysis.to_dict(),
                       seniority=analysis.seniority)
    return ResumeAnalysisOut(
        session_id=row["id"], resume_received=True, detected_seniority=analysis.seniority,
        strengths=analysis.strengths, gaps=analysis.gaps, focus_areas=analysis.focus_areas,
        years_experience=analysis.years_experience,
        skills=[s.skill for s in analysis.skills], filename=filename, **plan_fields(analysis))


def _role_from(role: str, jd: str) -> str:
    role = " ".join(role.split())
    if role:
        return role[:120]
    first_line = next((ln.strip() for ln in jd.splitlines() if ln.strip()), "")
    return first_line[:80] or "Software Engineer"


@router.post("/upload/jd", response_model=JobReceived)
async def upload_jd(services: ServicesDep, session_id: Annotated[str, Form()],
                    job_description: Annotated[str, Form()],
                    role: Annotated[str, Form()] = "") -> JobReceived:
    row = await services.run(load_session, services, session_id)
    _refuse_if_started(row)
    jd = job_description.strip()
    if len(jd.split()) < 3:
        raise HTTPException(400, "The job description is empty or too short. Paste the full "
                                 "posting: the role, its responsibilities and requirements.")
    if len(jd) > MAX_JOB_DESCRIPTION_CHARS:
        raise HTTPException(400, f"The job description is {len(jd):,} characters; at most "
                                 f"{MAX_JOB_DESCRIPTION_CHARS:,} are accepted. Paste just the posting.")
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
