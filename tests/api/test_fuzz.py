"""Fuzzing the live socket and the JSON bodies of REST (hypothesis, bounded: well under a
minute). Whatever arrives:

- the socket never closes, every message gets a reply, and every reply is a JSON event;
  errors carry a documented code (4400, 4409, 4422) and never 4500 (the socket's "500");
- REST answers JSON with a ``detail`` for every error, never a 500;
- input that is refused changes nothing: neither the interview (in memory and on disk)
  nor the settings.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from websockets.sync.client import ClientConnection

from tests.conftest import LiveBackend, start_backend
from tests.data.documents import BACKEND_JD, SENIOR_RESUME
from tests.wsutil import next_event, open_ws, ready_session

pytestmark = pytest.mark.timeout(240)
FUZZ = settings(max_examples=120, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
DOCUMENTED = {4400, 4409, 4422}
PROBE = json.dumps({"type": "__probe__"})  # always refused (4400), never changes anything
TYPES = ["start", "answer", "ready", "skip", "voice_toggle", "audio_start", "audio_end",
         "audio_cancel", "replay", "bogus", "", "START", "end "]

scalars = (st.none() | st.booleans() | st.integers(min_value=-10**12, max_value=10**12)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
options = st.fixed_dictionaries({}, optional={
    "text": st.text(max_size=300) | values, "max_questions": st.integers(-3, 12) | values,
    "duration_minutes": st.integers(-3, 200) | values, "enabled": values,
    "sample_rate": st.integers(0, 96_000) | values, "format": st.text(max_size=12) | values,
    "review": values, "auto_end_silence_s": values})


@st.composite
def messages(draw) -> str | bytes:
    kind = draw(st.sampled_from(["message", "message", "message", "text", "bytes", "poison"]))
    if kind == "text":
        return draw(st.text(max_size=80))
    if kind == "bytes":
        return draw(st.binary(max_size=64))
    message: dict[str, Any] = {"type": draw(st.sampled_from(TYPES) | values)}
    if kind == "poison" and draw(st.booleans()):
        message["type"] = "end"  # read ahead of the queue (to cancel slow work): refused too
    if draw(st.booleans()):
        message["data"] = draw(options | values)
    raw = json.dumps(message)
    if kind == "poison":  # what json.dumps never writes: non-finite and huge numbers
        poison = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "9" * 5000]))
        raw = raw[:-1] + f', "x": {poison}}}'
    return raw


class Interview:
    """A session in progress on one socket, renewed when an interview ends."""

    def __init__(self, backend: LiveBackend):
        self.backend = backend
        self.ws: ClientConnection | None = None
        self._socket = contextlib.ExitStack()
        self.renew()

    def renew(self) -> None:
        self.close()
        self.sid = ready_session(self.backend, SENIOR_RESUME, BACKEND_JD)
        self.ws = self._socket.enter_context(open_ws(self.backend, self.sid))
        next_event(self.ws, {"connected"})

    def close(self) -> None:
        self._socket.close()
        self.ws = None

    def state(self) -> tuple[dict, dict]:
        """The interview on disk (its transcript) and in memory (the engine's state)."""
        transcript = self.backend.http.get(f"/session/{self.sid}/transcript").json()
        transcript.pop("time_remaining", None)
        hub = self.backend.server._server.config.app.state.hub
        live = hub._live.get(self.sid)
        memory = live.engine.state.to_dict() if live is not None else {}
        memory.pop("elapsed_s", None)
        return transcript, memory

    def exchange(self, message: str | bytes) -> list[dict]:
        """Send ``message`` and then the probe; every event until the probe's reply."""
        assert self.ws is not None
        self.ws.send(message)
        self.ws.send(PROBE)
        events = []
        while True:
            raw = self.ws.recv(timeout=60)  # a closed socket raises here: a failure
            if isinstance(raw, bytes):
                continue  # speech audio (never expected with voice off)
            event = json.loads(raw)
            assert isinstance(event, dict) and isinstance(event.get("type"), str), raw[:200]
            if event["type"] == "error" and "__probe__" in event["data"].get("message", ""):
                assert event["data"]["code"] == 4400
                return events
            events.append(event)


@pytest.fixture(scope="module")
def backend(tmp_path_factory) -> Iterator[LiveBackend]:
    b = start_backend(tmp_path_factory.mktemp("fuzz"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def interview(backend) -> Iterator[Interview]:
    live = Interview(backend)
    yield live
    live.close()


def _loads_voice(message: str | bytes) -> bool:
    """Switching voice on loads speech models (seconds, hundreds of MB): left to the
    voice tests."""
    try:
        parsed = json.loads(message)
    except (ValueError, TypeError):
        return False
    data = parsed.get("data") if isinstance(parsed, dict) else None
    return (isinstance(parsed, dict) and parsed.get("type") == "voice_toggle"
            and isinstance(data, dict) and data.get("enabled") not in (False, None))


@FUZZ
@given(message=messages())
def test_the_socket_answers_everything_and_refusals_change_nothing(interview, message):
    assume(not _loads_voice(message))
    before = interview.state()
    events = interview.exchange(message)
    assert events, f"no reply to {message[:100]!r}"  # every message gets at least one
    errors = [e["data"] for e in events if e["type"] == "error"]
    for error in errors:
        assert error["code"] in DOCUMENTED, (message, error)
        assert isinstance(error["message"], str) and error["message"]
    if events and all(e["type"] == "error" for e in events):
        assert interview.state() == before, message
    if interview.state()[0]["awaiting"] in ("end", "done"):
        interview.renew()  # keep fuzzing a live interview


JSON_PATHS = ["/settings/interviewer", "/interview/opt-in-memory?session_id={sid}",
              "/settings/interviewer/test"]


@st.composite
def bodies(draw) -> bytes:
    kind = draw(st.sampled_from(["json", "json", "text", "bytes", "poison"]))
    if kind == "text":
        return draw(st.text(max_size=80)).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=80))
    body = draw(st.fixed_dictionaries({}, optional={
        "mode": st.sampled_from(["builtin", "openai", "other"]) | values,
        "base_url": st.sampled_from(["http://127.0.0.1:9/v1", "ftp://x", ""]) | values,
        "model": values, "api_key": values, "allow_remote": values, "timeout_s": values,
        "gguf_path": st.sampled_from(["", "/nonexistent.gguf", "/etc/hostname"]) | values,
        "opt_in": values}) | values)
    raw = json.dumps(body)
    if kind == "poison" and raw.endswith("}") and raw != "{}":
        raw = raw[:-1] + ', "x": ' + draw(st.sampled_from(["NaN", "1e999", "9" * 5000])) + "}"
    return raw.encode()


@FUZZ
@given(path=st.sampled_from(JSON_PATHS), body=bodies(),
       content_type=st.sampled_from(["application/json", None, "text/plain"]))
def test_rest_bodies_never_get_a_500_and_refusals_change_nothing(backend, path, body,
                                                                 content_type):
    sid = backend.http.post("/session/start").json()["session_id"]
    settings_before = backend.http.get("/settings/interviewer").json()
    session_before = backend.http.get(f"/session/{sid}").json()
    headers = {"Content-Type": content_type} if content_type else {}
    method = "PUT" if path == "/settings/interviewer" else "POST"
    r = backend.http.request(method, path.format(sid=sid), content=body, headers=headers)
    assert r.status_code < 500 or r.status_code == 502, (body[:200], r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json"), r.text[:200]
    if r.status_code >= 400:
        assert isinstance(r.json().get("detail"), (str, list)), r.text
        assert backend.http.get("/settings/interviewer").json() == settings_before
        assert backend.http.get(f"/session/{sid}").json() == session_before
    elif path == "/settings/interviewer":  # accepted: back to the built-in for the next
        assert backend.http.put("/settings/interviewer",
                                json={"mode": "builtin"}).status_code == 200
