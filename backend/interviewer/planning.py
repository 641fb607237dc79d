"""Choosing the next question: which topic, how hard, and never the same one twice.

The rule, in order:
1. Topics come from a schedule built once per interview: the candidate's weak topics
   from opted-in past sessions first, then the focus areas (gaps and what the job
   asks), then the role's core topics; one behavioral question in every interview of
   three or more questions, and one personal question built from the resume's own
   lines. No topic twice in a row while others remain.
2. Difficulty starts from seniority (junior easy, mid medium, senior medium then
   hard) and follows performance: a technical score >= 7 on the last question steps
   up, <= 4 steps down.
3. A question already asked in this session, or (with memory) in an earlier one, is
   never asked again. Among the fitting questions the choice is deterministic for a
   given resume and job, so the same inputs give the same interview.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from backend.interviewer.bank import QuestionBank
from backend.interviewer.domain import (DIFFICULTIES, SENIORITIES, InterviewContext, KeyPoint,
                                        Question, Turn)

PERSONAL_TOPIC = "experience"
BEHAVIORAL = "behavioral"
STEP_UP_AT = 7.0
STEP_DOWN_AT = 4.0

ROLE_CORE_TOPICS: dict[str, tuple[str, ...]] = {
    "backend": ("databases", "api-design", "system-design", "distributed-systems", "caching",
                "concurrency", "transactions", "messaging", "observability"),
    "frontend": ("frontend", "networking", "api-design", "cicd-testing", "security",
                 "software-design"),
    "fullstack": ("frontend", "api-design", "databases", "system-design", "networking",
                  "security", "caching"),
    "mobile": ("mobile", "api-design", "networking", "concurrency", "software-design",
               "cicd-testing"),
    "data": ("data-engineering", "databases", "distributed-systems", "messaging", "cloud",
             "transactions"),
    "ml": ("ml-engineering", "data-engineering", "system-design", "cloud", "data-structures"),
    "devops": ("kubernetes", "cloud", "observability", "cicd-testing", "networking",
               "security", "distributed-systems"),
    "general": ("data-structures", "software-design", "system-design", "databases",
                "api-design", "cicd-testing"),
}


def _stable_index(key: str, n: int) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % max(n, 1)


def start_difficulty(seniority: str) -> str:
    return {"junior": "easy", "mid": "medium", "senior": "medium"}.get(seniority, "medium")


def target_difficulty(seniority: str, turns: list[Turn]) -> str:
    """Start from the level, then follow the last answered question's technical score."""
    answered = [t for t in turns if t.grades and t.question.topic != PERSONAL_TOPIC]
    if not answered:
        return start_difficulty(seniority)
    last = answered[-1]
    level = DIFFICULTIES.index(last.question.difficulty)
    best = max(g.scores.technical for g in last.grades)
    if best >= STEP_UP_AT:
        level += 1
    elif best <= STEP_DOWN_AT:
        level -= 1
    if seniority == "junior":
        level = min(level, 1)  # a junior is not asked hard questions
    return DIFFICULTIES[max(0, min(level, len(DIFFICULTIES) - 1))]


def topic_schedule(bank: QuestionBank, context: InterviewContext, role_family: str) -> list[str]:
    """Topic ids in the order they should be visited, most important first."""
    by_title = {t.title.lower(): t.id for t in bank.topics.values()}
    wanted: list[str] = []

    def add(topics: Iterable[str]) -> None:
        for t in topics:
            if t in bank.topics and t not in wanted and t != BEHAVIORAL:
                wanted.append(t)

    add(context.profile.weak_topics)
    add(by_title.get(a.lower(), a) for a in context.analysis.focus_areas)
    gap_topics = [topic for s in context.analysis.skills for topic in s.topics
                  if s.skill in context.analysis.gaps]
    add(gap_topics)
    add(ROLE_CORE_TOPICS.get(role_family, ROLE_CORE_TOPICS["general"]))
    strength_topics = [topic for s in context.analysis.skills for topic in s.topics
                       if s.skill in context.analysis.strengths]
    add(strength_topics)
    add(ROLE_CORE_TOPICS["general"])
    return wanted


def _slots(max_questions: int) -> dict[int, str]:
    """Question numbers reserved for the personal and the behavioral question."""
    slots: dict[int, str] = {}
    if max_questions >= 2:
        slots[2] = PERSONAL_TOPIC
    if max_questions >= 3:
        slots[max_questions] = BEHAVIORAL
    return slots


def _fits(q: Question, seniority: str, role_family: str) -> bool:
    lo, hi = (SENIORITIES.index(s) for s in q.seniority)
    level_ok = lo <= SENIORITIES.index(seniority) <= hi
    role_ok = not q.roles or "general" in q.roles or role_family in q.roles or role_family == "general"
    return level_ok and role_ok


def choose_from_bank(bank: QuestionBank, topic: str, difficulty: str, seniority: str,
                     role_family: str, excluded: set[str], seed: str) -> Question | None:
    """The best-fitting unasked question of a topic, relaxing fit step by step."""
    pool = [q for q in bank.in_topic(topic) if q.id not in excluded]
    order = [difficulty] + [d for d in sorted(DIFFICULTIES, key=lambda d: abs(
        DIFFICULTIES.index(d) - DIFFICULTIES.index(difficulty))) if d != difficulty]
    for strict in (True, False):
        for d in order:
            fitting = [q for q in pool if q.difficulty == d
                       and (_fits(q, seniority, role_family) or not strict)]
            if fitting:
                fitting.sort(key=lambda q: q.id)
                return fitting[_stable_index(seed + topic + d, len(fitting))]
    return None


_ACTION_VERBS = frozenset(
    "led built designed owned ran mentored introduced migrated created wrote developed added "
    "implemented launched reduced improved managed architected delivered drove scaled "
    "automated optimized optimised shipped founded rebuilt refactored replaced cut".split())


def personal_question(highlight: str, number: int) -> Question:
    """A question about one of the candidate's own resume lines."""
    line = re.sub(r"^[\s\-•*·–]+", "", highlight).strip().rstrip(".")
    first = line.split()[0] if line else ""
    if first.lower() in _ACTION_VERBS:
        said = first.lower() + line[len(first):]
        text = (f"Your resume says you {said}. Walk me through it: what was the situation, "
                "what did you decide, what was the hardest tradeoff, and how did it turn out?")
    else:
        text = (f"On your resume: \"{line}\". Walk me through it: what was the situation, what "
                "was your part, the hardest tradeoff, and how did it turn out?")
    points = (
        KeyPoint("the context: the problem, its scale and why it mattered",
                 ("the situation", "the problem was", "we had", "users", "traffic", "because"),
                 "What was the situation before you started, and why did it matter?", 1),
        KeyPoint("what you personally decided or did, not only what the team did",
                 ("i decided", "i designed", "i built", "i led", "my role", "i proposed", "i chose"),
                 "What was your own part in it, as opposed to the team's?", 2),
        KeyPoint("a real tradeoff and the alternative you rejected",
                 ("tradeoff", "trade-off", "instead of", "alternative", "we considered", "downside",
                  "at the cost of"),
                 "What alternative did you consider, and why did you reject it?", 2),
        KeyPoint("a concrete, ideally measured, result",
                 ("as a result", "reduced", "improved", "percent", "%", "faster", "cut", "saved"),
                 "How did you know it worked? What changed, in numbers if you have them?", 2),
        KeyPoint("what you learned or would do differently",
                 ("learned", "in hindsight", "looking back", "next time", "differently", "would have"),
                 "Looking back, what would you do differently?", 1),
    )
    model = ("The situation was that the existing system could not keep up: users saw slow "
             "responses at peak traffic because every request hit one database. My role was to "
             "lead the redesign; I decided to split the hot path out and proposed a phased "
             "migration. The main tradeoff was speed against safety: instead of a big-bang "
             "rewrite we considered and rejected, we ran old and new side by side, at the cost "
             "of two months of dual maintenance. As a result p99 latency was reduced from 900 "
             "to 120 milliseconds and on-call pages fell by half. Looking back, I learned to "
             "agree the success metric up front; next time I would add load tests earlier.")
    return Question(
        id=f"experience-resume-{number}-{hashlib.sha1(line.encode()).hexdigest()[:8]}",
        topic=PERSONAL_TOPIC, topic_title="Your experience", text=text,
        explanation="This tests whether you can explain your own work: your decisions, the "
                    "tradeoffs you weighed and the results, as you would to a hiring manager.",
        difficulty="medium", kind="experience", key_points=points, model_answer=model,
        roles=("general",), seniority=("junior", "senior"))


def next_question(bank: QuestionBank, context: InterviewContext, role_family: str) -> Question | None:
    number = len(context.turns) + 1
    if number > context.max_questions:
        return None
    seniority = context.analysis.seniority
    asked = {t.question.id for t in context.turns}
    excluded = asked | set(context.profile.asked_question_ids)
    seed = hashlib.sha256((context.resume_text + context.job_description).encode()).hexdigest()[:16]
    difficulty = target_difficulty(seniority, context.turns)
    slot = _slots(context.max_questions).get(number)

    if slot == PERSONAL_TOPIC:
        used = {t.question.text for t in context.turns}
        for highlight in context.analysis.highlights:
            q = personal_question(highlight, number)
            if q.text not in used and q.id not in excluded:
                return q
    if slot == BEHAVIORAL:
        q = choose_from_bank(bank, BEHAVIORAL, "medium", seniority, role_family, excluded, seed)
        if q is not None:
            return q

    schedule = topic_schedule(bank, context, role_family)
    recent = [t.question.topic for t in context.turns]
    visits = {topic: recent.count(topic) for topic in schedule}
    # Least-visited topics first; among equals, the schedule's order; not the last topic again.
    ordered = sorted(schedule, key=lambda t: (visits[t], schedule.index(t)))
    if recent and len(ordered) > 1 and ordered[0] == recent[-1]:
        ordered.append(ordered.pop(0))
    for topic in ordered:
        q = choose_from_bank(bank, topic, difficulty, seniority, role_family, excluded, seed)
        if q is not None:
            return q
    # Everything fitting was asked before: fall back to any unasked question.
    for topic in bank.topics:
        q = choose_from_bank(bank, topic, difficulty, seniority, role_family, asked, seed)
        if q is not None:
            return q
    return None
