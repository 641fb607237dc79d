"""The OpenAI-compatible client against a scripted fake server: dialects, retries,
deadlines, cancellation and the validation of every reply."""

from __future__ import annotations

import threading
import time

import pytest

from backend.interviewer.llm.client import CallStats, CancelSignal, LLMError, OpenAIClient
from backend.interviewer.llm.schemas import GradeOut, ReportOut
from tests.llm.fake_server import NARRATIVE, Reply

MESSAGES = [{"role": "system", "content": "sys"}, {"role": "user", "content": "write"}]


def ask(client: OpenAIClient, output=ReportOut, timeout_s: float = 10, **kw):
    stats = CallStats()
    value = client.complete(MESSAGES, output, temperature=0.7, max_tokens=100,
                            deadline=time.monotonic() + timeout_s, stats=stats, **kw)
    return value, stats


def test_json_schema_is_asked_first_and_the_reply_validated(fake_llm):
    fake, server = fake_llm
    value, stats = ask(OpenAIClient(server.base_url, model="fake-model"))
    assert value.narrative == NARRATIVE
    body = fake.requests[0]
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["narrative"]["maxLength"] == 1200
    assert body["model"] == "fake-model" and body["temperature"] == 0.7
    assert (stats.requests, stats.retried, stats.dialect) == (1, False, "json_schema")


def test_a_server_that_rejects_json_schema_gets_json_object_with_the_schema_in_the_prompt(fake_llm):
    fake, server = fake_llm
    fake.reject_json_schema = True
    client = OpenAIClient(server.base_url, model="fake-model")
    value, stats = ask(client, GradeOut)
    assert value.technical == 10
    first, second = fake.requests
    assert first["response_format"]["type"] == "json_schema"
    assert second["response_format"] == {"type": "json_object"}
    assert '"title":"GradeOut"' in second["messages"][0]["content"]
    assert stats.dialect == "json_object" and client.dialect == "json_object"
    ask(client, GradeOut)  # remembered: no second rejection
    assert fake.requests[2]["response_format"] == {"type": "json_object"}


@pytest.mark.parametrize("bad", ["length", "invalid", "schema_violation", "looping"])
def test_one_bad_reply_is_retried_once_at_temperature_zero(fake_llm, bad):
    fake, server = fake_llm
    fake.then(Reply(bad))
    value, stats = ask(OpenAIClient(server.base_url, model="m"))
    assert value.narrative == NARRATIVE
    assert [r["temperature"] for r in fake.requests] == [0.7, 0.0]
    assert stats.retried and stats.requests == 2


@pytest.mark.parametrize("bad, words", [("length", "cut off"), ("invalid", "schema"),
                                        ("schema_violation", "schema"), ("looping", "repeats")])
def test_two_bad_replies_give_up(fake_llm, bad, words):
    fake, server = fake_llm
    fake.then(Reply(bad), Reply(bad))
    with pytest.raises(LLMError) as e:
        ask(OpenAIClient(server.base_url, model="m"))
    assert e.value.kind == "bad_output" and words in e.value.reason
    assert len(fake.requests) == 2


def test_a_check_can_reject_a_reply_that_validates(fake_llm):
    fake, server = fake_llm
    calls = []

    def check(value: ReportOut) -> None:
        calls.append(value)
        if len(calls) == 1:
            raise ValueError("makes no sense")

    value, stats = ask(OpenAIClient(server.base_url, model="m"), check=check)
    assert len(calls) == 2 and stats.retried


def test_the_deadline_covers_the_whole_step(fake_llm):
    fake, server = fake_llm
    fake.then(Reply("slow", delay_s=5))
    t0 = time.monotonic()
    with pytest.raises(LLMError) as e:
        ask(OpenAIClient(server.base_url, model="m"), timeout_s=0.5)
    assert e.value.kind == "timeout"
    assert time.monotonic() - t0 < 2


def test_cancel_abandons_a_call_in_flight_until_reset(fake_llm):
    fake, server = fake_llm
    fake.then(Reply("slow", delay_s=5))
    signal = CancelSignal()
    token = signal.token()
    timer = threading.Timer(0.3, signal.cancel)
    timer.start()
    t0 = time.monotonic()
    with pytest.raises(LLMError) as e:
        ask(OpenAIClient(server.base_url, model="m"), timeout_s=10, cancel=token)
    assert e.value.kind == "cancelled"
    assert time.monotonic() - t0 < 2
    assert signal.cancelled and signal.token().done(), "stays cancelled until reset"
    signal.reset()
    assert not signal.cancelled
    value, _ = ask(OpenAIClient(server.base_url, model="m"), cancel=signal.token())
    assert value.narrative == NARRATIVE


def test_server_errors_and_an_unreachable_server(fake_llm):
    fake, server = fake_llm
    fake.then(Reply("status", status=401))
    with pytest.raises(LLMError) as e:
        ask(OpenAIClient(server.base_url, model="m"))
    assert e.value.kind == "rejected"
    server.stop()
    with pytest.raises(LLMError) as e:
        ask(OpenAIClient(server.base_url, model="m"))
    assert e.value.kind == "unavailable" and server.base_url in e.value.reason


def test_list_models(fake_llm):
    fake, server = fake_llm
    assert OpenAIClient(server.base_url).list_models() == ["fake-model", "other-model"]
