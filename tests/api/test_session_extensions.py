"""Session extensions over a real server: the transcript (to continue an interview) and the plan."""

from __future__ import annotations

from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME
from tests.wsutil import next_event, open_ws, ready_session, send


def test_transcript_holds_every_question_answer_and_score_so_far(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    before = live_backend.http.get(f"/session/{sid}/transcript")
    assert before.status_code == 200, before.text
    assert before.json()["status"] == "created" and before.json()["turns"] == []
    assert before.json()["awaiting"] == "start"

    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 3, "duration_minutes": 20})
        first = next_event(ws, {"new_question"})["data"]
        send(ws, "answer", {"text": "I don't know"})
        update = next_event(ws, {"score_update"})["data"]
        assert update["next"] == "followup"
        followup = next_event(ws, {"followup"})["data"]
        # The socket closes mid-interview, with the follow-up unanswered.

    body = live_backend.http.get(f"/session/{sid}/transcript").json()
    assert body["status"] == "in_progress" and body["awaiting"] == "followup"
    assert body["max_questions"] == 3 and body["duration_minutes"] == 20
    assert 0 < body["time_remaining"] <= 20 * 60
    assert body["question_number"] == 1 and body["answered_questions"] == 1
    assert body["running_average"] == update["running_average"]
    assert "Hello" in body["intro"]
    (turn,) = body["turns"]
    assert turn["question"] == first["question"] and turn["topic"] == first["topic"]
    assert turn["difficulty"] == first["difficulty"]
    assert turn["explanation"] == first["explanation"]
    main, probe = turn["prompts"]
    assert main["answer"] == "I don't know" and main["followup_number"] == 0
    assert main["score"]["current_scores"] == update["current_scores"]
    assert main["score"]["feedback"] == update["feedback"]
    assert main["score"]["missing"] == update["missing"]
    assert probe == {"followup_number": 1, "question": followup["question"],
                     "reason": followup["reason"], "answer": None, "score": None}
    # Nothing the candidate should not see yet.
    text = str(body)
    assert "model_answer" not in text and "key_points" not in text

    # Continuing: `ready` re-sends the pending follow-up, and the answer lands in the transcript.
    with open_ws(live_backend, sid) as ws:
        assert next_event(ws, {"connected"})["data"]["awaiting"] == "followup"
        send(ws, "ready")
        assert next_event(ws, {"followup"})["data"]["question"] == followup["question"]
        send(ws, "answer", {"text": GOOD_ANSWER})
        next_event(ws, {"score_update"})
    turn = live_backend.http.get(f"/session/{sid}/transcript").json()["turns"][0]
    assert turn["prompts"][1]["answer"] == GOOD_ANSWER
    assert turn["prompts"][1]["score"]["current_scores"]


def test_transcript_of_an_unknown_or_malformed_session(live_backend):
    import uuid

    missing = live_backend.http.get(f"/session/{uuid.uuid4()}/transcript")
    assert missing.status_code == 404 and missing.json()["code"] == "session_not_found"
    # a session id in a path is a UUID: anything else is no path of this API
    bad = live_backend.http.get("/session/not-a-uuid/transcript")
    assert bad.status_code == 404 and bad.json()["code"] == "not_found"
    assert "session id is a UUID" in bad.json()["detail"]


def test_the_plan_is_the_topics_the_interview_then_asks(live_backend):
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    r = live_backend.http.get(f"/session/{sid}/plan", params={"max_questions": 4})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["has_job_description"] and body["max_questions"] == 4
    planned = [q["topic"] for q in body["questions"]]
    assert len(planned) == 4 and body["questions"][0]["topic_id"] == "experience"  # the opener

    asked = []
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 4})
        asked.append(next_event(ws, {"new_question"})["data"]["topic"])
        while len(asked) < 4:
            send(ws, "answer", {"text": GOOD_ANSWER})
            nxt = next_event(ws, {"score_update"})["data"]["next"]
            if nxt == "followup":
                next_event(ws, {"followup"})
                continue
            send(ws, "ready")
            asked.append(next_event(ws, {"new_question"})["data"]["topic"])
    assert asked == planned


def test_no_plan_without_a_resume(live_backend):
    sid = live_backend.http.post("/session/start").json()["session_id"]
    r = live_backend.http.get(f"/session/{sid}/plan")
    assert r.status_code == 409 and "resume" in r.json()["detail"]
    r = live_backend.http.get(f"/session/{sid}/plan", params={"max_questions": 9})
    assert r.status_code == 422
