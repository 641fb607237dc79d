"""How long loading each voice model freezes other Python threads (the Qt GUI thread).

    .venv/bin/python bench/voice_load_freeze.py [--repeat 3]

Each case runs in a fresh subprocess: a "GUI" thread ticks every 10 ms while a worker
thread imports and loads one model; the largest gap between ticks is how long the GUI
would have frozen (a C call that keeps the GIL stops every other Python thread).
Cases: the Piper voice as ``PiperVoice.load`` builds it, the same ONNX session with
graph optimisation off, Whisper (CTranslate2), Silero VAD (onnxruntime); then the voice
service as the app runs it: switching voice on (both models load), the first spoken
sentence and the first transcribed answer, with the models in this process (the design
before issue 13, the baseline) and in the worker process (``backend.voice.worker``, now).
The goal is a largest gap <= 100 ms for the app's service.
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
        elif case.startswith("service"):
            import asyncio
            from backend.voice.service import VoiceService
            phase("import", lambda: None)
            voice = VoiceService.from_dir(None, join_dir=__import__("pathlib").Path(data_dir),
                                          process=case == "service_worker")
            status = phase("load", lambda: asyncio.run(voice.warm_up()))
            assert status["stt"] == status["tts"] == "ready", status
            chunks = phase("first_sentence", lambda: list(voice.piper_engine().speak(
                "Hello, and welcome to the interview. Tell me about a cache you built.")))
            from backend.voice.audio import resample_pcm16
            pcm = resample_pcm16(b"".join(c.pcm for c in chunks), chunks[0].sample_rate, 16000)
            def answer():
                stt = voice.transcriber(["cache"])
                for i in range(0, len(pcm), 3200):
                    stt.feed(pcm[i:i + 3200])
                return stt.finish_blocking(120)
            phase("first_answer", answer)
            voice.close()

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

CASES = ("piper", "piper_unoptimised", "whisper", "vad", "service_in_process", "service_worker")


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
            print(case, json.dumps(report[case]), f"load {os.getloadavg()[0]:.2f}", flush=True)
    report["load_average_end"] = "/".join(f"{x:.2f}" for x in os.getloadavg())
    for case, label in (("service_in_process", "models in the app's process (before)"),
                        ("service_worker", "models in the voice worker process (now)")):
        if case not in report:
            continue
        gaps = {phase: r["max_gap_s"] for phase, r in report[case].items()}
        print(f"largest 10 ms-timer gap while voice loads, {label}: "
              f"{max(gaps.values()) * 1000:.0f} ms "
              f"({', '.join(f'{k} {v * 1000:.0f}' for k, v in gaps.items())}; goal <= 100 ms)")
    print(f"load average {report['load_average_start']} -> {report['load_average_end']}")
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    args = parser.parse_args()
    CASES = tuple(args.cases)
    print(json.dumps(main(args.repeat), indent=2))
