"""`GET /session/{id}/plan` (extension): the topics the interview will ask about, in order.

The Setup page shows these instead of a list that only resembles them. They come from the
same planner the interview runs (backend.interviewer.planning.next_question), called once per
question with the questions planned so far as if asked, so the topics are the interview's
own: the weak topics of remembered sessions first (with memory on), then the job's focus,
the personal question second and the behavioural one last. Difficulty may still change
with the scores; the topics do not depend on them.
"""

from __future__ import annotations

from typing import Any

from backend.engine.memory import build_profile
from backend.interviewer.domain import CandidateProfile, InterviewContext, ResumeAnalysis, Turn


def plan_questions(interviewer: Any, store: Any, row: dict[str, Any], max_questions: int,
                   memory: bool) -> list[dict[str, Any]]:
    """[{"question_number", "topic_id", "topic", "kind"}] for `max_questions` questions;
    [] if the interviewer has no question bank to plan from."""
    from backend.interviewer.planning import next_question
    from backend.interviewer.analysis.resume import role_family

    builtin = getattr(interviewer, "builtin", interviewer)
    bank = getattr(builtin, "bank", None)
    if bank is None:
        return []
    profile = CandidateProfile()
    if memory:
        profile = build_profile(store.opted_in_sessions(exclude=row["id"]))
    role, jd = row.get("role") or "", row.get("job_description") or ""
    context = InterviewContext(role=role, job_description=jd,
                               resume_text=row.get("resume_text") or "",
                               analysis=ResumeAnalysis.from_dict(row["analysis"]), turns=[],
                               max_questions=max_questions, time_remaining_s=3600,
                               profile=profile)
    family = role_family(role, jd)
    plan = []
    for number in range(1, max_questions + 1):
        question = next_question(bank, context, family)
        if question is None:
            break
        context.turns.append(Turn(number=number, question=question))
        title = question.topic_title or getattr(bank.topics.get(question.topic), "title", "")
        plan.append({"question_number": number, "topic_id": question.topic,
                     "topic": title or question.topic, "kind": question.kind})
    return plan
