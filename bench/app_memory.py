"""Whole-app peak memory (goal: <= 750 MB with both voice models loaded).

Runs the app's own self-test (`rehearse --self-test`) in a child process: the embedded
backend, a text interview graded with the sentence encoder, a voice round trip (Piper speaks
a question, Whisper transcribes it streamed over the WebSocket) and the Qt main window, as
in the app: one process, plus the voice worker process that holds Whisper and Piper
(backend/voice/worker.py). Two figures:

* peak RSS of each process, exact, from the kernel (``ru_maxrss`` of the app process and of
  its largest child, printed as it exits); their sum is an upper bound of the whole app
  (the two peaks need not coincide, and libraries both processes map count twice);
* the whole app's footprint: the peak over time of the processes' summed PSS (proportional
  set size: a shared page counts once across them), sampled every 50 ms.

Baseline, measured in the same run: a child that only imports the app's modules and shows
the main window with the embedded backend running. ``--in-process`` runs the self-test with
the models in the app's process (the design before the voice worker), for comparison.

Run: .venv/bin/python bench/app_memory.py [--in-process]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = """
import tempfile
from pathlib import Path
from PySide6.QtWidgets import QApplication
from backend.config import Settings
from backend.server import EmbeddedServer
from desktop.selftest import check_window
import desktop.app, desktop.main_window  # noqa: F401  what the app imports at start
app = QApplication([])
root = Path(tempfile.mkdtemp())
server = EmbeddedServer(Settings(data_dir=root / "data")).start()
print(check_window(root / "window", None))
server.stop()
"""

MEASURE = """
import resource, runpy, sys
try:
    {body}
finally:
    print("PEAK_RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, flush=True)
"""

SELF_TEST = 'sys.argv = ["rehearse", "--self-test"]\nrunpy.run_module("desktop.cli", run_name="__main__")'
IN_PROCESS = ('import backend.voice.service as s\n'
              's.VoiceService.__init__.__kwdefaults__["process"] = False\n')


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):  # a child belongs to the thread that made it
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return out


def _pss_rss_kb(pid: int) -> tuple[int, int]:
    try:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
    except (OSError, ValueError):
        return 0, 0
    return int(fields["Pss"].split()[0]), int(fields["Rss"].split()[0])


class Sampler(threading.Thread):
    """Peak of the summed PSS (and RSS) of a process tree, every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_pss_kb = self.peak_rss_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            totals = [_pss_rss_kb(p) for p in _tree(self.pid)]
            self.peak_pss_kb = max(self.peak_pss_kb, sum(t[0] for t in totals))
            self.peak_rss_kb = max(self.peak_rss_kb, sum(t[1] for t in totals))
            time.sleep(self.interval)


def run_child(body: str) -> tuple[float, float, float, str]:
    """Run ``body`` in a child Python: (its peak RSS, its largest child's peak RSS, the
    tree's peak summed PSS), in MB, and its output."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    code = MEASURE.format(body=body.strip().replace("\n", "\n    "))
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = Sampler(proc.pid)
    sampler.start()
    output = proc.communicate()[0]
    sampler.stop.set()
    sampler.join()
    peaks = [line.split()[1:3] for line in output.splitlines() if line.startswith("PEAK_RSS_KB")]
    if proc.returncode or not peaks:
        raise SystemExit(f"child failed ({proc.returncode}):\n{output}")
    return int(peaks[-1][0]) / 1024, int(peaks[-1][1]) / 1024, sampler.peak_pss_kb / 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-process", action="store_true",
                        help="models in the app's process (the design before the worker)")
    args = parser.parse_args()
    base_mb, _, base_pss, _ = run_child(BASELINE)
    main_mb, worker_mb, pss_mb, output = run_child((IN_PROCESS if args.in_process else "") + SELF_TEST)
    one, five, _ = os.getloadavg()
    checks = [line.strip() for line in output.splitlines() if line.startswith(("PASS", "FAIL"))]
    print(f"load {one:.2f}/{five:.2f} on {os.cpu_count()} cores")
    for line in checks:
        print(f"  {line}")
    where = "models in the app's process" if args.in_process else "models in the voice worker"
    print(f"whole app ({where}): peak footprint (summed PSS) {pss_mb:.0f} MB (goal <= 750 MB); "
          f"peak RSS app process {main_mb:.0f} MB + largest child {worker_mb:.0f} MB = "
          f"{main_mb + worker_mb:.0f} MB (upper bound) | baseline main window + backend, no "
          f"models: {base_mb:.0f} MB RSS, {base_pss:.0f} MB PSS")


if __name__ == "__main__":
    main()
