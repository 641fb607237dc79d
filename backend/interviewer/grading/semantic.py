"""What an answer means compared with the reference and key points, from the sentence encoder.

Lexical features (``features``) miss paraphrases: "entries time out and we drop
the key when the price is edited" makes the staleness point without saying "ttl" or
"invalidate". These features use all-MiniLM-L6-v2 embeddings (``encoder``): cosine of
the answer to the reference, how well each key point is met by the answer or one of its
clauses, and a learned "does this answer say what the reference says" score over the
pair of vectors (``PairModel``). ``semantic_evidence`` returns None when the encoder is
not installed; the grader then uses its lexical model alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from backend.interviewer.domain import KeyPoint, Question
from backend.interviewer.grading.encoder import get_encoder
from backend.interviewer.grading.features import CLAUSE_SPLIT, ref_text
from backend.interviewer.grading.model import PairModel
from backend.interviewer.grading.text import words

# Chosen by 5-fold cross-validation grouped by question on train: adding cosine to the
# question or BERTScore-style token alignment on top of these did not help (CV accuracy
# SciEntsBank 0.716 -> 0.708-0.710, Beetle 0.711 -> 0.704-0.709).
SEMANTIC_FEATURES = ("sem_ref", "sem_kp_mean", "sem_kp_min", "sem_pair")

# A key point counts as made by meaning alone when an answer clause is at least this close
# to it and clearly closer than the question itself is (so restating the question, or a
# wrong answer on the same topic, earns nothing). Paraphrases measured 0.60-0.83; a wrong
# answer on the topic 0.51; the question itself 0.30-0.55 (tests/interviewer/test_grading.py).
SEM_COVERED_AT = 0.6
SEM_MARGIN = 0.12


@dataclass(frozen=True)
class SemanticEvidence:
    values: dict[str, float]
    point_similarity: tuple[float, ...]  # per key point: best cosine to the answer or a clause
    point_question: tuple[float, ...]  # per key point: cosine to the question text
    answer_vector: np.ndarray  # unit embedding of the whole answer (the bench refits on it)
    reference_vector: np.ndarray

    def covers(self, i: int) -> bool:
        """Key point ``i`` is made in other words (see SEM_COVERED_AT)."""
        s = self.point_similarity[i]
        return s >= SEM_COVERED_AT and s >= self.point_question[i] + SEM_MARGIN


def answer_clauses(text: str) -> list[str]:
    """The answer's clauses of two words or more (the whole answer is embedded separately)."""
    parts = [p.strip(" ,.;:") for p in CLAUSE_SPLIT.split(text) if p]
    return [p for p in parts if len(p.split()) >= 2]


def for_encoder(text: str) -> str:
    """What the encoder sees: the grader's word tokens (lower case, no punctuation, no fillers).

    A speech recogniser's transcript and the typed text then embed identically; measured
    before this, dropping punctuation alone moved a model answer's cosine to itself to 0.85.
    """
    return " ".join(words(text))


def question_texts(question: Question, key_points: Sequence[KeyPoint]) -> list[str]:
    """What is embedded once per question: its text, the reference, each key point."""
    reference = ref_text(question)
    kp_texts = [kp.point for kp in key_points] or [reference]
    return [for_encoder(t) for t in (question.text, reference, *kp_texts)]


def prepare_question(question: Question, key_points: Sequence[KeyPoint]) -> None:
    """Embed the question's own texts into the encoder's cache (blocking; run it in the
    background when the question is asked) so grading the answer encodes only the answer."""
    enc = get_encoder()
    if enc is not None:
        enc.embed(question_texts(question, key_points))


def semantic_evidence(question: Question, answer_text: str, key_points: Sequence[KeyPoint],
                      pair: PairModel | None) -> SemanticEvidence | None:
    """Semantic features of one answer; None when the encoder is unavailable."""
    enc = get_encoder()
    if enc is None:
        return None
    fixed = enc.embed(question_texts(question, key_points))
    q_vec, r_vec, k_vecs = fixed[0], fixed[1], fixed[2:]  # cached: once per question
    whole = for_encoder(answer_text)
    clauses = [c for c in map(for_encoder, answer_clauses(answer_text)) if c and c != whole]
    a_vecs = enc.embed([whole, *clauses], cache=False)
    a_vec = a_vecs[0]
    best = (k_vecs @ a_vecs.T).max(axis=1)
    weights = np.array([max(kp.weight, 0.0) for kp in key_points] or [1.0])
    weights = weights if weights.sum() > 0 else np.ones_like(weights)
    values = {
        "sem_ref": float(a_vec @ r_vec),
        "sem_kp_mean": float((best * weights).sum() / weights.sum()),
        "sem_kp_min": float(best.min()),
        "sem_pair": pair.logit(a_vec, r_vec) if pair else 0.0,
    }
    n = len(key_points)
    return SemanticEvidence(values, tuple(float(b) for b in best[:n]),
                            tuple(float(s) for s in (k_vecs @ q_vec)[:n]), a_vec, r_vec)
