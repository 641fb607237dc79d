"""Every REST error answers the one error model: {"detail", "code", "field"?} (docs/protocol.md,
"Errors"), on a live backend: the routes', FastAPI's own (422, 404, 405) and the security
middleware's (401, 413, 421)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI

from backend.api.app import create_app
from backend.api.errors import ErrorCode
from backend.config import MAX_RESUME_BYTES, Settings
from tests.conftest import start_backend
from tests.data.documents import BACKEND_JD, SENIOR_RESUME

CODES = {c.value for c in ErrorCode}


def error_of(r: httpx.Response, status: int, code: str, field: str | None = None) -> dict:
    """The body of an error answer, checked against the model."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) <= {"detail", "code", "field", "errors"}, body
    assert isinstance(body["detail"], str) and len(body["detail"]) > 10, body
    assert body["code"] == code and body["code"] in CODES, body
    assert body.get("field") == field, body
    return body


def new_session(backend) -> str:
    return backend.http.post("/session/start").json()["session_id"]


def test_access_errors_of_the_middleware(live_backend):
    r = httpx.post(f"{live_backend.base}/session/start")
    error_of(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    r = live_backend.http.get("/sessions", headers={"Host": "evil.example"})
    error_of(r, 421, "host_not_allowed")


def test_an_upload_over_10_mb_is_refused_by_its_length(live_backend):
    sid = new_session(live_backend)
    big = b"Python engineer. " * (MAX_RESUME_BYTES // 17 + 8192)
    r = live_backend.http.post("/upload/resume", data={"session_id": sid},
                               files={"file": ("cv.txt", big, "text/plain")})
    error_of(r, 413, "file_too_large", "file")


def test_session_errors_name_the_session_id(live_backend):
    error_of(live_backend.http.get(f"/session/{uuid.uuid4()}"), 404, "session_not_found",
             "session_id")
    r = live_backend.http.post("/upload/jd", data={"session_id": "nope",
                                                   "job_description": BACKEND_JD})
    assert "not a valid session id" in error_of(r, 400, "invalid_session_id", "session_id")["detail"]
    r = live_backend.http.post("/interview/opt-in-memory", params={"session_id": "0"},
                               json={"opt_in": True})
    error_of(r, 400, "invalid_session_id", "session_id")
    # in a path, only a UUID is a session id: anything else is no path of this API
    error_of(live_backend.http.get("/session/nope/plan"), 404, "not_found")
    error_of(live_backend.http.get("/interview/report/nope"), 404, "not_found")


def test_state_conflicts(live_backend):
    sid = new_session(live_backend)
    error_of(live_backend.http.get(f"/interview/report/{sid}"), 409, "interview_not_finished")
    error_of(live_backend.http.get(f"/session/{sid}/plan"), 409, "resume_missing")


def test_upload_errors_name_their_field(live_backend):
    sid = new_session(live_backend)
    r = live_backend.http.post("/upload/resume", data={"session_id": sid},
                               files={"file": ("cv.pdf", b"%PDF-1.4 broken", "application/pdf")})
    error_of(r, 400, "unreadable_document", "file")
    r = live_backend.http.post("/upload/resume", data={"session_id": sid},
                               files={"file": ("cv.txt", b"", "text/plain")})
    error_of(r, 400, "unreadable_document", "file")
    for jd in ("   ", "two words", " \u3000Go\u00a0and\x1c "):  # words as str.split() counts them
        r = live_backend.http.post("/upload/jd", data={"session_id": sid, "job_description": jd})
        error_of(r, 400, "job_description_too_short", "job_description")
    r = live_backend.http.post("/upload/jd", data={"session_id": sid,
                                                   "job_description": "Go engineer " * 5000})
    error_of(r, 400, "job_description_too_long", "job_description")
    for data in ({"session_id": sid}, {"session_id": sid, "job_description": ""}):
        r = live_backend.http.post("/upload/jd", data=data)  # "" is a missing form field
        error_of(r, 422, "validation_error", "job_description")
    assert live_backend.http.get(f"/session/{sid}").json()["has_jd"] is False
    r = live_backend.http.post("/upload/jd", data={"session_id": sid, "job_description":
                                                   "Backend \u3000engineer\x1cGo"})
    assert r.status_code == 200, r.text  # three words, however they are separated


def test_validation_errors_list_each_field(live_backend):
    sid = new_session(live_backend)
    r = live_backend.http.post("/interview/opt-in-memory", params={"session_id": sid},
                               json={"opt_in": "maybe"})
    body = error_of(r, 422, "validation_error", "opt_in")
    assert body["detail"].startswith("The request was not accepted: opt_in: ")
    assert body["errors"] == [{"field": "opt_in", "message": "Input should be a valid boolean",
                               "type": "bool_type"}]
    r = live_backend.http.get(f"/session/{sid}/plan", params={"max_questions": 99})
    error_of(r, 422, "validation_error", "max_questions")
    r = live_backend.http.put("/settings/interviewer", json={"mode": "cloud"})
    error_of(r, 422, "validation_error", "mode")
    r = live_backend.http.put("/settings/interviewer", json={"timeout_s": 30})
    error_of(r, 422, "validation_error", "mode")
    r = live_backend.http.put("/settings/interviewer",
                              json={"mode": "openai", "model": "m", "timeout_s": "30",
                                    "allow_remote": 1})  # strict: no coercion from strings
    body = error_of(r, 422, "validation_error", r.json().get("field"))
    assert {e["field"] for e in body["errors"]} == {"timeout_s", "allow_remote"}
    assert body["field"] == body["errors"][0]["field"]
    r = live_backend.http.post("/interview/opt-in-memory", params={"session_id": sid},
                               content=b"{not json", headers={"Content-Type": "application/json"})
    error_of(r, 422, "validation_error")


def test_settings_errors_carry_the_setting_as_field(live_backend):
    put = live_backend.http.put
    error_of(put("/settings/interviewer", json={"mode": "openai", "model": " "}), 400,
             "model_required", "model")
    error_of(put("/settings/interviewer", json={"mode": "openai", "model": "m",
                                                "base_url": "http://[::1"}), 400,
             "invalid_url", "base_url")
    error_of(put("/settings/interviewer", json={"mode": "openai", "model": "m",
                                                "base_url": "https://gpu.example/v1"}), 400,
             "remote_not_allowed", "base_url")
    error_of(put("/settings/interviewer", json={"mode": "openai",
                                                "gguf_path": "/nonexistent/m.gguf"}), 400,
             "model_file_not_found", "gguf_path")
    error_of(put("/settings/interviewer", json={"mode": "builtin", "api_key": "clé"}), 422,
             "validation_error", "api_key")
    assert live_backend.http.get("/settings/interviewer").json()["mode"] == "builtin"


@pytest.mark.parametrize("method,path,allow", [
    ("GET", "/session/start", "POST"),
    ("OPTIONS", "/session/3f2c9a4e-8b1d-4c6e-9f70-2a5b8c1d0e93", "GET, DELETE"),
    ("PATCH", "/settings/interviewer", "GET, PUT"),
    ("DELETE", "/sessions", "GET"),
    ("POST", "/health", "GET"),
])
def test_405_names_every_method_of_the_path_in_allow(live_backend, method, path, allow):
    r = live_backend.http.request(method, path)
    body = error_of(r, 405, "method_not_allowed")
    assert r.headers["allow"] == allow
    assert allow in body["detail"]


def test_unknown_paths_and_a_cors_preflight(live_backend):
    error_of(live_backend.http.get("/nothing/here"), 404, "not_found")
    # a preflight from an allowed origin is still the CORS middleware's, not a 405
    r = httpx.options(f"{live_backend.base}/settings/interviewer",
                      headers={"Origin": "http://localhost:5173",
                               "Access-Control-Request-Method": "PUT"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"]


def _app_with_a_failing_route(settings: Settings) -> FastAPI:
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    return app


def test_an_unexpected_failure_is_a_500_in_the_model_without_internals(tmp_path):
    backend = start_backend(tmp_path / "data", _app_with_a_failing_route)
    try:
        for _ in range(2):  # the same keep-alive client: the 500 closed its connection
            r = backend.http.get("/boom")
            body = error_of(r, 500, "internal_error")
            assert "secret" not in r.text and "Traceback" not in r.text
            assert "nothing you sent was lost" in body["detail"]
        assert backend.http.get("/health").status_code == 200
    finally:
        backend.close()


def test_a_resume_upload_still_works_after_all_that(live_backend):
    sid = new_session(live_backend)
    r = live_backend.http.post("/upload/resume", data={"session_id": sid},
                               files={"file": ("cv.txt", SENIOR_RESUME.encode(), "text/plain")})
    assert r.status_code == 200, r.text
