"""Practice mode, the review schedule, progress over time and their settings (extension,
issue 18; docs/protocol.md, "Practice"). Practice answers feed progress and the review
schedule, never an interview's recommendation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from backend.api import practice_examples as ex
from backend.api.deps import ServicesDep
from backend.api.error_docs import error_responses
from backend.api.errors import ApiError, ErrorCode
from backend.api.examples import ok
from backend.api.practice_deps import PracticeDep
from backend.protocol.practice_rest import (AnswerIn, Count, PracticeSession, PracticeSettingsIn,
                                          PracticeSettingsOut, PracticeStartIn, PracticeSummary,
                                          PracticeTopic, Progress, ReviewQueue)
from backend.api.spoken import read_audio, transcribe
from backend.practice.service import PracticeError
from backend.store.practice import PracticeNotFound

router = APIRouter(tags=["practice"])
_AUDIO = (ErrorCode.AUDIO_FORMAT, ErrorCode.AUDIO_TOO_LONG, ErrorCode.UNUSABLE_AUDIO,
          ErrorCode.SPEECH_UNAVAILABLE)
_LIVE = (ErrorCode.PRACTICE_NOT_FOUND, ErrorCode.PRACTICE_FINISHED)


async def _call(services, fn, *args: Any) -> Any:
    try:
        return await services.run(fn, *args)
    except PracticeError as e:
        raise ApiError(e.status, ErrorCode(e.code), e.message) from None
    except PracticeNotFound:
        raise ApiError(404, ErrorCode.PRACTICE_NOT_FOUND, "Practice session not found; start "
                       "one with POST /practice/sessions.", "practice_id") from None


@router.get("/settings/practice", response_model=PracticeSettingsOut,
            summary="Progress and recordings settings (extension)",
            responses=ok(ex.SETTINGS))
async def get_settings(services: ServicesDep, practice: PracticeDep) -> PracticeSettingsOut:
    return PracticeSettingsOut(**(await services.run(practice.settings)).to_dict())


@router.put("/settings/practice", response_model=PracticeSettingsOut,
            summary="Switch progress or kept recordings on or off (extension)",
            responses=ok(ex.SETTINGS) | error_responses(ErrorCode.MALFORMED_BODY))
async def put_settings(body: PracticeSettingsIn, services: ServicesDep,
                       practice: PracticeDep) -> PracticeSettingsOut:
    changes = body.model_dump(exclude_none=True)
    settings = await services.run(lambda: practice.update_settings(**changes))
    return PracticeSettingsOut(**settings.to_dict())


@router.get("/progress", response_model=Progress,
            summary="Scores over time, per dimension, topic and delivery (extension)",
            responses=ok(ex.PROGRESS))
async def progress(services: ServicesDep, practice: PracticeDep) -> Progress:
    return Progress(**await services.run(practice.progress))


@router.delete("/progress", response_model=Count,
               summary="Forget progress: practice sessions and earlier interviews (extension)",
            responses=ok(ex.DELETED_PROGRESS))
async def delete_progress(services: ServicesDep, practice: PracticeDep) -> Count:
    n = await services.run(practice.delete_progress)
    return Count(deleted=n, message=f"Deleted {n} practice session(s); interviews until now no "
                                    "longer count towards progress (they stay in History).")


@router.get("/practice/topics", response_model=list[PracticeTopic],
            summary="Topics to practise, with how the candidate did on each (extension)",
            responses=ok(ex.TOPICS))
async def topics(services: ServicesDep, practice: PracticeDep) -> list[PracticeTopic]:
    return [PracticeTopic(**t) for t in await services.run(practice.topics)]


@router.get("/practice/review", response_model=ReviewQueue,
            summary="Questions due for review, and the rule (extension)",
            responses=ok(ex.REVIEW))
async def review(services: ServicesDep, practice: PracticeDep) -> ReviewQueue:
    return ReviewQueue(**await services.run(practice.review))


@router.get("/practice/sessions", response_model=list[PracticeSummary],
            summary="Practice sessions, newest first (extension)",
            responses=ok(ex.PRACTICE_LIST))
async def sessions(services: ServicesDep, practice: PracticeDep) -> list[PracticeSummary]:
    return [PracticeSummary(**p) for p in await services.run(practice.practice_list)]


@router.post("/practice/sessions", response_model=PracticeSession,
             summary="Start a practice session (extension)",
            responses=ok(ex.PRACTICE)
            | error_responses(ErrorCode.UNKNOWN_TOPIC, ErrorCode.NOTHING_TO_PRACTISE,
                              ErrorCode.MALFORMED_BODY))
async def start(body: PracticeStartIn, services: ServicesDep,
                practice: PracticeDep) -> PracticeSession:
    return PracticeSession(**await _call(services, practice.start_practice, body.topic,
                                         body.questions))


@router.get("/practice/sessions/{practice_id}", response_model=PracticeSession,
            responses=ok(ex.PRACTICE) | error_responses(ErrorCode.PRACTICE_NOT_FOUND))
async def get(practice_id: str, services: ServicesDep, practice: PracticeDep) -> PracticeSession:
    return PracticeSession(**await _call(services, practice.practice, practice_id))


@router.post("/practice/sessions/{practice_id}/hint", response_model=PracticeSession,
             summary="What a strong answer covers: the key points' headings (extension)",
            responses=ok(ex.PRACTICE) | error_responses(*_LIVE))
async def hint(practice_id: str, services: ServicesDep, practice: PracticeDep) -> PracticeSession:
    return PracticeSession(**await _call(services, practice.hint, practice_id))


@router.post("/practice/sessions/{practice_id}/answer", response_model=PracticeSession,
             summary="Answer (or answer again) the current question (extension)",
            responses=ok(ex.PRACTICE)
            | error_responses(*_LIVE, ErrorCode.INVALID_ANSWER, ErrorCode.MALFORMED_BODY))
async def answer(practice_id: str, body: AnswerIn, services: ServicesDep,
                 practice: PracticeDep) -> PracticeSession:
    return PracticeSession(**await _call(services, practice.answer, practice_id, body.text))


@router.post("/practice/sessions/{practice_id}/answer/audio", response_model=PracticeSession,
             summary="Answer the current question, spoken (extension)",
            responses=ok(ex.PRACTICE) | error_responses(*_LIVE, *_AUDIO))
async def answer_spoken(practice_id: str, request: Request, services: ServicesDep,
                        practice: PracticeDep) -> PracticeSession:
    q = await _call(services, practice.current_question, practice_id)
    pcm = await read_audio(request)
    text, metrics = await transcribe(
        services, pcm, [q.get("text", "")],
        [(k["point"], tuple(k.get("phrasings", ()))) for k in q.get("key_points", [])])
    return PracticeSession(**await _call(services, practice.answer, practice_id, text,
                                         metrics, pcm))


@router.post("/practice/sessions/{practice_id}/next", response_model=PracticeSession,
             summary="Move on to the next question (the last one ends it) (extension)",
            responses=ok(ex.PRACTICE) | error_responses(*_LIVE))
async def next_question(practice_id: str, services: ServicesDep,
                        practice: PracticeDep) -> PracticeSession:
    return PracticeSession(**await _call(services, practice.next, practice_id))


@router.post("/practice/sessions/{practice_id}/end", response_model=PracticeSession,
            responses=ok(ex.PRACTICE) | error_responses(ErrorCode.PRACTICE_NOT_FOUND))
async def end(practice_id: str, services: ServicesDep, practice: PracticeDep) -> PracticeSession:
    return PracticeSession(**await _call(services, practice.end, practice_id))


@router.delete("/practice/sessions/{practice_id}", response_model=Count,
               summary="Delete a practice session, its answers and recordings (extension)",
            responses=ok(ex.DELETED_PRACTICE)
            | error_responses(ErrorCode.PRACTICE_NOT_FOUND))
async def delete(practice_id: str, services: ServicesDep, practice: PracticeDep) -> Count:
    await _call(services, practice.delete_practice, practice_id)
    return Count(deleted=1, message="The practice session, its answers and recordings were "
                                    "deleted.")
