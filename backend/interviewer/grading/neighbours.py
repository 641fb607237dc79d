"""The bank's other questions: an answer to one of them is not an answer to this one.

An off-topic answer about a neighbouring subject shares the question's words and sits at a
middling cosine to it ("CQRS" answered about CORS, a GraphQL pitch for a CORS question,
Prometheus metrics for structured logging), so it looks like a vague answer to every signal
that reads only this question. What gives it away is that it is much closer to other
questions of the bank, on another topic: it answers one of those. A vague answer stays
closest to its own question and its own topic's neighbours.

Each question is seen as its text and its key points, embedded once per bank (about 2 s for
500 questions, done ahead of need by ``prepare``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from backend.interviewer.domain import Question
from backend.interviewer.grading.encoder import get_encoder
from backend.interviewer.grading.semantic import for_encoder

# An answer is to another question when at least this share of the bank's questions (and
# MIN_CLOSER) are closer to it than the asked one, and the closest on another topic is this
# much closer (cosine). Chosen on the judgment set's dev split: 11 of 16 off-topic answers
# that no other check recognised, and no other answer (vague, one-liners included).
CLOSER_SHARE, MIN_CLOSER, OTHER_TOPIC_MARGIN = 0.04, 5, 0.1


def describe(question: Question) -> str:
    """What a question is about: its text and its key points."""
    return for_encoder(" ".join([question.text, *(k.point for k in question.key_points)]))


class OtherQuestions:
    """Unit vectors of a bank's questions (``describe``), computed once, thread-safe."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self._questions = tuple(questions)
        self._topics = np.array([q.topic for q in self._questions])
        self._ids = np.array([q.id for q in self._questions])
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def prepare(self) -> None:
        """Embed the questions now (blocking; call it off the event loop)."""
        self._matrix()

    def _matrix(self) -> np.ndarray | None:
        if self._vectors is None:
            enc = get_encoder()
            if enc is None or not self._questions:
                return None
            with self._lock:
                if self._vectors is None:
                    self._vectors = enc.embed([describe(q) for q in self._questions],
                                              cache=False)
        return self._vectors

    def answers_another(self, question: Question, answer: np.ndarray) -> bool:
        """``answer`` (the unit vector of a whole answer) is much closer in meaning to other
        questions, on another topic, than to ``question``."""
        vectors, enc = self._matrix(), get_encoder()
        if vectors is None or enc is None:
            return False
        own = float(enc.embed([describe(question)])[0] @ answer)
        sims = vectors @ answer
        others = self._ids != question.id
        closer = int(((sims > own) & others).sum())
        other_topic = others & (self._topics != question.topic)
        if not other_topic.any():
            return False
        best_elsewhere = float(sims[other_topic].max())
        return closer >= max(MIN_CLOSER, CLOSER_SHARE * len(self._questions)) and \
            best_elsewhere - own >= OTHER_TOPIC_MARGIN
