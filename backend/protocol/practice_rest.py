"""Wire schemas of the practice extension (issue 18; docs/protocol.md, "Practice")."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

Scores = dict[str, float]


class RetryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question_number: int = Field(ge=1, le=64)
    text: str = Field(min_length=1, max_length=20_000)


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=20_000)


class PracticeStartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topic: str | None = Field(None, min_length=1, max_length=80,
                              description="a topic id from GET /practice/topics; null: the "
                                          "weak topics (and questions due for review)")
    questions: int = Field(5, ge=1, le=10)


class PracticeSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    progress: StrictBool | None = None
    keep_recordings: StrictBool | None = None


class PracticeSettingsOut(BaseModel):
    progress: bool
    keep_recordings: bool
    progress_since: str | None = None


class Comparison(BaseModel):
    before: dict[str, Any]
    after: dict[str, Any]
    change: Scores
    newly_covered: list[dict[str, str]]
    still_missing: list[str]
    no_longer_covered: list[str]


class Attempt(BaseModel):
    attempt_id: int
    attempt: int
    answer: str
    scores: Scores
    feedback: str
    strengths: list[str]
    improvements: list[str]
    covered: list[str]
    missing: list[str]
    unclear: list[str]
    evidence: list[dict[str, Any]]
    status: str
    delivery: dict[str, Any] | None = None
    recording_id: int | None = None
    hint_used: bool
    created_at: str | None = None
    comparison: Comparison | None = None


class QuestionRetries(BaseModel):
    session_id: str
    question_number: int
    question: str
    topic: str
    before: dict[str, Any]
    retries: list[Attempt]
    note: str
    counts_for_report: bool
    retry: Attempt | None = None  # POST: the retry just graded


class RecordingInfo(BaseModel):
    recording_id: int
    question_number: int
    followup_number: int
    attempt: int
    duration_s: float
    codec: str
    bytes: int


class SessionRetries(BaseModel):
    session_id: str
    note: str
    recordings: list[RecordingInfo]
    questions: list[QuestionRetries]


class PracticeItem(BaseModel):
    number: int
    question_id: str | None = None
    question: str
    topic_id: str
    topic: str
    difficulty: str
    kind: str
    explanation: str
    review: bool
    hint: list[str] | None = None
    hint_available: bool
    attempts: list[Attempt]
    model_answer: str | None = None


class PracticeSession(BaseModel):
    practice_id: str
    created_at: str
    ended_at: str | None = None
    topic: str | None = None
    topic_title: str
    mode: Literal["topic", "weak", "core"]
    weak_topics: list[str]
    total: int
    number: int
    finished: bool
    reviews: int
    item: PracticeItem
    summary: list[dict[str, Any]]


class PracticeSummary(BaseModel):
    practice_id: str
    created_at: str
    ended_at: str | None = None
    topic: str | None = None
    topic_title: str
    questions: int
    attempts: int


class PracticeTopic(BaseModel):
    topic_id: str
    title: str
    questions: int
    answers: int
    scores: Scores | None = None
    weak: bool


class ReviewQueue(BaseModel):
    enabled: bool
    due: int
    scheduled: int
    learned: int
    rule: str
    items: list[dict[str, Any]]


class Progress(BaseModel):
    enabled: bool
    since: str | None = None
    points: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    due_for_review: int


class Count(BaseModel):
    deleted: int
    message: str
