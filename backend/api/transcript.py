"""`GET /session/{id}/transcript` (extension): what has been said so far in an interview.

A client that reconnects after a restart needs the earlier questions and answers to show the
conversation again; the live events only re-send the pending prompt. Built from the saved
engine state (saved before every event, so it is never behind what a client saw). Nothing
the candidate should not see yet is included: no key points, no model answers.
"""

from __future__ import annotations

from typing import Any

from backend.engine.state import InterviewState

# The per-answer fields a score_update carries, in the same names.
SCORE_FIELDS = ("feedback", "strengths", "improvements", "covered", "missing", "evidence")


def _score(grade: dict[str, Any], metrics: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"current_scores": dict(grade.get("scores") or {})}
    for key in SCORE_FIELDS:
        if key in grade:
            out[key] = grade[key]
    out["delivery"] = metrics or None
    return out


def _turn(turn: dict[str, Any]) -> dict[str, Any]:
    question = turn.get("question") or {}
    answers = list(turn.get("answers") or [])
    grades = list(turn.get("grades") or [])
    metrics = list(turn.get("metrics") or [])
    followups = list(turn.get("followups") or [])
    prompts = [{"followup_number": 0, "question": question.get("text", ""), "reason": ""}]
    prompts += [{"followup_number": i, "question": f.get("question", ""),
                 "reason": f.get("reason", "")} for i, f in enumerate(followups, start=1)]
    corrections = {int(c.get("followup_number", -1)): c for c in turn.get("corrections") or []}
    for i, prompt in enumerate(prompts):
        prompt["answer"] = answers[i] if i < len(answers) else None
        prompt["score"] = (_score(grades[i], metrics[i] if i < len(metrics) else None)
                           if i < len(grades) else None)
        fix = corrections.get(i)
        if fix is not None:  # (extension) the candidate's words; what was heard stays beside
            prompt["answer"], prompt["heard"] = fix.get("text"), fix.get("heard")
            prompt["correction"] = _score(fix.get("grade") or {}, None)
    return {"question_number": turn.get("number"), "question": question.get("text", ""),
            "topic": question.get("topic_title") or question.get("topic", ""),
            "topic_id": question.get("topic", ""), "difficulty": question.get("difficulty", ""),
            "kind": question.get("kind", ""), "explanation": question.get("explanation", ""),
            "prompts": prompts}


def build_transcript(row: dict[str, Any]) -> dict[str, Any]:
    """The transcript of a session row (from the store)."""
    saved = row.get("engine_state")
    state = InterviewState.from_dict(saved) if saved else InterviewState()
    turns = [_turn(t) for t in (saved or {}).get("turns", [])]
    answered = sum(1 for t in state.turns if t.grades)
    remaining = max(0, int(round(state.duration_s - state.elapsed_s)))
    return {
        "session_id": row["id"], "status": row["status"], "phase": state.phase,
        "awaiting": state.awaiting, "role": row.get("role") or "",
        "max_questions": state.max_questions, "duration_minutes": state.duration_s // 60,
        "time_remaining": remaining, "question_number": len(state.turns),
        "answered_questions": answered, "intro": state.intro,
        "running_average": state.running_average().to_dict() if answered else None,
        "turns": turns,
    }
