"""The REST API's one error model: `{"detail", "code", "field"?}` for every error.

`detail` is a sentence a person can act on (clients show it as it is); `code` is a stable
machine-readable name (`ErrorCode`) that clients branch on; `field` names the request field
the error is about, where there is one, so a form can put the message beside that field.
FastAPI's own errors (422 validation, 404 no such path, 405) and the security middleware's
(401, 413, 421) use the same model. `error_docs.py` documents each code in the OpenAPI
document with an example.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from backend.protocol.codes import ErrorCode

log = logging.getLogger(__name__)


INTERNAL_DETAIL = ("Something went wrong inside Rehearse; nothing you sent was lost. Please try "
                   "again, and restart Rehearse if it keeps happening.")


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
        return error_response(500, ErrorCode.INTERNAL_ERROR, INTERNAL_DETAIL,
                              headers={"Connection": "close"})

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
