"""The live interview over a real WebSocket, with the built-in interviewer."""

from __future__ import annotations

import json

from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME
from tests.wsutil import answer_until_feedback, next_event, open_ws, ready_session, send


def test_a_whole_interview_and_its_report(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD, role="Senior Backend Engineer")
    seen: list = []
    with open_ws(live_backend, sid) as ws:
        assert next_event(ws, {"connected"})["data"]["seniority"] == "senior"
        send(ws, "start", {"max_questions": 3})
        intro = next_event(ws, {"intro"}, seen=seen)
        assert "Senior Backend Engineer" in intro["data"]["message"]
        first = next_event(ws, {"new_question"}, seen=seen)
        assert first["data"]["question_number"] == 1
        feedback = answer_until_feedback(ws, [GOOD_ANSWER], seen)
    numbers = [e["data"]["question_number"] for e in seen if e["type"] == "new_question"]
    assert numbers == [1, 2, 3]
    questions = [e["data"]["question"] for e in seen if e["type"] == "new_question"]
    assert len(set(questions)) == 3, "no question twice in a session"
    phases = [e["data"]["phase"] for e in seen if e["type"] == "phase_update"]
    assert phases == ["evaluation"]
    assert feedback["data"]["recommendation"] in {"Hire", "Borderline", "No-Hire"}

    report = live_backend.http.get(f"/interview/report/{sid}").json()
    assert report["status"] == "completed"
    assert [q["question"] for q in report["qa_history"]] == questions
    assert all(q["model_answer"] for q in report["qa_history"])
    assert all(GOOD_ANSWER == q["answer"] for q in report["qa_history"])
    item = report["skill_roadmap"][0]
    assert {"skill", "why", "actions", "priority"} <= item.keys() and item["actions"]


def test_bad_messages_keep_the_socket_open(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        bad = ["{", "[]", json.dumps({"type": 3}), json.dumps({"type": "dance"}),
               json.dumps({"type": "ready"}), json.dumps({"type": "start", "data": "x"}),
               json.dumps({"type": "start", "data": {"max_questions": "two"}})]
        codes = []
        for raw in bad:
            ws.send(raw)
            ev = next_event(ws, {"error"})
            assert ev["data"]["message"]
            codes.append(ev["data"]["code"])
        assert all(isinstance(c, int) for c in codes)
        ws.send(b"\x00\x01")  # audio with voice off
        assert "voice" in next_event(ws, {"error"})["data"]["message"].lower()
        send(ws, "start", {"max_questions": 1})
        next_event(ws, {"new_question"})


def test_reconnect_and_ready_resends_the_pending_question(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 2})
        asked = next_event(ws, {"new_question"})["data"]
    with open_ws(live_backend, sid) as ws:
        connected = next_event(ws, {"connected"})["data"]
        assert connected["status"] == "in_progress" and connected["awaiting"] == "answer"
        send(ws, "ready")
        again = next_event(ws, {"new_question"})["data"]
    assert again["question"] == asked["question"] and again["question_number"] == 1


def test_dont_know_is_scored_low_and_probed(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 2})
        next_event(ws, {"new_question"})
        send(ws, "answer", {"text": "I don't know."})
        update = next_event(ws, {"score_update"})["data"]
    assert update["current_scores"]["technical"] <= 2
    assert update["improvements"]


def test_ending_early_still_gives_a_report(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 5})
        next_event(ws, {"new_question"})
        send(ws, "answer", {"text": GOOD_ANSWER})
        next_event(ws, {"score_update"})
        send(ws, "end")
        assert next_event(ws, {"phase_update"})["data"]["phase"] == "evaluation"
        feedback = next_event(ws, {"feedback"})["data"]
    assert feedback["recommendation"] != "Hire"  # one answer of five is too little evidence
    report = live_backend.http.get(f"/interview/report/{sid}").json()
    assert len(report["qa_history"]) == 1


def test_memory_is_read_only_from_opted_in_sessions(live_backend):
    def interview(opt_in: bool) -> list[str]:
        sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
        live_backend.http.post(f"/interview/opt-in-memory?session_id={sid}", json={"opt_in": opt_in})
        seen: list = []
        with open_ws(live_backend, sid) as ws:
            next_event(ws, {"connected"})
            send(ws, "start", {"max_questions": 3})
            next_event(ws, {"new_question"}, seen=seen)
            answer_until_feedback(ws, ["I don't know."], seen)
        return [e["data"]["question"] for e in seen if e["type"] == "new_question"]

    live_backend.http.delete("/data")
    private = interview(opt_in=False)
    assert interview(opt_in=True) == private, "a private session must not shape the next one"
    again = interview(opt_in=True)
    assert not set(again) & set(private[:1] + private[2:]), "opted-in sessions never repeat bank questions"
    profile = live_backend.http.get("/profile").json()
    assert profile["sessions"] == 2 and profile["weak_topics"]
