"""schemathesis hooks for `make fuzz-api` (named in scripts/schemathesis.toml).

- POST /settings/interviewer/test connects to the URL it is given. With `allow_remote` it
  would connect to any host the fuzzer invents; this run must only ever reach this machine,
  so such cases are dropped (without `allow_remote` the backend itself refuses every
  non-loopback URL before connecting).
- PUT /settings/interviewer with `mode: "openai"` and a `gguf_path` serves that file: the
  fuzzer cannot invent a GGUF file that exists, and the documented 400
  `model_file_not_found` is about the disk, not the request's shape. Such a body is sent
  naming a model instead (a model or a file is what the schema asks for).
- The resume's part may be sent as PDF or DOCX (the document's `encoding`): its bytes go
  as they are.
"""

from __future__ import annotations

from typing import Any

import schemathesis

CONNECTION_TEST = ("POST", "/settings/interviewer/test")
SETTINGS = ("PUT", "/settings/interviewer")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _is(ctx: Any, target: tuple[str, str]) -> bool:
    operation = getattr(ctx, "operation", None)
    return operation is not None and (operation.method.upper(), operation.path) == target


def _reaches_out(body: Any) -> bool:
    return isinstance(body, dict) and body.get("allow_remote") not in (None, False)


def _serves_a_file(body: Any) -> bool:
    return (isinstance(body, dict) and body.get("mode") == "openai"
            and isinstance(body.get("gguf_path"), str) and bool(body["gguf_path"].strip()))


@schemathesis.hook
def filter_body(ctx: Any, body: Any) -> bool:
    return not (_is(ctx, CONNECTION_TEST) and _reaches_out(body))


@schemathesis.hook
def before_call(ctx: Any, case: Any, **kwargs: Any) -> None:
    """Every phase's cases pass here (the coverage phase's skip `filter_body`)."""
    if _is(ctx, CONNECTION_TEST) and _reaches_out(case.body):
        case.body = {**case.body, "allow_remote": False}
    if _is(ctx, SETTINGS) and _serves_a_file(case.body):
        model = case.body.get("model")
        if not isinstance(model, str) or not model.strip():
            model = "fuzz-model" if model is None or isinstance(model, str) else model
        case.body = {**case.body, "gguf_path": "", "model": model}


@schemathesis.serializer("application/pdf", DOCX)
def as_bytes(ctx: Any, value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()
