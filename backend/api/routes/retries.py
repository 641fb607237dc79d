"""Retries of an interview question, and the recordings kept with answers (extension,
issue 18). A retry is graded like the original answer and kept with the session; it never
changes the interview's report or its practice estimate."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from backend.api import practice_examples as ex
from backend.api.deps import ServicesDep, SessionIdPath, load_session
from backend.api.error_docs import error_responses
from backend.api.errors import ApiError, ErrorCode
from backend.api.examples import ok
from backend.api.practice_deps import PracticeDep
from backend.protocol.practice_rest import Count, QuestionRetries, RetryIn, SessionRetries
from backend.api.spoken import read_audio, transcribe
from backend.practice.service import PracticeError
from backend.recordings import RecordingError

router = APIRouter(tags=["practice"])
_AUDIO = (ErrorCode.AUDIO_FORMAT, ErrorCode.AUDIO_TOO_LONG, ErrorCode.UNUSABLE_AUDIO,
          ErrorCode.SPEECH_UNAVAILABLE)
_AUDIO_OK: dict[int | str, dict[str, Any]] = {
    200: {"content": {"audio/ogg": {}, "audio/L16": {}}}}
_RETRY = (ErrorCode.SESSION_NOT_FOUND, ErrorCode.QUESTION_NOT_FOUND,
          ErrorCode.QUESTION_NOT_DONE)


def _fail(e: PracticeError) -> ApiError:
    """The practice service's error in the error model (its code is an ErrorCode value)."""
    return ApiError(e.status, ErrorCode(e.code), e.message)


async def _retry(services, practice, session_id: str, number: int, text: str,
                 metrics=None, pcm: bytes | None = None) -> QuestionRetries:
    try:
        out = await services.run(practice.retry, session_id, number, text, metrics, pcm)
    except PracticeError as e:
        raise _fail(e) from None
    return QuestionRetries(**out)


@router.post("/session/{session_id:session_id}/retries", response_model=QuestionRetries,
             summary="Answer a question of this interview again (extension)",
             responses=ok(ex.QUESTION_RETRIES)
             | error_responses(*_RETRY, ErrorCode.INVALID_ANSWER, ErrorCode.MALFORMED_BODY))
async def retry(session_id: SessionIdPath, body: RetryIn, services: ServicesDep,
                practice: PracticeDep) -> QuestionRetries:
    row = await services.run(load_session, services, session_id)
    return await _retry(services, practice, row["id"], body.question_number, body.text)


@router.post("/session/{session_id:session_id}/retries/audio", response_model=QuestionRetries,
             summary="Answer a question of this interview again, spoken (extension)",
             responses=ok(ex.QUESTION_RETRIES) | error_responses(*_RETRY, *_AUDIO))
async def retry_spoken(session_id: SessionIdPath, request: Request, services: ServicesDep,
                       practice: PracticeDep,
                       question_number: Annotated[int, Query(ge=1, le=64)]) -> QuestionRetries:
    row = await services.run(load_session, services, session_id)
    turn = next((t for t in (row.get("engine_state") or {}).get("turns", [])
                 if t.get("number") == question_number), None)
    if turn is None:
        raise ApiError(404, ErrorCode.QUESTION_NOT_FOUND,
                       f"This interview has no question {question_number}.", "question_number")
    pcm = await read_audio(request)
    q = turn["question"]
    text, metrics = await transcribe(
        services, pcm, [q.get("text", "")],
        [(k["point"], tuple(k.get("phrasings", ()))) for k in q.get("key_points", [])])
    return await _retry(services, practice, row["id"], question_number, text, metrics, pcm)


@router.get("/session/{session_id:session_id}/retries", response_model=SessionRetries,
            summary="This interview's retries, beside the first attempts (extension)",
            responses=ok(ex.SESSION_RETRIES) | error_responses(ErrorCode.SESSION_NOT_FOUND))
async def retries(session_id: SessionIdPath, services: ServicesDep,
                  practice: PracticeDep) -> SessionRetries:
    row = await services.run(load_session, services, session_id)
    return SessionRetries(**await services.run(practice.retries, row["id"]))


@router.get("/recordings/{recording_id}", summary="A kept recording (extension)",
            response_class=Response,
            responses=_AUDIO_OK | error_responses(ErrorCode.RECORDING_NOT_FOUND, ErrorCode.RECORDING_GONE))
async def recording(recording_id: int, services: ServicesDep, practice: PracticeDep,
                    format: Literal["ogg", "pcm"] = "ogg") -> Response:
    try:
        row = await services.run(practice.recording, recording_id)
        if format == "pcm":
            pcm = await services.run(practice.recordings.read_pcm, row["file"])
            return Response(pcm, media_type="audio/L16;rate=16000;channels=1")
        data = await services.run(practice.recordings.read_bytes, row["file"])
    except PracticeError as e:
        raise _fail(e) from None
    except RecordingError as e:
        raise ApiError(410, ErrorCode.RECORDING_GONE, str(e), "recording_id") from None
    return Response(data, media_type="audio/ogg")


@router.delete("/recordings", response_model=Count,
               summary="Delete every kept recording (extension)",
               responses=ok(ex.DELETED_RECORDINGS))
async def delete_recordings(services: ServicesDep, practice: PracticeDep) -> Count:
    n = await services.run(practice.delete_recordings)
    return Count(deleted=n, message=f"Deleted {n} recording(s) from this computer.")
