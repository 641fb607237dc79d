"""The interview socket's server → client events, typed (docs/protocol.md, "Server → client",
"Voice").

On the wire every event is `{"type": <name>, "data": {...}}`; each model here is one event's
`data`, and ``model.event()`` is what is sent. Models forbid fields they do not declare, so
a field added on the server without being declared here (and documented) fails the
protocol tests. ``parse_event`` reads a received event back into its model.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from backend.protocol.codes import CloseCode, SocketErrorCode
from backend.protocol.steps import Awaiting, Phase

Event = dict[str, Any]  # an event as sent: {"type": str, "data": dict}
Next = Literal["followup", "question", "end"]  # what follows a score


class ServerEvent(BaseModel):
    """One event's `data`. Fields left unset (optional extensions) are not sent."""

    model_config = ConfigDict(extra="forbid")
    TYPE: ClassVar[str]

    def event(self) -> Event:
        return {"type": self.TYPE, "data": self.model_dump(exclude_unset=True)}


class Scores(BaseModel):
    model_config = ConfigDict(extra="forbid")
    technical: float
    design: float
    communication: float


class EvidenceItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    point: str
    quote: str
    answer: int  # which answer of the question said it: 0 the main one, 1.. follow-ups
    certain: bool


# ---- the interview ------------------------------------------------------------------------
class Connected(ServerEvent):
    TYPE = "connected"
    session_id: str
    status: str
    phase: Phase
    seniority: str
    role: str | None  # extension
    awaiting: Awaiting  # extension


class Intro(ServerEvent):
    TYPE = "intro"
    message: str
    phase: Literal["intro"]
    focus_areas: list[str]


class NewQuestion(ServerEvent):
    TYPE = "new_question"
    question: str
    difficulty: str
    topic: str
    explanation: str
    question_number: int
    time_remaining: int
    topic_id: str  # extensions from here on
    kind: str
    max_questions: int
    awaiting: Awaiting


class FollowUp(ServerEvent):
    TYPE = "followup"
    question: str
    reason: str
    time_remaining: int
    question_number: int  # extensions from here on
    followup_number: int
    awaiting: Awaiting


class ScoreUpdate(ServerEvent):
    TYPE = "score_update"
    current_scores: Scores
    running_average: Scores
    feedback: str
    strengths: list[str]
    improvements: list[str]
    next: Next
    question_number: int  # extensions from here on
    followup_number: int
    covered: list[str]
    missing: list[str]
    unclear: list[str]
    evidence: list[EvidenceItem]
    status: str
    skipped: bool
    delivery: dict[str, Any] | None
    awaiting: Awaiting


class SkipOffer(ServerEvent):
    TYPE = "skip_offer"
    message: str
    question_number: int
    followup_number: int


class AnswerCorrected(ServerEvent):
    TYPE = "answer_corrected"
    question_number: int
    followup_number: int
    text: str
    heard: str
    current_scores: Scores
    question_scores: Scores
    running_average: Scores
    feedback: str
    strengths: list[str]
    improvements: list[str]
    covered: list[str]
    missing: list[str]


class PhaseUpdate(ServerEvent):
    TYPE = "phase_update"
    phase: Phase
    message: str


class TimeRemaining(ServerEvent):
    TYPE = "time_remaining"
    seconds: int
    formatted: str


class Feedback(ServerEvent):
    TYPE = "feedback"
    report: str
    recommendation: Literal["Hire", "Borderline", "No-Hire"]
    recommendation_basis: str
    skill_roadmap: list[dict[str, Any]]
    final_scores: dict[str, float]
    phase: Literal["completed"]
    awaiting: Awaiting


class Error(ServerEvent):
    TYPE = "error"
    message: str
    code: SocketErrorCode | CloseCode


class Thinking(ServerEvent):
    TYPE = "thinking"
    step: str
    interviewer: Literal["llm"]


class InterviewerStatus(ServerEvent):
    TYPE = "interviewer_status"
    mode: Literal["llm", "builtin"]
    fallback: bool
    step: str
    reason: str


# ---- voice --------------------------------------------------------------------------------
class EngineStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")
    state: str
    reason: str


class VoiceStatus(ServerEvent):
    TYPE = "voice_status"
    enabled: bool
    stt: EngineStatus
    tts: EngineStatus
    review: bool | None = None  # the options in force: only while voice is on
    auto_end_silence_s: float | None = None
    accuracy: str | None = None
    speech_wpm: float | None = None


class SpeechStart(ServerEvent):
    TYPE = "speech_start"
    utterance_id: int
    kind: Literal["intro", "question", "followup"]
    text: str
    question_number: int
    format: Literal["pcm_s16le"]
    channels: Literal[1]


class SpeechChunk(ServerEvent):
    """Followed by one binary frame of exactly `bytes` bytes."""

    TYPE = "speech_chunk"
    utterance_id: int
    index: int
    text: str
    format: Literal["pcm_s16le"]
    sample_rate: int
    channels: Literal[1]
    bytes: int


class SpeechEnd(ServerEvent):
    TYPE = "speech_end"
    utterance_id: int
    chunks: int
    duration_s: float


class Listening(ServerEvent):
    TYPE = "listening"
    sample_rate: int
    format: Literal["pcm_s16le"]
    channels: Literal[1]


class Transcript(ServerEvent):
    TYPE = "transcript"
    text: str
    final: bool
    delivery: dict[str, Any] | None = None  # the final transcript only
    review: bool | None = None
    low_confidence: list[dict[str, Any]] | None = None


class SpeechEnded(ServerEvent):
    TYPE = "speech_ended"
    silence_s: float


class AutoEndCountdown(ServerEvent):
    TYPE = "auto_end_countdown"
    remaining_s: float | None  # None: the candidate spoke again, the countdown is off
    silence_s: float | None = None


class ListeningStopped(ServerEvent):
    TYPE = "listening_stopped"
    reason: str


EVENTS: dict[str, type[ServerEvent]] = {cls.TYPE: cls for cls in (
    Connected, Intro, NewQuestion, FollowUp, ScoreUpdate, SkipOffer, AnswerCorrected,
    PhaseUpdate, TimeRemaining, Feedback, Error, Thinking, InterviewerStatus, VoiceStatus,
    SpeechStart, SpeechChunk, SpeechEnd, Listening, Transcript, SpeechEnded, AutoEndCountdown,
    ListeningStopped)}

# The events that carry `awaiting`: every prompt, every score, the report, and `connected`.
CARRY_AWAITING: frozenset[str] = frozenset(
    name for name, cls in EVENTS.items() if "awaiting" in cls.model_fields)


class UnknownEvent(ValueError):
    """An event whose type the protocol does not define."""


def parse_event(ev: Event) -> ServerEvent:
    """The typed model of a received event; pydantic's ValidationError if its data does not
    match, UnknownEvent if its type is not one of the protocol's."""
    cls = EVENTS.get(ev.get("type", ""))
    if cls is None:
        raise UnknownEvent(f"unknown event type {ev.get('type')!r}")
    return cls.model_validate(ev.get("data") or {})
