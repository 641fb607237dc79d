"""A whole interview over the real WebSocket with the LLM interviewer (fake server):
thinking notices, the model's words, and the built-in taking over when it fails."""

from __future__ import annotations

import time

import pytest

from tests.conftest import start_backend
from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME
from tests.llm.fake_server import NARRATIVE, Reply
from tests.wsutil import answer_until_feedback, next_event, open_ws, ready_session, send


@pytest.fixture
def backend(tmp_path):
    b = start_backend(tmp_path / "data")
    yield b
    b.close()


def use_model(backend, base_url: str, model: str = "fake-model", timeout_s: float = 20) -> None:
    r = backend.http.put("/settings/interviewer", json={
        "mode": "openai", "base_url": base_url, "model": model, "timeout_s": timeout_s})
    assert r.status_code == 200, r.text


def interview(backend, answers, seen: list, max_questions: int = 2, on_score=None) -> dict:
    """Run an interview answering with `answers` (cycled); returns the feedback event."""
    sid = ready_session(backend, SENIOR_RESUME, BACKEND_JD, role="Senior Backend Engineer")
    with open_ws(backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": max_questions})
        next_event(ws, {"new_question"}, seen=seen, timeout=180)
        return answer_until_feedback(ws, answers, seen, timeout=180, on_score=on_score)


def of(seen: list, type_: str) -> list[dict]:
    return [e["data"] for e in seen if e["type"] == type_]


def test_a_whole_interview_with_the_model(backend, fake_llm):
    fake, server = fake_llm
    use_model(backend, server.base_url)
    seen: list = []
    feedback = interview(backend, [GOOD_ANSWER], seen, max_questions=3)
    assert feedback["data"]["report"].endswith(NARRATIVE)  # after the estimate and figures
    assert "Practice estimate" in feedback["data"]["report"]
    assert feedback["data"]["recommendation"] in {"Hire", "Borderline", "No-Hire"}
    steps = [d["step"] for d in of(seen, "thinking")]
    assert set(steps) == {"question", "grading", "report"} and steps[-1] == "report"
    assert all(d["interviewer"] == "llm" for d in of(seen, "thinking"))
    status = of(seen, "interviewer_status")
    assert status[0]["mode"] == "llm" and status[0]["fallback"] is False
    assert not [s for s in status if s["fallback"]]
    updates = of(seen, "score_update")
    assert all(u["feedback"].startswith("FAKE FEEDBACK") for u in updates)
    assert any(q["question"].startswith("Question") for q in of(seen, "new_question"))
    # each thinking notice arrives before the event it leads to
    kinds = [e["type"] for e in seen]
    assert kinds.index("thinking") < kinds.index("score_update")


def test_the_server_dies_mid_interview_and_the_builtin_carries_on(backend, fake_llm):
    fake, server = fake_llm
    use_model(backend, server.base_url)
    seen: list = []
    feedback = interview(backend, [GOOD_ANSWER], seen, max_questions=3,
                         on_score=lambda n: server.stop() if n == 1 else None)
    status = [s for s in of(seen, "interviewer_status") if s["fallback"]]
    assert status and status[0]["mode"] == "builtin" and "built-in" in status[0]["reason"]
    assert feedback["data"]["report"] != NARRATIVE  # the built-in wrote it
    assert len(of(seen, "new_question")) == 3


def test_the_json_object_dialect_works_end_to_end(backend, fake_llm):
    fake, server = fake_llm
    fake.reject_json_schema = True
    use_model(backend, server.base_url)
    seen: list = []
    feedback = interview(backend, [GOOD_ANSWER], seen, max_questions=3)
    assert feedback["data"]["report"].endswith(NARRATIVE)
    assert {r["response_format"]["type"] for r in fake.requests} == {"json_schema", "json_object"}


def test_ending_the_interview_cancels_a_slow_grading(backend, fake_llm):
    fake, server = fake_llm
    use_model(backend, server.base_url, timeout_s=60)
    sid = ready_session(backend, SENIOR_RESUME, BACKEND_JD)
    seen: list = []
    with open_ws(backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 3})
        next_event(ws, {"new_question"}, seen=seen)
        fake.then(Reply("slow", delay_s=30))  # the grading call hangs
        send(ws, "answer", {"text": GOOD_ANSWER})
        next_event(ws, {"thinking"}, seen=seen)
        t0 = time.monotonic()
        send(ws, "end")
        update = next_event(ws, {"score_update"}, seen=seen, timeout=20)
        feedback = next_event(ws, {"feedback"}, seen=seen, timeout=20)
        elapsed = time.monotonic() - t0
    assert elapsed < 10, f"the end waited {elapsed:.1f} s for the model"
    assert not update["data"]["feedback"].startswith("FAKE")  # graded by the built-in
    cancelled = [s for s in of(seen, "interviewer_status") if s["fallback"]]
    assert cancelled and "interview ended" in cancelled[0]["reason"]
    assert feedback["data"]["recommendation_basis"] == "too_few_answers"  # one answer
