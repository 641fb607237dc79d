"""Wire schemas of the REST API (part of backend.protocol: the desktop may import them).

Request bodies are strict (a `"true"` is not a boolean, a `"30"` not a number) and carry
their constraints, so the OpenAPI document says exactly what is accepted.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from backend.interviewer.llm.config import DEFAULT_BASE_URL, DEFAULT_TIMEOUT_S
from backend.protocol.steps import Awaiting, Phase


# Whitespace as Python's str.strip() and str.split() see it, spelt out: `\s` means
# something else in each regex dialect (Python's, ECMA's of JSON Schema, Rust's), and the
# schema's patterns must mean in every validator what the backend's checks mean.
WHITESPACE = (r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f"
              r"\u205f\u3000")
SPACE = f"[{WHITESPACE}]"
NON_SPACE = f"[^{WHITESPACE}]"


class Health(BaseModel):
    status: Literal["ok"]
    version: str


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
    phase: Phase
    awaiting: Awaiting
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


# ---- interviewer settings (extension) ----------------------------------------------------

# `base_url` as the schema states it (the backend's own check, `check_base_url`, accepts
# these and a few more spellings): an http(s) URL; without `allow_remote`, on this machine.
_SCHEME = "^" + SPACE + r"*[Hh][Tt][Tt][Pp][Ss]?://"
_PORT_PATH = r"(:[0-9]{1,5})?(/[A-Za-z0-9._~%-]*)*" + SPACE + "*$"
LOOPBACK_URL_PATTERN = _SCHEME + r"(127\.0\.0\.1|[Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt]|\[::1\])" \
    + _PORT_PATH
HTTP_URL_PATTERN = _SCHEME + r"[A-Za-z0-9][A-Za-z0-9.-]*" + _PORT_PATH
_URL_RULE: dict[str, Any] = {
    "if": {"properties": {"allow_remote": {"const": True}}, "required": ["allow_remote"]},
    "then": {"properties": {"base_url": {"pattern": HTTP_URL_PATTERN}}},
    "else": {"properties": {"base_url": {"pattern": LOOPBACK_URL_PATTERN}}},
}
# mode "openai" needs a model, or a GGUF file to serve (a string that is not blank).
_MODEL_OR_FILE: dict[str, Any] = {"anyOf": [
    {"required": ["model"], "properties": {"model": {"pattern": NON_SPACE}}},
    {"required": ["gguf_path"], "properties": {"gguf_path": {"pattern": NON_SPACE}}},
]}


# The schema's patterns are read with Python's `re` by the validators (`$` admits a final
# newline there and not in pydantic's default engine), so the models use the same engine.
_STRICT = ConfigDict(strict=True, regex_engine="python-re")
API_KEY_PATTERN = r"^[\x20-\x7e]*$"  # printable ASCII: it travels in an HTTP header
_API_KEY_DOC = "printable ASCII; write-only (never returned); "


class _InterviewerSettingsBase(BaseModel):
    model_config = _STRICT

    base_url: str = Field(DEFAULT_BASE_URL, max_length=500,
                          description="the OpenAI-compatible server (`.../v1`); on this machine "
                                      "unless `allow_remote` is true")
    model: str = Field("", max_length=500, description="a model id the server lists")
    api_key: str | None = Field(None, max_length=500, pattern=API_KEY_PATTERN,
                                description=_API_KEY_DOC + "null keeps the stored key, \"\" "
                                                           "clears it")
    allow_remote: bool = Field(False, description="allow a `base_url` on another machine: the "
                                                  "resume, the job description and the answers "
                                                  "are then sent there")
    timeout_s: float = Field(DEFAULT_TIMEOUT_S, ge=1, le=600, allow_inf_nan=False,
                             description="seconds per interviewer step, retry included")
    gguf_path: str = Field("", max_length=1000,
                           description="a GGUF file to serve in-process (needs the `llm` extra); "
                                       "`base_url` is then ignored. The file must exist (else "
                                       "400 `model_file_not_found`)")


class BuiltinInterviewerSettings(_InterviewerSettingsBase):
    """The built-in interviewer; the other fields are kept for a later switch."""

    model_config = ConfigDict(**_STRICT, json_schema_extra=_URL_RULE)
    mode: Literal["builtin"]


class LocalModelSettings(_InterviewerSettingsBase):
    """A model behind an OpenAI-compatible server, or a GGUF file served in-process; it
    needs `model` or `gguf_path`."""

    model_config = ConfigDict(**_STRICT, json_schema_extra={**_URL_RULE, **_MODEL_OR_FILE})
    mode: Literal["openai"]


InterviewerSettingsIn = Annotated[BuiltinInterviewerSettings | LocalModelSettings,
                                  Field(discriminator="mode")]


class ConnectionTestIn(BaseModel):
    model_config = ConfigDict(**_STRICT, json_schema_extra=_URL_RULE)

    base_url: str = Field(max_length=500, description="the server to list the models of")
    api_key: str | None = Field(None, max_length=500, pattern=API_KEY_PATTERN,
                                description=_API_KEY_DOC + "null: the stored key, if "
                                                           "`base_url` is the stored one")
    allow_remote: bool = False


class LocalServers(BaseModel):
    ollama: str
    lm_studio: str


class InterviewerSettingsOut(BaseModel):
    """GET and PUT /settings/interviewer: the settings, never the API key."""

    mode: Literal["builtin", "openai"]
    active: Literal["builtin", "llm"] = Field(description="the interviewer in use")
    base_url: str
    model: str
    has_api_key: bool
    allow_remote: bool
    remote: bool
    warning: str | None = Field(None, description="set when `base_url` is another machine: "
                                                  "say it")
    timeout_s: float
    gguf_path: str
    local_server: str | None = Field(None, description="the in-process server's base URL")
    defaults: LocalServers
    temperature: float
    max_tokens: int
    context_chars: int
    cooldown_s: float


class ConnectionTestOut(BaseModel):
    ok: Literal[True]
    base_url: str
    models: list[str]
    remote: bool
    warning: str | None = None
