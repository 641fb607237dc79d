"""Render every page of the app, in light and dark, at the default size and at the smallest
(900x620), to docs/screenshots/<page>-<theme>[-900x620].png.

Runs offscreen against a real embedded backend with real interviews (driven over the
WebSocket like any client), in a throwaway data folder and settings file. `--check` also
measures every shot with desktop/layout_check.py and exits 1 if any text is cut or any
widget sticks out (tests/desktop/test_layout.py runs it this way at 150% and 200% scale):

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--sizes 1100x760,900x620]
        [--themes light,dark] [--check]
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
# Follow-up answers where the question has no model answer (the candidate's own project): a
# candidate answers what was asked instead of saying the first answer again.
GENERIC_FOLLOWUPS = (
    "I designed the cache layer myself and wrote the invalidation code; the team reviewed it.",
    "After the change, p95 read latency went from 800 ms to 120 ms, and database CPU fell by "
    "about half.",
)


# ---------------------------------------------------------------------------- interviews

def answer_for(question: str, quality: float, model_answers: dict[str, str],
               followup: int = 0) -> str:
    """A strong, partial or weak answer: the bank's model answer cut to `quality` of it
    (``followup``: the number of the follow-up this answers, 0 for the main answer)."""
    model = model_answers.get(question)
    if quality <= 0 or (model is None and quality < 0.5):
        return WEAK
    if model is None:
        return GENERIC_FOLLOWUPS[followup - 1] if 0 < followup <= len(GENERIC_FOLLOWUPS) \
            else GENERIC
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
        asked, level, followup = prompt, quality, 0
        while True:
            send(ws, "answer", {"text": answer_for(asked, level, model_answers, followup)})
            nxt = wait(ws, {"score_update"})["data"]["next"]
            if nxt == "followup":
                wait(ws, {"followup"})  # the main question's model answer covers it best
                level = min(1.0, level + 0.25) if quality > 0 else 0.0
                followup += 1
                continue
            level, followup = quality, 0
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


class Shooter:
    """Saves every page in every configuration (size x theme), and checks its layout."""

    def __init__(self, window, theme_manager, out: Path, sizes: list[tuple[int, int]],
                 themes: list[str], check: bool):
        self.window, self.themes_manager, self.out = window, theme_manager, out
        self.sizes, self.themes, self.check = sizes, themes, check
        self.shots: list[Path] = []
        self.problems: dict[str, list[str]] = {}

    def path(self, name: str, theme: str, size: tuple[int, int]) -> Path:
        suffix = "" if size == self.sizes[0] else f"-{size[0]}x{size[1]}"
        return self.out / f"{name}-{theme}{suffix}.png"

    async def shoot(self, name: str, page: str, before: Callable[[], None] | None = None) -> None:
        from desktop.layout_check import layout_problems

        for size in self.sizes:
            for theme in self.themes:
                self.themes_manager.apply(theme)
                self.window.resize(*size)
                self.window.show_page(page)
                if before is not None:
                    before()
                await settle(0.25)
                path = self.path(name, theme, size)
                if self.check:
                    found = [str(p) for p in layout_problems(self.window)]
                    if found:
                        self.problems[path.name] = found
                self.shots.append(_save(self.window, path))

    async def shoot_dialog(self, name: str, dialog, before: Callable[[], None] | None = None
                           ) -> None:
        """A dialog (its own window) at its own size, in each theme."""
        from desktop.layout_check import layout_problems

        for theme in self.themes:
            self.themes_manager.apply(theme)
            if before is not None:
                before()
            await settle(0.25)
            path = self.out / f"{name}-{theme}.png"
            if self.check:
                found = [str(p) for p in layout_problems(dialog)]
                if found:
                    self.problems[path.name] = found
            self.shots.append(_save(dialog, path))


async def capture(window, shooter: Shooter, work: Path, history: int = 3) -> None:
    from backend.interviewer.bank import default_bank
    from desktop.pages.report import Collapsible

    server = window.server
    model_answers = {q.text: q.model_answer for q in default_bank().questions}
    args = (server.base_url, server.ws_url, server.token)
    # Three finished interviews (weak, middling, strong) for the history and its trend.
    sids = []
    for quality in (0.0, 0.45, 1.0)[-history:]:
        sids.append(await asyncio.to_thread(run_interview, *args, quality, 4, model_answers))
    strong = sids[-1]

    log("First run: the note on progress")
    await shooter.shoot("progress-notice", "Setup")
    window.progress_notice.acknowledge()

    log("Setup: a resume and a job")
    setup = window.setup_page
    resume = work / "Sam Rivera - resume.txt"
    resume.write_text(RESUME, encoding="utf-8")
    setup.role_edit.setText("Senior Backend Engineer")
    setup.jd_edit.setPlainText(JOB)
    assert await setup.upload_resume(resume), "the resume upload failed"
    await setup.analyse_job()

    log("Interview: before")
    await shooter.shoot("interview-empty", "Interview")

    log("Interview: a question, two follow-ups and their answers")
    client = window.client
    sid = await client.create_session()
    await client.upload_resume(sid, resume)
    await client.upload_jd(sid, JOB, "Senior Backend Engineer")
    await client.set_memory(sid, False)
    page = window.interview_page
    window.start_interview(sid, 5, 35)
    events: list[dict] = []
    page.session.received.connect(events.append)  # the socket opens in a task started above
    scored = 0
    for answer in ("I don't know.", "I'm not sure, maybe a cache?", None):
        await wait_until(lambda: page.submit_button.isEnabled()
                         and any(e["type"] in ("new_question", "followup") for e in events))
        if answer is None:
            question = next(e for e in events if e["type"] == "new_question")["data"]["question"]
            answer = answer_for(question, 0.6, model_answers)
        page.editor.setPlainText(answer)
        page.submit()
        scored += 1
        await wait_until(lambda n=scored: sum(e["type"] == "score_update" for e in events) >= n
                         and (page.next_button.isVisible() or page.submit_button.isEnabled()))
        if page.next_button.isVisible():
            break
    page.editor.setPlainText("I would start with the requirements and ")
    await window.report_page.show_report(strong)
    await window.history_page.refresh()
    window.history_page.select_session(strong)

    def show_latest_prompt() -> None:  # the last follow-up, with the thread above it
        page.thread._follow = False  # as if the candidate scrolled up to it
        page.thread.verticalScrollBar().setValue(page.thread.latest_prompt.y() - 8)
    await shooter.shoot("interview", "Interview", show_latest_prompt)
    log("Interview with the voice panel")
    from desktop.audio.devices import AudioDevice, DeviceReport

    mic = AudioDevice(1, "Built-in Audio Analog Stereo (microphone)", 2, 0, 48000.0)
    speaker = AudioDevice(2, "Built-in Audio Analog Stereo (speakers)", 0, 2, 48000.0)
    panel = page.voice_panel
    panel.set_devices(DeviceReport(inputs=(mic,), outputs=(speaker,)), mic.key, "", False)
    panel.set_state("ready", "Press Space or click Talk to answer aloud.")
    panel.set_can_talk(True)
    panel.show()
    await shooter.shoot("interview-voice", "Interview", show_latest_prompt)
    panel.hide()

    log("Setup, report, history, settings")
    await shooter.shoot("setup", "Setup")
    report = window.report_page
    await shooter.shoot("report", "Report", lambda: report.scroll.verticalScrollBar().setValue(0))
    await shooter.shoot("history", "History")
    await shooter.shoot("settings", "Settings")

    first = report.question_cards[0]

    def open_first() -> None:
        first.findChild(Collapsible).set_expanded(True)
        report.scroll.verticalScrollBar().setValue(first.y() - 8)
    await shooter.shoot("report-questions", "Report", open_first)
    first.findChild(Collapsible).set_expanded(False)

    await practice_shots(window, shooter, sids[0], model_answers)

    log("Interview: after")
    page.editor.clear()
    window.show_page("Interview")
    page.confirm_end()
    page._confirm.action_button.click()
    await wait_until(lambda: page.stage == "finished", 120)
    await shooter.shoot("interview-finished", "Interview", page.thread.scroll_to_end)


async def practice_shots(window, shooter: Shooter, weak: str,
                         model_answers: dict[str, str]) -> None:
    """Issue 18: a retry beside the first attempt, practice mode, and progress."""
    from PySide6.QtTest import QTest

    log("Retry: the weak interview's second question, answered again")
    report = window.report_page
    await report.show_report(weak)
    window.show_page("Report")
    question = report.report["qa_history"][1]["question"]
    dialog = report.open_retry(2)
    await wait_until(dialog.isVisible)
    QTest.keyClicks(dialog.composer.editor, answer_for(question, 0.7, model_answers))
    dialog.composer.submit()
    await wait_until(lambda: dialog.result_area.isVisible(), 120)
    await shooter.shoot_dialog("retry", dialog)
    dialog.accept()
    await wait_until(lambda: report.retry_panels[2].comparison.isVisible(), 30)
    panel = report.retry_panels[2]
    await shooter.shoot("report-retry", "Report",
                        lambda: report.scroll.verticalScrollBar().setValue(
                            panel.mapTo(report.scroll.widget(), panel.rect().topLeft()).y() - 160))

    log("Practice: the start, a hint, an attempt, the model answer and a retry")
    practice = window.practice_page
    window.show_page("Practice")
    await wait_until(lambda: practice.topic_combo.count() > 1 and practice.view == "start")
    await shooter.shoot("practice-start", "Practice")
    weak_topic = next((t["topic_id"] for t in practice.topics if t.get("weak")), "databases")
    practice.select_topic(weak_topic)  # what is due on it first, then new questions
    practice.count_spin.setValue(3)
    await practice.start()
    await practice._step("hint")
    question = practice.card.question.text()
    practice.composer.editor.setPlainText("I'm not sure. I think it depends on the load.")
    practice.composer.submit()
    await wait_until(lambda: practice.feedback.isVisible(), 120)
    await shooter.shoot("practice-attempt", "Practice",
                        lambda: practice.scroll.verticalScrollBar().setValue(
                            practice.feedback.y() - 12))
    practice.try_again()
    practice.composer.editor.setPlainText(answer_for(question, 1.0, model_answers))
    practice.composer.submit()
    await wait_until(lambda: practice.comparison.isVisible(), 120)
    await shooter.shoot("practice-retry", "Practice",
                        lambda: practice.scroll.verticalScrollBar().setValue(
                            practice.comparison.y() - 12))
    await practice._step("end")

    log("Progress: interviews and practice at a glance")
    history = window.history_page
    await history.refresh()

    def show_progress() -> None:
        history.scroll.verticalScrollBar().setValue(history.progress.y() - 8)
    await shooter.shoot("progress", "History", show_progress)


def _save(window, path: Path) -> Path:
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--sizes", default="1100x760,900x620",
                        help="window sizes, WIDTHxHEIGHT, comma-separated; the first is the "
                             "default size (no suffix in the file name)")
    parser.add_argument("--themes", default="light,dark")
    parser.add_argument("--history", type=int, default=3, choices=(1, 2, 3),
                        help="finished interviews to make for the history and report pages")
    parser.add_argument("--check", action="store_true",
                        help="report text that does not fit and clipped widgets; exit 1 if any")
    args = parser.parse_args(argv)
    sizes = [tuple(int(v) for v in size.lower().split("x")) for size in args.sizes.split(",")]
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
        app, window, server, client = build_app(work / "data", log_dir=work / "logs")
        window.server = server
        theme_manager = app.findChild(ThemeManager)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        shooter = Shooter(window, theme_manager, args.out, sizes, args.themes.split(","),
                          args.check)
        try:
            window.resize(*sizes[0])
            window.show()
            loop.run_until_complete(capture(window, shooter, work, args.history))
            loop.run_until_complete(close_app(window, client))
        finally:
            server.stop()
            loop.close()
    for path in shooter.shots:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    for name, found in shooter.problems.items():
        print(f"LAYOUT {name}:")
        for line in found:
            print(f"  {line}")
    return 1 if shooter.problems else 0


if __name__ == "__main__":
    sys.exit(main())
