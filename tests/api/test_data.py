"""History, deletion and the data the candidate owns, through the API."""

from __future__ import annotations

import uuid

from tests.conftest import start_backend
from tests.data.documents import BACKEND_JD, SENIOR_RESUME


def all_bytes(data_dir) -> bytes:
    return b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())


def test_history_lists_sessions_newest_first(live_backend):
    a = live_backend.http.post("/session/start").json()["session_id"]
    b = live_backend.http.post("/session/start").json()["session_id"]
    ids = [s["session_id"] for s in live_backend.http.get("/sessions").json()]
    assert ids.index(b) < ids.index(a)


def test_deleting_a_session_erases_its_text_from_disk(tmp_path):
    backend = start_backend(tmp_path / "data")
    try:
        secret = f"Secretcompany{uuid.uuid4().hex[:10]}"
        sid = backend.http.post("/session/start").json()["session_id"]
        resume = SENIOR_RESUME.replace("Northwind Logistics", secret)
        backend.http.post("/upload/resume", data={"session_id": sid},
                          files={"file": ("cv.txt", resume.encode(), "text/plain")})
        backend.http.post("/upload/jd", data={"session_id": sid, "job_description": BACKEND_JD})
        assert secret.encode() in all_bytes(backend.data_dir)

        r = backend.http.delete(f"/session/{sid}")
        assert r.status_code == 200 and r.json()["deleted"] == 1
        assert backend.http.get(f"/session/{sid}").status_code == 404
        assert backend.http.delete(f"/session/{sid}").status_code == 404
        assert secret.encode() not in all_bytes(backend.data_dir)
    finally:
        backend.close()


def test_delete_all_data(tmp_path):
    backend = start_backend(tmp_path / "data")
    try:
        for _ in range(3):
            backend.http.post("/session/start")
        r = backend.http.delete("/data")
        assert r.json()["deleted"] == 3
        assert backend.http.get("/sessions").json() == []
        assert backend.http.get("/profile").json()["sessions"] == 0
    finally:
        backend.close()
