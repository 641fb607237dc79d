"""The candidate's long-term profile, built only from sessions they opted in to keep."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from backend.interviewer.domain import CandidateProfile

WEAK_TECHNICAL_SCORE = 5.0


def build_profile(opted_in_sessions: Iterable[dict[str, Any]]) -> CandidateProfile:
    """Questions already asked, and topics whose answers scored low, across sessions."""
    asked: set[str] = set()
    topic_scores: dict[str, list[float]] = defaultdict(list)
    count = 0
    for session in opted_in_sessions:
        state = session.get("engine_state") or {}
        count += 1
        for turn in state.get("turns", []):
            question = turn.get("question", {})
            asked.add(question.get("id", ""))
            grades = turn.get("grades", [])
            if grades:
                best = max(g["scores"]["technical"] for g in grades)
                topic_scores[question.get("topic", "")].append(best)
    weak = sorted((t for t, s in topic_scores.items() if t and sum(s) / len(s) < WEAK_TECHNICAL_SCORE),
                  key=lambda t: sum(topic_scores[t]) / len(topic_scores[t]))
    asked.discard("")
    return CandidateProfile(asked_question_ids=asked, weak_topics=weak, sessions=count)


def score_trend(opted_in_sessions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One point per completed opted-in session, oldest first, for the progress chart."""
    return [{"session_id": s["id"], "ended_at": s.get("ended_at"), "role": s.get("role"),
             "final_scores": s.get("final_scores") or {}, "recommendation": s.get("recommendation")}
            for s in opted_in_sessions]
