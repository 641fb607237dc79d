"""Backend benchmarks (issue 2). Each figure is printed beside a baseline measured in the
same run and the machine's load average, because machines here are shared and noisy.

1. `rehearse serve` start -> GET /health answers (goal <= 1.5 s);
   baseline: the interpreter importing fastapi + uvicorn and exiting.
2. text answer -> score_update, p50/p95 over 200 answers (goal p95 <= 50 ms);
   baseline: a WebSocket round trip that the server answers without the engine (an error event).
3. 50 concurrent sessions, each a full interview over real WebSockets (goal: all complete,
   p99 turn <= 200 ms).

Run: .venv/bin/python bench/backend_api.py [--answers 200] [--sessions 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME  # noqa: E402


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f} on {os.cpu_count()} cores"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rehearse_cmd() -> list[str]:
    exe = shutil.which("rehearse", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "backend"]


class Server:
    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.token = uuid.uuid4().hex
        self.proc = subprocess.Popen(
            rehearse_cmd() + ["serve", "--port", str(self.port), "--data-dir", str(data_dir),
                              "--token", self.token],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60) -> float:
        t0 = time.perf_counter()
        with httpx.Client() as c:
            while time.perf_counter() - t0 < timeout:
                try:
                    if c.get(self.base + "/health", timeout=1).status_code == 200:
                        return time.perf_counter() - t0
                except httpx.HTTPError:
                    pass
                time.sleep(0.01)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(15)


def bench_start(runs: int) -> None:
    base, start = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import fastapi, uvicorn"], check=True)
        base.append(time.perf_counter() - t0)
        with tempfile.TemporaryDirectory() as d:
            t0 = time.perf_counter()
            server = Server(Path(d))
            server.wait_ready()
            start.append(time.perf_counter() - t0)
            server.stop()
    print(f"start -> /health ready: median {statistics.median(start):.2f} s "
          f"(goal <= 1.5 s) | baseline import fastapi+uvicorn: "
          f"{statistics.median(base):.2f} s | {load()}")


async def ready_session(client: httpx.AsyncClient) -> str:
    sid = (await client.post("/session/start")).json()["session_id"]
    await client.post("/upload/resume", data={"session_id": sid},
                      files={"file": ("cv.txt", SENIOR_RESUME.encode(), "text/plain")})
    await client.post("/upload/jd", data={"session_id": sid, "job_description": BACKEND_JD,
                                          "role": "Senior Backend Engineer"})
    return sid


async def recv(ws, wanted: set[str]) -> dict:
    while True:
        msg = await ws.recv()
        if isinstance(msg, bytes):
            continue
        ev = json.loads(msg)
        if ev["type"] in wanted:
            return ev


async def interview(server: Server, client: httpx.AsyncClient, turns: list[float],
                    baseline: list[float] | None = None, max_questions: int = 8) -> bool:
    sid = await ready_session(client)
    url = f"ws://127.0.0.1:{server.port}/ws/interview/{sid}?token={server.token}"
    async with connect(url, max_size=2**24) as ws:
        await recv(ws, {"connected"})
        if baseline is not None:
            for _ in range(5):
                t0 = time.perf_counter()
                await ws.send(json.dumps({"type": "no-such-type"}))
                await recv(ws, {"error"})
                baseline.append(time.perf_counter() - t0)
        await ws.send(json.dumps({"type": "start", "data": {"max_questions": max_questions}}))
        await recv(ws, {"new_question"})
        while True:
            t0 = time.perf_counter()
            await ws.send(json.dumps({"type": "answer", "data": {"text": GOOD_ANSWER}}))
            update = await recv(ws, {"score_update"})
            turns.append(time.perf_counter() - t0)
            nxt = update["data"]["next"]
            if nxt == "followup":
                await recv(ws, {"followup"})
                continue
            await ws.send(json.dumps({"type": "ready"}))
            if nxt == "question":
                await recv(ws, {"new_question"})
                continue
            await recv(ws, {"feedback"})
            return True


async def bench_answers(server: Server, n: int) -> None:
    turns: list[float] = []
    baseline: list[float] = []
    async with httpx.AsyncClient(base_url=server.base, timeout=60,
                                 headers={"Authorization": f"Bearer {server.token}"}) as client:
        await interview(server, client, [], None, 2)  # warm-up: lazy loads happen here
        while len(turns) < n:
            await interview(server, client, turns, baseline)
    ms = [t * 1000 for t in turns[:n]]
    base = [t * 1000 for t in baseline]
    print(f"answer -> score_update over {len(ms)} answers: p50 {pct(ms, 50):.1f} ms, "
          f"p95 {pct(ms, 95):.1f} ms (goal p95 <= 50 ms) | baseline error round trip: "
          f"p50 {pct(base, 50):.1f} ms, p95 {pct(base, 95):.1f} ms | {load()}")


async def bench_concurrent(server: Server, sessions: int) -> None:
    turns: list[float] = []
    async with httpx.AsyncClient(base_url=server.base, timeout=120,
                                 limits=httpx.Limits(max_connections=sessions),
                                 headers={"Authorization": f"Bearer {server.token}"}) as client:
        t0 = time.perf_counter()
        results = await asyncio.gather(*(interview(server, client, turns) for _ in range(sessions)),
                                       return_exceptions=True)
        wall = time.perf_counter() - t0
    done = sum(r is True for r in results)
    errors = [r for r in results if r is not True]
    ms = [t * 1000 for t in turns]
    print(f"{sessions} concurrent interviews: {done}/{sessions} completed in {wall:.1f} s, "
          f"{len(ms)} turns, p50 {pct(ms, 50):.1f} ms, p99 {pct(ms, 99):.1f} ms "
          f"(goal: all complete, p99 <= 200 ms) | {load()}")
    for e in errors[:3]:
        print("  error:", repr(e))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--start-runs", type=int, default=5)
    args = parser.parse_args()
    bench_start(args.start_runs)
    with tempfile.TemporaryDirectory() as d:
        server = Server(Path(d))
        server.wait_ready()
        try:
            asyncio.run(bench_answers(server, args.answers))
            asyncio.run(bench_concurrent(server, args.sessions))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
