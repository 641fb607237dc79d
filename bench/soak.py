"""Soak bench (issue 15): many live interviews, with and without a hostile stream.

Two runs of the same length, each against its own fresh `rehearse serve` on 127.0.0.1
(nothing leaves the machine):

1. baseline: ``--sessions`` candidates (50) each run interview after interview, thinking
   ``--think`` seconds (2-6 s, seeded) before each answer;
2. hostile: the same, plus a stream of slow PDFs and 400,000-paragraph DOCX files, 50 MB
   chunked uploads, 11 MB uploads, malformed WebSocket messages (huge integers, NaN,
   deep nesting, garbage, audio with voice off) and malformed REST bodies.

It prints answer -> score_update p50/p95/p99 of both runs side by side, the server's RSS
over time, the number of document readers (child processes) alive, and every error by
kind: the ones the hostile stream is meant to get (400, 413, 415, 422, 4400) apart from
the ones nobody should ever see (500, 4500, a dropped socket, a timeout).

Run: .venv/bin/python bench/soak.py [--minutes 5] [--sessions 50] [--think 2 6]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.backend_api import Server, load, pct  # noqa: E402
from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME  # noqa: E402
from tests.data.hostile import big_docx, slow_pdf  # noqa: E402

ANSWERS = [GOOD_ANSWER, "It depends; I would probably use some kind of database for it.",
           "I don't know.", GOOD_ANSWER + " I would also add monitoring and alerts."]
HUGE = "9" * 5000
BAD_MESSAGES = [
    '{"type": "start", "data": {"max_questions": %s}}' % HUGE,
    '{"type": "end", "data": {"n": %s}}' % HUGE,
    '{"type": "start", "data": {"max_questions": NaN}}',
    '{"type": "start", "data": {"duration_minutes": 1e999}}',
    '{"type": "answer", "data": {"text": Infinity}}',
    "[" * 50_000 + "]" * 50_000,
    "not json at all",
    '{"type": "answer", "data": {"text": "%s"}}' % ("x" * 30_000),
    '{"type": "start", "data": {"max_questions": -5}}',
    '{"type": "start", "data": {"duration_minutes": 1000000000}}',
    '{"type": 42}', '{"type": "dance"}', "[]",
]
BAD_BODIES = [(b'{"mode": "builtin", "timeout_s": NaN}', "application/json"),
              (b'{"mode": "builtin", "timeout_s": 1e999}', "application/json"),
              (b'{"mode": "builtin", "timeout_s": ' + HUGE.encode() + b"}", "application/json"),
              (b"\x80\xff\xfe", "text/plain"), (b"{", "application/json")]
EXPECTED_HTTP = {400, 413, 415, 422}


@dataclass
class Run:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)  # what nobody should see
    refused: Counter = field(default_factory=Counter)  # what hostile input is meant to get
    rss: list[tuple[float, float, int]] = field(default_factory=list)  # (t, MB, readers)
    interviews: int = 0
    answers_sent: int = 0


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def readers(pid: int) -> int:
    """Child processes of the server (document readers) alive now."""
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if fields[1] != str(pid):  # not the server's child
                    continue
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    count += b"spawn_main" in f.read()  # not multiprocessing's tracker
            except OSError:
                continue
    return count


async def recv(ws, wanted: set[str], timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        msg = await asyncio.wait_for(ws.recv(), max(0.01, deadline - time.monotonic()))
        if isinstance(msg, bytes):
            continue
        ev = json.loads(msg)
        if ev["type"] in wanted:
            return ev


async def ready_session(client: httpx.AsyncClient) -> str:
    sid = (await client.post("/session/start")).json()["session_id"]
    r = await client.post("/upload/resume", data={"session_id": sid},
                          files={"file": ("cv.txt", SENIOR_RESUME.encode(), "text/plain")})
    r.raise_for_status()
    r = await client.post("/upload/jd", data={"session_id": sid, "job_description": BACKEND_JD,
                                              "role": "Senior Backend Engineer"})
    r.raise_for_status()
    return sid


async def candidate(server: Server, client: httpx.AsyncClient, run: Run, rnd: random.Random,
                    think: tuple[float, float], until: float) -> None:
    """Interview after interview until ``until``; each answer after some thinking."""
    while time.monotonic() < until:
        try:
            sid = await ready_session(client)
            url = f"ws://127.0.0.1:{server.port}/ws/interview/{sid}?token={server.token}"
            async with connect(url, max_size=2**24, open_timeout=60) as ws:
                await recv(ws, {"connected"})
                await ws.send(json.dumps({"type": "start", "data": {"max_questions": 8}}))
                await recv(ws, {"new_question"})
                while time.monotonic() < until:
                    await asyncio.sleep(rnd.uniform(*think))
                    t0 = time.perf_counter()
                    await ws.send(json.dumps({"type": "answer",
                                              "data": {"text": rnd.choice(ANSWERS)}}))
                    run.answers_sent += 1
                    update = await recv(ws, {"score_update", "error"})
                    if update["type"] == "error":
                        run.errors[f"interview: error {update['data']['code']}"] += 1
                        continue
                    run.latencies.append(time.perf_counter() - t0)
                    nxt = update["data"]["next"]
                    if nxt == "followup":
                        await recv(ws, {"followup"})
                        continue
                    await ws.send(json.dumps({"type": "ready"}))
                    if nxt == "question":
                        await recv(ws, {"new_question"})
                        continue
                    await recv(ws, {"feedback"}, timeout=120)
                    run.interviews += 1
                    break
        except asyncio.CancelledError:
            raise
        except Exception as e:  # noqa: BLE001 - counted: nobody should see any
            run.errors[f"interview: {type(e).__name__}"] += 1


async def hostile_uploads(client: httpx.AsyncClient, run: Run, until: float, lane: int) -> None:
    files = [("cv.pdf", slow_pdf()), ("cv.docx", big_docx())]
    n = lane
    while time.monotonic() < until:
        name, data = files[n % 2]
        n += 1
        try:
            sid = (await client.post("/session/start")).json()["session_id"]
            r = await client.post("/upload/resume", data={"session_id": sid},
                                  files={"file": (name, data, "application/octet-stream")},
                                  timeout=300)
            _count_http(run, f"hostile upload {name}", r)
        except httpx.HTTPError as e:
            run.errors[f"hostile upload: {type(e).__name__}"] += 1


async def hostile_big_bodies(client: httpx.AsyncClient, run: Run, until: float) -> None:
    async def chunks():
        sid = (await client.post("/session/start")).json()["session_id"]
        yield (f"--b\r\nContent-Disposition: form-data; name=\"session_id\"\r\n\r\n{sid}\r\n"
               "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cv.txt\"\r\n"
               "Content-Type: text/plain\r\n\r\n").encode()
        for _ in range(50):
            yield b"a" * (1024 * 1024)
        yield b"\r\n--b--\r\n"

    while time.monotonic() < until:
        try:
            r = await client.post("/upload/resume", content=chunks(), timeout=120,
                                  headers={"Content-Type": "multipart/form-data; boundary=b"})
            _count_http(run, "hostile 50 MB chunked upload", r)
            sid = (await client.post("/session/start")).json()["session_id"]
            r = await client.post("/upload/resume", data={"session_id": sid}, timeout=120,
                                  files={"file": ("cv.txt", b"a " * (5_500_000), "text/plain")})
            _count_http(run, "hostile 11 MB upload", r)
        except httpx.HTTPError as e:
            run.errors[f"hostile big body: {type(e).__name__}"] += 1
        await asyncio.sleep(2)


async def hostile_rest(client: httpx.AsyncClient, run: Run, until: float) -> None:
    n = 0
    while time.monotonic() < until:
        body, kind = BAD_BODIES[n % len(BAD_BODIES)]
        n += 1
        try:
            r = await client.put("/settings/interviewer", content=body,
                                 headers={"Content-Type": kind})
            _count_http(run, "hostile REST body", r)
        except httpx.HTTPError as e:
            run.errors[f"hostile REST: {type(e).__name__}"] += 1
        await asyncio.sleep(0.5)


async def hostile_socket(server: Server, client: httpx.AsyncClient, run: Run,
                         until: float) -> None:
    n = 0
    while time.monotonic() < until:
        try:
            sid = await ready_session(client)
            url = f"ws://127.0.0.1:{server.port}/ws/interview/{sid}?token={server.token}"
            async with connect(url, max_size=2**24) as ws:
                await recv(ws, {"connected"})
                while time.monotonic() < until:
                    message: str | bytes = BAD_MESSAGES[n % len(BAD_MESSAGES)]
                    if n % 7 == 6:
                        message = os.urandom(256)  # audio with voice off
                    n += 1
                    await ws.send(message)
                    ev = await recv(ws, {"error", "intro", "new_question", "score_update"})
                    code = ev["data"].get("code") if ev["type"] == "error" else ev["type"]
                    if code in (4400, 4409, 4422):
                        run.refused[f"hostile WebSocket message: {code}"] += 1
                    else:
                        run.errors[f"hostile WebSocket message: {code}"] += 1
                    await asyncio.sleep(0.1)
        except asyncio.CancelledError:
            raise
        except Exception as e:  # noqa: BLE001 - counted
            run.errors[f"hostile WebSocket: {type(e).__name__}"] += 1


def _count_http(run: Run, what: str, r: httpx.Response) -> None:
    json_body = r.headers.get("content-type", "").startswith("application/json")
    if r.status_code in EXPECTED_HTTP and json_body or (what.endswith(".docx") and r.is_success):
        # (the big DOCX is a valid resume: read within the limits, it is accepted)
        run.refused[f"{what}: {r.status_code}"] += 1
    else:
        run.errors[f"{what}: {r.status_code}{'' if json_body else ' (not JSON)'}"] += 1


async def sample_rss(server: Server, run: Run, t0: float, until: float, every: float) -> None:
    while time.monotonic() < until:
        mb = rss_mb(server.proc.pid)
        if mb is not None:
            run.rss.append((time.monotonic() - t0, mb, readers(server.proc.pid)))
        await asyncio.sleep(every)


async def soak(server: Server, run: Run, args: argparse.Namespace, hostile: bool) -> None:
    rnd = random.Random(15)
    t0 = time.monotonic()
    until = t0 + args.minutes * 60
    async with httpx.AsyncClient(base_url=server.base, timeout=120,
                                 limits=httpx.Limits(max_connections=args.sessions + 20),
                                 headers={"Authorization": f"Bearer {server.token}"}) as client:
        await ready_session(client)  # warm-up: lazy loads happen here
        tasks = [asyncio.create_task(candidate(server, client, run,
                                               random.Random(rnd.random()),
                                               (args.think[0], args.think[1]), until))
                 for _ in range(args.sessions)]
        tasks.append(asyncio.create_task(sample_rss(server, run, t0, until + 30, args.every)))
        if hostile:
            tasks += [asyncio.create_task(hostile_uploads(client, run, until, lane))
                      for lane in range(2)]
            tasks += [asyncio.create_task(hostile_big_bodies(client, run, until)),
                      asyncio.create_task(hostile_rest(client, run, until)),
                      asyncio.create_task(hostile_socket(server, client, run, until))]
        # Bounded: whatever still runs 60 s after the end (a reply that never came) stops.
        done, pending = await asyncio.wait(tasks, timeout=args.minutes * 60 + 90)
        for task in pending:
            task.cancel()
            run.errors["still running at the bound (cancelled)"] += 1
        await asyncio.gather(*pending, return_exceptions=True)


def report(runs: list[Run], args: argparse.Namespace) -> None:
    print(f"\nanswer -> score_update ({args.sessions} interviews, think {args.think[0]:g}-"
          f"{args.think[1]:g} s, {args.minutes:g} min each) | {load()}")
    print(f"  {'run':<10} {'answers':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8} {'interviews done':>16}")
    for run in runs:
        ms = [t * 1000 for t in run.latencies] or [float("nan")]
        print(f"  {run.name:<10} {len(run.latencies):>8} {pct(ms, 50):>8.0f} {pct(ms, 95):>8.0f} "
              f"{pct(ms, 99):>8.0f} {max(ms):>8.0f} {run.interviews:>16}")
    print("\nserver RSS over time (MB; readers = document-reading child processes alive)")
    print(f"  {'t (s)':>6} " + " ".join(f"{run.name + ' MB':>13} {'readers':>8}" for run in runs))
    rows = max(len(run.rss) for run in runs)
    for i in range(0, rows, max(1, rows // 12)):
        cells = []
        for run in runs:
            if i < len(run.rss):
                t, mb, kids = run.rss[i]
                cells.append(f"{mb:>13.0f} {kids:>8}")
            else:
                cells.append(f"{'':>13} {'':>8}")
        t = next(run.rss[i][0] for run in runs if i < len(run.rss))
        print(f"  {t:>6.0f} " + " ".join(cells))
    for run in runs:
        if run.rss:
            mbs = [mb for _, mb, _ in run.rss]
            print(f"  {run.name}: start {mbs[0]:.0f} MB, peak {max(mbs):.0f} MB, "
                  f"end {mbs[-1]:.0f} MB")
    for run in runs:
        print(f"\n{run.name}: errors nobody should see: "
              f"{sum(run.errors.values()) or 'none'}")
        for kind, n in sorted(run.errors.items()):
            print(f"  {n:>6}  {kind}")
        if run.refused:
            print(f"{run.name}: hostile input refused as documented: {sum(run.refused.values())}")
            for kind, n in sorted(run.refused.items()):
                print(f"  {n:>6}  {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 6.0))
    parser.add_argument("--every", type=float, default=10.0, help="RSS sample interval (s)")
    args = parser.parse_args()
    runs = []
    for name, hostile in (("baseline", False), ("hostile", True)):
        run = Run(name)
        with tempfile.TemporaryDirectory() as d:
            server = Server(Path(d))
            server.wait_ready()
            try:
                asyncio.run(soak(server, run, args, hostile))
            finally:
                server.stop()
        runs.append(run)
        print(f"{name}: {len(run.latencies)} answers scored, {run.interviews} interviews "
              f"completed | {load()}", flush=True)
    report(runs, args)


if __name__ == "__main__":
    main()
