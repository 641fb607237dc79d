"""Agreement of the answer grader with human graders (SemEval-2013 Task 7).

Reads the human-graded CSVs from ../shared/benchmarks/grading (never copied in),
grades every test answer with ``grade_answer`` and turns the technical score into
"correct"/"incorrect" by the one threshold stored with the active model
(assets/grader/model_semantic.json when the sentence encoder is installed, else
model.json). Prints accuracy and macro-F1 per test split beside the README's lexical
floor, p50/p95 milliseconds per answer, and the encoder's load time.

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

from backend.interviewer.domain import Question  # noqa: E402
from backend.interviewer.grading.encoder import get_encoder  # noqa: E402
from backend.interviewer.grading import active_model, cap_technical, grade_answer  # noqa: E402
from backend.interviewer.grading.features import FEATURES, key_points_from_reference, measure  # noqa: E402
from backend.interviewer.grading.model import (  # noqa: E402
    PairModel, best_threshold, fit_logistic, model_path, save_model, semantic_model_path)
from backend.interviewer.grading.semantic import SEMANTIC_FEATURES, semantic_evidence  # noqa: E402

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
PAIR_L2 = 30.0  # chosen by 5-fold cross-validation grouped by question, within train
FOLDS = 5


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
        tp = sum(t == cls and p == cls for t, p in zip(truth, pred, strict=False))
        fp = sum(t != cls and p == cls for t, p in zip(truth, pred, strict=False))
        fn = sum(t == cls and p != cls for t, p in zip(truth, pred, strict=False))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / 2


def _fit_and_threshold(train: list[dict[str, str]], questions: Questions, x: np.ndarray,
                       y: np.ndarray) -> tuple[tuple, float, float]:
    """Logistic fit, then the threshold on the capped technical score (on train)."""
    mean, scale, weights, bias = fit_logistic(x, y, l2=L2)
    p = 1 / (1 + np.exp(-(((x - mean) / scale) @ weights + bias)))
    scores = [cap_technical(questions(r), r["student_answer"], float(pi))
              for r, pi in zip(train, p, strict=False)]
    threshold = best_threshold(scores, list(y))
    acc = float(np.mean([(sc >= threshold) == t for sc, t in zip(scores, y, strict=False)]))
    return (mean, scale, weights, bias), threshold, acc


def _grouped_folds(train: list[dict[str, str]]) -> list[np.ndarray]:
    """Train rows split into folds by question, so no question is in two folds."""
    qids = sorted({r["question_id"] for r in train})
    order = np.random.RandomState(0).permutation(len(qids))
    fold_of = {qids[j]: k % FOLDS for k, j in enumerate(order)}
    f = np.array([fold_of[r["question_id"]] for r in train])
    return [f == k for k in range(FOLDS)]


def _fit_pair(a: np.ndarray, r: np.ndarray, y: np.ndarray) -> PairModel:
    x = np.hstack([a * r, np.abs(a - r)]).astype(np.float64)
    mean, scale, weights, bias = fit_logistic(x, y, l2=PAIR_L2, iterations=30)
    return PairModel(mean, scale, weights, bias)


def _about(what: str, n: int, acc: float, extra: str = "") -> dict[str, object]:
    return {
        "what": what + " technical score = 10 x P, then rule caps; threshold = technical "
                       "score at or above which the bench counts an answer as correct.",
        "fitted_on": f"SemEval-2013 Task 7 train splits only (SciEntsBank + Beetle, {n} "
                     f"answers, label_2way); key points derived from reference_answer",
        "method": f"numpy Newton's method, standardised features, L2={L2}; threshold maximises "
                  f"(accuracy + macro-F1) / 2 on train" + extra,
        "train_accuracy": round(acc, 4),
        "refit_with": "python bench/grading.py --refit",
        "date": date.today().isoformat(),
    }


def refit(rows: list[dict[str, str]], questions: Questions) -> None:
    train = [r for r in rows if r["split"] == "train"]
    y = np.array([r["label_2way"] == "correct" for r in train])
    evs = [measure(questions(r), r["student_answer"], questions(r).key_points) for r in train]
    x_lex = np.array([ev.vector() for ev in evs])
    params, threshold, acc = _fit_and_threshold(train, questions, x_lex, y)
    save_model(model_path(), FEATURES, *params, threshold, _about(
        "Logistic regression: P(a human grader marks the answer correct) from lexical "
        "features of the answer against the question's key points and reference.",
        len(train), acc))
    print(f"lexical: refit on {len(train)} train answers: train accuracy {acc:.3f}, "
          f"threshold {threshold:.2f}; saved {model_path()}")
    if get_encoder() is None:
        print("sentence encoder not installed: semantic model not refitted")
        return
    sems = [semantic_evidence(questions(r), r["student_answer"], questions(r).key_points, None)
            for r in train]
    a = np.array([s.answer_vector for s in sems])
    ref = np.array([s.reference_vector for s in sems])
    pair_oof = np.zeros(len(train))  # the second stage is fitted on out-of-fold logits
    for held in _grouped_folds(train):
        pm = _fit_pair(a[~held], ref[~held], y[~held])
        pair_oof[held] = [pm.logit(ai, ri) for ai, ri in zip(a[held], ref[held], strict=False)]
    pair = _fit_pair(a, ref, y)
    x_sem = np.array([[s.values[f] if f != "sem_pair" else po for f in SEMANTIC_FEATURES]
                      for s, po in zip(sems, pair_oof, strict=False)])
    params, threshold, acc = _fit_and_threshold(train, questions, np.hstack([x_lex, x_sem]), y)
    save_model(semantic_model_path(), FEATURES + SEMANTIC_FEATURES, *params, threshold, _about(
        "Logistic regression: P(a human grader marks the answer correct) from lexical "
        "features plus all-MiniLM-L6-v2 features (cosine to the reference, best cosine of "
        "the answer or a clause to each key point, and sem_pair: the logit of a logistic model over "
        "[a*r, |a-r|] of answer and reference vectors, stored under 'pair').",
        len(train), acc, f"; pair model L2={PAIR_L2}, second stage fitted on its "
                         f"{FOLDS}-fold out-of-fold logits (folds grouped by question)"),
        pair=pair)
    print(f"semantic: refit on {len(train)} train answers: train accuracy {acc:.3f}, "
          f"threshold {threshold:.2f}; saved {semantic_model_path()}")


def evaluate(rows: list[dict[str, str]], questions: Questions) -> None:
    model = active_model()
    threshold = model.threshold
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
    kind = "lexical + semantic" if model.pair else "lexical only"
    print(f"model: {kind}; threshold on technical score: {threshold:.2f} (fitted on train)\n")
    print(f"{'dataset':12s} {'split':22s} {'n':>5s}  {'acc':>6s} {'floor':>6s}  "
          f"{'macroF1':>7s} {'floor':>6s}  beats")
    for key in FLOOR:
        truth, pred = by_split[key]
        acc = sum(t == p for t, p in zip(truth, pred, strict=False)) / len(truth)
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
    encoder = get_encoder()
    loaded = f"loaded in {encoder.load_seconds:.2f} s" if encoder else "not installed"
    print(f"sentence encoder: {loaded}")
    if args.refit:
        refit(rows, questions)
    evaluate(rows, questions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
