"""The interview socket's client → server messages, typed (docs/protocol.md, "Client →
server", "Voice").

On the wire a message is `{"type": <name>, "data": {...}}` (`data` may be omitted when
empty); each model is one message's `data` and ``model.message()`` is what a client sends.
The server checks each field itself, with an `error` event that names what is wrong (4400,
4409, 4422), so these models describe what is accepted; they do not replace those checks.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

Message = dict[str, Any]


class ClientMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    TYPE: ClassVar[str]

    def message(self) -> Message:
        data = self.model_dump(exclude_unset=True)
        return {"type": self.TYPE, "data": data} if data else {"type": self.TYPE}


class Start(ClientMessage):
    TYPE = "start"
    max_questions: int | None = None  # 1-8, default 8
    duration_minutes: int | None = None  # 1-180, default 35


class Answer(ClientMessage):
    TYPE = "answer"
    text: str  # 1-20,000 characters


class Ready(ClientMessage):
    TYPE = "ready"


class End(ClientMessage):
    """Extension: end the interview now."""

    TYPE = "end"


class Skip(ClientMessage):
    """Extension: skip the pending question or follow-up."""

    TYPE = "skip"


class CorrectAnswer(ClientMessage):
    """Extension: "This isn't what I said" on a spoken answer of the current question."""

    TYPE = "correct_answer"
    question_number: int
    followup_number: int  # 0: the main answer
    text: str


class VoiceToggle(ClientMessage):
    TYPE = "voice_toggle"
    enabled: bool
    review: bool | None = None
    auto_end_silence_s: float | None = None  # 0 (off) to 10
    accuracy: Literal["standard", "high"] | None = None
    speech_wpm: float | None = None  # 120-200


class AudioStart(ClientMessage):
    TYPE = "audio_start"
    sample_rate: Literal[16000] | None = None
    format: Literal["pcm_s16le"] | None = None


class AudioEnd(ClientMessage):
    TYPE = "audio_end"


class AudioCancel(ClientMessage):
    TYPE = "audio_cancel"


class Replay(ClientMessage):
    TYPE = "replay"


MESSAGES: dict[str, type[ClientMessage]] = {cls.TYPE: cls for cls in (
    Start, Answer, Ready, End, Skip, CorrectAnswer, VoiceToggle, AudioStart, AudioEnd,
    AudioCancel, Replay)}
