"""Things a candidate types that are not answers: a request to skip, and keyboard mashing.

Both are recognised before any grading, so neither is ever scored as an answer. (An
answer that is about something else entirely is still an answer; ``grading`` calls it
off-topic, with its own plain feedback.) Also: a follow-up answer that says an earlier
answer again, which the grader takes as adding nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from rapidfuzz import fuzz

from backend.interviewer.grading.text import content_words, words

NonAnswer = Literal["skip", "gibberish"]

_SKIP = re.compile(
    r"^(?:(?:ok(?:ay)?|um+|uh+|sorry|hmm+|well|honestly|actually)[,.!\s]+)*"
    r"(?:(?:can|could|may)\s+(?:we|i)\s+(?:please\s+)?(?:just\s+)?"
    r"(?:skip|pass(?:\s+on)?|move\s+on|go\s+to\s+the\s+next|come\s+back\s+to|do\s+the\s+next)|"
    r"(?:i'?d|i\s+would)\s+(?:rather|prefer\s+to|like\s+to)\s+(?:skip|pass|move\s+on|not\s+answer)|"
    r"(?:let'?s|lets)\s+(?:skip|move\s+on|go\s+to\s+the\s+next)|"
    r"(?:please\s+)?(?:skip|pass|next(?:\s+question)?|move\s+on)\b|"
    r"i'?(?:ll|\s+will)\s+(?:pass|skip)|i\s+(?:want|need)\s+to\s+skip|"
    r"(?:can\s+i\s+)?come\s+back\s+to\s+(?:this|it|that)|"
    r"(?:can|could|may)\s+(?:we|i)\s+(?:please\s+)?(?:do|have|get|try|go\s+to)\s+"
    r"(?:a\s+different|another)\s+(?:one|question))",
    re.IGNORECASE)
# Why the candidate asks to skip ("Data pipelines aren't really my area."): said after the
# request, it is still no answer. Anything else after the request may be one, so is graded.
_SKIP_REASON = re.compile(
    r"(?:(?:\bnot|n't)\s+(?:really\s+)?(?:my|an?)\s+(?:\w+\s+)?(?:area|strength|thing|"
    r"field|expertise)|(?:don'?t|do\s+not)\s+(?:really\s+)?(?:know|remember)|no\s+idea|"
    r"(?:not|never)\s+(?:really\s+)?(?:sure|familiar|worked|used|done)|"
    r"(?:haven'?t|have\s+not|never)\s+(?:really\s+)?(?:worked|used|done|touched|had)|"
    r"rather\s+(?:not|talk\s+about|do|answer)|something\s+else|(?:do|did)\s+(?:it|this|that)"
    r"(?:\s+one)?\s+justice|(?:drawing|draw)\s+a\s+blank|mind\s+(?:has\s+)?gone\s+blank|"
    r"(?:would|'d)\s+(?:only\s+)?(?:be\s+)?guess(?:ing)?|(?:\bnot|n't)\s+ready)\b",
    re.IGNORECASE)
MAX_REASON_WORDS = 14
_SKIP_WORDS = frozenset("""skip pass next question move come back later one please rather prefer
answer want need lets let's go ok okay sorry um uh this that it maybe honestly actually well
hmm one's""".split())
MAX_SKIP_WORDS = 16

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")
_LOREM = frozenset("""lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor
incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation
ullamco laboris nisi aliquip ex ea commodo consequat""".split())
_VOWELS = set("aeiouy")


def classify(text: str) -> NonAnswer | None:
    """"skip" for a request to skip the question, "gibberish" for text with no words in
    it, None for anything that should be graded (however poor)."""
    if is_skip_request(text):
        return "skip"
    if is_gibberish(text):
        return "gibberish"
    return None


# A follow-up answer this close to an earlier answer of the question (rapidfuzz's ratio over
# the words, 0-100) says it again: typed again, or the same words heard again by Whisper.
REPEAT_SIMILARITY = 90


def repeats_earlier(text: str, earlier: Sequence[str]) -> bool:
    """The answer says one of the question's ``earlier`` answers again, near word for word."""
    said = " ".join(words(text))  # (lower-cased, fillers dropped)
    return bool(said) and any(
        fuzz.ratio(said, " ".join(words(e))) >= REPEAT_SIMILARITY for e in earlier)


def is_skip_request(text: str) -> bool:
    """A short request to skip or move on, with nothing said about the question, or such a
    request followed by the reason for it ("Could we skip this one? Not my area.")."""
    if _is_bare_skip_request(text):
        return True
    first, rest = _first_sentence(text)
    return (bool(rest) and _is_bare_skip_request(first)
            and len(words(rest)) <= MAX_REASON_WORDS and bool(_SKIP_REASON.search(rest)))


def _first_sentence(text: str) -> tuple[str, str]:
    """The first sentence and the rest."""
    parts = re.split(r"(?<=[.?!])\s+", text.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _is_bare_skip_request(text: str) -> bool:
    toks = words(text)
    if not toks or len(toks) > MAX_SKIP_WORDS:
        return False
    if not _SKIP.search(text.strip()):
        return False
    # "pass the token in a header" is an answer: words beyond the request say something
    rest = [w for w in content_words(toks) if w not in _SKIP_WORDS]
    return len(rest) <= 1


def _wordlike(token: str) -> bool:
    if token.isdigit():
        return True
    if len(token) <= 2:
        return token in {"a", "i", "an", "as", "at", "be", "by", "do", "go", "if", "in", "is",
                         "it", "me", "my", "no", "of", "on", "or", "so", "to", "up", "us", "we",
                         "ok", "id", "ui", "db", "io", "ci", "cd", "ml", "ai", "vm", "os"}
    if re.search(r"(.)\1\1", token):  # "hhhh", "aaa"
        return False
    if any(len(token) >= 4 and token in row for row in _KEYBOARD_ROWS):
        return False
    if not _VOWELS & set(token) and not any(c.isdigit() for c in token):
        return len(token) <= 4 and token in {"sql", "tcp", "http", "html", "css", "dns", "jwt",
                                             "rpc", "grpc", "xml", "crdt", "ssh", "cdn", "lb"}
    return not re.search(r"[bcdfghjklmnpqrstvwxz]{5,}", token)


def is_gibberish(text: str) -> bool:
    """Keyboard mashing, repeated letters or placeholder Latin: nothing a person said."""
    toks = re.findall(r"[a-z0-9]+", text.lower())
    if not toks:
        return bool(text.strip())  # only punctuation or symbols
    if sum(t in _LOREM for t in toks) >= max(2, len(toks) // 2):
        return True
    bad = sum(not _wordlike(t) for t in toks)
    return bad >= max(1, 0.6 * len(toks))
