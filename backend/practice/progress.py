"""Progress over time: one point per completed interview and per practice session, oldest
first, each with its scores per dimension, per topic, and (for spoken answers) delivery.

An interview's point is its report's final scores (the mean of its question scores, skipped
questions as 0), and its topics are the means of their question scores, as the report's
summary gives them. A practice session's point is the mean of the first attempts at its
questions (the unaided ones; retries show in their before/after). Delivery is the mean pace
(words per minute) and fillers per minute over the spoken answers of that point.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from backend.interviewer.domain import DIMENSIONS
from backend.practice.sources import Answered

WEAK_TOPIC_TECHNICAL = 7.0  # a topic whose recent answers average below this is weak
RECENT_PER_TOPIC = 6  # the answers per topic the weak-topic mean looks at


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 1) if values else None


def _mean_scores(scores: list[dict[str, float]]) -> dict[str, float]:
    return {d: _mean(float(s.get(d) or 0.0) for s in scores) or 0.0 for d in DIMENSIONS}


def _delivery(answers: list[Answered]) -> dict[str, Any] | None:
    spoken = [m for a in answers for m in a.metrics if m.get("wpm") is not None]
    if not spoken:
        return None
    return {"wpm": _mean(float(m["wpm"]) for m in spoken),
            "fillers_per_minute": _mean(float(m.get("fillers_per_minute") or 0) for m in spoken),
            "answers": len(spoken)}


def _topics(answers: list[Answered]) -> dict[str, dict[str, Any]]:
    by_topic: dict[str, list[Answered]] = defaultdict(list)
    for a in answers:
        by_topic[a.topic].append(a)
    return {t: {"title": items[0].topic_title, "answers": len(items),
                "scores": _mean_scores([a.scores for a in items])}
            for t, items in by_topic.items() if t}


def points(answers: list[Answered], interviews: list[dict[str, Any]],
           practice_sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The progress points, oldest first."""
    by_source: dict[str, list[Answered]] = defaultdict(list)
    for a in answers:
        by_source[a.source_id].append(a)
    out = []
    for s in interviews:
        scored = by_source.get(s["id"], [])
        if not scored:
            continue
        out.append({"id": s["id"], "kind": "interview", "at": s.get("ended_at") or "",
                    "label": s.get("role") or "Interview",
                    "scores": dict(s.get("final_scores") or _mean_scores([a.scores for a in scored])),
                    "answers": len(scored), "topics": _topics(scored),
                    "delivery": _delivery(scored)})
    for p in practice_sessions:
        attempts = by_source.get(p["id"], [])
        first = [a for a in attempts if a.first]
        if not first:
            continue
        topic = (p.get("state") or {}).get("topic_title") or ""
        out.append({"id": p["id"], "kind": "practice", "at": first[0].at,
                    "label": f"Practice{': ' + topic if topic else ''}",
                    "scores": _mean_scores([a.scores for a in first]),
                    "answers": len(first), "topics": _topics(first),
                    "delivery": _delivery(attempts)})
    return sorted(out, key=lambda p: p["at"])


def topic_summary(answers: list[Answered]) -> list[dict[str, Any]]:
    """Per topic: the mean of its recent unaided answers and whether it is weak, weakest
    first (what practice starts from when no topic is picked)."""
    by_topic: dict[str, list[Answered]] = defaultdict(list)
    for a in answers:
        if a.topic and (a.kind == "interview" or a.first):
            by_topic[a.topic].append(a)
    out = []
    for topic, items in by_topic.items():
        recent = items[-RECENT_PER_TOPIC:]
        scores = _mean_scores([a.scores for a in recent])
        out.append({"topic_id": topic, "title": items[-1].topic_title, "answers": len(items),
                    "scores": scores, "weak": scores["technical"] < WEAK_TOPIC_TECHNICAL,
                    "last_answered": items[-1].at})
    return sorted(out, key=lambda t: (t["scores"]["technical"], t["topic_id"]))
