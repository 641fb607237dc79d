"""Agreement of the answer grader with human graders: SemEval-2013 Task 7 and SAF.

Reads the human-graded CSVs from ../shared/benchmarks/grading (never copied in) and grades
every test answer with ``grade_answer`` (key points cut from the reference answer):
- SciEntsBank and Beetle (correct / incorrect): the technical score is thresholded at the
  active model's threshold, fitted on their train splits; accuracy and macro-F1 per split
  beside the README's lexical floor;
- SAF (partial credit 0-1, computer networking): Pearson r between the technical score and
  the human score, per test split, beside the README's TF-IDF floor and the targets.
The same figures for the grader of a baseline commit are measured in the same run.

    python bench/grading.py            # evaluate the shipped models (and the baseline)
    python bench/grading.py --refit    # refit on the train splits only, save, evaluate

What --refit fits, on train splits only (test splits are never read while fitting):
1. the answer-quality model (logistic, fractional targets) on SAF train's partial-credit
   scores, with and without the sentence encoder's features (assets/grader/model*.json);
2. the threshold on the technical score for SemEval's correct/incorrect, on SemEval train.
The weight of the bank's curated key points against P (``share_weight``) is fitted on the
interview-judgment set's dev split by ``bench/judgment.py --refit-technical``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "benchmarks" / "grading"
BASELINE = "c477d3b"  # the grader before issue 11
DATASETS = {"SciEntsBank": "scientsbank_2and3way.csv", "Beetle": "beetle_2and3way.csv",
            "SAF": "saf_english.csv"}
FLOOR = {  # accuracy, macro-F1 of TF-IDF cosine + one threshold, from the benchmark README
    ("SciEntsBank", "test-unseen-answers"): (0.681, 0.666),
    ("SciEntsBank", "test-unseen-questions"): (0.671, 0.667),
    ("SciEntsBank", "test-unseen-domains"): (0.691, 0.680),
    ("Beetle", "test-unseen-answers"): (0.745, 0.732),
    ("Beetle", "test-unseen-questions"): (0.630, 0.595),
}
SAF_FLOOR = {"test-unseen-answers": 0.443, "test-unseen-questions": 0.706}
SAF_TARGET = {"test-unseen-answers": 0.75, "test-unseen-questions": 0.78}
QUALITY_L2 = 10.0  # chosen by grouped cross-validation on SAF train
QUALITY_DATA = tuple(os.environ.get("REHEARSE_QUALITY_DATA", "SAF+SciEntsBank").split("+"))
SEMANTIC_QUALITY = ("sem_ref", "sem_kp_mean", "sem_kp_min")


def load_rows(directory: Path) -> list[dict[str, str]]:
    rows = []
    for name, file in DATASETS.items():
        with open(directory / file, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                r["dataset"] = name
                rows.append(r)
    return rows


class Questions:
    """One Question per (question, reference) pair, key points derived from the reference."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], Any] = {}

    def __call__(self, row: dict[str, str]) -> Any:
        from backend.interviewer.grading import key_points_from_reference
        try:
            from backend.interviewer.domain import Question
        except ImportError:  # a baseline tree from before the split of base.py
            from backend.interviewer.base import Question  # type: ignore[no-redef]
        key = (row["question"], row["reference_answer"])
        if key not in self._cache:
            self._cache[key] = Question(
                id=row.get("question_id", "q"), topic="benchmark", text=row["question"],
                explanation="", difficulty="medium", kind="theory",
                key_points=(), model_answer=row["reference_answer"])
            if key_points_from_reference.__module__.endswith("grading_features"):
                # the baseline grader expected the derived points on the question itself
                from dataclasses import replace
                self._cache[key] = replace(self._cache[key], key_points=key_points_from_reference(
                    row["reference_answer"]))
        return self._cache[key]


def macro_f1(truth: list[bool], pred: list[bool]) -> float:
    f1s = []
    for cls in (True, False):
        tp = sum(t == cls and p == cls for t, p in zip(truth, pred, strict=True))
        fp = sum(t != cls and p == cls for t, p in zip(truth, pred, strict=True))
        fn = sum(t == cls and p != cls for t, p in zip(truth, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / 2


def target(row: dict[str, str]) -> float:
    """The human grade as a number in [0, 1]: SAF's score, SemEval's correct = 1."""
    if row["dataset"] == "SAF":
        return max(0.0, min(1.0, float(row["score"])))
    return 1.0 if row["label_2way"] == "correct" else 0.0


# --- fitting (train splits only) -----------------------------------------------------------

def _quality_values(rows: list[dict[str, str]], questions: Questions, semantic: bool,
                    pair: Any = None) -> np.ndarray:
    from backend.interviewer.grading.features import measure
    from backend.interviewer.grading.grader import _key_points
    from backend.interviewer.grading.semantic import semantic_evidence

    out = []
    for r in rows:
        q = questions(r)
        points = _key_points(q)
        ev = measure(q, r["student_answer"], points)
        values = ev.vector()
        if semantic:
            sem = semantic_evidence(q, r["student_answer"], points, pair)
            assert sem is not None
            values += [sem.values[f] for f in SEMANTIC_QUALITY]
            if pair is not None:
                values.append(sem.values["sem_pair"])
        out.append(values)
    return np.array(out)


def refit(rows: list[dict[str, str]], semantic: bool) -> None:
    """Fit one variant (with or without the encoder's features) and save it."""
    from backend.interviewer.grading import grade_answer
    from backend.interviewer.grading.features import FEATURES
    from backend.interviewer.grading.model import (best_threshold, fit_logistic, load_model,
                                                   model_path, save_model, semantic_model_path)

    questions = Questions()
    saf = [r for r in rows if r["dataset"] in QUALITY_DATA and r["split"] == "train"]
    semeval = [r for r in rows if r["dataset"] != "SAF" and r["split"] == "train"]
    features = list(FEATURES) + (list(SEMANTIC_QUALITY) if semantic else [])
    path = semantic_model_path() if semantic else model_path()
    pair = load_model(path).pair if semantic else None  # fitted on SemEval train (kept)
    if pair is not None:
        features.append("sem_pair")
    y = np.array([target(r) for r in saf])
    params = fit_logistic(_quality_values(saf, questions, semantic, pair), y, l2=QUALITY_L2)
    about = {
        "what": "Logistic regression with fractional targets: the share of a complete answer a "
                "human grader credits, from lexical features of the answer against the "
                "reference and key points" + (" plus all-MiniLM-L6-v2 features (cosine to the "
                                               "reference, best cosine of the answer or a clause "
                                               "to each key point)" if semantic else "") + ".",
        "fitted_on": f"SAF train only ({len(saf)} answers, partial-credit scores); the "
                     f"threshold on SemEval-2013 train ({len(semeval)} answers)",
        "method": f"numpy Newton's method, standardised features, L2={QUALITY_L2}",
        "refit_with": "python bench/grading.py --refit", "date": date.today().isoformat()}
    technical = {"share_weight": load_model(path).share_weight}
    save_model(path, features, *params, threshold=5.0, about=about, technical=technical,
               pair=pair)
    scores = [grade_answer(questions(r), r["student_answer"]).scores.technical for r in semeval]
    threshold = best_threshold(scores, [target(r) == 1.0 for r in semeval])
    save_model(path, features, *params, threshold=threshold, about=about, technical=technical,
               pair=pair)
    print(f"{'semantic' if semantic else 'lexical'} model refit: {len(saf)} SAF train answers; "
          f"SemEval threshold {threshold:.2f}; saved {path.name}")


# --- evaluation -----------------------------------------------------------------------------

def evaluate(rows: list[dict[str, str]]) -> dict[str, Any]:
    """Grade every test answer; figures per dataset and split (JSON-friendly)."""
    from backend.interviewer.grading import active_model, grade_answer
    try:
        from backend.interviewer.grading.encoder import get_encoder
    except ImportError:  # a baseline tree from before the grading package
        from backend.interviewer.encoder import get_encoder  # type: ignore[no-redef]

    questions = Questions()
    model = active_model()
    got: dict[str, dict[str, list[tuple[float, float]]]] = {}
    times = []
    for r in rows:
        if not r["split"].startswith("test"):
            continue
        t0 = time.perf_counter()
        g = grade_answer(questions(r), r["student_answer"])
        times.append((time.perf_counter() - t0) * 1000)
        got.setdefault(r["dataset"], {}).setdefault(r["split"], []).append(
            (target(r), g.scores.technical))
    times.sort()
    out: dict[str, Any] = {"semantic": get_encoder() is not None,
                           "threshold": model.threshold, "splits": {},
                           "ms_p50": statistics.median(times),
                           "ms_p95": times[int(0.95 * (len(times) - 1))]}
    for dataset, splits in got.items():
        for split, pairs in splits.items():
            truth = [t == 1.0 for t, _ in pairs]
            pred = [s >= model.threshold for _, s in pairs]
            t_arr, s_arr = np.array(pairs).T
            out["splits"][f"{dataset}/{split}"] = {
                "n": len(pairs), "accuracy": sum(a == b for a, b in zip(truth, pred, strict=True)) / len(pairs),
                "macro_f1": macro_f1(truth, pred),
                "pearson": float(np.corrcoef(t_arr, s_arr)[0, 1])}
    return out


def _baseline(ref: str, data: Path, env: dict[str, str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rehearse-baseline-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "backend", "assets"],
                                 check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        out = subprocess.run([sys.executable, __file__, "--raw", "--root", tmp, "--data",
                              str(data)], capture_output=True, text=True, env=env, cwd=tmp)
        if out.returncode:
            raise SystemExit(f"baseline {ref} failed:\n{out.stderr[-2000:]}")
        return json.loads(out.stdout)


def report(mine: dict[str, Any], base: dict[str, Any] | None, ref: str) -> None:
    kind = "lexical + semantic" if mine["semantic"] else "lexical only (no sentence encoder)"
    print(f"grader: {kind}; threshold {mine['threshold']:.2f}; load {os.getloadavg()[0]:.1f}\n")
    print("SemEval-2013, accuracy / macro-F1 (correct vs incorrect)")
    print(f"{'dataset':12s} {'split':22s} {'n':>5s}  {'acc':>6s} {'F1':>6s}  "
          f"{'base acc':>8s} {'F1':>6s}  {'floor':>11s}  beats floor")
    for key, (fa, ff) in FLOOR.items():
        s = mine["splits"][f"{key[0]}/{key[1]}"]
        b = base["splits"].get(f"{key[0]}/{key[1]}") if base else None
        bs = f"{b['accuracy']:8.3f} {b['macro_f1']:6.3f}" if b else f"{'-':>8s} {'-':>6s}"
        beats = "yes" if s["accuracy"] > fa and s["macro_f1"] > ff else "NO"
        print(f"{key[0]:12s} {key[1]:22s} {s['n']:5d}  {s['accuracy']:6.3f} {s['macro_f1']:6.3f}  "
              f"{bs}  {fa:.3f}/{ff:.3f}  {beats}")
    print("\nSAF (partial credit), Pearson r with the human score")
    print(f"{'split':24s} {'n':>5s}  {'r':>6s}  {'baseline':>8s}  {'floor':>6s}  {'target':>6s}")
    for split in ("test-unseen-answers", "test-unseen-questions"):
        s = mine["splits"][f"SAF/{split}"]
        b = base["splits"].get(f"SAF/{split}") if base else None
        print(f"{split:24s} {s['n']:5d}  {s['pearson']:6.3f}  "
              f"{(b['pearson'] if b else float('nan')):8.3f}  {SAF_FLOOR[split]:6.3f}  "
              f"{SAF_TARGET[split]:6.2f}")
    print(f"\nms per answer: p50 {mine['ms_p50']:.1f}  p95 {mine['ms_p95']:.1f}"
          + (f"   (baseline {ref}: p50 {base['ms_p50']:.1f}  p95 {base['ms_p95']:.1f})"
             if base else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DIR, help="benchmark folder")
    parser.add_argument("--refit", action="store_true", help="refit on train and save")
    parser.add_argument("--baseline-ref", default=BASELINE, help="'' for none")
    parser.add_argument("--no-encoder", action="store_true", help="grade with the lexical fallback")
    parser.add_argument("--raw", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--refit-variant", choices=("lexical", "semantic"), help=argparse.SUPPRESS)
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, args.root)
    env = dict(os.environ)
    if args.no_encoder:
        env["REHEARSE_NO_ENCODER"] = os.environ["REHEARSE_NO_ENCODER"] = "1"
    rows = load_rows(args.data)
    if args.refit_variant:
        refit(rows, semantic=args.refit_variant == "semantic")
        return 0
    if args.raw:
        print(json.dumps(evaluate(rows)))
        return 0
    if args.refit:  # each variant in its own process: the encoder is either loaded or not
        for variant, no_encoder in (("lexical", "1"), ("semantic", "0")):
            subprocess.run([sys.executable, __file__, "--refit-variant", variant, "--data",
                            str(args.data)], check=True,
                           env={**env, "REHEARSE_NO_ENCODER": no_encoder})
    mine = evaluate(rows)
    report(mine, None, args.baseline_ref)  # first on its own, so a failing baseline loses nothing
    if args.baseline_ref:
        print(f"\n--- beside the baseline {args.baseline_ref}, measured in the same run ---\n")
        report(mine, _baseline(args.baseline_ref, args.data, env), args.baseline_ref)
    return 0


if __name__ == "__main__":
    sys.exit(main())
