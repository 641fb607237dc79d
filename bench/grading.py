"""Agreement of the answer grader with human graders (SemEval-2013 Task 7).

Reads the human-graded CSVs from ../shared/benchmarks/grading (never copied in),
grades every test answer with ``grade_answer`` and turns the technical score into
"correct"/"incorrect" by the one threshold stored in assets/grader/model.json.
Prints accuracy and macro-F1 per test split beside the README's lexical floor, and
p50/p95 milliseconds per answer.

    python bench/grading.py            # evaluate the shipped model
    python bench/grading.py --refit    # refit the model on the train splits only, save, evaluate
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

if __name__ == "__main__":  # run as a script, bench/backend.py would shadow the backend package
    _here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]

from backend.interviewer.base import Question  # noqa: E402
from backend.interviewer.grading import grade_answer  # noqa: E402
from backend.interviewer.grading_features import FEATURES, key_points_from_reference, measure  # noqa: E402
from backend.interviewer.grading_model import (best_threshold, fit_logistic, load_model,
                                               model_path, save_model)

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "grading"
DATASETS = {"SciEntsBank": "scientsbank_2and3way.csv", "Beetle": "beetle_2and3way.csv"}
FLOOR = {  # accuracy, macro-F1 of TF-IDF cosine + one threshold, from the benchmark README
    ("SciEntsBank", "test-unseen-answers"): (0.681, 0.666),
    ("SciEntsBank", "test-unseen-questions"): (0.671, 0.667),
    ("SciEntsBank", "test-unseen-domains"): (0.691, 0.680),
    ("Beetle", "test-unseen-answers"): (0.745, 0.732),
    ("Beetle", "test-unseen-questions"): (0.630, 0.595),
}
L2 = 1.0


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
        self._cache: dict[tuple[str, str], Question] = {}

    def __call__(self, row: dict[str, str]) -> Question:
        key = (row["question"], row["reference_answer"])
        if key not in self._cache:
            self._cache[key] = Question(
                id=row.get("question_id", "q"), topic="benchmark", text=row["question"],
                explanation="", difficulty="medium", kind="theory",
                key_points=key_points_from_reference(row["reference_answer"]),
                model_answer=row["reference_answer"])
        return self._cache[key]


def macro_f1(truth: list[bool], pred: list[bool]) -> float:
    f1s = []
    for cls in (True, False):
        tp = sum(t == cls and p == cls for t, p in zip(truth, pred))
        fp = sum(t != cls and p == cls for t, p in zip(truth, pred))
        fn = sum(t == cls and p != cls for t, p in zip(truth, pred))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / 2


def refit(rows: list[dict[str, str]], questions: Questions, out: Path) -> None:
    train = [r for r in rows if r["split"] == "train"]
    x = np.array([measure(questions(r), r["student_answer"], questions(r).key_points).vector()
                  for r in train])
    y = np.array([r["label_2way"] == "correct" for r in train])
    mean, scale, weights, bias = fit_logistic(x, y, l2=L2)
    save_model(out, FEATURES, mean, scale, weights, bias, threshold=5.0, about={})
    # The threshold is fitted on the full grader's technical score (rule caps included).
    scores = [grade_answer(questions(r), r["student_answer"]).scores.technical for r in train]
    threshold = best_threshold(scores, list(y))
    acc = float(np.mean([(s >= threshold) == t for s, t in zip(scores, y)]))
    about = {
        "what": "Logistic regression: P(a human grader marks the answer correct) from lexical "
                "features of the answer against the question's key points and reference. "
                "technical score = 10 x P, then rule caps; threshold = technical score at or "
                "above which the bench counts an answer as correct.",
        "fitted_on": f"SemEval-2013 Task 7 train splits only (SciEntsBank + Beetle, {len(train)} "
                     f"answers, label_2way); key points derived from reference_answer",
        "method": f"numpy Newton's method, standardised features, L2={L2}; threshold maximises "
                  f"(accuracy + macro-F1) / 2 on train",
        "train_accuracy": round(acc, 4),
        "refit_with": "python bench/grading.py --refit",
        "date": date.today().isoformat(),
    }
    save_model(out, FEATURES, mean, scale, weights, bias, threshold, about)
    print(f"refit on {len(train)} train answers: train accuracy {acc:.3f}, "
          f"threshold {threshold:.2f}; saved {out}")


def evaluate(rows: list[dict[str, str]], questions: Questions) -> None:
    threshold = load_model().threshold
    by_split: dict[tuple[str, str], tuple[list[bool], list[bool]]] = {}
    times = []
    for r in rows:
        if not r["split"].startswith("test"):
            continue
        q = questions(r)
        t0 = time.perf_counter()
        g = grade_answer(q, r["student_answer"])
        times.append((time.perf_counter() - t0) * 1000)
        truth, pred = by_split.setdefault((r["dataset"], r["split"]), ([], []))
        truth.append(r["label_2way"] == "correct")
        pred.append(g.scores.technical >= threshold)
    print(f"threshold on technical score: {threshold:.2f} (fitted on train)\n")
    print(f"{'dataset':12s} {'split':22s} {'n':>5s}  {'acc':>6s} {'floor':>6s}  "
          f"{'macroF1':>7s} {'floor':>6s}  beats")
    for key in FLOOR:
        truth, pred = by_split[key]
        acc = sum(t == p for t, p in zip(truth, pred)) / len(truth)
        f1 = macro_f1(truth, pred)
        fa, ff = FLOOR[key]
        print(f"{key[0]:12s} {key[1]:22s} {len(truth):5d}  {acc:6.3f} {fa:6.3f}  {f1:7.3f} "
              f"{ff:6.3f}  {'yes' if acc > fa and f1 > ff else 'NO'}")
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"\nms per answer (grade_answer, {len(times)} answers): "
          f"p50 {statistics.median(times):.2f}  p95 {p95:.2f}  max {times[-1]:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DIR, help="benchmark folder")
    parser.add_argument("--refit", action="store_true", help="refit on train and save")
    args = parser.parse_args(argv)
    rows = load_rows(args.data)
    questions = Questions()
    if args.refit:
        refit(rows, questions, model_path())
    evaluate(rows, questions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
