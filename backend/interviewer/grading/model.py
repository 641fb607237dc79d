"""The small logistic model that turns answer features into P(a human grader says correct).

Weights live in assets/grader/model.json (human-readable, with how they were fitted);
``bench/grading.py --refit`` refits them on the benchmark's train split only.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from backend.assets import assets_dir


def model_path() -> Path:
    """The lexical model: used when the sentence encoder is not installed."""
    return assets_dir() / "grader" / "model.json"


def semantic_model_path() -> Path:
    """Lexical + encoder features, with the answer/reference pair classifier."""
    return assets_dir() / "grader" / "model_semantic.json"


@dataclass(frozen=True)
class PairModel:
    """Logistic weights over [a*r, |a-r|] of unit answer and reference vectors.

    Its logit is one feature (``sem_pair``) of the semantic model: a learned "says what the
    reference says" score, fitted on the benchmark's train split only.
    """

    mean: Any
    scale: Any
    weights: Any
    bias: float

    def logit(self, a: Any, r: Any) -> float:
        import numpy as np

        x = np.concatenate([a * r, np.abs(a - r)]).astype(np.float64)
        return float(((x - self.mean) / self.scale) @ self.weights + self.bias)


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float  # technical score (0-10) at or above which an answer counts as correct
    pair: PairModel | None = None
    # With the bank's key points, technical = 10 x (share_weight x min(1, share_gain x the
    # expected share of key points made) ** share_power + (1 - share_weight) x P); with key
    # points cut from a reference answer, 10 x P. (The expected share runs low: a point
    # half-recognised counts half. A power above 1 keeps a scattering of half-recognised
    # points low while a clearly made half of the points still scores about half.)
    share_weight: float = 0.6
    share_gain: float = 1.0
    share_power: float = 1.0

    @property
    def semantic(self) -> bool:
        """Whether the model reads sentence-encoder features."""
        return any(f.startswith("sem_") for f in self.features)

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias
        for f, m, s, w in zip(self.features, self.mean, self.scale, self.weights, strict=False):
            z += w * (values[f] - m) / s
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@lru_cache(maxsize=4)
def load_model(path: Path | None = None) -> Model:
    d = json.loads((path or model_path()).read_text(encoding="utf-8"))
    pair = None
    if "pair" in d:
        import numpy as np

        p = d["pair"]
        scale = np.array(p["scale"])
        scale[scale <= 0] = 1.0
        pair = PairModel(np.array(p["mean"]), scale, np.array(p["weights"]), float(p["bias"]))
    technical = d.get("technical", {})
    return Model(features=tuple(d["features"]), mean=tuple(d["mean"]),
                 scale=tuple(d["scale"]), weights=tuple(d["weights"]),
                 bias=float(d["bias"]), threshold=float(d["threshold"]), pair=pair,
                 share_weight=float(technical.get("share_weight", 0.6)),
                 share_gain=float(technical.get("share_gain", 1.0)),
                 share_power=float(technical.get("share_power", 1.0)))


def fit_logistic(x: Any, y: Any, l2: float = 1.0, iterations: int = 50) -> tuple[Any, Any, Any, float]:
    """Newton's method on standardised features with an L2 penalty; numpy only.

    Returns (mean, scale, weights, bias).
    """
    import numpy as np

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + reg * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean, scale, w[:-1], float(w[-1])


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """The cut on scores that maximises the mean of accuracy and macro-F1.

    Both count: accuracy alone drifts towards the majority class ("incorrect").
    """
    pairs = sorted(zip(scores, labels, strict=False))
    n, n_pos = len(pairs), sum(labels)

    def objective(below_pos: int, below_neg: int) -> float:
        tp, fn = n_pos - below_pos, below_pos  # at or above the cut = predicted correct
        tn, fp = below_neg, (n - n_pos) - below_neg
        f1_pos = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        f1_neg = 2 * tn / (2 * tn + fn + fp) if tn else 0.0
        return ((tp + tn) / n + (f1_pos + f1_neg) / 2) / 2

    best, best_t = objective(0, 0), pairs[0][0] - 1e-6
    below_pos = below_neg = 0
    for i, (s, lab) in enumerate(pairs):
        below_pos += lab
        below_neg += not lab
        if i + 1 < n and pairs[i + 1][0] == s:
            continue
        value = objective(below_pos, below_neg)
        if value > best:
            nxt = pairs[i + 1][0] if i + 1 < n else s + 1e-3
            best, best_t = value, (s + nxt) / 2
    return best_t


def save_model(path: Path, features: Sequence[str], mean: Sequence[float],
               scale: Sequence[float], weights: Sequence[float], bias: float,
               threshold: float, about: dict[str, Any], pair: PairModel | None = None,
               technical: dict[str, Any] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)

    def r(vs: Any) -> list[float]:  # 7 significant digits: pair scales can be ~1e-4
        return [float(f"{float(v):.7g}") for v in vs]

    data: dict[str, Any] = {"about": about, "features": list(features), "mean": r(mean),
                            "scale": r(scale), "weights": r(weights),
                            "bias": round(float(bias), 6), "threshold": round(float(threshold), 4)}
    if technical is not None:
        data["technical"] = technical
    if pair is not None:
        data["pair"] = {"mean": r(pair.mean), "scale": r(pair.scale),
                        "weights": r(pair.weights), "bias": round(float(pair.bias), 6)}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    load_model.cache_clear()
