"""Retries, practice sessions, spaced review and progress over the real REST API (a real
uvicorn server, real SQLite, the real grader)."""

from __future__ import annotations

import pytest

from tests.conftest import start_backend
from tests.data.documents import BACKEND_JD, SENIOR_RESUME
from tests.wsutil import answer_until_feedback, next_event, open_ws, ready_session, send

WEAK = "I don't know, I have not worked with that."


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    b = start_backend(tmp_path_factory.mktemp("practice-data"))
    yield b
    b.close()


def finished_interview(backend, questions: int = 2, answers=(WEAK,)) -> str:
    sid = ready_session(backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": questions, "duration_minutes": 10})
        next_event(ws, {"new_question"})
        answer_until_feedback(ws, list(answers), [])
    return sid


def test_a_retry_is_graded_like_the_original_and_leaves_the_report_alone(backend):
    sid = finished_interview(backend)
    report = backend.http.get(f"/interview/report/{sid}").json()
    first = report["qa_history"][0]
    r = backend.http.post(f"/session/{sid}/retries",
                          json={"question_number": 1, "text": first["model_answer"]})
    assert r.status_code == 200, r.text
    out = r.json()
    retry, cmp = out["retry"], out["retry"]["comparison"]
    assert out["counts_for_report"] is False and "first attempt" in out["note"]
    assert out["before"]["answer"] == first["answer"]
    assert out["before"]["scores"] == first["scores"]
    assert retry["attempt"] == 1 and retry["answer"] == first["model_answer"]
    assert retry["scores"]["technical"] > first["scores"]["technical"]
    assert cmp["change"]["technical"] == pytest.approx(
        retry["scores"]["technical"] - first["scores"]["technical"], abs=0.05)
    gained = [p["point"] for p in cmp["newly_covered"]]
    assert gained and set(gained) <= set(retry["covered"])
    assert not set(gained) & set(first["covered"])
    assert cmp["still_missing"] == [p for p in retry["missing"] if p not in retry["covered"]]

    # A second retry is attempt 2; both are kept with the session.
    again = backend.http.post(f"/session/{sid}/retries",
                              json={"question_number": 1, "text": WEAK}).json()
    assert again["retry"]["attempt"] == 2
    listed = backend.http.get(f"/session/{sid}/retries").json()
    assert [q["question_number"] for q in listed["questions"]] == [1]
    assert [a["attempt"] for a in listed["questions"][0]["retries"]] == [1, 2]

    after = backend.http.get(f"/interview/report/{sid}").json()
    assert after["recommendation"] == report["recommendation"]
    assert after["scores"] == report["scores"]
    assert after["qa_history"][0]["scores"] == first["scores"]


def test_retry_errors_are_specific(backend):
    sid = ready_session(backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 2, "duration_minutes": 10})
        next_event(ws, {"new_question"})
        r = backend.http.post(f"/session/{sid}/retries", json={"question_number": 1,
                                                               "text": "an answer"})
        assert r.status_code == 409 and "answer" in r.json()["detail"]
    r = backend.http.post(f"/session/{sid}/retries", json={"question_number": 5, "text": "x"})
    assert r.status_code == 404 and "no question 5" in r.json()["detail"]
    r = backend.http.post(f"/session/{sid}/retries", json={"question_number": 1, "text": ""})
    assert r.status_code == 422
    r = backend.http.post("/session/00000000-0000-4000-8000-000000000000/retries",
                          json={"question_number": 1, "text": "x"})
    assert r.status_code == 404


def test_a_practice_session_with_a_hint_an_attempt_the_model_answer_and_a_retry(backend):
    topics = backend.http.get("/practice/topics").json()
    assert any(t["topic_id"] == "caching" for t in topics)
    r = backend.http.post("/practice/sessions", json={"topic": "caching", "questions": 2})
    assert r.status_code == 200, r.text
    p = r.json()
    pid, item = p["practice_id"], p["item"]
    assert p["mode"] == "topic" and p["total"] == 2 and item["topic_id"] == "caching"
    assert item["hint"] is None and item["model_answer"] is None and item["hint_available"]

    hinted = backend.http.post(f"/practice/sessions/{pid}/hint").json()["item"]
    from backend.interviewer.bank import default_bank

    question = default_bank().by_id(hinted["question_id"])
    assert hinted["hint"] == [k.point for k in question.key_points]
    assert hinted["model_answer"] is None, "the hint never shows the model answer"

    tried = backend.http.post(f"/practice/sessions/{pid}/answer", json={"text": WEAK}).json()
    item = tried["item"]
    assert len(item["attempts"]) == 1 and item["attempts"][0]["hint_used"]
    assert item["model_answer"] == question.model_answer  # shown after an attempt
    assert "comparison" not in item["attempts"][0] or item["attempts"][0]["comparison"] is None

    again = backend.http.post(f"/practice/sessions/{pid}/answer",
                              json={"text": question.model_answer}).json()["item"]
    second = again["attempts"][1]
    assert second["attempt"] == 2
    assert second["comparison"]["change"]["technical"] > 0
    assert second["comparison"]["newly_covered"]

    moved = backend.http.post(f"/practice/sessions/{pid}/next").json()
    assert moved["number"] == 2 and not moved["finished"]
    done = backend.http.post(f"/practice/sessions/{pid}/next").json()
    assert done["finished"] and done["ended_at"]
    r = backend.http.post(f"/practice/sessions/{pid}/answer", json={"text": "late"})
    assert r.status_code == 409


def test_unknown_topic_and_practice_session(backend):
    r = backend.http.post("/practice/sessions", json={"topic": "astrology"})
    assert r.status_code == 404 and "/practice/topics" in r.json()["detail"]
    r = backend.http.get("/practice/sessions/nope")
    assert r.status_code == 404


def test_a_missed_question_is_due_in_a_later_practice_session_only(tmp_path):
    backend = start_backend(tmp_path / "data")
    try:
        assert backend.http.get("/practice/review").json()["due"] == 0
        first = backend.http.post("/practice/sessions",
                                  json={"topic": "databases", "questions": 1}).json()
        pid, qid = first["practice_id"], first["item"]["question_id"]
        backend.http.post(f"/practice/sessions/{pid}/answer", json={"text": WEAK})
        review = backend.http.get("/practice/review").json()
        assert review["due"] == 1 and review["items"][0]["question_id"] == qid
        assert review["items"][0]["box"] == 1 and "twice" in review["rule"]
        backend.http.post(f"/practice/sessions/{pid}/end")

        later = backend.http.post("/practice/sessions",
                                  json={"topic": "databases", "questions": 2}).json()
        assert later["item"]["question_id"] == qid and later["item"]["review"]
        assert later["reviews"] == 1
        assert later["summary"][1]["review"] is False  # then a new question
        progress = backend.http.get("/progress").json()
        assert progress["due_for_review"] == 1
        assert [p["kind"] for p in progress["points"]] == ["practice"]
    finally:
        backend.close()


def test_progress_counts_interviews_and_practice_and_can_be_forgotten(tmp_path):
    backend = start_backend(tmp_path / "data")
    try:
        assert backend.http.get("/settings/practice").json() == {
            "progress": True, "keep_recordings": True, "progress_since": None}
        sid = finished_interview(backend, questions=1)
        p = backend.http.post("/practice/sessions", json={"topic": "caching",
                                                          "questions": 1}).json()
        backend.http.post(f"/practice/sessions/{p['practice_id']}/answer", json={"text": WEAK})
        got = backend.http.get("/progress").json()
        assert got["enabled"] and [x["kind"] for x in got["points"]] == ["interview", "practice"]
        report = backend.http.get(f"/interview/report/{sid}").json()
        assert got["points"][0]["scores"] == report["scores"]
        assert "caching" in got["points"][1]["topics"]
        assert any(t["topic_id"] == "caching" and t["weak"] for t in got["topics"])

        off = backend.http.put("/settings/practice", json={"progress": False}).json()
        assert off["progress"] is False
        assert backend.http.get("/progress").json()["points"] == []
        backend.http.put("/settings/practice", json={"progress": True})
        r = backend.http.put("/settings/practice", json={"progress": "yes"})
        assert r.status_code == 422

        gone = backend.http.delete("/progress").json()
        assert gone["deleted"] == 1
        assert backend.http.get("/progress").json()["points"] == []
        assert backend.http.get(f"/session/{sid}").status_code == 200  # still in History
        assert backend.http.get("/practice/sessions").json() == []
    finally:
        backend.close()
