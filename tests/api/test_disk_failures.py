"""A full or read-only disk never corrupts a live interview or gets a misleading answer:
the candidate is told plainly that nothing was saved, the engine keeps nothing unsaved,
and the same message works once there is space. REST answers JSON (507), and
`rehearse serve` on such a disk says so in one sentence and exits with status 2."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest

from tests.conftest import LiveBackend, start_backend
from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME
from tests.disk import fill, set_read_only, small_disk
from tests.wsutil import next_event, open_ws, ready_session, send

FULL = ("Could not save your answer: the disk is full. Free some space and press Submit "
        "again — nothing was lost.")


@pytest.fixture
def disk(tmp_path) -> Iterator:
    with small_disk(tmp_path / "disk") as path:
        yield path


@pytest.fixture
def backend(disk) -> Iterator[LiveBackend]:
    b = start_backend(disk / "data")
    yield b
    b.close()


def answer(ws, text: str = GOOD_ANSWER) -> dict:
    send(ws, "answer", {"text": text})
    return next_event(ws, {"score_update", "error"})


def test_answers_on_a_full_disk_are_refused_honestly_and_kept_out(backend, disk):
    sid = ready_session(backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 2})
        question = next_event(ws, {"new_question"})["data"]
        filler = fill(disk)
        for _ in range(3):  # Submit, Submit, Submit: each refused, none remembered
            refused = answer(ws, "I would shard it but I am not sure how")
            assert refused["type"] == "error", refused
            assert refused["data"] == {"message": FULL, "code": 4507}
        send(ws, "ready")  # the same question again, not a follow-up to an unsaved answer
        again = next_event(ws, {"new_question", "followup", "error"})
        assert again["type"] == "new_question"
        assert again["data"]["question"] == question["question"]
        r = backend.http.post("/session/start")
        assert r.status_code == 507 and "the disk is full" in r.json()["detail"]
        assert r.json()["code"] == "storage_unavailable"
        filler.unlink()  # space freed: the same answer now works
        first = answer(ws)
        assert first["type"] == "score_update", first
        assert first["data"]["question_number"] == 1 and first["data"]["followup_number"] == 0
        while first["data"]["next"] == "followup":
            next_event(ws, {"followup"})
            first = answer(ws)
        send(ws, "ready")
        next_event(ws, {"new_question"})
        last = answer(ws)
        while last["data"]["next"] == "followup":
            next_event(ws, {"followup"})
            last = answer(ws)
        send(ws, "ready")
        next_event(ws, {"feedback"})
    report = backend.http.get(f"/interview/report/{sid}").json()
    answered = [q["answer"] for q in report["qa_history"]]
    assert "I would shard it but I am not sure how" not in answered
    store = backend.server._server.config.app.state.services.store
    rows = store.answers(sid)
    state = store.get_session(sid)["engine_state"]
    assert len(rows) == sum(len(t["answers"]) for t in state["turns"])  # table == state
    assert all(r["answer_text"] == GOOD_ANSWER for r in rows)


def test_a_database_that_refuses_writes_without_a_small_disk(tmp_path):
    """A folder that turns read-only under a live interview (a disk cannot be remounted
    read-only while the database is open, so SQLite's own read-only error stands in:
    PRAGMA query_only). Needs no root."""
    b = start_backend(tmp_path / "data")
    try:
        sid = ready_session(b, SENIOR_RESUME, BACKEND_JD)
        store = b.server._server.config.app.state.services.store
        with open_ws(b, sid) as ws:
            next_event(ws, {"connected"})
            send(ws, "start", {"max_questions": 1})
            next_event(ws, {"new_question"})
            with store._lock:
                store._db.conn.execute("PRAGMA query_only = 1")
            refused = answer(ws)
            assert refused["type"] == "error" and refused["data"]["code"] == 4507, refused
            assert refused["data"]["message"] == (
                "Could not save your answer: the data folder is read-only. Make the data "
                "folder writable and press Submit again — nothing was lost.")
            r = b.http.post("/session/start")
            assert r.status_code == 507 and r.headers["content-type"] == "application/json"
            assert r.json()["code"] == "storage_unavailable"
            with store._lock:
                store._db.conn.execute("PRAGMA query_only = 0")
            assert answer(ws)["type"] == "score_update"
        assert len(store.answers(sid)) == 1
    finally:
        b.close()


def serve(data_dir) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backend", "serve", "--port", "0",
                           "--data-dir", str(data_dir), "--log-dir", str(data_dir.parent / "log"),
                           "--token", uuid.uuid4().hex], capture_output=True, text=True,
                          timeout=60)


def test_serve_on_a_full_disk_says_so_and_exits_2(disk):
    fill(disk)
    done = serve(disk / "data")
    assert done.returncode == 2, done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert lines == [f"Rehearse cannot use its data folder {disk / 'data'}: the disk is full. "
                     "Free some space, then start it again."], done.stderr


def test_serve_on_a_read_only_disk_says_so_and_exits_2(disk):
    (disk / "data").mkdir()
    set_read_only(disk, True)
    try:
        done = serve(disk / "data")
    finally:
        set_read_only(disk, False)
    assert done.returncode == 2, done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "the data folder is read-only" in lines[0], done.stderr
    assert "Traceback" not in done.stderr
