"""Resume and job-description uploads through the real server."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.data.documents import BACKEND_JD, SENIOR_RESUME
from tests.wsutil import open_ws, next_event, ready_session, send


def new_session(b) -> str:
    return b.http.post("/session/start").json()["session_id"]


def upload(b, sid, name, data, mime="application/octet-stream"):
    return b.http.post("/upload/resume", data={"session_id": sid}, files={"file": (name, data, mime)})


def docx_bytes(text: str) -> bytes:
    import docx

    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "SKILLS"
    table.rows[0].cells[1].text = "Python, PostgreSQL, Kafka"
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_with_a_table_is_read(live_backend):
    sid = new_session(live_backend)
    r = upload(live_backend, sid, "cv.docx", docx_bytes(SENIOR_RESUME))
    assert r.status_code == 200, r.text
    assert r.json()["detected_seniority"] == "senior"


def test_txt_in_latin1_is_read(live_backend):
    sid = new_session(live_backend)
    text = SENIOR_RESUME.replace("Jordan Avery", "José Müller")
    r = upload(live_backend, sid, "cv.txt", text.encode("latin-1"), "text/plain")
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("name,data,expect", [
    ("cv.pdf", b"%PDF-1.4\n garbage", "damaged"),
    ("cv.docx", b"\xd0\xcf\x11\xe0" + b"\x00" * 600, ".doc"),
    ("cv.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "JPEG"),
    ("cv.txt", b"Short note.", "too little"),
])
def test_bad_files_explain_themselves_and_store_nothing(live_backend, name, data, expect):
    sid = new_session(live_backend)
    ok = upload(live_backend, sid, "cv.txt", SENIOR_RESUME.encode(), "text/plain")
    assert ok.status_code == 200
    r = upload(live_backend, sid, name, data)
    assert r.status_code == 400, r.text
    assert expect.lower() in r.json()["detail"].lower()
    # the earlier, good resume is still the one stored
    assert live_backend.http.get(f"/session/{sid}").json()["resume_filename"] == "cv.txt"


def test_zip_that_is_not_a_word_document(live_backend):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    r = upload(live_backend, new_session(live_backend), "cv.docx", buf.getvalue())
    assert r.status_code == 400 and "not a word document" in r.json()["detail"].lower()


def test_oversized_upload_is_refused_by_length(live_backend):
    r = upload(live_backend, new_session(live_backend), "cv.txt", b"a " * (6 * 1024 * 1024))
    assert r.status_code == 413


def test_job_description_reanalyses_the_resume(live_backend):
    sid = new_session(live_backend)
    upload(live_backend, sid, "cv.txt", SENIOR_RESUME.encode(), "text/plain")
    r = live_backend.http.post("/upload/jd", data={"session_id": sid, "job_description": BACKEND_JD,
                                                   "role": ""})
    body = r.json()
    assert r.status_code == 200
    assert body["role"] == "Senior Backend Engineer"  # taken from the posting's first line
    assert "Kubernetes" in body["gaps"]


def test_documents_are_frozen_once_the_interview_starts(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 1})
        next_event(ws, {"new_question"})
    r = upload(live_backend, sid, "cv.txt", SENIOR_RESUME.encode(), "text/plain")
    assert r.status_code == 409


def test_unknown_and_malformed_sessions(live_backend):
    assert upload(live_backend, "not-a-uuid", "cv.txt", b"x").status_code == 400
    r = live_backend.http.post("/upload/jd", data={"session_id": "0" * 8 + "-0000-4000-8000-" + "0" * 12,
                                                   "job_description": BACKEND_JD})
    assert r.status_code == 404
