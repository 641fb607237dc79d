"""The REST API's one error model: `{"detail", "code", "field"?}` for every error.

`detail` is a sentence a person can act on (clients show it as it is); `code` is a stable
machine-readable name (`ErrorCode`) that clients branch on; `field` names the request field
the error is about, where there is one, so a form can put the message beside that field.
FastAPI's own errors (422 validation, 404 no such path, 405) and the security middleware's
(401, 413, 421) use the same model. `error_responses` documents each code in the OpenAPI
document with an example.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

log = logging.getLogger(__name__)


class ErrorCode(StrEnum):
    """Every `code` a REST error can carry. Values are stable: clients compare them."""

    # the request's shape (any operation)
    VALIDATION_ERROR = "validation_error"
    MALFORMED_BODY = "malformed_body"
    REQUEST_ERROR = "request_error"
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
    LLM_EXTRA_MISSING = "llm_extra_missing"
    FIXED_INTERVIEWER = "fixed_interviewer"
    MODEL_SERVER_UNREACHABLE = "model_server_unreachable"
    # anything unexpected
    INTERNAL_ERROR = "internal_error"


class FieldError(BaseModel):
    field: str | None = Field(None, description="the request field, by name")
    message: str
    type: str = Field(description="the validator's name for the error, e.g. `missing`")


class ErrorBody(BaseModel):
    """The body of every REST error."""

    detail: str = Field(description="what is wrong and what to do, in a sentence to show as is")
    code: ErrorCode = Field(description="stable, machine-readable: branch on this, not on detail")
    field: str | None = Field(None, description="the request field the error is about, where "
                                                "there is one (form fields, JSON body keys, "
                                                "path and query parameters by name)")
    errors: list[FieldError] | None = Field(None, description="422 only: every field that "
                                                              "did not validate")


class ApiError(Exception):
    """Raise from a route: answered as `ErrorBody` with `status`."""

    def __init__(self, status: int, code: ErrorCode, detail: str, field: str | None = None,
                 headers: Mapping[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.field = field
        self.headers = dict(headers or {})


def error_body(code: ErrorCode, detail: str, field: str | None = None,
               errors: Sequence[FieldError] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail, "code": code.value}
    if field is not None:
        body["field"] = field
    if errors is not None:
        body["errors"] = [e.model_dump() for e in errors]
    return body


def error_response(status: int, code: ErrorCode, detail: str, field: str | None = None, *,
                   errors: Sequence[FieldError] | None = None,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, detail, field, errors), status_code=status,
                        headers=dict(headers or {}))


# ---- 422: FastAPI's request validation, in the same model ------------------------------

_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
_TAG_ERRORS = frozenset({"union_tag_invalid", "union_tag_not_found"})
MAX_LISTED_ERRORS = 5


def field_name(loc: Sequence[Any], error_type: str = "",
               ctx: Mapping[str, Any] | None = None) -> str | None:
    """The request field a validation error is about: ("body", "timeout_s") -> "timeout_s",
    ("query", "max_questions") -> "max_questions"; a discriminated union's missing or unknown
    tag -> the tag's name ("mode"). The last name counts: a union member's tag stands between
    the body and the field (("body", "openai", "timeout_s")), and no body here nests fields."""
    if error_type in _TAG_ERRORS and ctx:
        tag = str(ctx.get("discriminator", "")).strip("'\"")
        if tag:
            return tag
    names = [p for p in loc if isinstance(p, str)]
    if names and names[0] in _LOCATIONS:
        names = names[1:]
    return names[-1] if names else None


def field_errors(exc: RequestValidationError) -> list[FieldError]:
    out = []
    for e in exc.errors():
        ctx = e.get("ctx")
        out.append(FieldError(field=field_name(e.get("loc", ()), str(e.get("type", "")),
                                               ctx if isinstance(ctx, Mapping) else None),
                              message=str(e.get("msg", "invalid")), type=str(e.get("type", ""))))
    return out


def validation_detail(errors: Sequence[FieldError]) -> str:
    parts = [f"{e.field}: {e.message}" if e.field else e.message
             for e in errors[:MAX_LISTED_ERRORS]]
    more = len(errors) - MAX_LISTED_ERRORS
    if more > 0:
        parts.append(f"{more} more")
    return "The request was not accepted: " + "; ".join(parts) + "."


# ---- 405: an Allow header that names every method of the path ----------------------------

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(app: Any, scope: Mapping[str, Any]) -> list[str]:
    """The methods the app routes at this request's path, asked of the routes themselves
    (Starlette's own 405 names only the first route's, and FastAPI has one per method)."""
    return [method for method in _METHODS
            if any(route.matches({**scope, "method": method})[0] == Match.FULL
                   for route in getattr(app, "routes", ()))]


# ---- the handlers ------------------------------------------------------------------------

def install_error_handlers(app: FastAPI) -> None:
    """Answer every REST error as `ErrorBody`."""

    async def on_api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.code, exc.detail, exc.field, headers=exc.headers)

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = field_errors(exc)
        first = errors[0].field if errors else None
        return error_response(422, ErrorCode.VALIDATION_ERROR, validation_detail(errors), first,
                              errors=errors)

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            methods = allowed_methods(request.app, request.scope)
            headers["Allow"] = ", ".join(methods)
            return error_response(405, ErrorCode.METHOD_NOT_ALLOWED,
                                  f"{request.method} is not supported on {request.url.path}; "
                                  f"it answers {', '.join(methods) or 'no method'}.",
                                  headers=headers)
        if exc.status_code == 404:
            return error_response(404, ErrorCode.NOT_FOUND,
                                  f"Nothing is at {request.url.path[:200]}: check the path (a "
                                  "session id is a UUID); the endpoints are listed in "
                                  "/openapi.json.", headers=headers)
        code = (ErrorCode.INTERNAL_ERROR if exc.status_code >= 500 else
                ErrorCode.MALFORMED_BODY if exc.status_code == 400 else ErrorCode.REQUEST_ERROR)
        return error_response(exc.status_code, code, str(exc.detail), headers=headers)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette re-raises after this answer and uvicorn then drops the connection: say
        # so, or a keep-alive client's next request fails on the closed socket.
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return error_response(500, ErrorCode.INTERNAL_ERROR,
                              "Something went wrong inside Rehearse; nothing you sent was lost. "
                              "Please try again, and restart Rehearse if it keeps happening.",
                              headers={"Connection": "close"})

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)


# ---- OpenAPI: each code an operation can answer, with an example ---------------------------

# code -> (status, an example detail, the field it names)
EXAMPLES: dict[ErrorCode, tuple[int, str, str | None]] = {
    ErrorCode.VALIDATION_ERROR: (422, "The request was not accepted: opt_in: Input should be a "
                                      "valid boolean.", "opt_in"),
    ErrorCode.MALFORMED_BODY: (400, "There was an error parsing the body", None),
    ErrorCode.REQUEST_ERROR: (400, "The request could not be handled.", None),
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
    ErrorCode.LLM_EXTRA_MISSING: (400, "In-process models need the optional extra: pip install "
                                       "'rehearse[llm]' (xllamacpp).", "gguf_path"),
    ErrorCode.FIXED_INTERVIEWER: (409, "This backend was started with a fixed interviewer.",
                                  None),
    ErrorCode.MODEL_SERVER_UNREACHABLE: (502, "Could not list the models at "
                                              "http://127.0.0.1:11434/v1/models: the server is "
                                              "not running. Is the server running (Ollama, LM "
                                              "Studio or llama.cpp's server) and is the URL "
                                              "right?", "base_url"),
    ErrorCode.INTERNAL_ERROR: (500, "Something went wrong inside Rehearse; nothing you sent was "
                                    "lost. Please try again, and restart Rehearse if it keeps "
                                    "happening.", None),
}

STATUS_TEXT = {400: "Bad input", 401: "Missing or wrong token", 404: "Not found",
               405: "Method not allowed", 409: "Does not fit the session's state",
               413: "File over 10 MB", 421: "Host is not this machine",
               422: "The request does not match the schema", 500: "Internal error",
               502: "The model server could not be reached"}


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
