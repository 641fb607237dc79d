"""The answer grader: deterministic, explainable scores for one answer to one question.

``grade_answer`` scores technical content (key points, correctness, depth), design
or reasoning, and communication, each 0-10, and says which key points were made or
missed, whether the answer was vague and what to ask next. The technical score is
10 x P(a human grader would call it correct), from a small logistic model fitted on
human-graded answers: over lexical features (``features``) plus, when the
on-device sentence encoder is installed, semantic ones (``semantic``); hard
rules cap it for "I don't know", bare keyword lists and near-empty answers. A key point
counts as covered when its words are there, or when a clause of the answer says it in
other words (semantic match well above the question's own similarity to it).
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Sequence

from backend.background import run_soon
from backend.interviewer.domain import FollowUp, Grade, KeyPoint, Question, Scores
from backend.interviewer.grading.encoder import get_encoder
from backend.interviewer.grading.features import (COVERED_AT, Evidence, PointMatch,
                                                  key_points_from_reference, measure)
from backend.interviewer.grading.model import Model, load_model, model_path, semantic_model_path
from backend.interviewer.grading.semantic import SemanticEvidence, prepare_question, semantic_evidence
from backend.interviewer.grading.style import Style, read_style
from backend.interviewer.grading.text import stem, words

__all__ = ["active_model", "cap_technical", "grade_answer", "key_points_from_reference",
           "technical_probability"]

DONT_KNOW_TECHNICAL = 1.5
DONT_KNOW_DESIGN = 2.0
BARE_LIST_FACTOR = 0.6  # a list of terms with no explanation keeps this share of its score
SHORT_ANSWER_CAP = 3.0  # fewer than three words, or no content word at all
VAGUE_PROBE = "You said it depends \u2014 on what, specifically?"
CONCRETE_PROBE = "Can you make that concrete \u2014 what exactly would you do, and why?"


def _clamp(x: float) -> float:
    return round(max(0.0, min(10.0, x)), 1)


def _key_points(question: Question) -> tuple[KeyPoint, ...]:
    if question.key_points:
        return question.key_points
    return key_points_from_reference(question.model_answer) if question.model_answer else ()


def active_model(question: Question | None = None) -> Model:
    """The semantic model when the encoder and its weights are there, else the lexical one.

    Behavioural questions always get the lexical model: their key points describe what a
    story should contain ("states the outcome"), not content an answer could paraphrase,
    and the human-graded data the semantic model was fitted on has no such questions.
    """
    path = semantic_model_path()
    behavioral = question is not None and question.kind == "behavioral"
    if not behavioral and path.is_file() and get_encoder() is not None:
        return load_model(path)
    return load_model(model_path())


def _assess(question: Question, text: str, key_points: Sequence[KeyPoint],
            vocabulary: Sequence[str]) -> tuple[Evidence, SemanticEvidence | None, float]:
    """Lexical evidence, semantic evidence (None without the encoder) and P(correct)."""
    model = active_model(question)
    ev = measure(question, text, key_points, vocabulary)
    sem = semantic_evidence(question, text, key_points, model.pair) if model.pair else None
    if sem is None:
        return ev, None, model.probability(ev.values)
    p = model.probability({**ev.values, **sem.values})
    made = [(m.score >= COVERED_AT and not m.restated) or sem.covers(i)
            for i, m in enumerate(ev.points)]
    if made and all(made):
        # The semantic model was fitted on short student answers (about 15 words); a long
        # interview answer that makes every key point must not score below the lexical model.
        p = max(p, load_model(model_path()).probability(ev.values))
    return ev, sem, p


def prepare_grading(question: Question) -> None:
    """Do now what grading this question's answer would otherwise do first (blocking)."""
    if question.kind != "behavioral" and active_model(question).pair:
        prepare_question(question, _key_points(question))


def prepare_grading_soon(question: Question, background: Executor | None = None) -> None:
    """``prepare_grading`` on ``background`` (the backend's executor): the question's
    reference and key points are embedded while the candidate thinks, so grading encodes
    only the answer. Without an executor it runs now."""
    run_soon(background, prepare_grading, question)


def technical_probability(question: Question, answer: str, *, prior_answers: Sequence[str] = (),
                          vocabulary: Sequence[str] = ()) -> float:
    """P(correct) before any rule caps: what the bench thresholds (via ``grade_answer``)."""
    text = " ".join([*prior_answers, answer])
    return _assess(question, text, _key_points(question), vocabulary)[2]


def cap_technical(question: Question, answer: str, probability: float) -> float:
    """The technical score (0-10) for a given P(correct), after the rule caps.

    ``bench/grading.py --refit`` uses it to fit the threshold on out-of-fold probabilities.
    """
    key_points = _key_points(question)
    ev = measure(question, answer, key_points)
    style = read_style(answer, len(ev.answer.content), len(ev.answer.tokens))
    return _technical(probability, ev, style, _bare_list(ev, style, key_points))


def _technical(p: float, ev: Evidence, style: Style, bare_list: bool) -> float:
    score = 10.0 * p
    n_content = len(ev.answer.content)
    if style.dont_know and ev.values["kp_cov"] < 0.35:
        score = min(score, DONT_KNOW_TECHNICAL)
    if bare_list:
        score *= BARE_LIST_FACTOR
    if n_content == 0 or len(ev.answer.tokens) < 3:
        score = min(score, SHORT_ANSWER_CAP)
    return _clamp(score)


def _bare_list(ev: Evidence, style: Style, key_points: Sequence[KeyPoint]) -> bool:
    """Terms strung together with (almost) no words that relate or explain them."""
    tokens = ev.answer.tokens
    if len(ev.answer.content) < 3:
        return False
    if style.function_ratio < 0.15 and not style.counts["reasoning"]:
        return True
    term_words = {w for kp in key_points for p in kp.phrasings for w in words(p)}
    term_stems = {stem(w) for w in term_words}
    glue = [t for t in tokens if t not in term_words and stem(t) not in term_stems]
    return len(glue) < 0.2 * len(tokens)


def _facet(n: int, full: int = 2) -> float:
    return min(n, full) / full


def _design(question: Question, style: Style, technical: float) -> float:
    c = style.counts
    if question.kind in ("design", "tradeoff"):
        facets = [_facet(c["decomposition"], 3), _facet(c["tradeoff"] + c["alternatives"]),
                  _facet(c["scale"] + (style.numbers > 0)), _facet(c["failure"])]
        if question.kind == "tradeoff":
            facets[1] = _facet(c["tradeoff"] + c["alternatives"], 3) * 1.0
            facets[0] = max(facets[0], _facet(c["reasoning"]))
    else:
        facets = [_facet(c["reasoning"]), _facet(c["tradeoff"] + c["alternatives"]),
                  _facet(c["example"] + (style.numbers > 0), 1), _facet(c["structure"], 1)]
    raw = 10.0 * sum(facets) / len(facets)
    score = 0.55 * raw + 0.45 * technical
    score = min(score, technical + 4.0)
    if style.dont_know and technical <= DONT_KNOW_TECHNICAL:
        score = min(score, DONT_KNOW_DESIGN)
    return _clamp(score)


def _communication(question: Question, ev: Evidence, style: Style, technical: float) -> float:
    c = style.counts
    length = min(style.words / 40.0, 1.0)  # enough said to follow; long answers are not penalised
    relevance = min(1.0, ev.values["kp_cov"] * 1.5 + ev.values["precision"] * 0.5)
    examples = _facet(c["example"] + style.numbers, 2)
    if question.kind == "behavioral":
        star = sum(_facet(c[k], 1) for k in ("situation", "task", "action", "result")) / 4
        score = 10 * (0.45 * star + 0.2 * relevance + 0.15 * length + 0.2 * examples)
    else:
        structure = _facet(c["structure"] + c["reasoning"], 2)
        score = 10 * (0.3 * relevance + 0.25 * structure + 0.2 * examples + 0.25 * length)
    if style.dont_know and technical <= DONT_KNOW_TECHNICAL:
        score = min(score, 3.0)
    return _clamp(score)


def _is_vague(ev: Evidence, style: Style) -> bool:
    if style.vague_depends:
        return True
    concrete = style.numbers + style.counts["example"]
    return style.hedges >= 2 and ev.values["kp_cov"] < 0.5 and concrete == 0


def _short(point: str) -> str:
    p = point.strip().rstrip(".")
    return p[:1].lower() + p[1:] if p[:2] != p[:2].upper() else p


LIST_PROBE = "How do those pieces fit together \u2014 can you walk me through it?"


def _followup(missing: list[PointMatch], vague: bool, style: Style,
              bare_list: bool) -> FollowUp | None:
    top = max(missing, key=lambda m: m.point.weight) if missing else None
    if bare_list and top is None:
        return FollowUp(question=LIST_PROBE,
                        reason="Your answer listed the terms without explaining them")
    if vague:
        probe = VAGUE_PROBE if style.vague_depends else CONCRETE_PROBE
        reason = ("You said it depends without saying on what" if style.vague_depends
                  else "Your answer hedged without a concrete detail")
        return FollowUp(question=probe, reason=reason, key_point=top.point.point if top else "")
    if top is None:
        return None
    kp = top.point
    question = kp.followup or f"Can you say more about this: {_short(kp.point)}?"
    return FollowUp(question=question, reason=f"Your answer did not cover {_short(kp.point)}",
                    key_point=kp.point)


def _improvement(question: Question, style: Style, covered: list[PointMatch],
                 missing: list[PointMatch], vague: bool) -> str:
    if style.dont_know and not covered:
        return "Say what you do know and reason towards an answer out loud"
    if vague:
        return "Name what the answer depends on and give one concrete case"
    if missing:
        top = max(missing, key=lambda m: m.point.weight)
        return f"Explain {_short(top.point.point)}"
    if question.kind == "behavioral" and not style.counts["result"]:
        return "End with the result, ideally a number"
    if style.numbers + style.counts["example"] == 0:
        return "Add a concrete example or number"
    if not style.counts["tradeoff"] and question.kind in ("design", "tradeoff"):
        return "Say what your choice costs and what you would pick instead"
    return "Keep it this specific"


def _missed_concept(missing: list[PointMatch], *stems: str) -> bool:
    """A missed key point is about this (so praising the answer for it would contradict
    the "you missed" line next to it)."""
    return any(stem in m.point.point.lower().replace("-", "") for m in missing for stem in stems)


def _strengths(covered: list[PointMatch], missing: list[PointMatch], style: Style,
               question: Question) -> list[str]:
    out = [f"Covered: {_short(m.point.point)}" for m in covered[:3]]
    if (style.numbers + style.counts["example"] and covered
            and not _missed_concept(missing, "example", "number", "measur", "metric")):
        out.append("Backed the answer with a concrete example or number")
    if (style.counts["tradeoff"] + style.counts["alternatives"] and covered
            and not _missed_concept(missing, "tradeoff", "alternative")):
        out.append("Weighed a trade-off or an alternative")
    if question.kind == "behavioral" and style.counts["result"] and style.counts["action"]:
        out.append("Said what you did and what came of it")
    return out


def grade_answer(question: Question, answer: str, *, prior_answers: Sequence[str] = (),
                 vocabulary: Sequence[str] = ()) -> Grade:
    """Grade an answer (plus earlier answers in the same turn) against the question.

    Key points come from ``question.key_points``, or are derived from
    ``question.model_answer`` when the question has none. Deterministic.
    """
    text = " ".join([*prior_answers, answer])
    key_points = _key_points(question)
    ev, sem, p = _assess(question, text, key_points, vocabulary)
    style = read_style(text, len(ev.answer.content), len(ev.answer.tokens))
    bare_list = _bare_list(ev, style, key_points)
    technical = _technical(p, ev, style, bare_list)
    design = _design(question, style, technical)
    communication = _communication(question, ev, style, technical)
    covered = [m for i, m in enumerate(ev.points)
               if (m.score >= COVERED_AT and not m.restated) or (sem and sem.covers(i))]
    missing = [m for m in ev.points if m not in covered]
    vague = _is_vague(ev, style)
    improvement = _improvement(question, style, covered, missing, vague)
    improvements = [improvement] + [f"Cover: {_short(m.point.point)}" for m in
                                    sorted(missing, key=lambda m: -m.point.weight)[:3]
                                    if not improvement.endswith(_short(m.point.point))]
    if bare_list:
        improvements.insert(0, "Explain how the terms connect instead of listing them")
    feedback = _feedback(covered, missing, style, improvement)
    return Grade(scores=Scores(technical, design, communication), feedback=feedback,
                 strengths=_strengths(covered, missing, style, question), improvements=improvements,
                 covered=[m.point.point for m in covered], missing=[m.point.point for m in missing],
                 vague=vague, followup=_followup(missing, vague, style, bare_list))


def _feedback(covered: list[PointMatch], missing: list[PointMatch], style: Style,
              improvement: str) -> str:
    parts = []
    if style.dont_know and not covered:
        parts.append("You said you did not know.")
    if covered:
        parts.append("You covered: " + "; ".join(_short(m.point.point) for m in covered) + ".")
    if missing:
        parts.append("You missed: " + "; ".join(_short(m.point.point) for m in missing) + ".")
    parts.append(f"To improve: {improvement[:1].lower() + improvement[1:]}.")
    return " ".join(parts)
