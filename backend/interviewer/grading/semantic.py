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
from backend.interviewer.grading.features import ref_text
from backend.interviewer.grading.model import PairModel
from backend.interviewer.grading.text import words

# Chosen by 5-fold cross-validation grouped by question on train: adding cosine to the
# question or BERTScore-style token alignment on top of these did not help (CV accuracy
# SciEntsBank 0.716 -> 0.708-0.710, Beetle 0.711 -> 0.704-0.709).
SEMANTIC_FEATURES = ("sem_ref", "sem_kp_mean", "sem_kp_min", "sem_pair")

@dataclass(frozen=True)
class SemanticEvidence:
    values: dict[str, float]
    answer_vector: np.ndarray  # unit embedding of the whole answer (the bench refits on it)
    reference_vector: np.ndarray


def answer_vectors(answer_text: str) -> np.ndarray:
    """The whole answer and each of its spans (``spans.Answer.spans``) embedded: one pass
    that the semantic features and the key-point evidence share. Row 0 is the whole."""
    from backend.interviewer.grading.spans import Answer

    enc = get_encoder()
    assert enc is not None
    whole = for_encoder(answer_text)
    spans = [for_encoder(s.text) for s in Answer(answer_text).spans]
    return enc.embed([whole, *spans], cache=False)


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


def semantic_evidence(question: Question, answer_text: str, key_points: Sequence[KeyPoint],
                      pair: PairModel | None, vectors: np.ndarray | None = None
                      ) -> SemanticEvidence | None:
    """Semantic features of one answer; None when the encoder is unavailable. ``vectors``:
    the answer's ``answer_vectors`` when the caller has them already."""
    enc = get_encoder()
    if enc is None:
        return None
    fixed = enc.embed(question_texts(question, key_points))
    r_vec, k_vecs = fixed[1], fixed[2:]  # cached: once per question
    a_vecs = answer_vectors(answer_text) if vectors is None else vectors
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
    return SemanticEvidence(values, a_vec, r_vec)
