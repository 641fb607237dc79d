"""How long loading each voice model freezes other Python threads (the Qt GUI thread).

    .venv/bin/python bench/voice_load_freeze.py [--repeat 3]

Each case runs in a fresh subprocess: a "GUI" thread ticks every 10 ms while a worker
thread imports and loads one model; the largest gap between ticks is how long the GUI
would have frozen (a C call that keeps the GIL stops every other Python thread).
Cases: the Piper voice as ``PiperVoice.load`` builds it, the same ONNX session with
graph optimisation off, Whisper (CTranslate2), Silero VAD (onnxruntime).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import json, sys, threading, time
    sys.path.insert(0, {root!r})
    case, data_dir = sys.argv[1], sys.argv[2]
    gaps, stop = [], threading.Event()
    phases = {{}}

    def tick():
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last - 0.01)
            last = now

    def phase(name, fn):
        gaps.clear()
        t = time.perf_counter()
        out = fn()
        phases[name] = {{"s": round(time.perf_counter() - t, 3), "max_gap_s": round(max(gaps, default=0), 3)}}
        return out

    def work():
        from backend.voice.models import VoiceModelPaths
        paths = VoiceModelPaths.discover()
        if case.startswith("piper"):
            phase("import", lambda: __import__("piper"))
            import onnxruntime as ort
            from piper import PiperVoice
            if case == "piper":
                voice = phase("load", lambda: PiperVoice.load(paths.piper_model, config_path=paths.piper_config))
                phase("first_sentence", lambda: list(voice.synthesize("Hello, and welcome to the interview.")))
            else:  # the same session with graph optimisation off: is optimisation the cost?
                options = ort.SessionOptions()
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
                phase("load", lambda: ort.InferenceSession(
                    str(paths.piper_model), sess_options=options, providers=["CPUExecutionProvider"]))
        elif case == "whisper":
            phase("import", lambda: __import__("faster_whisper"))
            from faster_whisper import WhisperModel
            phase("load", lambda: WhisperModel(str(paths.whisper_dir), device="cpu", compute_type="int8"))
        elif case == "vad":
            phase("import", lambda: __import__("faster_whisper"))
            from backend.voice.vad import load_vad_model
            phase("load", load_vad_model)

    ticker = threading.Thread(target=tick)
    ticker.start()
    time.sleep(0.05)
    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    stop.set()
    ticker.join()
    print(json.dumps(phases))
    """
)

CASES = ("piper", "piper_unoptimised", "whisper", "vad")


def run_case(case: str, data_dir: str) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), case, data_dir],
        capture_output=True, text=True, env=env, check=True, timeout=300,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(repeat: int) -> dict:
    report: dict = {"load_average_start": "/".join(f"{x:.2f}" for x in os.getloadavg())}
    with tempfile.TemporaryDirectory() as data_dir:
        for case in CASES:
            runs = [run_case(case, data_dir) for _ in range(repeat)]
            report[case] = {
                phase: {
                    key: round(statistics.median(r[phase][key] for r in runs), 3)
                    for key in ("s", "max_gap_s")
                }
                for phase in runs[0]
            }
            print(case, json.dumps(report[case]), flush=True)
    report["load_average_end"] = "/".join(f"{x:.2f}" for x in os.getloadavg())
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    print(json.dumps(main(parser.parse_args().repeat), indent=2))
