"""A whole interview over the WebSocket, judged as a candidate would judge it (issue 11).

One scripted interview on a real backend: a story question answered without its context,
then the context follow-up answered with nothing but context; a bank question answered
with its own model answer; a confidently wrong answer (graded as one, its feedback naming
the misconceptions) taken back in its follow-up ("I had that backwards"); an answer about
hiking and Spanish; a request to skip typed as an answer, then the `skip` message; keyboard
mashing. Each step checks what the candidate would read.
"""

from __future__ import annotations

from backend.interviewer.bank import default_bank
from backend.interviewer.grading.feedback import MISCONCEIVED
from tests.data.documents import BACKEND_JD, SENIOR_RESUME
from tests.wsutil import next_event, open_ws, ready_session, send

WITHOUT_CONTEXT = (
    "I designed the new pipeline myself and decided to move the billing jobs onto it. "
    "Instead of a big-bang rewrite, which we considered, we migrated one job at a time, at the "
    "cost of running both systems for two months. As a result failed runs dropped by 70 "
    "percent, and looking back I learned to agree the success metric up front.")
ONLY_CONTEXT = (
    "Before that, we had a cron job polling the old billing monolith every nine minutes, so "
    "customers saw their invoices up to nine minutes late. Support tickets about missing "
    "invoices doubled in a quarter and two large customers churned, so it mattered a lot.")
OFF_TOPIC = ("Honestly what I care most about is team culture. On weekends I go hiking in the "
             "mountains, and this year I started learning Spanish, which has been a lot of fun.")
CONTEXT_POINT = "the context: the problem, its scale and why it mattered"


def _answer(ws, text: str, seen: list) -> dict:
    send(ws, "answer", {"text": text})
    return next_event(ws, {"score_update", "skip_offer", "error"}, seen=seen)


def _next_question(ws, update: dict, seen: list) -> dict | None:
    """Move past a scored question: decline follow-ups by skipping them, then `ready`."""
    while update["data"]["next"] == "followup":
        next_event(ws, {"followup"}, seen=seen)
        send(ws, "skip")
        update = next_event(ws, {"score_update"}, seen=seen)
        assert update["data"]["skipped"] is True
    if update["data"]["next"] == "end":
        return None
    send(ws, "ready")
    return next_event(ws, {"new_question"}, seen=seen)


def test_a_whole_interview_is_judged_on_what_was_said(live_backend):
    bank = default_bank()
    sid = ready_session(live_backend, SENIOR_RESUME, BACKEND_JD)
    seen: list = []
    checked: set[str] = set()
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 7})
        question = next_event(ws, {"new_question"}, seen=seen)
        while question is not None:
            data = question["data"]
            if data["topic_id"] == "experience" and "story" not in checked:
                checked.add("story")
                first = _answer(ws, WITHOUT_CONTEXT, seen)["data"]
                assert CONTEXT_POINT in first["missing"], first
                assert first["next"] == "followup"
                follow = next_event(ws, {"followup"}, seen=seen)["data"]
                assert "situation" in follow["question"].lower(), follow
                second = _answer(ws, ONLY_CONTEXT, seen)["data"]
                assert CONTEXT_POINT not in second["missing"], second
                assert CONTEXT_POINT in second["covered"]
                assert any(e["point"] == CONTEXT_POINT and "nine minutes" in e["quote"]
                           for e in second["evidence"]), second["evidence"]
                assert second["feedback"] != first["feedback"]
                assert second["current_scores"]["technical"] >= first["current_scores"]["technical"]
                question = _next_question(ws, {"data": second}, seen)
                continue
            bank_q = next((q for q in bank.questions if q.text == data["question"]), None)
            if bank_q is not None and "model" not in checked:
                checked.add("model")
                update = _answer(ws, bank_q.model_answer, seen)["data"]
                assert update["current_scores"]["technical"] >= 8.5, update
                assert update["missing"] == [] and update["unclear"] == [], update
                assert len(update["evidence"]) == len(bank_q.key_points)
                said = " ".join(bank_q.model_answer.split())
                for e in update["evidence"]:  # every quote is the candidate's own words
                    assert e["quote"] and e["quote"] in said, e
                question = _next_question(ws, {"data": update}, seen)
                continue
            if bank_q is not None and "retract" not in checked and \
                    any(k.mistakes for k in bank_q.key_points):
                # A confidently wrong answer, then a follow-up that takes it back: the corrected
                # points count, the first claim costs a little, and the feedback says so.
                checked.add("retract")
                wrong = " ".join(k.mistakes[0] for k in bank_q.key_points if k.mistakes)
                first = _answer(ws, wrong, seen)["data"]
                assert first["next"] == "followup", first
                # It leans to the question's typical mistakes: graded as wrong, and said so
                # (98% of the bank's questions, answered with their first mistakes).
                assert first["current_scores"]["technical"] <= 2.0, first
                assert first["feedback"].startswith(MISCONCEIVED), first["feedback"]
                assert first["covered"] == [] and "touched on" not in first["feedback"]
                next_event(ws, {"followup"}, seen=seen)
                second = _answer(ws, "I had that backwards. " + bank_q.model_answer, seen)["data"]
                assert "Correcting yourself" in second["feedback"], second
                assert 7 <= second["current_scores"]["technical"] <= 8.5, second
                question = _next_question(ws, {"data": second}, seen)
                continue
            if bank_q is not None and "off_topic" not in checked:
                checked.add("off_topic")
                update = _answer(ws, OFF_TOPIC, seen)["data"]
                assert update["status"] == "off_topic", update
                assert update["current_scores"]["technical"] <= 2
                assert update["missing"] == [] and update["covered"] == []
                assert "doesn't address the question" in update["feedback"]
                assert "missed" not in update["feedback"].lower()
                question = _next_question(ws, {"data": update}, seen)
                continue
            if "skip" not in checked:
                checked.add("skip")
                mashed = _answer(ws, "asdf jkl; qwerty", seen)
                assert mashed["type"] == "error" and mashed["data"]["code"] == 4422
                offer = _answer(ws, "Can we skip this one and move on?", seen)
                assert offer["type"] == "skip_offer", offer
                send(ws, "skip")
                update = next_event(ws, {"score_update"}, seen=seen)["data"]
                assert update["skipped"] is True and update["next"] != "followup"
                assert update["current_scores"] == {"technical": 0.0, "design": 0.0,
                                                    "communication": 0.0}
                question = _next_question(ws, {"data": update}, seen)
                continue
            update = _answer(ws, bank_q.model_answer if bank_q else WITHOUT_CONTEXT, seen)
            question = _next_question(ws, update, seen)
        send(ws, "ready")
        next_event(ws, {"feedback"}, seen=seen)
    assert checked == {"story", "model", "retract", "off_topic", "skip"}, checked
    report = live_backend.http.get(f"/interview/report/{sid}").json()
    statuses = [h["status"] for h in report["qa_history"]]
    assert "skipped" in statuses and "off_topic" in statuses
    for h, qs in zip((h for h in report["qa_history"] if h["scores"]), report["question_scores"], strict=True):
        assert qs["technical"] == h["scores"]["technical"]  # one number per question
    updates = [e for e in seen if e["type"] == "score_update"]
    for h in report["qa_history"]:  # ... and it is the last one the candidate saw live
        mine = [u for u in updates if u["data"]["question_number"] == h["question_number"]]
        if mine and h["scores"]:
            assert mine[-1]["data"]["current_scores"] == h["scores"]
