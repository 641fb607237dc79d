"""One connection drives an interview at a time: the newest takes over, the previous one
is told why and closed with 4010, and the answers table records the prompt each answer
was actually given to."""

from __future__ import annotations

import json

from websockets.exceptions import ConnectionClosed

from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME
from tests.wsutil import next_event, open_ws, ready_session, send

VAGUE = "It depends; I would probably use some kind of database for it."


def closing(ws) -> tuple[int | None, list[dict]]:
    """The events a socket still gets, and its close code."""
    events = []
    try:
        while True:
            message = ws.recv(timeout=20)
            if isinstance(message, str):
                events.append(json.loads(message))
    except ConnectionClosed as e:
        return (e.rcvd.code if e.rcvd else None), events


def test_a_second_connection_takes_over_and_the_first_is_told(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as first:
        next_event(first, {"connected"})
        send(first, "start", {"max_questions": 2})
        asked = next_event(first, {"new_question"})["data"]
        with open_ws(live_backend, sid) as second:
            connected = next_event(second, {"connected"})["data"]
            assert connected["awaiting"] == "answer"
            code, events = closing(first)
            assert code == 4010
            assert [e["data"]["code"] for e in events if e["type"] == "error"] == [4010]
            assert "another window" in events[-1]["data"]["message"]
            send(second, "ready")
            assert next_event(second, {"new_question"})["data"]["question"] == asked["question"]
            send(second, "answer", {"text": GOOD_ANSWER})
            assert next_event(second, {"score_update"})["data"]["question_number"] == 1


def test_the_first_connection_can_no_longer_answer(live_backend):
    """The issue's case: B's answer to the main question must never be recorded as the
    answer to the follow-up A was asked."""
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as a:
        next_event(a, {"connected"})
        send(a, "start", {"max_questions": 2})
        next_event(a, {"new_question"})
        with open_ws(live_backend, sid) as b:
            next_event(b, {"connected"})
            assert closing(a)[0] == 4010
            send(b, "answer", {"text": VAGUE})
            update = next_event(b, {"score_update"})["data"]
            assert update["followup_number"] == 0
            if update["next"] == "followup":
                next_event(b, {"followup"})
                send(b, "answer", {"text": GOOD_ANSWER})
                assert next_event(b, {"score_update"})["data"]["followup_number"] == 1
    transcript = live_backend.http.get(f"/session/{sid}/transcript").json()
    prompts = transcript["turns"][0]["prompts"]
    assert prompts[0]["answer"] == VAGUE
    store = live_backend.server._server.config.app.state.services.store
    rows = store.answers(sid)
    assert [r["followup_number"] for r in rows] == list(range(len(rows)))
    assert [r["answer_text"] for r in rows] == [p["answer"] for p in prompts if p["answer"]]


def test_reconnecting_after_the_first_closed_is_not_a_take_over(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 2})
        next_event(ws, {"new_question"})
    with open_ws(live_backend, sid) as ws:
        assert next_event(ws, {"connected", "error"})["type"] == "connected"
        send(ws, "ready")
        assert next_event(ws, {"new_question", "error"})["type"] == "new_question"
