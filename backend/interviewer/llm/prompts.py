"""The messages sent to the model for each step. Short on purpose: prompt tokens are
the slowest part on a laptop CPU, so documents are cut to excerpts and only what the
step needs is sent."""

from __future__ import annotations

from backend.interviewer.domain import FinalReport, FollowUp, InterviewContext, Question

SYSTEM = ("You are an experienced, fair technical interviewer running a practice job "
          "interview. Be specific, concise and kind. Never judge grammar, accent or "
          "nervousness. Reply with JSON only.")

Messages = list[dict[str, str]]


def excerpt(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def _messages(user: str) -> Messages:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def question_messages(context: InterviewContext, base: Question, limit: int) -> Messages:
    asked = "; ".join(excerpt(t.question.text, 80) for t in context.turns[-4:]) or "none"
    return _messages(
        f"Role: {context.role or 'software engineer'} ({context.analysis.seniority}).\n"
        f"Job description: {excerpt(context.job_description, limit // 2)}\n"
        f"Resume: {excerpt(context.resume_text, limit // 2)}\n"
        f"Already asked: {asked}\n"
        f"Write one {base.difficulty} {base.kind} interview question on "
        f"'{base.topic_title or base.topic}', tied to this candidate's resume or this job "
        f"where you can. For example: {base.text}\n"
        "Give what it tests, 2-4 key points a good answer makes (each with short phrasings a "
        "good answer would use, and a follow-up question), and a model answer that uses those "
        "phrasings.")


def grade_messages(question: Question, answer: str, prior: list[str],
                   followup: FollowUp | None, limit: int) -> Messages:
    points = "\n".join(f"- {k.point}" for k in question.key_points[:6]) or "- (none given)"
    earlier = f"Earlier answer: {excerpt(' '.join(prior), limit // 3)}\n" if prior else ""
    asked = f"Follow-up asked: {followup.question}\n" if followup else ""
    return _messages(
        f"Question: {question.text}\nKey points of a good answer:\n{points}\n{earlier}{asked}"
        f"Candidate's answer: {excerpt(answer, limit)}\n"
        "Score 0-10: technical (correct and complete on the key points), design (reasoning, "
        "trade-offs), communication (clear and structured). 0 means nothing relevant, 10 "
        "means an excellent answer. Give one or two sentences of specific feedback, up to 3 "
        "strengths and 3 improvements, and a short follow-up question on the most important "
        "missing point (empty if nothing is missing).")


def report_messages(context: InterviewContext, report: FinalReport) -> Messages:
    rows = []
    for t in context.turns:
        if not t.grades:
            continue
        g = t.grades[-1]
        missed = "; ".join(excerpt(m, 60) for m in g.missing[:2]) or "nothing major"
        rows.append(f"- {t.question.topic_title or t.question.topic}: technical "
                    f"{g.scores.technical:.0f}, design {g.scores.design:.0f}, communication "
                    f"{g.scores.communication:.0f}; missed {missed}")
    s = report.final_scores
    first = report.skill_roadmap[0].skill if report.skill_roadmap else "none"
    return _messages(
        f"Role: {context.role or 'software engineer'} ({context.analysis.seniority}).\n"
        "Questions answered:\n" + ("\n".join(rows) or "- none") + "\n"
        f"Final scores: technical {s.technical:.1f}, design {s.design:.1f}, communication "
        f"{s.communication:.1f}. Practice estimate (fixed by rule, not a hiring decision): "
        f"{report.recommendation}. "
        f"First skill to work on: {first}.\n"
        "Write the closing feedback to the candidate in 3-6 sentences: what went well, what "
        "to improve first and how, consistent with the estimate. Do not repeat the scores "
        "(they are shown above your text). Address them as you.")
