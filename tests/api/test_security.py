"""Only this machine's app may talk to the backend: token, Host, Origin, CORS."""

from __future__ import annotations

import uuid

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.data.documents import BACKEND_JD, SENIOR_RESUME
from tests.wsutil import open_ws, ready_session


def close_code(ws) -> int | None:
    try:
        while True:
            ws.recv(timeout=20)
    except ConnectionClosed as e:
        return e.rcvd.code if e.rcvd else None


def test_health_needs_no_token(live_backend):
    r = httpx.get(f"{live_backend.base}/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


@pytest.mark.parametrize("method,path", [("post", "/session/start"), ("get", "/sessions"),
                                          ("delete", "/data"), ("get", "/profile")])
def test_every_other_call_needs_the_token(live_backend, method, path):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": live_backend.token}):
        r = httpx.request(method, f"{live_backend.base}{path}", headers=headers)
        assert r.status_code == 401, (path, headers, r.status_code)
        assert "token" in r.json()["detail"].lower()


def test_foreign_host_is_refused_before_anything_runs(live_backend):
    before = len(live_backend.http.get("/sessions").json())
    r = live_backend.http.post("/session/start", headers={"Host": "evil.example:80"})
    assert r.status_code == 421
    assert len(live_backend.http.get("/sessions").json()) == before


def test_cors_preflight_only_for_the_seed_origins(live_backend):
    pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    ok = httpx.options(f"{live_backend.base}/session/start",
                       headers={**pre, "Origin": "http://127.0.0.1:3000"})
    assert ok.headers.get("access-control-allow-origin") == "http://127.0.0.1:3000"
    bad = httpx.options(f"{live_backend.base}/session/start",
                        headers={**pre, "Origin": "http://localhost:8080"})
    assert "access-control-allow-origin" not in bad.headers


def test_websocket_close_codes(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid, token="wrong") as ws:
        assert close_code(ws) == 4401
    with open_ws(live_backend, sid, origin="http://evil.example") as ws:
        assert close_code(ws) == 4003
    with open_ws(live_backend, "nope") as ws:
        assert close_code(ws) == 4001
    with open_ws(live_backend, str(uuid.uuid4())) as ws:
        assert close_code(ws) == 4004
    empty = live_backend.http.post("/session/start").json()["session_id"]
    with open_ws(live_backend, empty) as ws:
        assert close_code(ws) == 4000


def test_serve_refuses_a_non_loopback_address_without_the_flag(capsys):
    from backend.cli import main

    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err
