"""A retry side by side with the first attempt: scores before -> after, the key points the
retry made that the first attempt had not (with the candidate's words, ``Grade.evidence``),
the points still missing, and any the first attempt made that the retry left out."""

from __future__ import annotations

from typing import Any

from backend.interviewer.domain import DIMENSIONS


def _quotes(grade: dict[str, Any]) -> dict[str, str]:
    """Key point -> the candidate's words that made it (certain evidence first)."""
    out: dict[str, str] = {}
    for item in sorted(grade.get("evidence") or [], key=lambda e: not e.get("certain", True)):
        if isinstance(item, dict) and item.get("point") and item.get("quote"):
            out.setdefault(str(item["point"]), str(item["quote"]))
    return out


def side(grade: dict[str, Any], scores: dict[str, float] | None = None) -> dict[str, Any]:
    """One attempt as the comparison shows it."""
    return {"scores": dict(scores if scores is not None else grade.get("scores") or {}),
            "covered": list(grade.get("covered") or []),
            "missing": list(grade.get("missing") or []),
            "unclear": list(grade.get("unclear") or []),
            "status": str(grade.get("status") or "answered")}


def compare(before: dict[str, Any], after: dict[str, Any],
            before_scores: dict[str, float] | None = None) -> dict[str, Any]:
    """`before` and `after` are grade dicts (``Grade.to_dict()``); `before_scores` overrides
    the first attempt's scores (an interview question's score is its report's)."""
    b, a = side(before, before_scores), side(after)
    quotes = _quotes(after)
    had = set(b["covered"])
    newly = [{"point": p, "quote": quotes.get(p, "")} for p in a["covered"] if p not in had]
    return {
        "before": b, "after": a,
        "change": {d: round(float(a["scores"].get(d) or 0) - float(b["scores"].get(d) or 0), 1)
                   for d in DIMENSIONS},
        "newly_covered": newly,
        "still_missing": [p for p in a["missing"] if p not in set(a["covered"])],
        "no_longer_covered": [p for p in b["covered"] if p not in set(a["covered"])],
    }
