"""Every code of the protocol: WebSocket close codes, the socket's `error` event codes and
the REST error model's `code` (docs/protocol.md, "Close codes", "Rules", "Errors").

The backend sends them and the desktop branches on them from this one place; values are
stable, since other clients compare them.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class CloseCode(IntEnum):
    """Why the server closed an interview socket (after an `error` event with the same code)."""

    NEEDS_DOCUMENTS = 4000  # the session lacks its resume or job description
    BAD_SESSION_ID = 4001  # the session id is not a UUID
    ORIGIN_NOT_ALLOWED = 4003
    SESSION_NOT_FOUND = 4004
    TAKEN_OVER = 4010  # (extension) another connection opened this interview and drives it
    UNAUTHORISED = 4401  # missing or wrong token


# Reconnecting cannot help after any of the protocol's own close codes (after 4010 a client
# reconnecting by itself would take the interview back, and the two would take turns
# forever). A lost connection (1006) or a normal close (1000) is not final.
FINAL_CLOSE_CODES: frozenset[int] = frozenset(CloseCode)


class SocketErrorCode(IntEnum):
    """The `code` of an `error` event: the socket stays open and the interview goes on."""

    BAD_MESSAGE = 4400  # not a JSON object, unknown type, bad data or option
    WRONG_STATE = 4409  # the message does not fit now
    BAD_ANSWER = 4422  # an empty, too long or unusable answer (typed or spoken)
    INTERNAL = 4500  # a failure on the server's side; nothing half-done was kept
    NOT_SAVED = 4507  # (extension) a full or read-only disk: send the same message again


class ErrorCode(StrEnum):
    """Every `code` a REST error can carry. Values are stable: clients compare them."""

    # the request's shape (any operation)
    VALIDATION_ERROR = "validation_error"
    MALFORMED_BODY = "malformed_body"
    REQUEST_ERROR = "request_error"
    BODY_TOO_LARGE = "body_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    # access (security middleware)
    UNAUTHORIZED = "unauthorized"
    HOST_NOT_ALLOWED = "host_not_allowed"
    # sessions
    INVALID_SESSION_ID = "invalid_session_id"
    SESSION_NOT_FOUND = "session_not_found"
    INTERVIEW_STARTED = "interview_started"
    INTERVIEW_IN_PROGRESS = "interview_in_progress"
    INTERVIEW_NOT_FINISHED = "interview_not_finished"
    RESUME_MISSING = "resume_missing"
    # uploads
    UNREADABLE_DOCUMENT = "unreadable_document"
    FILE_TOO_LARGE = "file_too_large"
    JOB_DESCRIPTION_TOO_SHORT = "job_description_too_short"
    JOB_DESCRIPTION_TOO_LONG = "job_description_too_long"
    # interviewer settings (the ConfigError codes of backend.interviewer.llm.config)
    INVALID_SETTING = "invalid_setting"
    INVALID_MODE = "invalid_mode"
    INVALID_URL = "invalid_url"
    REMOTE_NOT_ALLOWED = "remote_not_allowed"
    MODEL_REQUIRED = "model_required"
    INVALID_TIMEOUT = "invalid_timeout"
    MODEL_FILE_NOT_FOUND = "model_file_not_found"
    INVALID_MODEL_FILE = "invalid_model_file"
    LLM_EXTRA_MISSING = "llm_extra_missing"
    FIXED_INTERVIEWER = "fixed_interviewer"
    MODEL_SERVER_UNREACHABLE = "model_server_unreachable"
    # the data folder (a full or read-only disk): nothing was changed, send it again later
    STORAGE_UNAVAILABLE = "storage_unavailable"
    # practice, retries and recordings (extension, issue 18)
    QUESTION_NOT_FOUND = "question_not_found"
    QUESTION_NOT_DONE = "question_not_done"
    INVALID_ANSWER = "invalid_answer"
    UNKNOWN_TOPIC = "unknown_topic"
    NOTHING_TO_PRACTISE = "nothing_to_practise"
    PRACTICE_NOT_FOUND = "practice_not_found"
    PRACTICE_FINISHED = "practice_finished"
    RECORDING_NOT_FOUND = "recording_not_found"
    RECORDING_GONE = "recording_gone"
    AUDIO_FORMAT = "audio_format"
    AUDIO_TOO_LONG = "audio_too_long"
    UNUSABLE_AUDIO = "unusable_audio"
    SPEECH_UNAVAILABLE = "speech_unavailable"
    # anything unexpected
    INTERNAL_ERROR = "internal_error"
