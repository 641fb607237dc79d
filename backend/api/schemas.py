"""Wire schemas of the REST API (the desktop client may import these)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool


class SessionCreated(BaseModel):
    session_id: str
    status: str
    message: str


class SessionDetails(BaseModel):
    session_id: str
    status: Literal["created", "in_progress", "completed"]
    current_phase: str
    has_resume: bool
    has_jd: bool
    memory_opt_in: bool
    # extensions
    role: str | None = None
    detected_seniority: str | None = None
    resume_filename: str | None = None
    created_at: str | None = None


class Transcript(BaseModel):
    """GET /session/{id}/transcript (extension); see docs/protocol.md."""

    session_id: str
    status: Literal["created", "in_progress", "completed"]
    phase: str
    awaiting: str
    role: str
    max_questions: int
    duration_minutes: int
    time_remaining: int
    question_number: int
    answered_questions: int
    intro: str
    running_average: dict[str, float] | None = None
    turns: list[dict[str, Any]]


class PlannedQuestion(BaseModel):
    question_number: int
    topic_id: str
    topic: str
    kind: str


class InterviewPlan(BaseModel):
    """GET /session/{id}/plan (extension); see docs/protocol.md."""

    session_id: str
    max_questions: int
    memory: bool
    has_job_description: bool
    questions: list[PlannedQuestion]


class PlanOut(BaseModel):
    """Extension: the interview plan and why (see docs/protocol.md, "The plan")."""

    plan: list[dict[str, Any]] = Field(default_factory=list)
    uncovered: list[dict[str, Any]] = Field(default_factory=list)
    not_asked: list[dict[str, Any]] = Field(default_factory=list)
    opener: str = ""
    planned_questions: int = 0
    behavioral: bool = False
    strength_evidence: dict[str, list[str]] = Field(default_factory=dict)


class ResumeAnalysisOut(PlanOut):
    session_id: str
    resume_received: bool
    detected_seniority: str
    strengths: list[str]
    gaps: list[str]
    focus_areas: list[str]
    # extensions
    years_experience: float | None = None
    skills: list[str] = Field(default_factory=list)
    filename: str | None = None


class JobReceived(PlanOut):
    session_id: str
    jd_received: bool
    role: str
    # extensions: the analysis, re-weighted by the job, once a resume is in
    detected_seniority: str | None = None
    strengths: list[str] | None = None
    gaps: list[str] | None = None
    focus_areas: list[str] | None = None


class OptInBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    opt_in: StrictBool


class OptInResult(BaseModel):
    session_id: str
    memory_opt_in: bool
    message: str


class Report(BaseModel):
    session_id: str
    status: str
    detected_seniority: str
    strengths: list[str]
    gaps: list[str]
    scores: dict[str, float]
    qa_history: list[dict[str, Any]]
    final_report: str
    recommendation: Literal["Hire", "Borderline", "No-Hire"]
    recommendation_basis: Literal["rule", "too_few_answers"] = "rule"
    skill_roadmap: list[dict[str, Any]]
    duration_minutes: float
    started_at: str
    ended_at: str
    # extensions
    role: str | None = None
    focus_areas: list[str] = Field(default_factory=list)
    question_scores: list[dict[str, Any]] = Field(default_factory=list)


class SessionSummary(BaseModel):
    session_id: str
    created_at: str
    status: str
    role: str | None
    detected_seniority: str | None
    memory_opt_in: bool
    started_at: str | None
    ended_at: str | None
    recommendation: str | None
    final_scores: dict[str, float] | None


class Deleted(BaseModel):
    deleted: int
    message: str


class Profile(BaseModel):
    sessions: int
    weak_topics: list[str]
    questions_seen: int
    trend: list[dict[str, Any]]
