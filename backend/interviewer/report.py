"""The closing report: scores, the practice estimate, a short specific summary, a roadmap.

Scores. A question's score is its last grade's scores (grades within a question never go
down: a follow-up can only add). A skipped question (last grade with status "skipped")
counts as 0 in every dimension. The final scores are the mean over the questions that
were graded, skipped ones included. The per-question scores here are the ones the report's
``qa_history`` and charts show, and the summary's per-topic figures are their means.

Practice estimate (documented in docs/protocol.md as well):
    overall = 0.45 * technical + 0.30 * design + 0.25 * communication   (each 0-10)
    Hire        if overall >= 7.0 and every dimension >= 5.5
    Borderline  if overall >= 5.0
    No-Hire     otherwise
With fewer than MIN_ANSWERED questions answered (skipped ones do not count) there is no
estimate: "Too few answers" (on the wire the seed's field keeps one of its three values,
Borderline, and ``recommendation_basis`` says "too_few_answers"). With fewer than half of
the planned questions answered it is at most Borderline. It estimates how this practice
interview went; it is not a hiring decision, and the summary says so.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from backend.assets import assets_dir
from backend.interviewer.bank import QuestionBank, phrasing_present
from backend.interviewer.domain import (DIMENSIONS, FinalReport, Grade, InterviewContext,
                                        RoadmapItem, Scores, Turn)
from backend.interviewer.grading.feedback import short_point
from backend.interviewer.grading.text import STOPWORDS, stem, words

WEIGHTS = {"technical": 0.45, "design": 0.30, "communication": 0.25}
HIRE_OVERALL, HIRE_FLOOR, BORDERLINE_OVERALL = 7.0, 5.5, 5.0
STRONG_TURN, WEAK_TURN = 7.0, 5.0
MIN_ANSWERED = 3
TOO_FEW = "Too few answers"
TOO_FEW_SENTENCE = "Too few answers for a recommendation — here is what we saw."
ESTIMATE_NOTE = ("This is a practice estimate from a mock interview, not a hiring decision.")
MAX_ROADMAP = 6
PERSONAL_TOPIC, BEHAVIORAL = "experience", "behavioral"
SKILL_LABELS = {PERSONAL_TOPIC: "Explaining your own projects",
                BEHAVIORAL: "Behavioral stories (STAR)"}
DIMENSION_SKILLS = {"technical": "Technical depth", "design": "Design reasoning and tradeoffs",
                    "communication": "Structured answers"}


# ---- scores

def grade_status(grade: Grade) -> str:
    """answered, off_topic, dont_know or skipped (grades from before statuses existed
    read as answered)."""
    return str(getattr(grade, "status", "") or "answered")


def turn_status(turn: Turn) -> str | None:
    """"skipped" when the question itself was skipped (a skipped follow-up leaves the
    question answered); else the status of its last answer."""
    if not turn.grades:
        return None
    if grade_status(turn.grades[0]) == "skipped":
        return "skipped"
    answered = [g for g in turn.grades if grade_status(g) != "skipped"]
    return grade_status(answered[-1]) if answered else "skipped"


def turn_score(turn: Turn) -> Scores | None:
    """The question's score: its last grade's (a correction's, if one came last), 0 when
    skipped, None when never graded."""
    if not turn.grades:
        return None
    if turn_status(turn) == "skipped":
        return Scores(0.0, 0.0, 0.0)
    return turn.all_grades()[-1].scores


def graded(turns: list[Turn]) -> list[Turn]:
    return [t for t in turns if t.grades]


def answered(turns: list[Turn]) -> list[Turn]:
    """Questions the candidate answered (an "I don't know" is an answer; a skip is not)."""
    return [t for t in turns if t.grades and turn_status(t) != "skipped"]


def mean_scores(scores: list[Scores]) -> Scores:
    if not scores:
        return Scores(0.0, 0.0, 0.0)
    return Scores(**{d: round(sum(getattr(s, d) for s in scores) / len(scores), 1)
                     for d in DIMENSIONS})


def final_scores(turns: list[Turn]) -> Scores:
    """The mean of the graded questions' scores (skipped ones as 0)."""
    return mean_scores([s for s in map(turn_score, turns) if s is not None])


def overall(scores: Scores) -> float:
    return round(sum(WEIGHTS[d] * getattr(scores, d) for d in DIMENSIONS), 2)


def recommendation(scores: Scores, answered_count: int, planned: int) -> str:
    if answered_count < MIN_ANSWERED:
        return TOO_FEW
    total = overall(scores)
    if total >= HIRE_OVERALL and min(scores.to_dict().values()) >= HIRE_FLOOR:
        verdict = "Hire"
    elif total >= BORDERLINE_OVERALL:
        verdict = "Borderline"
    else:
        verdict = "No-Hire"
    if verdict == "Hire" and answered_count * 2 < planned:
        verdict = "Borderline"
    return verdict


def _title(turn: Turn) -> str:
    q = turn.question
    return q.topic_title or q.topic


@dataclass
class TopicFigure:
    """A topic's figures: the mean of its questions' scores, as the chart shows them."""

    topic: str
    numbers: list[int]
    scores: Scores

    def sentence(self) -> str:
        qs = _join([f"Q{n}" for n in self.numbers])
        s = self.scores
        return (f"{self.topic} ({qs}): {s.technical:.1f} technical, {s.design:.1f} design, "
                f"{s.communication:.1f} communication")


def topic_figures(turns: list[Turn]) -> list[TopicFigure]:
    """Per topic, in the order first asked: the mean of its graded questions' scores."""
    by_topic: dict[str, list[Turn]] = {}
    for t in graded(turns):
        by_topic.setdefault(_title(t), []).append(t)
    return [TopicFigure(topic, [t.number for t in ts], mean_scores([turn_score(t) for t in ts]))
            for topic, ts in by_topic.items()]


# ---- the candidate's own words

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _quoted(text: str) -> str:
    """Someone's words quoted inside one of our sentences: their own closing full stop (or
    comma) would double the punctuation that follows the quote (".”.")."""
    return f"\u201c{text.rstrip('.,;: ')}\u201d"


def _sentences(answer: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(answer) if len(s.split()) >= 4]


def quoted_evidence(turn: Turn) -> list[str]:
    """The candidate's words the grader quoted for the points they made (``Grade.evidence``:
    the question's last grade holds them all), else the sentences that made a covered point."""
    last = turn.grades[-1] if turn.grades else None
    quotes = [e.quote for e in (last.evidence if last else []) if e.certain and e.quote]
    if quotes:
        return list(dict.fromkeys(quotes))
    covered = {c for g in turn.grades for c in g.covered}
    phrasings = [p for k in turn.question.key_points if k.point in covered for p in k.phrasings]
    out = []
    for answer in turn.answers:
        for sentence in _sentences(answer):
            if any(phrasing_present(p, sentence) for p in phrasings):
                out.append(sentence)
    return out


def own_words(turn: Turn) -> str:
    """A short quote of what the candidate said on a question: the sentence of their answers
    closest to what the question asks (its text and key points), for a roadmap item's why."""
    sentences = [s for a in turn.answers for s in _sentences(a)]
    if not sentences:
        text = " ".join(" ".join(turn.answers).split())
        return _clip(text, 120) if text else ""
    q = turn.question
    asked = _content(" ".join([q.text] + [p for k in q.key_points for p in (k.point, *k.phrasings)]))
    return _clip(max(sentences, key=lambda s: (len(_content(s) & asked), len(_content(s)))), 140)


def _content(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 2}


def strong_moment(turns: list[Turn]) -> tuple[Turn, str] | None:
    """The candidate's own sentence that made a key point in their best answer; an answer
    strong without a follow-up first (a question that ended at 10 after a confidently wrong
    first answer is not the moment to hold up)."""
    ranked = sorted(answered(turns), key=lambda t: (bool(t.followups), -overall(turn_score(t))))
    for turn in ranked:
        if overall(turn_score(turn)) < STRONG_TURN - 1:
            continue
        quotes = quoted_evidence(turn)
        if quotes:
            return turn, _clip(max(quotes, key=lambda q: min(len(q), 220)), 220)
    return None


# ---- the roadmap

@lru_cache(maxsize=1)
def practice_actions() -> dict[str, list[str]]:
    data = tomllib.loads((assets_dir() / "practice.toml").read_text(encoding="utf-8"))
    return {k: list(v["actions"]) for k, v in data["topics"].items()}


def _relevant_actions(topic: str, about: str, n: int, used: set[str],
                      related_only: bool = False) -> list[str]:
    """The topic's practice actions closest to what the candidate missed, unused so far;
    ``related_only``: none that shares no word with it."""
    actions = [a for a in practice_actions().get(topic, []) if a not in used]
    want = _content(about)
    ranked = sorted(((len(_content(a) & want), i, a) for i, a in enumerate(actions)),
                    key=lambda sia: (-sia[0], sia[1]))
    return [a for shared, _, a in ranked[:n] if shared or not related_only]


def _missed_points(turn: Turn) -> list[str]:
    return [m.rstrip(".") for m in (turn.all_grades()[-1].missing if turn.grades else [])]


def _followup_for(turn: Turn, point: str) -> str:
    return next((k.followup for k in turn.question.key_points if k.point.rstrip(".") == point
                 and k.followup), "")


class _Roadmap:
    def __init__(self, context: InterviewContext, labels: dict[int, str]):
        self.context = context
        self.labels = labels  # question number -> the job requirement it was asked for
        self.items: list[RoadmapItem] = []
        self.seen: set[str] = set()
        self.used_actions: set[str] = set()

    def add(self, skill: str, why: str, actions: list[str], priority: str) -> None:
        if skill.lower() in self.seen or len(self.items) >= MAX_ROADMAP or not actions:
            return
        self.seen.add(skill.lower())
        self.used_actions.update(actions)
        self.items.append(RoadmapItem(skill=skill, why=why, actions=actions[:3],
                                      priority=priority))  # type: ignore[arg-type]

    def weak_question(self, turn: Turn, requirement: str) -> None:
        """A question answered weakly: what was missed, in the candidate's own words."""
        q = turn.question
        status = turn_status(turn)
        score = turn_score(turn)
        missed = _missed_points(turn)[:2]
        skill = requirement or SKILL_LABELS.get(q.topic, _title(turn))
        if status == "skipped":
            why = f"You skipped Q{turn.number} ({_title(turn)}), so it counts as 0."
        elif status == "dont_know":
            said = own_words(turn)
            why = (f"On Q{turn.number} you said you did not know"
                   + (f" ({_quoted(said)})" if said else "") + ".")
        else:
            said = own_words(turn)
            why = (f"Q{turn.number} ({_title(turn)}) scored {score.technical:.1f} technical, "
                   f"{score.design:.1f} design and {score.communication:.1f} communication."
                   + (f" You said {_quoted(said)}" if said else ""))
            if missed:
                why += (", but" if said else " The answer") + " did not cover: " + \
                    "; ".join(short_point(m) for m in missed) + "."
            elif said:
                why += "."
        if status == "off_topic":
            why += " The answer was about something else than the question."
        if requirement:
            why += f" The job asks for it: {_quoted(requirement)}."
        # An off-topic answer lists nothing as missed, yet all of the question is still to
        # practise: its first points, not the topic's generic actions (an accessibility
        # question asked under "Mobile engineering" drew "Build a screen that works offline").
        practise = missed or ([k.point.rstrip(".") for k in q.key_points[:2]]
                              if status == "off_topic" else [])
        actions = []
        for point in practise:
            follow = _followup_for(turn, point)
            if follow:
                actions.append(f"Answer aloud in two minutes: \u201c{follow}\u201d "
                               f"Your answer should cover: {short_point(point)}.")
        actions += _relevant_actions(q.topic, " ".join([*practise, requirement]) or q.text,
                                     3 - len(actions), self.used_actions,
                                     related_only=bool(actions))
        if q.kind == "experience":
            actions.append("Tell the same story again following the structure in this "
                           "question's model answer: situation, your part, one tradeoff, a "
                           "measured result, what you learned.")
        self.add(skill, why, actions, "high")

    def gap(self, requirement: dict) -> None:
        """A must-have the resume does not show and the interview did not show either."""
        label, text = requirement["requirement"], requirement.get("text", "")
        reason = requirement.get("reason", "")
        where = "The job asks for" if self.context.job_description.strip() else \
            "This role usually expects"
        why = f"{where} {_quoted(_clip(text, 160))} and your resume does not show it"
        why += (f"; this interview could not ask about it ({reason})." if reason
                else ".")
        topics = requirement.get("topic_ids") or []
        actions = []
        for topic in topics[:2]:
            actions += _relevant_actions(topic, text, 2 - len(actions), self.used_actions)
        if not actions:  # a subject no topic of the bank is about (yet)
            actions.append(f"Prepare a two-minute explanation of {short_point(label)} as the "
                           f"job words it (“{_clip(text, 90)}”): what it is, when it "
                           "matters and one way it goes wrong in production.")
        actions.append(f"If you have done work on {label}, add one resume line that says what "
                       "you built and what changed, with a number.")
        self.add(label, why, actions, "high" if len(self.items) < 2 else "medium")

    def dimension(self, dim: str, scores: Scores, turns: list[Turn]) -> None:
        value = getattr(scores, dim)
        weakest = sorted(answered(turns), key=lambda t: getattr(turn_score(t), dim))[:2]
        notes = [imp for t in weakest for imp in t.all_grades()[-1].improvements][:2]
        why = (f"Your {dim} score averaged {value:.1f}/10 over {len(graded(turns))} "
               f"question{'s' * (len(graded(turns)) != 1)}")
        why += (": " + " ".join(n.rstrip(".") + "." for n in notes)) if notes else "."
        topic = {"technical": "system-design", "design": "system-design",
                 "communication": "communication"}[dim]
        about = " ".join(notes) or DIMENSION_SKILLS[dim]
        self.add(DIMENSION_SKILLS[dim], why,
                 _relevant_actions(topic, about, 2, self.used_actions), "medium")


def _unshown_must_haves(context: InterviewContext) -> list[dict]:
    """The job's must-haves the resume does not show: from the plan, or (a session from
    before plans, or no job) the analysis' gaps."""
    plan = context.analysis.plan or {}
    if plan:
        return [i for i in plan.get("uncovered", []) + plan.get("plan", [])
                if i.get("kind") == "must" and not i.get("in_resume")]
    from backend.interviewer.analysis.taxonomy import load_taxonomy

    tax = load_taxonomy()
    out = []
    for gap in context.analysis.gaps:
        skill = tax.get(gap)
        out.append({"requirement": gap, "text": gap, "kind": "must", "in_resume": False,
                    "topic_ids": list(skill.topics[:1]) if skill else []})
    return out


def roadmap(context: InterviewContext, scores: Scores,
            labels: dict[int, str] | None = None) -> list[RoadmapItem]:
    """Skills to work on, most urgent first: weak answers (with what was missed and the
    candidate's own words), then must-haves the resume and interview did not show, then
    weak dimensions."""
    road = _Roadmap(context, labels or {})
    weak = sorted((t for t in graded(context.turns)
                   if overall(turn_score(t)) < WEAK_TURN or turn_status(t) != "answered"),
                  key=lambda t: overall(turn_score(t)))
    for turn in weak:
        road.weak_question(turn, road.labels.get(turn.number, ""))
    asked_requirements = set(road.labels.values())
    for item in _unshown_must_haves(context):
        if item.get("requirement") not in asked_requirements:
            road.gap(item)
    for d in DIMENSIONS:
        if getattr(scores, d) < WEAK_TURN and answered(context.turns):
            road.dimension(d, scores, context.turns)
    if not road.items:
        best = max(answered(context.turns), key=lambda t: overall(turn_score(t)), default=None)
        if best is not None:
            road.add(f"Keep {_title(best)} sharp",
                     f"Every answer scored {WEAK_TURN:.0f} or more; Q{best.number} was the "
                     f"strongest at {overall(turn_score(best)):.1f}/10.",
                     _relevant_actions(best.question.topic, best.question.text, 2, set()),
                     "low")
        else:
            road.add("Interview practice", "No question was answered in this session.",
                     _relevant_actions("communication", "", 2, set()), "low")
    return road.items


# ---- the summary

def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def narrative(context: InterviewContext, scores: Scores, verdict: str,
              items: list[RoadmapItem]) -> str:
    """The summary: short paragraphs, separated by blank lines."""
    role = context.role or "this role"
    done = graded(context.turns)
    if not done:
        return (f"This mock interview for {role} ended before any question was answered, so "
                "there is nothing to assess yet.\n\nStart another session when you are ready; "
                "even a short answer gives you feedback.")
    said = answered(context.turns)
    skipped = len(done) - len(said)
    paragraphs: list[str] = []
    head = (f"You answered {len(said)} of {len(context.turns)} question"
            f"{'s' * (len(context.turns) != 1)} for {role}"
            + (f" and skipped {skipped}" if skipped else "") + ".")
    if verdict == TOO_FEW:
        paragraphs.append(f"{TOO_FEW_SENTENCE} {head}")
    else:
        paragraphs.append(f"{head} Practice estimate: {verdict}, by the rule in this report "
                          f"at the {context.analysis.seniority} level. {ESTIMATE_NOTE}")
    figures = topic_figures(context.turns)
    paragraphs.append(
        f"Overall: {scores.technical:.1f} technical, {scores.design:.1f} design and "
        f"{scores.communication:.1f} communication out of 10, the mean of the {len(done)} "
        f"question score{'s' * (len(done) != 1)} in the chart"
        + (" (a skipped question counts as 0)" if skipped else "") + ". By topic, each the mean "
        "of that topic's question scores: " + "; ".join(f.sentence() for f in figures) + ".")
    moment = strong_moment(context.turns)
    sentences = []
    if moment:
        turn, quote = moment
        sentences.append(f"Your strongest moment was Q{turn.number} ({_title(turn)}), when "
                         f"you said: {_quoted(quote)}.")
    hardest = min(said, key=lambda t: overall(turn_score(t)), default=None)
    if hardest is not None and overall(turn_score(hardest)) < STRONG_TURN and \
            (moment is None or hardest is not moment[0]):
        missed = _missed_points(hardest)[:1]
        if turn_status(hardest) == "off_topic":  # not hard: the answer was about else
            sentences.append(f"Q{hardest.number} ({_title(hardest)}) scored lowest: the "
                             "answer was about something else than the question.")
        else:
            sentences.append(f"Q{hardest.number} ({_title(hardest)}) was the hardest"
                             + (f"; the answer did not cover: {short_point(missed[0])}."
                                if missed else "."))
    followed = sum(len(t.followups) for t in done)
    if followed:
        sentences.append(f"The interviewer asked {followed} follow-up question"
                         f"{'s' * (followed != 1)} where an answer left something out.")
    if sentences:
        paragraphs.append(" ".join(sentences))
    if items:
        first = items[0]
        paragraphs.append(f"Work on {first.skill} first. {first.why} "
                          f"Start with this: {first.actions[0]}")
    return "\n\n".join(paragraphs)


def rule_paragraphs(narrative: str) -> list[str]:
    """The summary's paragraphs that state the estimate and the figures (the first two),
    which an LLM-written summary keeps."""
    return narrative.split("\n\n")[:2]


# ---- the report

def requirement_labels(context: InterviewContext, bank: QuestionBank | None = None) -> dict[int, str]:
    """Question number -> the must-have of the job it was most strongly on (none for the
    candidate's own work or behavioral questions)."""
    if not context.job_description.strip():
        return {}
    from backend.interviewer.analysis.jobs import role_family
    from backend.interviewer.bank import default_bank
    from backend.interviewer.planning import planner_for

    planner = planner_for(bank or default_bank(), context,
                          role_family(context.role, context.job_description))
    names = {p.requirement.id: p.requirement for p in planner.pools}
    out: dict[int, str] = {}
    for t in context.turns:
        on = {rid: s for rid, s in planner.on(t.question).items() if names[rid].must}
        if on:
            out[t.number] = names[max(on, key=on.get)].label
    return out


def write_report(context: InterviewContext, bank: QuestionBank | None = None) -> FinalReport:
    scores = final_scores(context.turns)
    verdict = recommendation(scores, len(answered(context.turns)), context.max_questions)
    items = roadmap(context, scores, requirement_labels(context, bank))
    strengths = _report_strengths(context)
    too_few = verdict == TOO_FEW
    return FinalReport(narrative=narrative(context, scores, verdict, items),
                       recommendation="Borderline" if too_few else verdict,  # type: ignore[arg-type]
                       basis="too_few_answers" if too_few else "rule",
                       final_scores=scores, skill_roadmap=items, strengths=strengths,
                       gaps=list(context.analysis.gaps))


def _report_strengths(context: InterviewContext) -> list[str]:
    shown = [_title(t) for t in answered(context.turns) if overall(turn_score(t)) >= STRONG_TURN]
    return list(dict.fromkeys(shown + list(context.analysis.strengths)))[:8]
