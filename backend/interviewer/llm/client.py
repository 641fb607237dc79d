"""A small client for OpenAI-compatible chat servers (Ollama, LM Studio, llama.cpp, vLLM).

It asks for structured output and hands back a validated pydantic object, or
raises :class:`LLMError` whose ``kind`` says why not:

1. The first request uses ``response_format {"type": "json_schema", ...}``. A server
   that rejects it (HTTP 400/415/422/500/501) is asked again at once with
   ``{"type": "json_object"}`` and the schema written into the system message; the
   client remembers that dialect from then on.
2. A reply counts only if ``finish_reason == "stop"`` and its content parses as JSON
   and validates against the schema (and the caller's extra check). Otherwise it is
   asked once more at temperature 0, then it gives up (``bad_output``).
3. One deadline covers the whole step (dialect switch and retry included). Each HTTP
   request runs in its own daemon thread while the caller waits on the reply, the
   deadline or a cancel token (a Future), whichever comes first; an abandoned request
   ends by its own read timeout.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

ErrorKind = Literal["unavailable", "timeout", "cancelled", "rejected", "bad_output"]
Dialect = Literal["json_schema", "json_object"]
M = TypeVar("M", bound=BaseModel)

DIALECT_REJECTED = {400, 415, 422, 500, 501}
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.IGNORECASE)


class LLMError(Exception):
    def __init__(self, kind: ErrorKind, reason: str):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class CancelSignal:
    """Set by another thread to abandon model calls (the candidate ended the interview).

    ``token()`` is taken when a step starts and is what its requests wait on, so a cancel
    that lands before the request is sent still counts. The signal stays cancelled (steps
    skip the model) until ``reset``, which the end path calls before the report."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._future: Future[None] = Future()

    def token(self) -> Future[None]:
        with self._lock:
            return self._future

    @property
    def cancelled(self) -> bool:
        return self.token().done()

    def cancel(self) -> None:
        with self._lock:
            if not self._future.done():
                self._future.set_result(None)

    def reset(self) -> None:
        with self._lock:
            if self._future.done():
                self._future = Future()


@dataclass
class CallStats:
    """What one structured call took, for the bench and the logs."""

    requests: int = 0
    retried: bool = False
    dialect: Dialect = "json_schema"
    seconds: float = 0.0


def _strip(content: str) -> str:
    return _FENCE.sub("", content.strip())


class OpenAIClient:
    def __init__(self, base_url: str, api_key: str = "", *, model: str = "",
                 transport: httpx.BaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._transport = transport
        self.dialect: Dialect = "json_schema"

    # --- HTTP -------------------------------------------------------------------
    def _request(self, method: str, path: str, body: dict[str, Any] | None, deadline: float,
                 cancel: Future[None] | None) -> httpx.Response:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LLMError("timeout", "the model took too long")
        client = httpx.Client(headers=self._headers, transport=self._transport,
                              timeout=httpx.Timeout(remaining, connect=min(5.0, remaining)))
        reply: Future[httpx.Response] = Future()

        def run() -> None:
            try:
                reply.set_result(client.request(method, self.base_url + path, json=body))
            except BaseException as e:  # noqa: BLE001 - handed to the waiting caller
                reply.set_exception(e)
            finally:
                client.close()

        threading.Thread(target=run, daemon=True, name="llm-request").start()
        waited: list[Future[Any]] = [reply] if cancel is None else [reply, cancel]
        wait(waited, timeout=remaining, return_when=FIRST_COMPLETED)
        if not reply.done():
            if cancel is not None and cancel.done():
                raise LLMError("cancelled", "the interview ended")
            raise LLMError("timeout", f"the model took longer than {remaining:.0f} s")
        try:
            return reply.result()
        except httpx.TimeoutException:
            raise LLMError("timeout", "the model took too long") from None
        except httpx.HTTPError as e:
            raise LLMError("unavailable", f"could not reach {self.base_url} "
                                          f"({type(e).__name__}: {e})") from None

    def list_models(self, timeout_s: float = 10.0) -> list[str]:
        """The ids of GET {base_url}/models."""
        r = self._request("GET", "/models", None, time.monotonic() + timeout_s, None)
        if r.status_code in (401, 403):
            raise LLMError("rejected", f"{self.base_url} refused the API key (HTTP {r.status_code})")
        if r.status_code != 200:
            raise LLMError("unavailable", f"{self.base_url}/models answered HTTP {r.status_code}")
        try:
            data = r.json().get("data", [])
            return [str(m["id"]) for m in data if isinstance(m, dict) and "id" in m]
        except (ValueError, AttributeError, TypeError):
            raise LLMError("bad_output", f"{self.base_url}/models did not answer with an "
                                         "OpenAI model list") from None

    # --- structured chat ----------------------------------------------------------
    def _body(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str,
              temperature: float, max_tokens: int) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "temperature": temperature,
                                "max_tokens": max_tokens, "stream": False}
        if self.dialect == "json_schema":
            body["messages"] = messages
            body["response_format"] = {"type": "json_schema", "json_schema": {
                "name": name, "schema": schema, "strict": True}}
        else:
            system = (f"{messages[0]['content']}\nReply with one JSON object, nothing else, "
                      f"matching this JSON schema: {json.dumps(schema, separators=(',', ':'))}")
            body["messages"] = [{"role": "system", "content": system}, *messages[1:]]
            body["response_format"] = {"type": "json_object"}
        return body

    def _completion(self, body_for: Callable[[], dict[str, Any]], deadline: float,
                    cancel: Future[None] | None, stats: CallStats) -> dict[str, Any]:
        """One chat completion, switching dialect once if the server rejects json_schema."""
        while True:
            r = self._request("POST", "/chat/completions", body_for(), deadline, cancel)
            stats.requests += 1
            if r.status_code == 200:
                try:
                    return r.json()
                except ValueError:
                    raise LLMError("bad_output", "the server's reply was not JSON") from None
            if r.status_code in DIALECT_REJECTED and self.dialect == "json_schema":
                self.dialect = stats.dialect = "json_object"
                continue
            if r.status_code in (401, 403):
                raise LLMError("rejected", f"the server refused the API key (HTTP {r.status_code})")
            if r.status_code == 404:
                raise LLMError("rejected", f"the server has no model {self.model!r} (HTTP 404)")
            raise LLMError("unavailable", f"the server answered HTTP {r.status_code}: "
                                          f"{r.text[:200]}")

    def complete(self, messages: list[dict[str, str]], output: type[M], *, temperature: float,
                 max_tokens: int, deadline: float, cancel: Future[None] | None = None,
                 check: Callable[[M], None] | None = None,
                 stats: CallStats | None = None) -> M:
        """A validated ``output`` from the model, asking at most twice (see module doc).
        ``check`` may raise ValueError to reject a reply that validates but makes no sense."""
        stats = stats if stats is not None else CallStats()
        stats.dialect = self.dialect
        schema = output.model_json_schema()
        started = time.monotonic()
        problem = ""
        try:
            for attempt, temp in enumerate((temperature, 0.0)):
                stats.retried = attempt > 0
                reply = self._completion(
                    functools.partial(self._body, messages, schema, output.__name__, temp, max_tokens),
                    deadline, cancel, stats)
                try:
                    return _parse(reply, output, check)
                except ValueError as e:
                    problem = str(e)
            raise LLMError("bad_output", problem)
        finally:
            stats.seconds = time.monotonic() - started


def _parse(reply: dict[str, Any], output: type[M], check: Callable[[M], None] | None) -> M:
    try:
        choice = reply["choices"][0]
        finish = choice.get("finish_reason")
        content = choice["message"]["content"] or ""
    except (KeyError, IndexError, TypeError, AttributeError):
        raise ValueError("the reply had no message") from None
    if finish != "stop":
        raise ValueError(f"the reply was cut off (finish_reason {finish!r})")
    try:
        value = output.model_validate_json(_strip(content))
    except ValidationError as e:
        first = e.errors()[0] if e.errors() else {"msg": str(e), "loc": ()}
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ValueError(f"the reply did not fit the schema ({where}: {first['msg']})") from None
    if check is not None:
        check(value)
    return value
