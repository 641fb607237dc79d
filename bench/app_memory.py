"""Whole-app peak memory (issue 5 goal: <= 750 MB with both voice models loaded).

Runs the app's own self-test (`rehearse --self-test`) in a child process: the embedded
backend, a text interview graded with the sentence encoder, a voice round trip (Piper speaks
a question, Whisper transcribes it streamed over the WebSocket) and the Qt main window, all
as in the app: one process, plus the voice worker process that holds Whisper and Piper
(backend/voice/worker.py). Peak resident memory is read from the kernel (``ru_maxrss`` of
the app process and of its largest child, printed as it exits); the whole app is their sum. Baseline, measured in the same run: a child that only imports the
app's modules and shows the main window with the embedded backend running.

Run: .venv/bin/python bench/app_memory.py
"""

from __future__ import annotations

import os
import subprocess
import sys
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


def child_peak_mb(body: str) -> tuple[float, float, str]:
    """Run ``body`` in a child Python: its own peak RSS and its largest child's (the voice
    worker process, once it has exited), in MB, and its output."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    code = MEASURE.format(body=body.strip().replace("\n", "\n    "))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    peaks = [line.split()[1:3] for line in proc.stdout.splitlines()
             if line.startswith("PEAK_RSS_KB")]
    if proc.returncode or not peaks:
        raise SystemExit(f"child failed ({proc.returncode}):\n{proc.stdout}")
    return int(peaks[-1][0]) / 1024, int(peaks[-1][1]) / 1024, proc.stdout


def main() -> None:
    base_mb, _, _ = child_peak_mb(BASELINE)
    main_mb, worker_mb, output = child_peak_mb(
        'sys.argv = ["rehearse", "--self-test"]\nrunpy.run_module("desktop.cli", run_name="__main__")')
    app_mb = main_mb + worker_mb
    one, five, _ = os.getloadavg()
    checks = [line.strip() for line in output.splitlines() if line.startswith(("PASS", "FAIL"))]
    print(f"load {one:.2f}/{five:.2f} on {os.cpu_count()} cores")
    for line in checks:
        print(f"  {line}")
    print(f"whole app, peak RSS: {app_mb:.0f} MB (goal <= 750 MB) = app process {main_mb:.0f} MB "
          f"+ voice worker process {worker_mb:.0f} MB (the sum of two peaks, and shared "
          f"libraries counted in both: an upper bound) | baseline main window + backend, no "
          f"models: {base_mb:.0f} MB")


if __name__ == "__main__":
    main()
