"""Choosing the next question: the job's requirements first, at the right difficulty, and
never the same question twice.

The rule, in order:
1. The first question is a warm, open one about the candidate's own project that is
   most relevant to the job's must-haves (a line of their resume).
2. The last question is a behavioral one in interviews of six or more questions, or of
   four or more when the job asks for a soft skill (communication, leadership).
3. Every other question goes to a requirement of the job by the rule in ``plan.py``:
   the requirement with the highest weight / (1 + questions already on it) that the bank
   has an unasked question on. Must-haves come first, gaps and claimed depth weigh more,
   nice-to-haves only after every coverable must-have has its question. A topic the
   candidate found hard in opted-in past sessions weighs more, and is revisited right
   after the must-haves' first questions even when the job does not name it.
4. Within a requirement: the questions most strongly on it, then the one that fits the
   candidate's level and role, at the target difficulty, not on the last question's topic.
   Difficulty starts from seniority (junior easy, mid and senior medium) and follows the
   last technical score: >= 7 steps up, <= 4 steps down; a junior is never asked hard ones.
5. When the job's requirements have no question left: another question on the candidate's
   own work, then the role's core topics.

The choice is deterministic for a given resume, job and answers.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from backend.interviewer.bank import QuestionBank
from backend.interviewer.domain import (DIFFICULTIES, SENIORITIES, InterviewContext, Question, Turn)
from backend.interviewer.matching import BankIndex, Wanted, bank_index, term_keys
from backend.interviewer.personal import PERSONAL_TOPIC, line_key, personal_question
from backend.interviewer.plan import (THIRD_QUESTION_FACTOR, InterviewPlan, PlanItem, Requirement,
                                      requirements)

BEHAVIORAL = "behavioral"
STEP_UP_AT = 7.0
STEP_DOWN_AT = 4.0
WEAK_TOPIC_BONUS = 0.3   # a requirement whose questions are on a topic found hard before
WEAK_TOPIC_WEIGHT = 0.9  # a hard topic the job does not name: after every must-have's first
MAX_PERSONAL = 3  # questions on the candidate's own work, the opener included
STRONG_SHARE = 0.6   # candidates within this share of the best score are "strongly on it"
DIFFICULTY_COST = 0.15  # a question one step off the target difficulty scores 15% less
ALSO_COVERS = 0.05     # bonus (share of the best score) per other uncovered requirement it is on

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


def _fits(q: Question, seniority: str, role_family: str) -> bool:
    lo, hi = (SENIORITIES.index(s) for s in q.seniority)
    level_ok = lo <= SENIORITIES.index(seniority) <= hi
    role_ok = not q.roles or "general" in q.roles or role_family in q.roles or role_family == "general"
    return level_ok and role_ok


def _level_ok(q: Question, seniority: str) -> bool:
    """A junior is never asked a hard question. (Questions written for juniors are preferred,
    but a job's must-have is asked at easy or medium level even when the bank wrote its
    questions for mid-level candidates: that is what the job will ask.)"""
    return seniority != "junior" or q.difficulty != "hard"


def choose_from_bank(bank: QuestionBank, topic: str, difficulty: str, seniority: str,
                     role_family: str, excluded: set[str], seed: str) -> Question | None:
    """The best-fitting unasked question of a topic, relaxing fit step by step."""
    pool = [q for q in bank.in_topic(topic) if q.id not in excluded and _level_ok(q, seniority)]
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


# ---- the planner

@dataclass
class _Pool:
    """One requirement with the bank's questions on it, most strongly on it first, and the
    resume lines to ask about when no bank question fits the candidate."""

    requirement: Requirement
    wanted: Wanted
    ranked: list[tuple[float, Question]]
    threshold: float
    own: list[str] = field(default_factory=list)


class Planner:
    """The requirements of one job and resume, with the bank's questions on each."""

    def __init__(self, bank: QuestionBank, context: InterviewContext, role_family: str):
        self.bank = bank
        self.index: BankIndex = bank_index(bank)
        self.role_family = role_family
        self.reqs = requirements(context.job_description, context.analysis,
                                 context.resume_text, self.index)
        self.pools = [_Pool(r, w, self.index.ranked(w), self.index.threshold(w))
                      for r in self.reqs if r.askable for w in [r.wanted]]
        for p in self.pools:
            if p.requirement.must:
                p.own = list(p.requirement.work)
        self.pools = [p for p in self.pools if p.ranked or p.own]
        self.soft = [r for r in self.reqs if r.soft]
        self.seed = hashlib.sha256(
            (context.resume_text + context.job_description).encode()).hexdigest()[:16]
        self._scores: dict[str, dict[str, float]] = {}

    # -- which requirements a question is on
    def on(self, q: Question) -> dict[str, float]:
        """The requirements (ids) a question is on, with how strongly."""
        hit = self._scores.get(q.id)
        if hit is None:
            hit = {}
            for p in self.pools:
                if q.topic == PERSONAL_TOPIC:
                    # a question on the candidate's own work counts for the must-have it was
                    # asked for (the opener is asked for the job as a whole)
                    if not q.id.startswith("experience-resume-1-") and \
                            any(q.id.endswith(line_key(ln)) for ln in p.own):
                        hit[p.requirement.id] = p.threshold
                    continue
                s = self.index.score(q, p.wanted)
                if s >= p.threshold:
                    hit[p.requirement.id] = s
            self._scores[q.id] = hit
        return hit

    def counts(self, turns: list[Turn]) -> dict[str, int]:
        out = {p.requirement.id: 0 for p in self.pools}
        for t in turns:
            for rid in self.on(t.question):
                out[rid] += 1
        return out

    # -- the next question
    def next_question(self, context: InterviewContext) -> Question | None:
        number = len(context.turns) + 1
        if number > context.max_questions:
            return None
        asked = {t.question.id for t in context.turns}
        excluded = asked | set(context.profile.asked_question_ids)
        seniority = context.analysis.seniority
        if number == 1:
            for line in self.opener_lines(context):
                q = personal_question(line, number, opener=True)
                if q.id not in excluded:
                    return q
            return personal_question("", number, opener=True)
        if number == context.max_questions and self.wants_behavioral(context.max_questions):
            q = self.behavioral(seniority, excluded)
            if q is not None:
                return q
        q = self.on_requirement(context, excluded)
        if q is not None:
            return q
        return self.fallback(context, excluded)

    def wants_behavioral(self, max_questions: int) -> bool:
        return max_questions >= 6 or (max_questions >= 4 and bool(self.soft))

    def behavioral(self, seniority: str, excluded: set[str]) -> Question | None:
        """The behavioral question closest to the soft skills the job asks for."""
        pool = sorted((q for q in self.bank.in_topic(BEHAVIORAL)
                       if q.id not in excluded and _fits(q, seniority, self.role_family)),
                      key=lambda q: q.id)
        if not pool:
            return None
        wanted = set().union(*(term_keys(r.text) for r in self.soft)) if self.soft else set()

        def fit(q: Question) -> float:
            return sum(self.index.term_weight(t)
                       for t in wanted & term_keys(f"{q.text} {q.explanation}"))

        best = max(map(fit, pool))
        if best > 0:
            pool = [q for q in pool if fit(q) == best]
        else:
            pool = [q for q in pool if q.difficulty == "medium"] or pool
        return pool[_stable_index(self.seed + BEHAVIORAL, len(pool))]

    def on_requirement(self, context: InterviewContext, excluded: set[str]) -> Question | None:
        seniority = context.analysis.seniority
        counts = self.counts(context.turns)
        weak = set(context.profile.weak_topics)
        difficulty = target_difficulty(seniority, context.turns)
        last_topic = context.turns[-1].question.topic if context.turns else ""
        best: tuple[float, int, _Pool, list[tuple[float, Question]]] | None = None
        personal = sum(1 for t in context.turns if t.question.topic == PERSONAL_TOPIC)
        used_lines = {t.question.id.rsplit("-", 1)[-1] for t in context.turns
                      if t.question.topic == PERSONAL_TOPIC}
        for p in self.pools:
            avail = [(s, q) for s, q in p.ranked if q.id not in excluded
                     and _level_ok(q, seniority)]
            if not avail and personal < MAX_PERSONAL:
                # no bank question on it for this candidate: ask about their own work on it
                avail = [(p.threshold, personal_question(ln, len(context.turns) + 1))
                         for ln in p.own if line_key(ln) not in used_lines]
                avail = [(sc, q) for sc, q in avail if q.id not in excluded]
            if not avail:
                continue
            r = p.requirement
            weight = r.weight + (WEAK_TOPIC_BONUS if weak & {q.topic for _, q in avail} else 0.0)
            n = counts[r.id]
            priority = weight / (1 + n) * (THIRD_QUESTION_FACTOR if n >= 2 else 1.0)
            key = (priority, -r.order)
            if best is None or key > (best[0], best[1]):
                best = (priority, -r.order, p, avail)
        weak_first = self._weak_topic(context, excluded, counts, best[0] if best else 0.0)
        if weak_first is not None:
            return weak_first
        if best is None:
            return None
        _, _, pool, avail = best
        return self._pick(pool, avail, counts, seniority, difficulty, last_topic)

    def _weak_topic(self, context: InterviewContext, excluded: set[str],
                    counts: dict[str, int], best_priority: float) -> Question | None:
        """A topic found hard in past sessions and not yet revisited: asked once, as a
        requirement of weight WEAK_TOPIC_WEIGHT would be."""
        asked_topics = {t.question.topic for t in context.turns}
        for topic in context.profile.weak_topics:
            if topic in asked_topics or topic not in self.bank.topics \
                    or best_priority > WEAK_TOPIC_WEIGHT:
                continue
            q = choose_from_bank(self.bank, topic, target_difficulty(
                context.analysis.seniority, context.turns), context.analysis.seniority,
                self.role_family, excluded, self.seed)
            if q is not None:
                return q
        return None

    def _pick(self, pool: _Pool, avail: list[tuple[float, Question]], counts: dict[str, int],
              seniority: str, difficulty: str, last_topic: str) -> Question:
        top = avail[0][0]
        strong = [(s, q) for s, q in avail if s >= STRONG_SHARE * top]
        uncovered = {rid for rid, n in counts.items() if n == 0}
        target = DIFFICULTIES.index(difficulty)

        def key(item: tuple[float, Question]) -> tuple:
            s, q = item
            also = sum(1 for rid in self.on(q) if rid in uncovered
                       and rid != pool.requirement.id)
            # on the requirement first; each step of difficulty away from the target, and
            # being written for another level or role, costs DIFFICULTY_COST of the score
            steps = abs(DIFFICULTIES.index(q.difficulty) - target) + \
                (0 if _fits(q, seniority, self.role_family) else 1)
            adjusted = s * max(0.0, 1 - DIFFICULTY_COST * steps)
            return (q.topic == last_topic, -round(adjusted + ALSO_COVERS * top * also, 3),
                    _stable_index(self.seed + q.id, 1 << 16))

        return min(strong, key=key)[1]

    def opener_line(self, context: InterviewContext) -> str:
        """The resume line most relevant to the job's must-haves ("" without highlights)."""
        return next(iter(self.opener_lines(context)), "")

    def opener_lines(self, context: InterviewContext) -> list[str]:
        """The resume's highlights, the most relevant to the job's must-haves first."""
        highlights = list(context.analysis.highlights)
        musts = [p.requirement for p in self.pools if p.requirement.must] or \
            [p.requirement for p in self.pools]
        tax = self.index.taxonomy

        def relevance(line: str) -> float:
            named = tax.closure({s.skill for s in tax.find_skills(line)}) | \
                {s.skill for s in tax.find_related(line)}
            terms = term_keys(line)
            total = 0.0
            for r in musts:
                shared = len(named & set(r.match_skills)) * 2.0 + sum(
                    min(self.index.term_weight(t), 4.0) for t in terms & r.terms) / 2.0
                total += r.weight * shared
            return total

        ranked = sorted(enumerate(highlights), key=lambda kh: (-relevance(kh[1]), kh[0]))
        return [h for _, h in ranked]

    def fallback(self, context: InterviewContext, excluded: set[str]) -> Question | None:
        """No requirement has a question left: the candidate's own work, then the role's
        core topics, then anything unasked."""
        number = len(context.turns) + 1
        personal = sum(1 for t in context.turns if t.question.topic == PERSONAL_TOPIC)
        used = {t.question.text for t in context.turns} | {t.question.id for t in context.turns}
        if personal < MAX_PERSONAL:
            for highlight in context.analysis.highlights:
                q = personal_question(highlight, number)
                if q.id not in excluded and not any(highlight.strip(" -•*") in u for u in used):
                    return q
        seniority = context.analysis.seniority
        difficulty = target_difficulty(seniority, context.turns)
        schedule = topic_schedule(self.bank, context, self.role_family)
        recent = [t.question.topic for t in context.turns]
        ordered = sorted(schedule, key=lambda t: (recent.count(t), schedule.index(t)))
        if recent and len(ordered) > 1 and ordered[0] == recent[-1]:
            ordered.append(ordered.pop(0))
        for topic in ordered:
            q = choose_from_bank(self.bank, topic, difficulty, seniority, self.role_family,
                                 excluded, self.seed)
            if q is not None:
                return q
        asked = {t.question.id for t in context.turns}
        for topic in self.bank.topics:
            q = choose_from_bank(self.bank, topic, difficulty, seniority, self.role_family,
                                 asked, self.seed)
            if q is not None:
                return q
        return None

    # -- the plan as the candidate sees it
    def plan(self, context: InterviewContext) -> InterviewPlan:
        """Run the interview with unanswered turns (difficulty stays at its start) and
        record which requirement each question serves."""
        turns: list[Turn] = []
        sim = InterviewContext(role=context.role, job_description=context.job_description,
                               resume_text=context.resume_text, analysis=context.analysis,
                               turns=turns, max_questions=context.max_questions,
                               time_remaining_s=context.time_remaining_s,
                               profile=context.profile)
        items: dict[str, PlanItem] = {}
        order: list[str] = []
        plan = InterviewPlan(max_questions=context.max_questions)
        while (q := self.next_question(sim)) is not None:
            turns.append(Turn(number=len(turns) + 1, question=q))
            plan.question_ids.append(q.id)
            if len(turns) == 1 and q.topic == PERSONAL_TOPIC:
                plan.opener = next((h for h in self.opener_lines(sim)
                                    if personal_question(h, 1, opener=True).id == q.id), "")
            if q.topic == BEHAVIORAL:
                plan.behavioral = True
            on = self.on(q)
            for rid in sorted(on, key=lambda r: -on[r]):
                item = items.get(rid)
                if item is None:
                    req = next(p.requirement for p in self.pools if p.requirement.id == rid)
                    item = items[rid] = PlanItem(req)
                    order.append(rid)
                item.questions.append(q.id)
                item.topics.append(q.topic_title or q.topic)
                item.topic_ids.append(q.topic)
        plan.items = [items[rid] for rid in order]
        pools = {p.requirement.id: p for p in self.pools}
        coverable = set(pools)
        for r in self.reqs:
            if r.id in items:
                continue
            entry = {"id": r.id, "requirement": r.label, "text": r.text,
                     "kind": "must" if r.must else "nice", "in_resume": r.in_resume,
                     "evidence": list(r.evidence), "topic_ids": list(r.topic_ids)}
            if not r.askable:
                plan.not_asked.append({**entry, "reason": r.reason})
            elif r.id not in coverable:
                reason = "the question bank has no question on it yet"
                (plan.uncovered if r.must else plan.not_asked).append({**entry, "reason": reason})
            elif not any(_level_ok(q, context.analysis.seniority) for _, q in pools[r.id].ranked):
                reason = "the bank's questions on it are hard ones, above the level planned for you"
                (plan.uncovered if r.must else plan.not_asked).append({**entry, "reason": reason})
            else:
                reason = (f"not reached in {context.max_questions} questions: the must-haves "
                          "above weigh more" if r.must
                          else "asked only once every must-have has its questions")
                (plan.uncovered if r.must else plan.not_asked).append({**entry, "reason": reason})
        return plan


_PLANNERS: dict[tuple, Planner] = {}
_PLANNERS_LOCK = threading.Lock()


def planner_for(bank: QuestionBank, context: InterviewContext, role_family: str) -> Planner:
    """The planner of one interview, built once (the requirements do not change)."""
    a = context.analysis
    key = (id(bank), role_family, context.job_description, context.resume_text, a.seniority,
           tuple(a.highlights), tuple(s.skill for s in a.skills))
    with _PLANNERS_LOCK:
        hit = _PLANNERS.get(key)
    if hit is None or hit.bank is not bank:
        hit = Planner(bank, context, role_family)
        with _PLANNERS_LOCK:
            if len(_PLANNERS) >= 32:
                _PLANNERS.clear()
            _PLANNERS[key] = hit
    return hit


def next_question(bank: QuestionBank, context: InterviewContext, role_family: str) -> Question | None:
    return planner_for(bank, context, role_family).next_question(context)


def interview_plan(bank: QuestionBank, context: InterviewContext, role_family: str) -> InterviewPlan:
    return planner_for(bank, context, role_family).plan(context)


# ---- the role's core topics, when the job's requirements are all asked

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
