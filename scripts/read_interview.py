"""Run one whole scripted interview over the WebSocket and print what the candidate reads.

For reviewing the interviewer as a candidate would (issue 11 and 12): every question,
follow-up, score and feedback line, then the report's summary, per-question scores,
recommendation and roadmap. The answers are scripted by kind of question: a model answer,
an answer without context for the candidate's own project (then only context), an
off-topic answer, a request to skip, a vague answer, a confidently wrong answer (the first of
each key point's typical mistakes) whose follow-up takes it back ("I had that backwards.")
and gives the model answer.

    .venv/bin/python scripts/read_interview.py [--job tests/data/jobs/payments_platform.txt]
        [--resume tests/data/resumes/34_mid_backend_payments_repartition.txt] [--questions 8]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.interviewer.bank import default_bank  # noqa: E402
from tests.conftest import start_backend  # noqa: E402
from tests.wsutil import next_event, open_ws, ready_session, send  # noqa: E402

OFF_TOPIC = ("Honestly what I care most about is team culture. On weekends I go hiking, and "
             "this year I started learning Spanish.")
VAGUE = "It depends on a lot of things really, there are trade-offs either way, so it varies."
STORY = ("I designed the new service myself and decided to move the jobs onto it one at a "
         "time instead of a big-bang rewrite, at the cost of running both for two months. As a "
         "result failures dropped by 70 percent, and looking back I'd agree the metric first.")
CONTEXT = ("Before that, a cron job polled every nine minutes, so customers saw stale data; "
           "support tickets doubled in a quarter and two big customers left.")


def wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(str(text), 100, initial_indent=indent, subsequent_indent=indent)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--job", type=Path, default=ROOT / "tests/data/jobs/payments_platform.txt")
    parser.add_argument("--resume", type=Path,
                        default=ROOT / "tests/data/resumes/34_mid_backend_payments_repartition.txt")
    parser.add_argument("--questions", type=int, default=8)
    args = parser.parse_args()
    bank = default_bank()
    with tempfile.TemporaryDirectory() as tmp:
        backend = start_backend(Path(tmp))
        try:
            sid = ready_session(backend, args.resume.read_text(), args.job.read_text(),
                                role=args.job.read_text().splitlines()[0])
            plan = backend.http.get(f"/session/{sid}").json()
            print(f"session {sid}: {plan.get('role')} ({plan.get('detected_seniority')})\n")
            script = iter(["model", "wrong", "off_topic", "skip", "vague", "model", "model",
                           "model", "model"])
            with open_ws(backend, sid) as ws:
                next_event(ws, {"connected"})
                send(ws, "start", {"max_questions": args.questions})
                print("INTRO:", wrap(next_event(ws, {"intro"})["data"]["message"], "")[:2000])
                ev = next_event(ws, {"new_question"})
                while True:
                    d = ev["data"]
                    print(f"\nQ{d['question_number']} [{d['topic']}, {d['difficulty']}]")
                    print(wrap(d["question"]))
                    q = bank.by_text(d["question"])
                    plan_step = "story" if d.get("topic_id") == "experience" else next(script)
                    wrong = " ".join(k.mistakes[0] for k in q.key_points if k.mistakes) if q else ""
                    answers = {"story": [STORY, CONTEXT], "model": [q.model_answer if q else STORY],
                               "wrong": [wrong or VAGUE, "I had that backwards. " +
                                         (q.model_answer if q else STORY)],
                               "off_topic": [OFF_TOPIC], "vague": [VAGUE, VAGUE],
                               "skip": ["Can we skip this one and move on?"]}[plan_step]
                    i = 0
                    while True:
                        text = answers[min(i, len(answers) - 1)]
                        print(f"  ANSWER ({plan_step}): {text[:160]}{'…' if len(text) > 160 else ''}")
                        send(ws, "answer", {"text": text})
                        up = next_event(ws, {"score_update", "skip_offer", "error"})
                        if up["type"] == "skip_offer":
                            print("  SKIP OFFER:", up["data"]["message"])
                            send(ws, "skip")
                            up = next_event(ws, {"score_update"})
                        u = up["data"]
                        print(f"  SCORE {u['current_scores']} status={u.get('status')}")
                        print("  FEEDBACK:", wrap(u["feedback"], "")[0:1500])
                        for e in u.get("evidence", []):
                            print(f"    {'covered' if e['certain'] else 'unclear'}: {e['point']}"
                                  f" <- \u201c{e['quote']}\u201d")
                        print("    missing:", u.get("missing"))
                        if u["next"] != "followup":
                            break
                        f = next_event(ws, {"followup"})["data"]
                        print(f"  FOLLOW-UP: {f['question']}  ({f['reason']})")
                        i += 1
                    if u["next"] == "end":
                        break
                    send(ws, "ready")
                    ev = next_event(ws, {"new_question", "feedback"})
                    if ev["type"] == "feedback":
                        break
                send(ws, "ready")
                next_event(ws, {"feedback"}, timeout=120)
            report = backend.http.get(f"/interview/report/{sid}").json()
            print("\n=== REPORT ===")
            print("recommendation:", report["recommendation"], report["scores"])
            print(report["final_report"])
            print("\nquestion scores:", json.dumps(report.get("question_scores"), indent=None))
            for item in report.get("skill_roadmap", []):
                print(f"\n* {item['skill']} ({item['priority']}): {item['why']}")
                for a in item["actions"]:
                    print(wrap("- " + a))
        finally:
            backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
