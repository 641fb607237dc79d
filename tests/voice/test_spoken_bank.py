"""Question texts are written ("O(log n)", "HTTP/2", "p99"); the voice says them in words.

Every question text and follow-up of the bundled bank goes through ``speech_text`` (the
spoken-form step, then the term table) and must come out without notation Piper reads
badly. A few notations are also phonemised with the real Piper voice, to show the
difference is audible, not only textual.
"""

from __future__ import annotations

import re

import pytest

from backend.interviewer.bank import default_bank
from backend.voice.pronunciation import speech_text, split_sentences, spoken_form

# Symbols espeak-ng reads as words ("slash", "tilde", "asterisk", "hash", "underscore")
# or silently drops ("<", ">", "|", "->"), and brackets that lose the pause around them.
BAD_SYMBOLS = re.compile(r"[()\[\]{}<>^~*|`#/\\_=%$€£@]")
BAD_NOTATION = re.compile(
    r"\bO\(|\b\d+NF\b|\b[23]PC\b|HTTP/|\bp\d|\.\.\.|\d\s?(?:ms|µs|ns|KB|MB|GB|TB|PB)\b|\b\d+k\b")
INLINE_PHONEMES = re.compile(r"\[\[.*?\]\]")


def _spoken_texts() -> list[tuple[str, str]]:
    bank = default_bank()
    texts = [(q.id, q.text) for q in bank.questions]
    texts += [(f"{q.id} follow-up {i}", k.followup)
              for q in bank.questions for i, k in enumerate(q.key_points, 1)]
    return texts


def test_every_bank_text_and_follow_up_has_a_clean_spoken_form():
    problems = []
    for where, text in _spoken_texts():
        said = INLINE_PHONEMES.sub(" ", speech_text(text))
        left = BAD_SYMBOLS.findall(said) + BAD_NOTATION.findall(said)
        if left:
            problems.append(f"{where}: {left} left in {said!r}")
    assert not problems, "\n".join(problems[:20])


def test_the_bank_has_notation_for_this_test_to_check():
    """The test above is only meaningful while the bank really uses written notation."""
    written = [t for _, t in _spoken_texts() if BAD_SYMBOLS.search(t) or BAD_NOTATION.search(t)]
    assert len(written) >= 10
    assert any("p99" in t for t in written) and any("SELECT ... FOR UPDATE" in t for t in written)


@pytest.mark.parametrize("written, spoken", [
    ("Is a lookup O(log n) or O(n)?", "Is a lookup O of log n or O of n?"),
    ("Sorting is O(n log n), a nested loop O(n^2).", "Sorting is O of n log n, a nested loop O of n squared."),
    ("Why does p99 matter more than p50, and what is p999?",
     "Why does P 99 matter more than P 50, and what is P nine nine nine?"),
    ("What did HTTP/2 fix in HTTP/1.1?", "What did HTTP 2 fix in HTTP 1.1?"),
    ("Is 3NF enough, or do you need BCNF?", "Is third normal form enough, or do you need Boyce-Codd normal form?"),
    ("Why do teams avoid 2PC?", "Why do teams avoid two-phase commit?"),
    ("What does the CAP theorem say?", "What does the cap theorem say?"),
    ("What does SELECT ... FOR UPDATE lock?", "What does SELECT FOR UPDATE lock?"),
    ("Design POST /payments.", "Design POST slash payments."),
    ("Explain hopping (sliding) windows.", "Explain hopping, sliding, windows."),
    ("Take 2.9% of 100.00 EUR.", "Take 2.9 percent of 100 euros."),
    ("It answers in 50 ms at 10k req/s with 2 GB.",
     "It answers in 50 milliseconds at 10 thousand requests per second with 2 gigabytes."),
    ("Why pub/sub over TCP/IP for I/O-bound work?", "Why pub sub over TCP IP for I O-bound work?"),
    ("Is a >= b, and why 2^53?", "Is a greater than or equal to b, and why 2 to the power of 53?"),
    ("Add a deleted_at column.", "Add a deleted at column."),
    ("It failed at 3 a.m. Why?", "It failed at 3 A M. Why?"),
    ("What is M:N scheduling?", "What is M to N scheduling?"),
])
def test_spoken_form_of_common_notation(written, spoken):
    assert spoken_form(written) == spoken


def test_terms_of_the_pronunciation_table_are_left_to_it():
    assert spoken_form("CI/CD with Node.js (and PostgreSQL)") == "CI/CD with Node.js, and PostgreSQL,"
    assert speech_text("CI/CD and JSONB") == "C I C D and Jason B"


def test_an_ellipsis_inside_sql_does_not_end_the_sentence():
    assert split_sentences("What does SELECT ... FOR UPDATE do? It locks rows.") == \
        ["What does SELECT ... FOR UPDATE do?", "It locks rows."]


@pytest.fixture(scope="module")
def piper_voice():
    from piper import PiperVoice

    from backend.voice.models import VoiceModelPaths

    paths = VoiceModelPaths.discover()
    if paths.piper_reason():
        pytest.fail(paths.piper_reason())
    return PiperVoice.load(paths.piper_model)


def _phonemes(voice, text: str) -> str:
    return " ".join("".join(s) for s in voice.phonemize(text))


def test_piper_no_longer_says_slash_or_drops_of(piper_voice):
    slash = _phonemes(piper_voice, "slash")
    of = _phonemes(piper_voice, "of")
    assert slash in _phonemes(piper_voice, "HTTP/2")  # what the raw notation sounds like
    assert slash not in _phonemes(piper_voice, speech_text("HTTP/2"))
    assert of not in _phonemes(piper_voice, "O(log n)").split()
    assert of in _phonemes(piper_voice, speech_text("O(log n)")).split()
    three_nf = _phonemes(piper_voice, speech_text("3NF"))
    assert _phonemes(piper_voice, "normal") in three_nf
