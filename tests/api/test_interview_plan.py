"""The interview plan through the real server: the upload answers say what will be asked
and why, and a scripted interview for the payments job asks what the job requires."""

from __future__ import annotations

import re
from pathlib import Path

from tests.wsutil import answer_until_feedback, next_event, open_ws, ready_session, send

DATA = Path(__file__).resolve().parent.parent / "data"
PAYMENTS_JD = (DATA / "jobs" / "payments_platform.txt").read_text(encoding="utf-8")
# The candidate: mid-level backend, repartitioned a 1.8 TB PostgreSQL table.
RESUME = (DATA / "resumes" / "34_mid_backend_payments_repartition.txt").read_text(encoding="utf-8")
ROLE = "Backend Engineer, Payments"

IDEMPOTENCY = re.compile(r"idempot|charged twice|charge .*twice|duplicate (?:charge|payment)", re.I)
LEDGER_OR_TRANSACTIONS = re.compile(
    r"ledger|double-entry|isolation level|serializ|read committed|for update|lost update|"
    r"transaction", re.I)
KAFKA_SEMANTICS = re.compile(
    r"exactly-once|exactly once|at-least-once|at least once|delivery (?:semantics|guarantee)|"
    r"offset|redeliver|deduplicat|idempotent consumer|idempotent producer", re.I)
# Dull, sensible answers: the plan is under test, not the grader.
ANSWER = ("I would start from the requirements and the failure modes, pick the simplest design "
          "that holds under retries and concurrency, and measure it before and after.")


def test_the_upload_answers_carry_the_plan_and_its_reasons(live_backend):
    sid = live_backend.http.post("/session/start").json()["session_id"]
    r = live_backend.http.post("/upload/resume", data={"session_id": sid},
                               files={"file": ("cv.txt", RESUME.encode(), "text/plain")})
    assert r.status_code == 200, r.text
    assert r.json()["plan"] == []  # no job yet, no plan
    r = live_backend.http.post("/upload/jd", data={"session_id": sid,
                                                   "job_description": PAYMENTS_JD, "role": ROLE})
    assert r.status_code == 200, r.text
    body = r.json()
    plan, uncovered, not_asked = body["plan"], body["uncovered"], body["not_asked"]
    assert body["planned_questions"] == 8 and body["opener"] in RESUME

    kinds = [item["kind"] for item in plan]
    assert kinds == sorted(kinds, key=lambda k: k != "must"), "no nice-to-have before a must-have"
    labels = {item["requirement"]: item for item in plan}
    idempotent = labels["Idempotent payment APIs"]
    assert idempotent["in_resume"] is False and idempotent["evidence"] == []
    assert idempotent["questions"] >= 1 and idempotent["topics"]
    for item in plan:
        assert set(item) >= {"requirement", "text", "kind", "in_resume", "evidence", "topics",
                             "questions"}
        assert item["text"] in PAYMENTS_JD.replace("\n  ", " ")
        assert all(line in RESUME.replace("\n  ", " ") for line in item["evidence"])
        assert item["in_resume"] == bool(item["evidence"])
    # every must-have of the posting is planned, or said not to be, with a reason
    for left_out in uncovered + not_asked:
        assert left_out["reason"] and left_out["text"] in PAYMENTS_JD.replace("\n  ", " ")
    assert all(u["kind"] == "must" for u in uncovered)
    years = next(n for n in not_asked if n["text"].startswith("3+ years"))
    assert "resume" in years["reason"]
    # a strength shows where the resume shows it
    assert "PostgreSQL" in body["strengths"]
    assert any("1.8 TB" in line for line in body["strength_evidence"]["PostgreSQL"])
    assert "Ruby on Rails" not in body["strengths"] + body["gaps"]  # "payment rails"
    assert "PCI DSS" not in body["strengths"]


def test_a_payments_interview_asks_what_the_job_requires_first(live_backend):
    """Issue 12: within the first five questions, idempotency, ledgers or transactions, and
    Kafka delivery semantics; the first question is about the candidate's own work."""
    sid = ready_session(live_backend, RESUME, PAYMENTS_JD, role=ROLE)
    seen: list = []
    with open_ws(live_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "start", {"max_questions": 8})
        intro = next_event(ws, {"intro"}, seen=seen)["data"]["message"]
        next_event(ws, {"new_question"}, seen=seen)
        answer_until_feedback(ws, [ANSWER], seen)
    asked = [e["data"] for e in seen if e["type"] == "new_question"]
    assert len(asked) == 8
    assert asked[0]["kind"] == "experience" and asked[0]["question"].startswith("Let's start")
    first_five = [f'{q["question"]} {q["explanation"]}' for q in asked[:5]]
    assert any(IDEMPOTENCY.search(t) for t in first_five), first_five
    assert any(LEDGER_OR_TRANSACTIONS.search(t) for t in first_five), first_five
    assert any(KAFKA_SEMANTICS.search(t) for t in first_five), first_five
    assert "idempotent payment APIs" in intro
    topics = [q["topic_id"] for q in asked[1:-1]]
    assert "security" not in topics  # PCI-DSS is a nice-to-have, never asked before must-haves
