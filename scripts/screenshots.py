"""Render every page of the app, in light and dark, to docs/screenshots/<page>-<theme>.png.

Runs offscreen against a real embedded backend with real interviews (driven over the
WebSocket like any client), in a throwaway data folder and settings file:

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--size 1100x760]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RESUME = """\
Sam Rivera
Senior Backend Engineer | sam.rivera@example.com | Lisbon

EXPERIENCE
Senior Backend Engineer, Harbour Freight Tech              Apr 2020 - Present
- Designed the shipment-tracking API (REST, 3k requests/s) on Python and PostgreSQL.
- Cut p99 latency from 800 ms to 140 ms with Redis caching and query tuning.
- Led the move from cron jobs to an event pipeline on Kafka; mentored four engineers.

Backend Engineer, Brightline Payments                      Jun 2016 - Mar 2020
- Built idempotent payment endpoints and the reconciliation service in Go.
- Added keyset pagination and composite indexes to the ledger (1.2 TB).

SKILLS
Python, Go, PostgreSQL, Redis, Kafka, REST, gRPC, Docker, AWS, Terraform
"""

JOB = """\
Senior Backend Engineer
We are hiring a senior backend engineer for our logistics platform.
Requirements:
- 5+ years building backend services in Python or Go
- Deep knowledge of PostgreSQL, indexing and transactions
- API design, caching and event streaming with Kafka
- Experience running services on Kubernetes in production
"""

GENERIC = ("I would start from the requirements and the expected load. In my last role we kept "
           "the write path simple and put a cache in front of the reads, which cut latency a "
           "lot. The trade-off is consistency, so we used short TTLs and invalidated on writes.")
WEAK = "I'm not sure. I think I would look it up and try a few things until it works."


# ---------------------------------------------------------------------------- interviews

def answer_for(question: str, quality: float, model_answers: dict[str, str]) -> str:
    """A strong, partial or weak answer: the bank's model answer cut to `quality` of it."""
    model = model_answers.get(question)
    if quality <= 0 or (model is None and quality < 0.5):
        return WEAK
    if model is None:
        return GENERIC
    sentences = [s.strip() for s in model.split(". ") if s.strip()]
    keep = max(1, round(len(sentences) * quality))
    return ". ".join(sentences[:keep]).rstrip(".") + "."


def run_interview(base: str, ws_base: str, token: str, quality: float, questions: int,
                  model_answers: dict[str, str], opt_in: bool = True) -> str:
    """One whole interview through the public protocol (blocking; run it in a thread)."""
    import httpx
    from websockets.sync.client import connect

    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                      timeout=60, trust_env=False) as http:
        sid = http.post("/session/start").json()["session_id"]
        http.post("/upload/resume", data={"session_id": sid},
                  files={"file": ("resume.txt", RESUME.encode(), "text/plain")}).raise_for_status()
        http.post("/upload/jd", data={"session_id": sid, "job_description": JOB,
                                      "role": "Senior Backend Engineer"}).raise_for_status()
        http.post("/interview/opt-in-memory", params={"session_id": sid},
                  json={"opt_in": opt_in}).raise_for_status()

    def send(ws, type_: str, data: dict | None = None) -> None:
        ws.send(json.dumps({"type": type_, **({"data": data} if data is not None else {})}))

    def wait(ws, wanted: set[str]) -> dict:
        while True:
            msg = ws.recv(timeout=120)
            if isinstance(msg, str) and (ev := json.loads(msg))["type"] in wanted:
                return ev

    with connect(f"{ws_base}/ws/interview/{sid}?token={token}", open_timeout=20,
                 proxy=None) as ws:
        wait(ws, {"connected"})
        send(ws, "start", {"max_questions": questions})
        prompt = wait(ws, {"new_question"})["data"]["question"]
        asked, level = prompt, quality
        while True:
            send(ws, "answer", {"text": answer_for(asked, level, model_answers)})
            nxt = wait(ws, {"score_update"})["data"]["next"]
            if nxt == "followup":
                wait(ws, {"followup"})  # the main question's model answer covers it best
                level = min(1.0, level + 0.25) if quality > 0 else 0.0
                continue
            level = quality
            send(ws, "ready")
            if nxt == "end":
                wait(ws, {"feedback"})
                return sid
            asked = wait(ws, {"new_question"})["data"]["question"]


# ---------------------------------------------------------------------------- app

def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


async def wait_until(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        await asyncio.sleep(0.02)


async def settle(seconds: float = 0.15) -> None:
    """Let the loop paint and run pending tasks (never processEvents() inside a task)."""
    await asyncio.sleep(seconds)


async def capture(window, theme_manager, out: Path, work: Path) -> list[Path]:
    from backend.interviewer.bank import default_bank
    from desktop.pages.report import Collapsible

    server = window.server
    model_answers = {q.text: q.model_answer for q in default_bank().questions}
    args = (server.base_url, server.ws_url, server.token)
    # Three finished interviews (weak, middling, strong) for the history and its trend.
    sids = []
    for quality in (0.0, 0.45, 1.0):
        sids.append(await asyncio.to_thread(run_interview, *args, quality, 4, model_answers))
    strong = sids[-1]

    log("# Setup: a resume")
    # Setup: a resume read and a job description in.
    setup = window.setup_page
    resume = work / "Sam Rivera - resume.txt"
    resume.write_text(RESUME, encoding="utf-8")
    setup.role_edit.setText("Senior Backend Engineer")
    setup.jd_edit.setPlainText(JOB)
    assert await setup.upload_resume(resume), "the resume upload failed"
    await setup.analyse_job()

    log("# Interview: a fresh")
    # Interview: a fresh session, one question answered and scored.
    client = window.client
    sid = await client.create_session()
    await client.upload_resume(sid, resume)
    await client.upload_jd(sid, JOB, "Senior Backend Engineer")
    await client.set_memory(sid, False)
    page = window.interview_page
    window.start_interview(sid, 5, 35)
    events: list[dict] = []
    page.session.event.connect(events.append)  # the socket opens in a task started above
    await wait_until(lambda: page.submit_button.isEnabled()
                     and any(e["type"] == "new_question" for e in events))
    question = next(e for e in events if e["type"] == "new_question")["data"]["question"]
    page.editor.setPlainText(answer_for(question, 0.6, model_answers))
    page.submit()
    await wait_until(lambda: any(e["type"] == "score_update" for e in events)
                     and (page.next_button.isVisible() or page.submit_button.isEnabled()))

    log("await window.report_page.show_")
    await window.report_page.show_report(strong)
    await window.history_page.refresh()
    window.history_page.select_session(strong)

    log("shots = []")
    shots = []
    report = window.report_page
    for theme in ("light", "dark"):
        theme_manager.apply(theme)
        for name in ("Setup", "Interview", "Report", "History", "Settings"):
            window.show_page(name)
            report.scroll.verticalScrollBar().setValue(0)
            await settle()
            shots.append(_save(window, out / f"{name.lower()}-{theme}.png"))
        # The report again, scrolled to the first question with its model answer open.
        window.show_page("Report")
        first = report.question_cards[0]
        first.findChild(Collapsible).set_expanded(True)
        await settle()
        report.scroll.verticalScrollBar().setValue(first.y() - 8)
        await settle()
        shots.append(_save(window, out / f"report-questions-{theme}.png"))
        first.findChild(Collapsible).set_expanded(False)
    return shots


def _save(window, path: Path) -> Path:
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1100x760", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    import qasync
    from PySide6.QtCore import QSettings

    from desktop.app import build_app, close_app
    from desktop.theme import ThemeManager

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rehearse-shots-") as tmp:
        work = Path(tmp)
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, str(work / "settings"))
        app, window, server, client = build_app(work / "data")
        window.server = server
        theme_manager = app.findChild(ThemeManager)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        try:
            window.resize(width, height)
            window.show()
            shots = loop.run_until_complete(capture(window, theme_manager, args.out, work))
            loop.run_until_complete(close_app(window, client))
        finally:
            server.stop()
            loop.close()
    for path in shots:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
