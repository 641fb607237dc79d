"""Hostile uploads cannot hurt a live interview: each file is read by a child process with
a hard time and memory limit, on the uploads' own threads, and a body over 10 MB is
stopped while it streams in."""

from __future__ import annotations

import multiprocessing
import socket
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import LiveBackend, start_backend
from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME
from tests.data.hostile import big_docx, slow_pdf
from tests.wsutil import next_event, open_ws, ready_session, send

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def backend(tmp_path) -> Iterator[LiveBackend]:
    b = start_backend(tmp_path / "data", parse_time_limit_s=8)
    yield b
    b.close()


def upload(b: LiveBackend, data: bytes, name: str, timeout: float = 120) -> httpx.Response:
    sid = b.http.post("/session/start").json()["session_id"]
    with httpx.Client(base_url=b.base, timeout=timeout,
                      headers={"Authorization": f"Bearer {b.token}"}) as client:
        return client.post("/upload/resume", data={"session_id": sid},
                           files={"file": (name, data, "application/octet-stream")})


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def answer_timed(ws, text: str) -> tuple[float, dict]:
    """Answer the pending prompt; the seconds until its score_update, and the update."""
    started = time.monotonic()
    send(ws, "answer", {"text": text})
    update = next_event(ws, {"score_update", "error"})
    assert update["type"] == "score_update", update
    return time.monotonic() - started, update["data"]


def move_on(ws, update: dict) -> None:
    if update["next"] == "followup":
        next_event(ws, {"followup"})
    elif update["next"] == "question":
        send(ws, "ready")
        next_event(ws, {"new_question"})


def test_slow_documents_never_delay_an_interview(backend):
    sid = ready_session(backend, SENIOR_RESUME, BACKEND_JD)
    slow = slow_pdf()  # ~2 minutes of parsing if nothing stops it
    results: list[httpx.Response] = []
    with open_ws(backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 8})
        next_event(ws, {"new_question"})
        _, update = answer_timed(ws, GOOD_ANSWER)  # the grader is warm
        move_on(ws, update)

        floods = [threading.Thread(target=lambda: results.append(upload(backend, slow, "cv.pdf")))
                  for _ in range(6)]
        for t in floods:
            t.start()
        wait_until(lambda: len(multiprocessing.active_children()) >= 2)
        latencies = []
        for _ in range(4):
            seconds, update = answer_timed(ws, GOOD_ANSWER)
            latencies.append(seconds)
            move_on(ws, update)
        assert len(multiprocessing.active_children()) >= 1, "the files were still being read"
        assert max(latencies) < 1.0, latencies
        for t in floods:
            t.join(120)
    assert len(results) == 6
    for r in results:
        assert r.status_code == 400 and "too long" in r.json()["detail"], r.text
    wait_until(lambda: not multiprocessing.active_children(), 10)  # every reader was killed


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 1e6


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_big_documents_leave_no_memory_behind(tmp_path):
    data = big_docx(200_000)  # ~1 MB: ~170 MB and ~7 s to read
    assert len(data) > 1_000_000
    b = start_backend(tmp_path / "data", parse_time_limit_s=240)
    try:
        r = upload(b, data, "cv.docx", timeout=300)  # imports, caches and arenas settle
        assert r.status_code == 200, r.text
        before = rss_mb()
        results: list[int] = []

        def two() -> None:
            for _ in range(4):
                results.append(upload(b, data, "cv.docx", timeout=300).status_code)

        pair = [threading.Thread(target=two) for _ in range(2)]  # the uploads' two lanes
        for t in pair:
            t.start()
        for t in pair:
            t.join(600)
        assert results == [200] * 8
        assert rss_mb() - before < 100, (before, rss_mb())
    finally:
        b.close()


def test_a_reader_over_its_memory_limit_is_stopped(tmp_path):
    b = start_backend(tmp_path / "data", parse_memory_limit_mb=200)
    try:
        if not sys.platform.startswith("linux"):
            pytest.skip("the memory limit is enforced on Linux only")
        r = upload(b, big_docx(), "cv.docx")
        assert r.status_code == 400 and "memory" in r.json()["detail"], r.text
        ok = upload(b, SENIOR_RESUME.encode(), "cv.txt")  # and the next file is read
        assert ok.status_code == 200, ok.text
    finally:
        b.close()


def test_a_chunked_upload_is_refused_at_10_mb_while_it_streams(backend):
    """No Content-Length: the server counts while the body streams in and answers 413 at
    the limit, without waiting for (or spooling) the rest of a 50 MB body."""
    sid = backend.http.post("/session/start").json()["session_id"]
    host, port = backend.base.removeprefix("http://").split(":")
    boundary = "b0undary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"session_id\"\r\n\r\n"
            f"{sid}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            "filename=\"cv.txt\"\r\nContent-Type: text/plain\r\n\r\n").encode()
    chunk = b"a" * (1024 * 1024)
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(f"POST /upload/resume HTTP/1.1\r\nHost: {host}:{port}\r\n"
                     f"Authorization: Bearer {backend.token}\r\n"
                     f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode())
        sock.sendall(b"%x\r\n%s\r\n" % (len(head), head))
        for _ in range(12):  # 12 MB of the 50, then wait: the answer must already be there
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        sock.settimeout(10)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            data = sock.recv(65536)
            assert data, "closed without an answer"
            answer += data
    status_line = answer.split(b"\r\n", 1)[0]
    assert b" 413 " in status_line, answer[:300]
    assert b"10 MB" in answer and b'"code": "file_too_large"' in answer
