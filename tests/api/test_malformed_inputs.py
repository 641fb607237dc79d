"""Inputs that used to escape the error rules: huge integers and non-finite numbers,
out-of-range options, bugs inside a handler. Each gets its documented error, and the
socket stays open."""

from __future__ import annotations

import json

import httpx
import pytest

from backend.api.app import create_app
from backend.interviewer.builtin import BuiltinInterviewer
from backend.store import Store
from tests.conftest import start_backend
from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME
from tests.wsutil import next_event, open_ws, ready_session, send

HUGE = "9" * 5000  # Python refuses to read integers of more than 4,300 digits


def error_for(ws, raw: str) -> dict:
    ws.send(raw)
    ev = next_event(ws, {"error", "intro", "new_question", "score_update"}, timeout=20)
    assert ev["type"] == "error", (raw[:80], ev)
    return ev["data"]


def test_huge_and_non_finite_numbers_are_4400_and_the_socket_stays(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        for raw in ('{"type": "start", "data": {"max_questions": %s}}' % HUGE,
                    '{"type": "end", "data": {"n": %s}}' % HUGE,  # read ahead for "end"
                    '{"type": "start", "data": {"max_questions": NaN}}',
                    '{"type": "start", "data": {"duration_minutes": Infinity}}',
                    '{"type": "start", "data": {"duration_minutes": -Infinity}}',
                    '{"type": "start", "data": {"duration_minutes": 1e999}}',
                    '[' * 100_000 + ']' * 100_000):
            error = error_for(ws, raw)
            assert error["code"] == 4400 and error["message"], raw[:60]
        send(ws, "start", {"max_questions": 1})  # nothing of that changed anything
        assert next_event(ws, {"new_question"})["data"]["question_number"] == 1


@pytest.mark.parametrize("options,allowed", [
    ({"max_questions": -5}, "from 1 to 8"), ({"max_questions": 10**9}, "from 1 to 8"),
    ({"max_questions": 0}, "from 1 to 8"), ({"duration_minutes": 0}, "from 1 to 180"),
    ({"duration_minutes": 10**9}, "from 1 to 180"), ({"max_questions": 2.5}, "from 1 to 8"),
])
def test_out_of_range_options_are_refused_with_the_range(live_backend, options, allowed):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        error = error_for(ws, json.dumps({"type": "start", "data": options}))
        assert error["code"] == 4400 and allowed in error["message"]
    assert live_backend.http.get(f"/session/{sid}").json()["status"] == "created"


class BuggyInterviewer(BuiltinInterviewer):
    """Grading fails once with a bug, as any code might."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 1

    def grade(self, *args, **kwargs):
        if self.failures:
            self.failures -= 1
            raise RuntimeError("a bug")
        return super().grade(*args, **kwargs)


def test_a_bug_in_a_handler_is_4500_and_the_interview_goes_on(tmp_path):
    b = start_backend(tmp_path / "data", app_factory=lambda s: create_app(
        s, interviewer=BuggyInterviewer()))
    try:
        sid = ready_session(b, SENIOR_RESUME, BACKEND_JD)
        with open_ws(b, sid) as ws:
            next_event(ws, {"connected"})
            send(ws, "start", {"max_questions": 1})
            next_event(ws, {"new_question"})
            error = error_for(ws, json.dumps({"type": "answer", "data": {"text": GOOD_ANSWER}}))
            assert error["code"] == 4500 and "ready" in error["message"]
            send(ws, "ready")  # the question again: the failed answer left nothing behind
            assert next_event(ws, {"new_question"})["data"]["question_number"] == 1
            send(ws, "answer", {"text": GOOD_ANSWER})
            assert next_event(ws, {"score_update"})["data"]["followup_number"] == 0
    finally:
        b.close()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", HUGE])
def test_rest_json_with_bad_numbers_is_422_json(live_backend, number):
    before = live_backend.http.get("/settings/interviewer").json()
    r = live_backend.http.put("/settings/interviewer", content='{"mode": "builtin", '
                              f'"timeout_s": {number}}}',
                              headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/json"
    assert r.json()["detail"] and r.json()["code"] == "validation_error"
    assert live_backend.http.get("/settings/interviewer").json() == before
    sid = live_backend.http.post("/session/start").json()["session_id"]
    r = live_backend.http.post(f"/interview/opt-in-memory?session_id={sid}",
                               content=f'{{"opt_in": {number}}}')  # no Content-Type either
    assert r.status_code == 422 and r.json()["detail"]
    assert live_backend.http.get(f"/session/{sid}").json()["memory_opt_in"] is False


class BrokenStore(Store):
    def list_sessions(self):
        raise RuntimeError("a bug")


def test_an_unexpected_rest_error_is_json_and_the_connection_survives(tmp_path):
    b = start_backend(tmp_path / "data", app_factory=lambda s: create_app(
        s, store=BrokenStore(s.database_path)))
    try:
        r = b.http.get("/sessions")
        assert r.status_code == 500 and r.headers["content-type"] == "application/json"
        assert "went wrong" in r.json()["detail"] and r.json()["code"] == "internal_error"
        assert b.http.post("/session/start").status_code == 200  # same keep-alive client
    finally:
        b.close()


def test_a_json_body_over_1_mb_is_413_json(live_backend):
    r = live_backend.http.put("/settings/interviewer", content=b'{"mode": "' + b"x" * 2_000_000
                              + b'"}', headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["detail"]
    assert r.json()["code"] == "body_too_large"


def test_every_rest_error_is_json(live_backend):
    for method, path, kwargs in (
            ("get", "/session/nope", {}), ("get", "/nothing/here", {}),
            ("post", "/upload/jd", {"data": {"session_id": "x"}}),
            ("put", "/settings/interviewer", {"content": "{", "headers": {
                "Content-Type": "application/json"}})):
        r = live_backend.http.request(method, path, **kwargs)
        assert r.status_code >= 400 and r.headers["content-type"] == "application/json", path
        assert r.json()["detail"] and r.json()["code"], path
    r = httpx.get(f"{live_backend.base}/sessions")
    assert r.status_code == 401 and r.json()["detail"]
    # bytes that are not UTF-8, sent as text: the framework would fail echoing them back
    r = live_backend.http.put("/settings/interviewer", content=b"\x80\xff",
                              headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "application/json" in r.json()["detail"]
    assert r.json()["code"] == "unsupported_media_type"
