"""What an answer says compared with the key points and the reference answer.

Everything here is lexical and deterministic: key-point coverage with stemming and
fuzzy matching, recall of the reference's new words (the question's own words earn
nothing), contradiction cues. The numbers feed a small logistic model
(``model``) fitted on human-graded answers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

from rapidfuzz import fuzz

from backend.interviewer.domain import KeyPoint, Question
from backend.interviewer.grading.text import (NEGATIONS, Analysed, analyse, content_words,
                                              stems, term_found, words)

COVERED_AT = 0.6  # a key point counts as made when this share of its words is there

# Opposites a short answer can flip the meaning with (stems on both sides).
_OPPOSITES = [("increas", "decreas"), ("more", "less"), ("higher", "lower"), ("high", "low"),
              ("open", "clos"), ("series", "parallel"), ("positiv", "negativ"),
              ("connect", "disconnect"), ("same", "different"), ("faster", "slower"),
              ("larg", "small"), ("bigg", "small"), ("on", "off"), ("attract", "repel"),
              ("conductor", "insulator"), ("complet", "incomplet"), ("sync", "async"),
              ("before", "after"), ("add", "remov"), ("gain", "los"), ("hot", "cold")]
OPPOSITE: dict[str, str] = {**dict(_OPPOSITES), **{b: a for a, b in _OPPOSITES}}

FEATURES = ("kp_cov", "kp_made", "ref_recall", "pair_recall", "precision", "neg_mismatch",
            "opposite", "log_len", "len_ratio", "fuzzy", "restated")

CLAUSE_SPLIT = re.compile(r"[.;:!?]+\s+|,\s+|\s+(?:because|but|so that|so|which|while|"
                           r"whereas|therefore|since|then)\s+", re.I)


@dataclass(frozen=True)
class PointMatch:
    point: KeyPoint
    score: float  # 0..1: how much of its best phrasing the answer says
    restated: bool  # the best phrasing is all words of the question itself


@dataclass(frozen=True)
class Measured:
    """The measured facts about one answer; the grader turns them into scores."""

    points: tuple[PointMatch, ...]
    values: dict[str, float]
    answer: Analysed

    def vector(self) -> list[float]:
        return [self.values[f] for f in FEATURES]


def _phrase_stems(phrasing: str) -> list[str]:
    toks = words(phrasing)
    cont = content_words(toks)
    return stems(cont or toks)


def match_point(kp: KeyPoint, answer: Analysed, question: Analysed) -> PointMatch:
    best, restated = 0.0, False
    for phrasing in kp.phrasings or (kp.point,):
        ps = _phrase_stems(phrasing)
        if not ps:
            continue
        found = sum(term_found(s, answer) for s in ps) / len(ps)
        all_question = all(term_found(s, question) >= 0.8 for s in ps)
        eff = found * (0.5 if all_question else 1.0)
        if eff > best:
            best, restated = eff, all_question
    return PointMatch(kp, round(best, 4), restated)


def key_points_from_reference(reference: str) -> tuple[KeyPoint, ...]:
    """One key point per clause of a reference answer; its phrasing is the clause's content words.

    Short fragments are merged into the previous clause so a point always says something.
    """
    parts = [p.strip(" ,.;:") for p in CLAUSE_SPLIT.split(reference) if p and p.strip(" ,.;:")]
    clauses: list[str] = []
    for p in parts:
        if clauses and len(content_words(words(p))) < 2:
            clauses[-1] = f"{clauses[-1]} {p}"
        else:
            clauses.append(p)
    if len(clauses) > 1 and len(content_words(words(clauses[0]))) < 2:
        clauses[1] = f"{clauses[0]} {clauses[1]}"
        clauses.pop(0)
    points = []
    for c in clauses:
        cont = content_words(words(c))
        if not cont:
            continue
        term = max(cont, key=len)
        points.append(KeyPoint(point=c, phrasings=(" ".join(cont),),
                               followup=f"Can you say more about how {term} comes into it?",
                               weight=1.0))
    return tuple(points)


def ref_text(question: Question) -> str:
    """The reference answer, or the key points' phrasings when there is none."""
    if question.model_answer.strip():
        return question.model_answer
    return " ".join(p for kp in question.key_points for p in kp.phrasings)


def _pairs(seq: Sequence[str], window: int = 3) -> set[tuple[str, str]]:
    return {(seq[i], seq[j]) for i in range(len(seq))
            for j in range(i + 1, min(len(seq), i + window))}


def measure(question: Question, answer_text: str, key_points: Sequence[KeyPoint],
            vocabulary: Sequence[str] = ()) -> Measured:
    """Every feature of ``answer_text`` against the question's key points and reference."""
    ans = analyse(answer_text, vocabulary)
    q_utt = analyse(question.text)
    q_stems = q_utt.stem_set
    points = tuple(match_point(kp, ans, q_utt) for kp in key_points)
    total_w = sum(max(p.point.weight, 0.0) for p in points) or 1.0
    kp_cov = sum(p.score * p.point.weight for p in points) / total_w if points else 0.0
    kp_made = sum(p.point.weight for p in points if p.score >= COVERED_AT) / total_w \
        if points else 0.0

    ref = analyse(ref_text(question))
    ref_new = [s for s in dict.fromkeys(ref.content) if s not in q_stems] or \
        list(dict.fromkeys(ref.content))
    ref_recall = sum(term_found(s, ans) for s in ref_new) / len(ref_new) if ref_new else 0.0
    ref_pairs = _pairs(ref.content)
    ans_pairs = _pairs(ans.content)
    pair_recall = len(ref_pairs & ans_pairs) / len(ref_pairs) if ref_pairs else 0.0

    ans_new = [s for s in ans.content if s not in q_stems]
    kp_stems = {s for kp in key_points for p in kp.phrasings for s in _phrase_stems(p)}
    ref_all = ref.stem_set | kp_stems
    precision = (sum(1 for s in ans_new if s in ref_all) / len(ans_new)) if ans_new else 0.0
    restated = (1 - len(ans_new) / len(ans.content)) if ans.content else 1.0

    ans_neg = any(t in NEGATIONS for t in ans.tokens)
    ref_neg = any(t in NEGATIONS for t in ref.tokens)
    opposite = float(any(OPPOSITE.get(s) in ans.stem_set and s not in ans.stem_set
                         for s in ref.stem_set if s in OPPOSITE))
    n = len(ans.content)
    values = {
        "kp_cov": kp_cov, "kp_made": kp_made, "ref_recall": ref_recall,
        "pair_recall": pair_recall, "precision": precision,
        "neg_mismatch": float(ans_neg != ref_neg), "opposite": opposite,
        "log_len": math.log1p(n), "len_ratio": min(n / max(len(ref.content), 1), 3.0),
        "fuzzy": fuzz.token_set_ratio(" ".join(ans.content), " ".join(ref.content)) / 100,
        "restated": restated,
    }
    return Measured(points, values, ans)
