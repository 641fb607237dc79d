"""A follow-up answer that takes back what the candidate said before ("I had that backwards").

A candidate who states something wrong and corrects it after the interviewer's follow-up has
shown the right idea, but only with help: an interviewer credits the corrected points and
still notes the first claim (the judgment set's rubric: a confident wrong claim lowers the
band by 1-2). The grader's own reading of a wrong claim (the encoder's margin to a point's
``mistakes``) also fires on correct but incomplete answers, so only the candidate's own words
are trusted here: the fixed ways English speakers take back what they said. Works on typed
and on spoken text (no punctuation, lower case).
"""

from __future__ import annotations

import re

# Said anywhere in the answer: each names the earlier words as wrong.
_TAKES_BACK = re.compile(
    r"\bi(?:'ve| have)? (?:had|got|get|have) (?:that|it|this|those|them|the two|the two of them) "
    r"(?:\w+ )?(?:backwards?|back to front|the wrong way (?:a)?round|the other way (?:a)?round|"
    r"wrong|mixed up|confused|muddled)\b|"
    r"\bi (?:mixed|muddled) (?:that|it|them|those|these|the two)(?: \w+)? up\b|"
    r"\bi said (?:it|that|this|them) (?:\w+ )?(?:the )?(?:wrong way|the other way|backwards?)\b|"
    r"\b(?:what|the thing) i said (?:before|earlier|first)? ?(?:was|is) (?:wrong|not right|"
    r"backwards|not quite right)\b|"
    r"\bi was (?:wrong|mistaken) (?:there|before|earlier|about that|about (?:the|what))\b|"
    r"\b(?:let me|i'll|i want to|i need to|i should|i have to) (?:take (?:that|it|this) back|"
    r"correct (?:that|myself|what i said|my (?:earlier |first )?answer))\b|"
    r"\bscratch that\b|\bi misspoke\b|\bi stand corrected\b|\bon second thoughts?\b|"
    r"\bi was (?:a bit |a little |too )?(?:quick|hasty) there\b", re.IGNORECASE)
# Said at the start only: a hesitation and "no" ("Hm, no.", "Actually, no, let me…"), not
# "actually no one uses that".
_OPENS_WITH_NO = re.compile(
    r"^\W*(?:(?:hm+|um+|uh+|oh|ah|okay|ok|so|right)\W+)*(?:actually|wait|hm+|hmm+)\W+no\b"
    r"(?!\W+(?:one|body|thing|more|longer|need|way|matter|doubt|problem|idea)\b)",
    re.IGNORECASE)


# A follow-up question that asks for a yes or a no ("Is PATCH safe to retry?", "Did the
# changes work?"): 166 of the bank's 2,378. "Hm, no, because…" answers it.
_YES_NO_QUESTION = re.compile(r"^\W*(?:is|are|was|were|does|do|did|can|could|would|should|will|"
                              r"has|have|isn't|aren't|doesn't|don't|didn't|wouldn't)\b",
                              re.IGNORECASE)


def retracts_earlier(text: str, followup: str = "") -> bool:
    """The answer takes back something the candidate said earlier in the question.
    ``followup``: the question it replies to; after a yes/no question an opening "no" is
    the answer, not a retraction."""
    if _TAKES_BACK.search(text):
        return True
    return not _YES_NO_QUESTION.match(followup) and bool(_OPENS_WITH_NO.search(text))
