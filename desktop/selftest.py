"""`rehearse --self-test` (and `Rehearse --self-test` in the installed app).

Proves, offline and without a display or a sound card, that the installed app works:
starts the embedded backend on a free port with a temporary data folder, runs a short
interview over the real protocol (REST + WebSocket, exactly what any client sees), does a
Piper -> Whisper round trip over the WebSocket voice protocol and reports its word error
rate, and builds the main window on Qt's offscreen platform. One line per check, with its
time; the exit status is 0 only if every check passed.

Dependencies: backend.server and backend.config to start the backend; everything else
goes through the protocol. The voice round trip uses `backend.voice.audio.resample_pcm16`
(the resampler Whisper's accuracy depends on) — a documented exception.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend.logging_setup import add_logging_options
from desktop.first_run import first_run_report, plain_summary

MAX_WER = 0.35           # tiny.en on Piper's voice measures 0.03-0.15; above this is broken
EVENT_TIMEOUT_S = 120.0  # the first answer may wait for the sentence encoder to load
AUDIO_FRAME_BYTES = 3200  # 100 ms of 16 kHz PCM16, what the desktop sends

SAMPLE_RESUME = """\
Alex Morgan
Backend Engineer — alex.morgan@example.com

Summary
Backend engineer with 6 years of experience building Python and Go services.

Experience
Senior Software Engineer, Parcelly (2021 – present)
- Designed a PostgreSQL-backed order service handling 3,000 requests per second.
- Moved twelve services to Kubernetes; added Prometheus metrics and OpenTelemetry tracing.
- Built an event pipeline on Kafka with idempotent consumers and retries.

Software Engineer, Ledgerline (2018 – 2021)
- Wrote REST APIs in Python (FastAPI, Django) and a Redis cache that cut p99 latency by 70%.
- Led code reviews and mentored two junior engineers.

Skills
Python, Go, PostgreSQL, Redis, Kafka, Docker, Kubernetes, AWS, Terraform, gRPC

Education
BSc Computer Science, 2018
"""

SAMPLE_JOB = """\
Senior Backend Engineer

We are hiring a Senior Backend Engineer to design and operate the services behind our
logistics platform.

Requirements:
- 5+ years building backend services in Python or Go
- Deep knowledge of PostgreSQL, indexing and transactions
- Experience running services on Kubernetes in production
- Event streaming with Kafka
- Observability: metrics, tracing, alerting
"""

VAGUE_ANSWER = "It depends. I would probably just do it the usual way."
GOOD_ANSWER = (
    "I would start by clarifying the requirements and the expected load. Then I would design "
    "a small service backed by PostgreSQL, add a composite index on the columns we filter by, "
    "and put a Redis cache in front of the hottest reads with a short expiry. Writes go "
    "through a transaction, and consumers of the Kafka events are idempotent so a retry is "
    "safe. I would watch latency and error rates with metrics and tracing, and explain the "
    "trade-off: the cache makes reads fast but can serve slightly stale data. For example, "
    "at my last job this design cut p99 latency from 800 to 120 milliseconds."
)


@dataclass
class Result:
    name: str
    ok: bool
    seconds: float
    detail: str
    skipped: bool = False
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        status = "SKIP" if self.skipped else ("PASS" if self.ok else "FAIL")
        head = f"{status}  {self.name:<18} {self.seconds:6.2f} s  {self.detail}"
        return "\n".join([head, *(f"      {note}" for note in self.notes)])


@dataclass
class Backend:
    """What the checks need from the running backend: its URLs and token."""

    base_url: str
    ws_url: str
    token: str
    data_dir: Path
    http: Any = field(default=None, repr=False)


def _timed(name: str, fn: Callable[[], str | tuple[str, list[str]]]) -> Result:
    """Run one check; it returns its detail (and optional note lines) or raises."""
    start = time.perf_counter()
    try:
        detail = fn()
        notes: list[str] = []
        if isinstance(detail, tuple):
            detail, notes = detail
        return Result(name, True, time.perf_counter() - start, detail, notes=notes)
    except _Skip as e:
        return Result(name, True, time.perf_counter() - start, str(e), skipped=True)
    except Exception as e:  # every failure becomes a FAIL line, never a crash
        first = "".join(traceback.format_exception_only(type(e), e)).strip()
        return Result(name, False, time.perf_counter() - start, first)


class _Skip(Exception):
    """A check that cannot apply here (e.g. no window class yet)."""


class CheckFailed(AssertionError):
    pass


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# --- REST and WebSocket helpers (the public protocol only) ----------------------------

def _http(backend: Backend):
    if backend.http is None:
        import httpx

        backend.http = httpx.Client(base_url=backend.base_url, trust_env=False, timeout=120.0,
                                    headers={"Authorization": f"Bearer {backend.token}"})
    return backend.http


def _ok_json(response) -> Any:
    _require(response.status_code == 200,
             f"{response.request.method} {response.request.url.path} answered "
             f"{response.status_code}: {response.text[:200]}")
    return response.json()


def _ready_session(backend: Backend) -> tuple[str, dict]:
    http = _http(backend)
    sid = _ok_json(http.post("/session/start"))["session_id"]
    analysis = _ok_json(http.post("/upload/resume", data={"session_id": sid}, files={
        "file": ("resume.txt", SAMPLE_RESUME.encode(), "text/plain")}))
    _ok_json(http.post("/upload/jd", data={"session_id": sid, "job_description": SAMPLE_JOB,
                                           "role": "Senior Backend Engineer"}))
    return sid, analysis


class Socket:
    """A blocking WebSocket to /ws/interview/{id}: JSON events and binary audio frames."""

    def __init__(self, ws: Any):
        self.ws = ws

    def send(self, type_: str, data: dict | None = None) -> None:
        self.ws.send(json.dumps({"type": type_, **({"data": data} if data is not None else {})}))

    def expect(self, wanted: set[str], timeout: float = EVENT_TIMEOUT_S) -> dict:
        """The next event of a wanted type; `error` events fail the check."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            _require(remaining > 0, f"no {'/'.join(sorted(wanted))} event within {timeout:.0f} s")
            msg = self.ws.recv(timeout=remaining)
            if isinstance(msg, bytes):  # audio outside a speech_chunk: not what we wait for
                continue
            event = json.loads(msg)
            if event.get("type") in wanted:
                return event
            if event.get("type") == "error":
                raise CheckFailed(f"server error {event['data'].get('code')}: "
                                  f"{event['data'].get('message')}")



@contextmanager
def open_socket(backend: Backend, session_id: str) -> Iterator[Socket]:
    from websockets.sync.client import connect

    url = f"{backend.ws_url}/ws/interview/{session_id}?token={backend.token}"
    with connect(url, proxy=None, open_timeout=30, max_size=2**24, compression=None) as ws:
        yield Socket(ws)


# --- the checks ------------------------------------------------------------------------

def check_health(backend: Backend) -> str:
    body = _ok_json(_http(backend).get("/health"))
    _require(body.get("status") == "ok", f"/health said {body}")
    return f"{backend.base_url} version {body.get('version')}"


def check_interview(backend: Backend) -> str:
    """Upload, start (2 questions), answer vaguely then well, follow-ups, feedback, report."""
    sid, analysis = _ready_session(backend)
    _require(bool(analysis.get("detected_seniority")), "the resume analysis has no seniority")
    followups = 0
    questions = 0
    with open_socket(backend, sid) as sock:
        sock.expect({"connected"})
        sock.send("start", {"max_questions": 2, "duration_minutes": 10})
        sock.expect({"intro"})
        question = sock.expect({"new_question"})
        while True:
            questions += 1
            _require(bool(question["data"].get("question")), "an empty question")
            sock.send("answer", {"text": VAGUE_ANSWER})
            score = sock.expect({"score_update"})
            while score["data"]["awaiting"] == "followup":
                sock.expect({"followup"})
                followups += 1
                sock.send("answer", {"text": GOOD_ANSWER})
                score = sock.expect({"score_update"})
            sock.send("ready")
            if score["data"]["awaiting"] == "end":
                break
            question = sock.expect({"new_question"})
        feedback = sock.expect({"feedback"})
    _require(questions == 2, f"asked {questions} questions, expected 2 (max_questions=2)")
    _require(followups >= 1, "a vague answer got no follow-up")
    report = _ok_json(_http(backend).get(f"/interview/report/{sid}"))
    _require(report["status"] == "completed", f"report status {report['status']}")
    _require(len(report["qa_history"]) == 2, f"{len(report['qa_history'])} answers in the report")
    _require(report["recommendation"] == feedback["data"]["recommendation"],
             "the report's recommendation differs from the feedback event's")
    scores = ", ".join(f"{k} {v:.1f}" for k, v in report["scores"].items())
    return (f"{questions} questions, {followups} follow-ups, {report['recommendation']} "
            f"({scores})")


def check_voice(backend: Backend) -> tuple[str, list[str]]:
    """Piper speaks the first question; its audio goes back as the candidate's answer."""
    from backend.voice.audio import resample_pcm16  # documented exception (see module doc)
    from backend.voice.wer import word_error_rate

    sid, _ = _ready_session(backend)
    with open_socket(backend, sid) as sock:
        sock.expect({"connected"})
        sock.send("voice_toggle", {"enabled": True, "review": True})
        status = sock.expect({"voice_status"})["data"]
        while _loading(status):
            status = sock.expect({"voice_status"})["data"]
        for part in ("stt", "tts"):
            _require(status[part]["state"] == "ready",
                     f"{part} is {status[part]['state']}: {status[part].get('reason')}")
        sock.send("start", {"max_questions": 1, "duration_minutes": 5})
        text, pcm, rate = _question_speech(sock)
        pcm16k = resample_pcm16(pcm, rate, 16_000)
        sock.send("audio_start", {"sample_rate": 16_000, "format": "pcm_s16le"})
        sock.expect({"listening"})
        for i in range(0, len(pcm16k), AUDIO_FRAME_BYTES):
            sock.ws.send(pcm16k[i:i + AUDIO_FRAME_BYTES])
        end = time.perf_counter()
        sock.send("audio_end")
        transcript = sock.expect({"transcript"})
        while not transcript["data"].get("final"):
            transcript = sock.expect({"transcript"})
        latency = time.perf_counter() - end
    heard = transcript["data"]["text"]
    wer = word_error_rate(text, heard)
    _require(wer <= MAX_WER, f"word error rate {wer:.0%} (said {text!r}, heard {heard!r})")
    return (f"WER {wer:.1%} on {len(text.split())} words, {len(pcm) / 2 / rate:.1f} s of speech, "
            f"final transcript {latency:.2f} s after the end",
            [f"said:  {text}", f"heard: {heard}"])


def _loading(status: dict) -> bool:
    return any(status.get(p, {}).get("state") == "loading" for p in ("stt", "tts"))


def _question_speech(sock: Socket) -> tuple[str, bytes, int]:
    """Collect the spoken question (not the intro): its text, PCM16 and sample rate."""
    utterances: dict[str, dict] = {}
    while True:
        event = sock.expect({"speech_start", "speech_chunk", "speech_end"})
        data = event["data"]
        if event["type"] == "speech_start":
            utterances[data["utterance_id"]] = {"kind": data["kind"], "text": data["text"],
                                                "audio": bytearray(), "rate": 22050}
        elif event["type"] == "speech_chunk":
            frame = sock.ws.recv(timeout=EVENT_TIMEOUT_S)  # the chunk's binary frame
            _require(isinstance(frame, bytes) and len(frame) == data["bytes"],
                     "a speech_chunk without its binary frame")
            utterance = utterances[data["utterance_id"]]
            utterance["audio"] += frame
            utterance["rate"] = int(data["sample_rate"])
        else:
            ended = utterances.get(data["utterance_id"])
            if ended and ended["kind"] == "question":
                _require(len(ended["audio"]) > 0, "the question was spoken with no audio")
                return ended["text"], bytes(ended["audio"]), ended["rate"]


def check_window(data_dir: Path, screenshot: Path | None) -> str:
    """Build the real app (its own backend, theme, main window) and show it."""
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from desktop.app import build_app, close_app, stop_backend
    except ImportError as e:
        if getattr(sys, "frozen", False):
            raise
        raise _Skip(f"the desktop window is not importable yet ({e})") from e
    import asyncio

    import qasync

    app, window, server, client = build_app(data_dir, wait_for_backend=True)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        window.show()
        loop.run_until_complete(asyncio.sleep(1.0))  # let pages lay out and paint
        _require(window.isVisible(), "the main window is not visible")
        size = window.size()
        saved = ""
        if screenshot is not None:
            image = _grab(app, window)
            _require(image.save(str(screenshot)), f"could not save {screenshot}")
            saved = f", screenshot {screenshot}"
        platform = app.platformName()
        window.close()
        loop.run_until_complete(close_app(window, client))
    finally:
        stop_backend(server)
        loop.close()
        asyncio.set_event_loop(None)
    return f"{type(window).__name__} {size.width()}x{size.height()} on Qt '{platform}'{saved}"


def _grab(app, window):
    """The screen as a user sees it (X11), or the window's own rendering (offscreen)."""
    screen = window.screen() or app.primaryScreen()
    if app.platformName() not in ("offscreen", "minimal") and screen is not None:
        pixmap = screen.grabWindow(0)
        if not pixmap.isNull():
            return pixmap
    return window.grab()


# --- running it all --------------------------------------------------------------------

def run(screenshot: Path | None = None, out: Callable[[str], None] = print) -> bool:
    """Run every check in a temporary data folder; print one line per check."""
    from backend.config import Settings
    from backend.server import EmbeddedServer

    total = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="rehearse-selftest-"))
    results: list[Result] = []
    server = None
    backend: Backend | None = None
    try:
        out(f"Rehearse self-test ({'installed app' if getattr(sys, 'frozen', False) else 'source'},"
            f" Python {sys.version.split()[0]}, data folder {root})")
        checks = first_run_report(root / "data")
        for check in checks:
            out(f"  first run: {check.name}: {'ok' if check.ok else 'unavailable'} — {check.message}")
        for line in plain_summary(checks):
            out(f"  {line}")
        data_check = next(c for c in checks if c.name == "Data folder")
        models_check = next(c for c in checks if c.name == "Voice models")
        results.append(Result("first run", data_check.ok and models_check.ok,
                              sum(c.seconds for c in checks),
                              "data folder and bundled voice models found" if models_check.ok
                              else models_check.message))

        def start() -> str:
            nonlocal server, backend
            server = EmbeddedServer(Settings(data_dir=root / "data")).start()
            backend = Backend(server.base_url, server.ws_url, server.token, root / "data")
            return check_health(backend)

        results.append(_timed("backend start", start))
        over_protocol: list[tuple[str, Callable[[Backend], str | tuple[str, list[str]]]]] = [
            ("interview", check_interview), ("voice round trip", check_voice)]
        for name, run_check in over_protocol:
            if backend is None:
                results.append(Result(name, False, 0.0, "the backend did not start"))
            else:
                results.append(_timed(name, functools.partial(run_check, backend)))
        results.append(_timed("main window", lambda: check_window(root / "window", screenshot)))
    finally:
        if backend is not None and backend.http is not None:
            backend.http.close()
        if server is not None:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
    for result in results:
        out(result.line())
    passed = all(r.ok for r in results)
    failed = sum(not r.ok for r in results)
    out(f"Self-test {'passed' if passed else 'FAILED'}: {len(results) - failed}/{len(results)} "
        f"checks in {time.perf_counter() - total:.1f} s")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rehearse --self-test",
                                     description="Check that this Rehearse installation works, "
                                                 "offline, in a temporary data folder.")
    parser.add_argument("--screenshot", type=Path, default=None,
                        help="save a PNG of the main window here")
    parser.add_argument("--report", type=Path, default=None,
                        help="also write the summary to this file (for windowed builds)")
    add_logging_options(parser)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    from backend.logging_setup import configure_logging

    logs = configure_logging(args.log_dir, debug=args.debug)
    lines: list[str] = []

    def out(line: str) -> None:
        lines.append(line)
        if sys.stdout is not None:  # None in a windowed (no console) build
            print(line, flush=True)

    try:
        ok = run(args.screenshot, out)
    finally:
        logs.close()
    if args.report is not None:
        args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0 if ok else 1
