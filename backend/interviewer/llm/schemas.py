"""The structured outputs asked of the model, as pydantic models.

Every string is bounded (``maxLength``) and every score is an integer 0-10: small
models wander off into endless strings unless the schema stops them, and a bounded
schema also bounds the tokens a step can cost. All fields are required and extra
keys are forbidden, as OpenAI's strict ``json_schema`` mode requires.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

Score = Annotated[int, Field(ge=0, le=10)]
Phrase = Annotated[str, Field(min_length=2, max_length=40)]
Note = Annotated[str, Field(min_length=3, max_length=120)]


LOOP_WORDS = 6  # a run of this many words said twice in one field is a model looping


def repeats_itself(text: str) -> bool:
    """The text says the same run of LOOP_WORDS words twice: small models loop ("I had to
    debug a 502 error in a 1000-fold scale. I had to debug a 502 error in …", seen with
    SmolLM2), and a looping field is treated like any other invalid output."""
    words = re.findall(r"[a-z0-9']+", text.lower())
    runs = [tuple(words[i:i + LOOP_WORDS]) for i in range(len(words) - LOOP_WORDS + 1)]
    return len(set(runs)) < len(runs)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _not_looping(cls, value: Any) -> Any:
        if isinstance(value, str) and repeats_itself(value):
            raise ValueError("the text repeats itself")
        return value


class KeyPointOut(_Strict):
    point: str = Field(min_length=5, max_length=120, description="one thing a good answer says")
    phrasings: list[Phrase] = Field(min_length=1, max_length=4,
                                    description="short words or phrases that show it was said")
    followup: str = Field(max_length=160, description="the question to ask if it is missing")


class QuestionOut(_Strict):
    question: str = Field(min_length=15, max_length=300)
    explanation: str = Field(min_length=10, max_length=200, description="what this tests")
    key_points: list[KeyPointOut] = Field(min_length=2, max_length=4)
    model_answer: str = Field(min_length=40, max_length=700)


class GradeOut(_Strict):
    technical: Score
    design: Score
    communication: Score
    feedback: str = Field(min_length=10, max_length=300)
    strengths: list[Note] = Field(max_length=3)
    improvements: list[Note] = Field(max_length=3)
    followup: str = Field(max_length=160, description="a follow-up question, or empty")


class ReportOut(_Strict):
    narrative: str = Field(min_length=40, max_length=1200)
