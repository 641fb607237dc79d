"""The speech test set through the app's recogniser path: every answer spoken (Piper),
streamed into the transcriber primed for its own question, then graded from the
transcript and from the written text: the grader must find the same key points.

This is the check behind issue 16's "no false 'missed' caused by a misheard word"; the
other voices (espeak-ng, noise) are measured by bench/voice.py, with each model.
"""

from __future__ import annotations

import asyncio

import pytest

from backend.interviewer.bank import default_bank
from backend.interviewer.grading import grade_answer
from backend.interviewer.analysis.resume import analyse_resume
from backend.voice.priming import priming_terms
from backend.voice.service import VoiceService
from backend.voice.wer import normalize_words, word_error_rate
from tests.data.documents import BACKEND_JD, SENIOR_RESUME
from tests.data.spoken_answers import SPOKEN_ANSWERS

from .conftest import frames, speech_16k

pytestmark = pytest.mark.slow


async def transcribe(stt, pcm: bytes):
    for frame in frames(pcm + b"\x00\x00" * 9_600):  # + the 0.6 s beat before "done"
        stt.feed(frame)
    return await stt.finish()


def test_spoken_answers_are_graded_like_their_text(voice: VoiceService):
    bank = {q.id: q for q in default_bank().questions}
    analysis = analyse_resume(SENIOR_RESUME, BACKEND_JD, "Senior Backend Engineer")
    skills = [s.skill for s in analysis.skills] + list(analysis.gaps)
    errors = words = 0.0
    lost: list[str] = []
    blurred: list[str] = []
    for answer in SPOKEN_ANSWERS:
        question = bank[answer.question_id]
        terms = priming_terms([question.text], [(k.point, k.phrasings) for k in question.key_points],
                              skills)
        transcript = asyncio.run(transcribe(voice.transcriber(terms), speech_16k(voice, answer.text)))
        n = len(normalize_words(answer.text))
        errors += word_error_rate(answer.text, transcript.text) * n
        words += n
        from_text = set(grade_answer(question, answer.text, vocabulary=skills).covered)
        heard = grade_answer(question, transcript.text, vocabulary=skills)
        lost += [f"{answer.question_id}: {p!r} (heard: {transcript.text!r})"
                 for p in sorted(from_text - set(heard.covered) - set(heard.unclear))]
        blurred += [p for p in from_text if p in heard.unclear]
    assert not lost, "key points missed only because of the transcript:\n" + "\n".join(lost)
    # A misheard term word ("rights" for "writes", "service and points") may leave a point
    # "not clear" (the feedback asks the candidate to say more) but never "missed". With
    # tiny.en and the issue-11 grader this happened to 5 points in 24 answers; since
    # "covered" takes P >= 0.9 (the says_words model, which leans on the words a misheard
    # word breaks) it is 6-7 in 9 runs (3 before), so the bound was a third, not a quarter.
    # The coverage model refitted on round 9 of the judgment set (lower P overall, covered at
    # 0.85) leaves 8-9: words like "writes" heard as "rights" matter more to it. None is
    # missed, which is what the candidate would notice; the bound is now 10 in 24.
    assert len(blurred) <= 10, blurred
    # tiny.en with question-aware priming measured 6-8% here; unprimed it was 14%.
    assert errors / words <= 0.10, errors / words
