"""The final report of a completed interview."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from backend.api.deps import ServicesDep, SessionIdPath, load_session
from backend.api import examples as ex
from backend.api.error_docs import error_responses
from backend.api.errors import ApiError, ErrorCode
from backend.api.examples import ok
from backend.protocol.rest import Report
from backend.engine.state import InterviewState
from backend.interviewer.report import turn_score, turn_status

router = APIRouter(tags=["report"])


def qa_history(state: InterviewState) -> list[dict[str, Any]]:
    history = []
    for turn in state.turns:
        q = turn.question
        score = turn_score(turn)
        last = turn.all_grades()[-1] if turn.grades else None
        history.append({
            "question_number": turn.number, "question": q.text, "topic": q.topic_title or q.topic,
            "topic_id": q.topic, "difficulty": q.difficulty, "kind": q.kind,
            "explanation": q.explanation,
            "answer": (turn.answers[0] or None) if turn.answers else None,
            "followups": [{"question": f.question, "reason": f.reason,
                           "answer": (turn.answers[i + 1] or None)
                           if i + 1 < len(turn.answers) else None,
                           "skipped": i + 1 < len(turn.grades)
                           and turn.grades[i + 1].status == "skipped"}
                          for i, f in enumerate(turn.followups)],
            "scores": score.to_dict() if score is not None else None,
            "status": turn_status(turn) or "unanswered",
            "feedback": last.feedback if last else "Not answered.",
            "strengths": last.strengths if last else [],
            "improvements": last.improvements if last else [],
            "covered": last.covered if last else [],
            "missing": last.missing if last else [p.point for p in q.key_points],
            "unclear": last.unclear if last else [],
            "evidence": [e.to_dict() for e in last.evidence] if last else [],
            "model_answer": q.model_answer,
            "delivery": [m for m in turn.metrics if m],
            # (extension) spoken answers the candidate corrected: what was heard and graded
            # first, and their words, graded again as one more answer.
            "corrections": [{"followup_number": c.followup_number, "heard": c.heard,
                             "text": c.text, "scores": c.grade.scores.to_dict()}
                            for c in turn.corrections],
        })
    return history


@router.get("/interview/report/{session_id:session_id}", response_model=Report,
            responses={**ok(ex.REPORT), **error_responses(
                ErrorCode.SESSION_NOT_FOUND, ErrorCode.NOT_FOUND,
                ErrorCode.INTERVIEW_NOT_FINISHED)})
def get_report(session_id: SessionIdPath, services: ServicesDep) -> Report:
    row = load_session(services, session_id)
    if row["status"] != "completed" or not row.get("report"):
        raise ApiError(409, ErrorCode.INTERVIEW_NOT_FINISHED,
                       "The interview is not finished yet; the report is written when the "
                       "last question has been answered.")
    state = InterviewState.from_dict(row["engine_state"])
    report = row["report"]
    analysis = row.get("analysis") or {}
    history = qa_history(state)
    return Report(
        session_id=row["id"], status=row["status"],
        detected_seniority=analysis.get("seniority", "mid"),
        strengths=report.get("strengths", analysis.get("strengths", [])),
        gaps=report.get("gaps", analysis.get("gaps", [])),
        scores=report["final_scores"], qa_history=history, final_report=report["narrative"],
        recommendation=report["recommendation"],
        recommendation_basis=report.get("recommendation_basis", "rule"),
        skill_roadmap=report["skill_roadmap"],
        duration_minutes=round(state.elapsed_s / 60, 1), started_at=row["started_at"],
        ended_at=row["ended_at"], role=row.get("role"),
        focus_areas=analysis.get("focus_areas", []),
        question_scores=[{"question_number": h["question_number"], "topic": h["topic"],
                          **h["scores"]} for h in history if h["scores"]])
