"""The OpenAPI document (`GET /openapi.json`): FastAPI's, plus what applies to every operation.

Each route documents its own errors (`responses=error_responses(...)`); this adds the ones
every operation shares, from the layers around the routes: the bearer token (401, declared
as a security scheme so generated clients send it), the Host check (421), FastAPI's
validation (422, in the same error model as the rest), an unexpected failure (500) and, for
the operations that write, a body of another type than JSON or a form (415), a JSON body
over 1 MB (413) and a data folder that cannot be written (507).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from backend.api.error_docs import openapi_error_response
from backend.api.errors import ErrorBody, ErrorCode
from backend.api.security import OPEN_PATHS

SECURITY_SCHEME = "launchToken"
_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})
_WRITES = frozenset({"put", "post", "delete", "patch"})
_WWW_AUTHENTICATE = {"WWW-Authenticate": {"description": "`Bearer`",
                                          "schema": {"type": "string", "const": "Bearer"}}}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(title=app.title, version=app.version, description=app.description,
                      routes=app.routes, tags=app.openapi_tags)
    doc.setdefault("components", {}).setdefault("securitySchemes", {})[SECURITY_SCHEME] = {
        "type": "http", "scheme": "bearer",
        "description": "The token `rehearse serve` prints at start (`--token` sets it). "
                       "The WebSocket takes it as `?token=`."}
    for path, item in doc.get("paths", {}).items():
        for method, operation in item.items():
            if method in _METHODS:
                _add_shared_responses(path, method, operation)
    _drop_unused_schemas(doc, ("HTTPValidationError", "ValidationError"))
    _ensure_error_schema(doc)
    return doc


def _add_shared_responses(path: str, method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    if path in OPEN_PATHS:
        operation["security"] = []
    else:
        operation["security"] = [{SECURITY_SCHEME: []}]
        responses["401"] = openapi_error_response(ErrorCode.UNAUTHORIZED,
                                                  headers=_WWW_AUTHENTICATE)
    responses["421"] = openapi_error_response(ErrorCode.HOST_NOT_ALLOWED)
    if "422" in responses:  # FastAPI adds it to operations with parameters or a body
        # a route's own 422 codes (e.g. invalid_answer) are kept beside validation_error
        own = responses["422"].get("content", {}).get("application/json", {}).get("examples", {})
        if _validates_input(operation) or own:
            responses["422"] = openapi_error_response(ErrorCode.VALIDATION_ERROR)
            content = responses["422"]["content"]["application/json"]
            for name, example in own.items():
                content["examples"][name] = example
            codes = [f"`{name}`" for name in content["examples"]]
            responses["422"]["description"] = (responses["422"]["description"].split(":")[0]
                                               + ": `code` is " + " or ".join(codes))
        else:
            del responses["422"]
    responses["500"] = openapi_error_response(ErrorCode.INTERNAL_ERROR)
    if method in _WRITES and path not in OPEN_PATHS:
        # strict_json.py: a body that is neither JSON nor a form; a JSON body over 1 MB
        own = responses.get("415", {}).get("content", {}).get("application/json", {})
        responses["415"] = openapi_error_response(ErrorCode.UNSUPPORTED_MEDIA_TYPE)
        if own.get("examples"):  # a route's own 415 (a spoken answer: audio_format) instead
            responses["415"] = openapi_error_response(ErrorCode.AUDIO_FORMAT)
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            responses["413"] = openapi_error_response(ErrorCode.BODY_TOO_LARGE)
        # a full or read-only data folder
        responses["507"] = openapi_error_response(ErrorCode.STORAGE_UNAVAILABLE)
    operation["responses"] = dict(sorted(responses.items()))


def _validates_input(operation: dict[str, Any]) -> bool:
    """Whether a request can fail validation: a body or a query parameter. A path's session
    id is matched by the route itself (a non-UUID is another path: 404)."""
    return "requestBody" in operation or any(
        p.get("in") != "path" for p in operation.get("parameters", []))


def _drop_unused_schemas(doc: dict[str, Any], names: tuple[str, ...]) -> None:
    schemas = doc.get("components", {}).get("schemas", {})
    for name in names:
        schema = schemas.pop(name, None)
        if schema is not None and f"#/components/schemas/{name}" in json.dumps(doc):
            schemas[name] = schema  # still referenced somewhere: keep it


def _ensure_error_schema(doc: dict[str, Any]) -> None:
    """ErrorBody (and what it refers to) in components, whichever routes are mounted."""
    schemas = doc["components"].setdefault("schemas", {})
    if "ErrorBody" not in schemas:
        body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(body.pop("$defs", {}))
        schemas["ErrorBody"] = body


def install_openapi(app: FastAPI) -> None:
    """Serve `build_openapi` (once built, cached) as /openapi.json and to /docs."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
