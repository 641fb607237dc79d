"""The parts of a story about the candidate's own work, found the way an interviewer hears them.

Questions about a line of the candidate's resume (``personal.py``) have five fixed key points:
the context, the candidate's own part, a trade-off, the result and the lesson. None of them is
content an answer could paraphrase ("the context: the problem, its scale and why it
mattered" is close in meaning to no sentence of a real story), so the sentence encoder and
the key-point phrasings recognise them poorly. Each part has plain markers in speech instead:
"I decided…", "instead of…", "as a result… by 70 percent", "looking back…", "before that,
customers waited nine minutes…". A sentence with the part's markers states it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from backend.interviewer.grading.spans import Answer

_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:%|x\b|ms\b|s\b|k\b|tb\b|gb\b|mb\b)?|\b(?:two|three|"
                     r"four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|"
                     r"hundred|thousand|million|billion|half|double|doubled|tripled|twice)\b")
_I_ACTION = re.compile(
    r"\bi(?:\s+\w+){0,2}?\s+(?:decided|designed|built|wrote|rewrote|led|proposed|chose|owned|"
    r"implemented|migrated|created|added|introduced|set up|pushed|convinced|profiled|split|"
    r"moved|fixed|took|ran|drove|started|pitched|negotiated|measured|found|replaced|"
    r"refactored|automated|wired|modelled|modeled|planned|paired|argued|benchmarked|traced|"
    r"investigated|sharded|partitioned|shipped|delivered|reviewed|mentored|coordinated|"
    r"organised|organized|suggested|insisted|prototyped|tested|deployed|rolled|handled)\b|"
    r"\b(?:my (?:role|part|job|idea|decision|proposal)|i was responsible|i was the one|"
    r"i took (?:it|this|that) on|on my own|myself)\b", re.IGNORECASE)
_TRADEOFF = re.compile(
    r"\b(?:instead of|rather than|we considered|i considered|considered|alternative|"
    r"trade-?offs?|at the cost of|the downside|the catch|the price|we looked at|i looked at|"
    r"the other option|another option|could have|rejected|decided against|versus|vs\.?|"
    r"over (?:a|the|just|simply)|we weighed|i weighed|would have (?:been|meant|cost|needed)|"
    r"cost us|but it meant|the risk was)\b", re.IGNORECASE)
_RESULT = re.compile(
    r"\b(?:as a result|result(?:ed)? in|reduced|improved|dropped|went (?:from|down|up)|cut|"
    r"saved|increased|decreased|faster|slower|fewer|less|lower|higher|down to|up to|from \S+ "
    r"to|shipped|launched|went live|on time|no (?:more|longer)|stopped|eliminated|halved|"
    r"doubled|outcome|in the end|after that|since then|it worked)\b", re.IGNORECASE)
_LESSON = re.compile(
    r"\b(?:learned|learnt|lesson|looking back|in hindsight|next time|differently|if i did it "
    r"again|if i were to|i would now|i'd now|i wish|i should have|i'd have|i would have|"
    r"what i'd change|taught me)\b", re.IGNORECASE)
_CONTEXT = re.compile(
    r"\b(?:before(?: that| this| we| i)?|used to|the problem|the issue|the pain|was taking|"
    r"were taking|we had|there was|there were|customers|users|clients|traffic|tickets|"
    r"complain\w*|outages?|incidents?|slow|latency|bottleneck|backlog|manual(?:ly)?|"
    r"was (?:failing|breaking|costing|down)|every (?:day|week|night|month)|at the time)\b",
    re.IGNORECASE)

_Detector = Callable[[str], bool]
DETECTORS: dict[str, _Detector] = {
    "the context: the problem, its scale and why it mattered":
        lambda s: bool(_CONTEXT.search(s)) and (bool(_NUMBER.search(s)) or len(s.split()) >= 10),
    "what you personally decided or did, not only what the team did":
        lambda s: bool(_I_ACTION.search(s)),
    "a real tradeoff and the alternative you rejected":
        lambda s: bool(_TRADEOFF.search(s)) and len(s.split()) >= 6,
    "a concrete, ideally measured, result":
        lambda s: bool(_RESULT.search(s)) and len(s.split()) >= 5,
    "what you learned or would do differently":
        lambda s: bool(_LESSON.search(s)),
}


def is_story_point(point: str) -> bool:
    return point in DETECTORS


def story_quote(answer: Answer, point: str) -> str:
    """The first sentence (or clause) of the answer that states this part of the story, as
    the candidate said it; "" when none does."""
    detect = DETECTORS[point]
    for span in sorted(answer.spans, key=lambda s: (s.first, s.last - s.first)):
        if detect(span.text):
            return answer.quote(span.first, span.last)
    return ""
