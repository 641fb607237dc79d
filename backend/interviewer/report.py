"""The closing report: scores, the recommendation rule, a specific narrative, a roadmap.

Recommendation rule (documented in docs/protocol.md as well):
    overall = 0.45 * technical + 0.30 * design + 0.25 * communication   (each 0-10)
    Hire        if overall >= 7.0 and every dimension >= 5.5
    Borderline  if overall >= 5.0
    No-Hire     otherwise
An interview in which fewer than half of the planned questions were answered is at
most Borderline: there is too little evidence for a Hire.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from functools import lru_cache

from backend.assets import assets_dir
from backend.interviewer.bank import phrasing_present
from backend.interviewer.domain import (DIMENSIONS, FinalReport, InterviewContext, RoadmapItem,
                                        Scores, Turn)

WEIGHTS = {"technical": 0.45, "design": 0.30, "communication": 0.25}
HIRE_OVERALL, HIRE_FLOOR, BORDERLINE_OVERALL = 7.0, 5.5, 5.0
STRONG_TURN, WEAK_TURN = 7.0, 5.0
SKILL_LABELS = {"experience": "Explaining your own projects", "behavioral": "Behavioral stories (STAR)"}


@lru_cache(maxsize=1)
def practice_actions() -> dict[str, list[str]]:
    data = tomllib.loads((assets_dir() / "practice.toml").read_text(encoding="utf-8"))
    return {k: list(v["actions"]) for k, v in data["topics"].items()}


def turn_score(turn: Turn) -> Scores | None:
    if not turn.grades:
        return None
    return Scores(**{d: max(getattr(g.scores, d) for g in turn.grades) for d in DIMENSIONS})


def final_scores(turns: list[Turn]) -> Scores:
    scores = [s for s in map(turn_score, turns) if s is not None]
    if not scores:
        return Scores(0.0, 0.0, 0.0)
    return Scores(**{d: round(sum(getattr(s, d) for s in scores) / len(scores), 1)
                     for d in DIMENSIONS})


def overall(scores: Scores) -> float:
    return round(sum(WEIGHTS[d] * getattr(scores, d) for d in DIMENSIONS), 2)


def recommendation(scores: Scores, answered: int, planned: int) -> str:
    total = overall(scores)
    if total >= HIRE_OVERALL and min(scores.to_dict().values()) >= HIRE_FLOOR:
        verdict = "Hire"
    elif total >= BORDERLINE_OVERALL:
        verdict = "Borderline"
    else:
        verdict = "No-Hire"
    if verdict == "Hire" and answered * 2 < planned:
        verdict = "Borderline"
    return verdict


def strong_moment(turns: list[Turn]) -> tuple[Turn, str] | None:
    """The candidate's own sentence that made a key point in their best answer."""
    ranked = sorted((t for t in turns if t.grades), key=lambda t: -overall(turn_score(t)))
    for turn in ranked:
        if overall(turn_score(turn)) < STRONG_TURN - 1:
            break
        covered = {c for g in turn.grades for c in g.covered}
        phrasings = [p for k in turn.question.key_points if k.point in covered for p in k.phrasings]
        for answer in turn.answers:
            sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", answer) if s.strip()]
            best = max(sentences, default="", key=lambda s: (
                sum(phrasing_present(p, s) for p in phrasings), min(len(s), 220)))
            if best and sum(phrasing_present(p, best) for p in phrasings):
                return turn, _clip(best, 220)
    return None


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _topic_averages(turns: list[Turn]) -> dict[str, float]:
    by_topic: dict[str, list[float]] = defaultdict(list)
    for t in turns:
        s = turn_score(t)
        if s is not None:
            by_topic[t.question.topic_title or t.question.topic].append(overall(s))
    return {k: sum(v) / len(v) for k, v in by_topic.items()}


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def roadmap(context: InterviewContext, scores: Scores) -> list[RoadmapItem]:
    """Skills to work on, most urgent first: weak topics, job gaps, then weak dimensions."""
    actions = practice_actions()
    items: list[RoadmapItem] = []
    seen: set[str] = set()

    def add(skill: str, why: str, topic: str, priority: str, extra: list[str] = ()) -> None:
        if skill.lower() in seen or len(items) >= 6:
            return
        seen.add(skill.lower())
        steps = list(extra) + actions.get(topic, actions["communication"])[:3 - len(extra)]
        items.append(RoadmapItem(skill=skill, why=why, actions=steps, priority=priority))

    weak = sorted(((overall(s), t) for t in context.turns if (s := turn_score(t))
                   and overall(s) < WEAK_TURN), key=lambda x: x[0])
    for total, turn in weak:
        q = turn.question
        missed = [m for m in (turn.grades[-1].missing if turn.grades else [])][:2]
        why = (f"Your answer on {q.topic_title or q.topic} scored {total:.1f}/10"
               + (f"; it missed: {'; '.join(m.rstrip('.') for m in missed)}." if missed else "."))
        extra = [f"Re-answer \"{_clip(q.text, 90)}\" aloud, then compare with the model answer in this report."]
        skill = SKILL_LABELS.get(q.topic, q.topic_title or q.topic)
        add(skill, why, q.topic, "high", extra)

    skills_by_name = {s.skill: s for s in context.analysis.skills}
    for gap in context.analysis.gaps:
        topics = skills_by_name[gap].topics if gap in skills_by_name else []
        topic = topics[0] if topics else ""
        where = "The job asks for" if context.job_description else "This role usually expects"
        add(gap, f"{where} {gap}, and your resume does not show it yet.", topic,
            "high" if len(items) < 2 else "medium",
            [f"Build a small project that uses {gap} end to end and add it to your resume with one measured result."])

    for d in DIMENSIONS:
        if getattr(scores, d) < WEAK_TURN and context.turns:
            label = {"technical": "Technical depth", "design": "Design reasoning and tradeoffs",
                     "communication": "Structured answers"}[d]
            topic = {"technical": "system-design", "design": "system-design",
                     "communication": "communication"}[d]
            add(label, f"Your average {d} score was {getattr(scores, d):.1f}/10.", topic, "medium")
    for skill in context.analysis.focus_areas:
        topic = next((t.question.topic for t in context.turns
                      if (t.question.topic_title or t.question.topic) == skill), "")
        add(skill, f"{skill} is a focus area for this role; keep it sharp.", topic, "low")
    if not items:
        add("Interview practice", "Keep the habit: another mock interview on new topics.",
            "communication", "low")
    return items


def narrative(context: InterviewContext, scores: Scores, verdict: str,
              items: list[RoadmapItem]) -> str:
    answered = [t for t in context.turns if t.grades]
    role = context.role or "this role"
    if not answered:
        return (f"This mock interview for {role} ended before any question was answered, so "
                "there is nothing to assess yet. Start another session when you are ready; "
                "even a short answer gives you feedback.")
    topics = _topic_averages(answered)
    titles = list(dict.fromkeys(t.question.topic_title or t.question.topic for t in answered))
    parts = [f"You answered {len(answered)} question{'s' * (len(answered) != 1)} for {role}, "
             f"covering {_join(titles)}."]
    parts.append(f"Your scores were {scores.technical:.1f} technical, {scores.design:.1f} design "
                 f"and {scores.communication:.1f} communication out of 10, which makes this "
                 f"a {verdict} at the {context.analysis.seniority} level by our rule.")
    best_topic = max(topics, key=topics.get)
    worst_topic = min(topics, key=topics.get)
    if topics[best_topic] >= STRONG_TURN:
        parts.append(f"You were strongest on {best_topic}.")
    moment = strong_moment(answered)
    if moment:
        turn, sentence = moment
        parts.append(f"A strong moment was question {turn.number}, when you said: \u201c{sentence}\u201d")
    if worst_topic != best_topic and topics[worst_topic] < STRONG_TURN:
        turn = next(t for t in answered if (t.question.topic_title or t.question.topic) == worst_topic)
        missed = turn.grades[-1].missing[:1] if turn.grades else []
        parts.append(f"{worst_topic} was the hardest area"
                     + (f": the answer did not cover that {missed[0][0].lower() + missed[0][1:].rstrip('.')}."
                        if missed else "."))
    followed = sum(len(t.followups) for t in answered)
    if followed:
        parts.append(f"The interviewer asked {followed} follow-up question{'s' * (followed != 1)} "
                     "where an answer left something out.")
    if items:
        first = items[0]
        parts.append(f"Work on {first.skill} first: {first.why[0].lower() + first.why[1:]} "
                     f"Start with this: {first.actions[0]}")
    return " ".join(parts)


def write_report(context: InterviewContext) -> FinalReport:
    scores = final_scores(context.turns)
    answered = sum(1 for t in context.turns if t.grades)
    verdict = recommendation(scores, answered, context.max_questions)
    items = roadmap(context, scores)
    strengths = _report_strengths(context)
    return FinalReport(narrative=narrative(context, scores, verdict, items),
                       recommendation=verdict,  # type: ignore[arg-type]
                       final_scores=scores, skill_roadmap=items, strengths=strengths,
                       gaps=list(context.analysis.gaps))


def _report_strengths(context: InterviewContext) -> list[str]:
    shown = [t.question.topic_title or t.question.topic for t in context.turns
             if (s := turn_score(t)) and overall(s) >= STRONG_TURN]
    return list(dict.fromkeys(shown + list(context.analysis.strengths)))[:8]
