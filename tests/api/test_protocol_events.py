"""Every event of a whole scripted interview, over a real server, is what backend/protocol
says: each validates against its typed model (no undeclared field, no missing one), and
every prompt, score and report carries `awaiting`, equal to what the server has saved."""

from __future__ import annotations

import json

import pytest
from websockets.sync.client import ClientConnection

from backend.protocol.codes import CloseCode, SocketErrorCode
from backend.protocol.events import CARRY_AWAITING, Error, ScoreUpdate, parse_event
from backend.protocol.messages import MESSAGES, Answer, End, Ready, Skip, Start
from backend.protocol.rest import Report
from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME
from tests.wsutil import open_ws, ready_session

PROMISED_AWAITING = {"connected", "new_question", "followup", "score_update", "feedback"}


class Recorder:
    """Sends typed messages and keeps every event received, checked against its model."""

    def __init__(self, ws: ClientConnection):
        self.ws = ws
        self.events: list[dict] = []

    def send(self, message) -> None:
        self.ws.send(json.dumps(message.message()))

    def until(self, *wanted: str, timeout: float = 60) -> dict:
        while True:
            raw = self.ws.recv(timeout=timeout)
            assert isinstance(raw, str), "no audio without voice mode"
            ev = json.loads(raw)
            parse_event(ev)  # raises on an unknown type, a missing or an undeclared field
            self.events.append(ev)
            if ev["type"] in wanted:
                return ev


def saved_awaiting(backend, sid: str) -> str:
    return backend.http.get(f"/session/{sid}/transcript").json()["awaiting"]


def test_the_models_promise_awaiting_where_the_protocol_does():
    assert CARRY_AWAITING == PROMISED_AWAITING


def test_a_whole_interview_speaks_the_typed_protocol(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as ws:
        rec = Recorder(ws)
        assert rec.until("connected")["data"]["awaiting"] == "start"

        rec.send(Start(max_questions=4))
        first = rec.until("new_question")["data"]
        assert first["awaiting"] == "answer" == saved_awaiting(live_backend, sid)

        rec.send(Answer(text="I don't know."))  # probed: a follow-up comes
        score = rec.until("score_update")["data"]
        assert score["next"] == "followup" and score["awaiting"] == "followup"
        followup = rec.until("followup")["data"]
        assert followup["awaiting"] == "followup" == saved_awaiting(live_backend, sid)

        rec.send(Skip())  # skipping the follow-up: the interview moves on
        skipped = rec.until("score_update")["data"]
        assert skipped["skipped"] and skipped["next"] == "question"
        assert skipped["awaiting"] == "next" == saved_awaiting(live_backend, sid)

        rec.send(Ready())
        second = rec.until("new_question")["data"]
        assert second["question_number"] == 2 and second["awaiting"] == "answer"

        rec.send(Answer(text="Can we skip this one?"))  # a request, not an answer
        offer = rec.until("skip_offer")["data"]
        assert offer["question_number"] == 2 and saved_awaiting(live_backend, sid) == "answer"

        rec.send(Answer(text=GOOD_ANSWER))
        graded = ScoreUpdate.model_validate(rec.until("score_update")["data"])
        assert graded.awaiting in ("followup", "next")

        rec.send(Ready() if graded.awaiting == "next" else Skip())
        rec.until("new_question" if graded.awaiting == "next" else "score_update")

        ws.send(json.dumps({"type": "dance"}))  # bad input: an error event, typed too
        error = Error.model_validate(rec.until("error")["data"])
        assert error.code == SocketErrorCode.BAD_MESSAGE

        rec.send(End())
        assert rec.until("phase_update")["data"]["phase"] == "evaluation"
        feedback = rec.until("feedback")["data"]
        assert feedback["awaiting"] == "done" == saved_awaiting(live_backend, sid)

        rec.send(Ready())  # after the end: the report again, still saying "done"
        assert rec.until("feedback")["data"]["awaiting"] == "done"

    with open_ws(live_backend, sid) as ws:  # reconnecting: `connected` says where it is
        again = Recorder(ws)
        assert again.until("connected")["data"]["awaiting"] == "done"

    kinds = {ev["type"] for ev in rec.events}
    assert {"connected", "intro", "new_question", "score_update", "followup", "skip_offer",
            "error", "phase_update", "feedback"} <= kinds
    for ev in rec.events:
        if ev["type"] in PROMISED_AWAITING:
            assert ev["data"]["awaiting"], ev
    report = live_backend.http.get(f"/interview/report/{sid}")
    assert report.status_code == 200
    Report.model_validate(report.json())


def test_every_client_message_the_server_handles_is_typed(live_backend):
    """The socket answers each message type of backend/protocol/messages.py with something
    other than "unknown message type", and knows no type the module does not declare."""
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as ws:
        rec = Recorder(ws)
        rec.until("connected")
        ws.send(json.dumps({"type": "no_such_message"}))
        listed = rec.until("error")["data"]["message"]
        names = listed.split("expected one of ", 1)[1].rstrip(".").split(", ")
    assert sorted(names) == sorted(MESSAGES)


@pytest.mark.parametrize("token, origin, code", [
    ("wrong", None, CloseCode.UNAUTHORISED),
    (None, "http://evil.example", CloseCode.ORIGIN_NOT_ALLOWED),
])
def test_a_refused_socket_gets_a_typed_error_and_its_close_code(live_backend, token, origin,
                                                                   code):
    from websockets.exceptions import ConnectionClosed

    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    headers = {"Origin": origin} if origin else None
    with open_ws(live_backend, sid, token=token, additional_headers=headers) as ws:
        rec = Recorder(ws)
        error = Error.model_validate(rec.until("error")["data"])
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=10)
    assert error.code == code and ws.close_code == code
