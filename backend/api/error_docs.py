"""Each error code's status and an example, for the OpenAPI document.

Routes list the codes they can answer (`responses=error_responses(...)`); openapi.py adds
the ones every operation shares (`openapi_error_response`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from backend.api.errors import INTERNAL_DETAIL, ErrorBody, ErrorCode, error_body

# code -> (status, an example detail, the field it names)
EXAMPLES: dict[ErrorCode, tuple[int, str, str | None]] = {
    ErrorCode.VALIDATION_ERROR: (422, "The request was not accepted: opt_in: Input should be a "
                                      "valid boolean.", "opt_in"),
    ErrorCode.MALFORMED_BODY: (400, "There was an error parsing the body", None),
    ErrorCode.REQUEST_ERROR: (400, "The request could not be handled.", None),
    ErrorCode.BODY_TOO_LARGE: (413, "The JSON body is over 1024 KB; the API's requests are a "
                                    "few hundred bytes.", None),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: (415, "Send the body as JSON with 'Content-Type: "
                                            "application/json' (uploads as "
                                            "multipart/form-data).", None),
    ErrorCode.NOT_FOUND: (404, "Nothing is at /session/abc: check the path (a session id is a "
                               "UUID); the endpoints are listed in /openapi.json.", None),
    ErrorCode.METHOD_NOT_ALLOWED: (405, "PATCH is not supported on /settings/interviewer; it "
                                        "answers GET, PUT.", None),
    ErrorCode.UNAUTHORIZED: (401, "Missing or wrong token: send 'Authorization: Bearer <token>' "
                                  "with the token printed when the server started.", None),
    ErrorCode.HOST_NOT_ALLOWED: (421, "This server only answers requests addressed to 127.0.0.1 "
                                      "or localhost.", None),
    ErrorCode.INVALID_SESSION_ID: (400, "'abc' is not a valid session id (a UUID).",
                                   "session_id"),
    ErrorCode.SESSION_NOT_FOUND: (404, "Session not found. Start a new session with POST "
                                       "/session/start.", "session_id"),
    ErrorCode.INTERVIEW_STARTED: (409, "This interview has already started; its documents can "
                                       "no longer change. Start a new session to use other "
                                       "documents.", None),
    ErrorCode.INTERVIEW_IN_PROGRESS: (409, "Memory can be switched before the interview starts "
                                           "or after it ends.", None),
    ErrorCode.INTERVIEW_NOT_FINISHED: (409, "The interview is not finished yet; the report is "
                                            "written when the last question has been answered.",
                                       None),
    ErrorCode.RESUME_MISSING: (409, "Add a resume first: the plan is built from it.", None),
    ErrorCode.UNREADABLE_DOCUMENT: (400, "This PDF has no text layer (it is probably a scan). "
                                         "Export it again from your editor, or upload a .docx "
                                         "or .txt version.", "file"),
    ErrorCode.FILE_TOO_LARGE: (413, "The file is larger than 10 MB. Save your resume without "
                                    "embedded images, or as plain text.", "file"),
    ErrorCode.JOB_DESCRIPTION_TOO_SHORT: (400, "The job description is empty or too short. "
                                               "Paste the full posting: the role, its "
                                               "responsibilities and requirements.",
                                          "job_description"),
    ErrorCode.JOB_DESCRIPTION_TOO_LONG: (400, "The job description is 61,200 characters; at "
                                              "most 50,000 are accepted. Paste just the posting.",
                                         "job_description"),
    ErrorCode.INVALID_SETTING: (400, "This setting cannot be used.", None),
    ErrorCode.INVALID_MODE: (400, "mode must be 'builtin' or 'openai', not 'gpt'.", "mode"),
    ErrorCode.INVALID_URL: (400, "'localhost:11434' is not an http(s) URL; for Ollama use "
                                 "http://127.0.0.1:11434/v1, for LM Studio "
                                 "http://127.0.0.1:1234/v1.", "base_url"),
    ErrorCode.REMOTE_NOT_ALLOWED: (400, "gpu.example is not this computer: your resume, the job "
                                        "description and your answers will leave this machine "
                                        "and be sent to that server. Set allow_remote to true "
                                        "to allow this, or use a server on 127.0.0.1.",
                                   "base_url"),
    ErrorCode.MODEL_REQUIRED: (400, "Choose a model: POST /settings/interviewer/test lists the "
                                    "server's models.", "model"),
    ErrorCode.INVALID_TIMEOUT: (400, "timeout_s must be between 1 and 600 seconds.",
                                "timeout_s"),
    ErrorCode.MODEL_FILE_NOT_FOUND: (400, "No GGUF model file at /home/me/models/q4.gguf.",
                                     "gguf_path"),
    ErrorCode.INVALID_MODEL_FILE: (400, "/home/me/models/notes.txt is not a GGUF model file. "
                                        "Choose a .gguf file (for example from Ollama's or LM "
                                        "Studio's model folder).", "gguf_path"),
    ErrorCode.LLM_EXTRA_MISSING: (400, "In-process models need the optional extra: pip install "
                                       "'rehearse[llm]' (xllamacpp).", "gguf_path"),
    ErrorCode.FIXED_INTERVIEWER: (409, "This backend was started with a fixed interviewer.",
                                  None),
    ErrorCode.MODEL_SERVER_UNREACHABLE: (502, "Could not list the models at "
                                              "http://127.0.0.1:11434/v1/models: the server is "
                                              "not running. Is the server running (Ollama, LM "
                                              "Studio or llama.cpp's server) and is the URL "
                                              "right?", "base_url"),
    ErrorCode.STORAGE_UNAVAILABLE: (507, "Could not save: the disk is full. Free some space "
                                         "and try again — nothing was changed.", None),
    ErrorCode.QUESTION_NOT_FOUND: (404, "This interview has no question 5.", "question_number"),
    ErrorCode.QUESTION_NOT_DONE: (409, "Question 2 is still being asked: finish it (and its "
                                       "follow-ups) first.", "question_number"),
    ErrorCode.INVALID_ANSWER: (422, "The answer is empty. Type or say something, even 'I don't "
                                    "know'.", "text"),
    ErrorCode.UNKNOWN_TOPIC: (404, "There is no practice topic 'cooking'; GET /practice/topics "
                                   "lists them.", "topic"),
    ErrorCode.NOTHING_TO_PRACTISE: (409, "There is no question to practise on that topic yet.",
                                    "topic"),
    ErrorCode.PRACTICE_NOT_FOUND: (404, "Practice session not found; start one with POST "
                                        "/practice/sessions.", "practice_id"),
    ErrorCode.PRACTICE_FINISHED: (409, "This practice session is over: start a new one.", None),
    ErrorCode.RECORDING_NOT_FOUND: (404, "No such recording: it may have been deleted.",
                                    "recording_id"),
    ErrorCode.RECORDING_GONE: (410, "The recording's file is gone from this computer.",
                               "recording_id"),
    ErrorCode.AUDIO_FORMAT: (415, "Send the answer's audio as the raw body: PCM16 little-endian "
                                  "mono at 16000 Hz, Content-Type application/octet-stream.",
                             None),
    ErrorCode.AUDIO_TOO_LONG: (413, "The recording is longer than 10 minutes; please keep "
                                    "answers shorter.", None),
    ErrorCode.UNUSABLE_AUDIO: (422, "I didn't catch anything in that recording. Check the "
                                    "microphone level and try again, or type.", None),
    ErrorCode.SPEECH_UNAVAILABLE: (503, "Speech recognition is not available on this computer; "
                                        "type the answer instead.", None),
    ErrorCode.INTERNAL_ERROR: (500, INTERNAL_DETAIL, None),
}

STATUS_TEXT = {400: "Bad input", 401: "Missing or wrong token", 404: "Not found",
               405: "Method not allowed", 409: "Does not fit the session's state",
               413: "File over 10 MB", 415: "Unsupported media type", 421: "Host is not this machine",
               422: "The request does not match the schema", 500: "Internal error",
               502: "The model server could not be reached", 410: "Gone",
               503: "Not available on this computer",
               507: "The data folder cannot be written (full or read-only disk)"}


def _example(code: ErrorCode) -> dict[str, Any]:
    _, detail, field = EXAMPLES[code]
    value = error_body(code, detail, field)
    if code is ErrorCode.VALIDATION_ERROR:
        value["errors"] = [{"field": "opt_in", "message": "Input should be a valid boolean",
                            "type": "bool_type"}]
    return {"summary": code.value, "value": value}


def _description(status: int, codes: Sequence[ErrorCode]) -> str:
    return (f"{STATUS_TEXT.get(status, 'Error')}: `code` is "
            + " or ".join(f"`{c.value}`" for c in codes))


def error_responses(*codes: ErrorCode) -> dict[int | str, dict[str, Any]]:
    """FastAPI `responses=` for these codes: one entry per status, an example per code."""
    by_status: dict[int, list[ErrorCode]] = {}
    for code in codes:
        by_status.setdefault(EXAMPLES[code][0], []).append(code)
    return {status: {"model": ErrorBody, "description": _description(status, status_codes),
                     "content": {"application/json": {
                         "examples": {c.value: _example(c) for c in status_codes}}}}
            for status, status_codes in sorted(by_status.items())}


def openapi_error_response(code: ErrorCode, headers: Mapping[str, Any] | None = None
                           ) -> dict[str, Any]:
    """One OpenAPI response object (raw, for the document's post-processing)."""
    status = EXAMPLES[code][0]
    response: dict[str, Any] = {
        "description": _description(status, [code]),
        "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ErrorBody"},
            "examples": {code.value: _example(code)}}}}
    if headers:
        response["headers"] = dict(headers)
    return response
