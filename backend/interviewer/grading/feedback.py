"""The words the candidate reads after an answer: short, specific, never repeated.

The short feedback says what was good (quoting the candidate), the one most important
thing to add and how (a sentence from the model answer that makes that point), and
after a follow-up it speaks about the follow-up answer. The full lists of covered points
(with quotes) and missing points are the detail.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from backend.interviewer.domain import KeyPoint, Question

from backend.interviewer.grading.evidence import lexical_match, phrase_stems
from backend.interviewer.grading.spans import Answer

QUOTE_WORDS = 18


@dataclass(frozen=True)
class Said:
    point: KeyPoint
    quote: str


# Points written as what a good answer does ("Reflects on the lesson", the bank's behavioural
# and story points) read in a sentence as what the candidate does: "that covers reflecting
# on the lesson", not "that covers reflects on the lesson".
_GERUNDS = {
    "addresses": "addressing", "clarifies": "clarifying", "communicates": "communicating",
    "coordinates": "coordinating", "decides": "deciding", "delivers": "delivering",
    "describes": "describing", "diagnoses": "diagnosing", "explains": "explaining",
    "fixes": "fixing", "follows": "following", "gives": "giving", "identifies": "identifying",
    "introduces": "introducing", "is": "being", "learns": "learning", "makes": "making",
    "measures": "measuring", "prioritises": "prioritising", "quantifies": "quantifying",
    "reaches": "reaching", "reasons": "reasoning", "reflects": "reflecting",
    "resolves": "resolving", "salvages": "salvaging", "seeks": "seeking", "separates":
    "separating", "sets": "setting", "shows": "showing", "states": "stating", "steps":
    "stepping", "takes": "taking", "understands": "understanding",
    # second verbs ("Understands the goal and offers an alternative")
    "agrees": "agreeing", "builds": "building", "evaluates": "evaluating", "leads": "leading",
    "lowers": "lowering", "maintains": "maintaining", "offers": "offering", "provides":
    "providing", "redirects": "redirecting", "repairs": "repairing",
}
_SECOND_VERB = re.compile(r"(\band |, )(" + "|".join(_GERUNDS) + r")\b")
# The second word after which such a first word is a plural noun ("Steps and compensations
# must be idempotent", "Sets are unordered"), not a verb.
_NOUN_AFTER = frozenset({"and", "or", "are", "must", "can", "should", "need", "may", "of"})


def short_point(point: str) -> str:
    """The point inside a sentence: "Optimistic checks…" -> "optimistic checks…", "A blocking
    call…" -> "a blocking call…", "Seeks to understand…" -> "seeking to understand…"; a
    name stays ("TCP gives…", "CPU-bound…", "JavaScript runs…")."""
    p = point.strip().rstrip(".")
    head, _, rest = p.partition(" ")
    lead = "clearly " if head == "Clearly" else ""
    if lead:
        head, _, rest = rest.partition(" ")
    verb = _GERUNDS.get(head.lower().rstrip(","))
    if verb and rest and rest.split(" ", 1)[0].lower() not in _NOUN_AFTER:
        rest = _SECOND_VERB.sub(lambda m: m.group(1) + _GERUNDS[m.group(2)], rest)
        return f"{lead}{verb}{head[len(head.rstrip(',')):]} {rest}"
    # A name keeps its capitals ("TCP gives…", "GraphQL: …", "B-trees…", "Cache-Control…",
    # "I…"); a word joined to an acronym does not ("Single-GPU savings" -> "single-GPU…").
    first, *joined = p.split(" ", 1)[0].split("-")
    a_word = first == "A" or len(first) > 1 and first[1].isalpha() and first[1:].islower() and \
        all(part.islower() or part.isupper() for part in joined)
    return p[:1].lower() + p[1:] if a_word else p


def clip_quote(quote: str, n: int = QUOTE_WORDS) -> str:
    w = quote.split()
    return quote if len(w) <= n else " ".join(w[:n]) + " …"


def model_sentence(question: Question, point: KeyPoint) -> str:
    """The model answer's first sentence that makes this point (the grader's model-sentence
    view, as the coverage model was fitted)."""
    return _model_sentence(question.model_answer, point.phrasings or (point.point,), False)


def example_sentence(question: Question, point: KeyPoint) -> str:
    """The example shown to the candidate: the point's own (a frame for a part of their
    story), else the model answer's sentence that makes most of this point's phrasings. A tie
    on the best phrasing goes to the sentence that makes more of them, so a synonym
    ("distinct" ~ "differently") never picks another point's sentence."""
    if point.example:
        return point.example
    return _model_sentence(question.model_answer, point.phrasings or (point.point,), True)


@lru_cache(maxsize=8192)
def _model_sentence(model_answer: str, phrasings: tuple[str, ...], most: bool) -> str:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", model_answer) if s.strip()]
    best, best_score = "", (0.0, 0)
    for s in sentences:
        ans = Answer(s)
        scores = [lexical_match(ans, phrase_stems(p), frozenset())[0] for p in phrasings]
        score = (max(scores, default=0.0), sum(x >= 0.99 for x in scores) if most else 0)
        if score > best_score:
            best, best_score = s, score
    if best_score[0] < 0.99 or len(best.split()) > 40:
        return ""
    return best


def _for_example(question: Question, point: KeyPoint) -> str:
    """'for example: "…"', or 'fill in: "…"' for a frame (the candidate's own story); "" when
    there is no example."""
    example = example_sentence(question, point)
    if not example:
        return ""
    return f"{'fill in' if point.example else 'for example'}: \u201c{example}\u201d"


def how_to_add(question: Question, point: KeyPoint) -> str:
    example = _for_example(question, point)
    if example:
        return f"Add {short_point(point.point)} \u2014 {example}"
    return f"Add {short_point(point.point)}, in a sentence of your own with a concrete case."


def _maybe_sentence(maybe: Sequence[Said]) -> str:
    m = next((x for x in maybe if x.quote), maybe[0])
    said = f" (\u201c{clip_quote(m.quote, 12)}\u201d)" if m.quote else ""
    return (f"You may have touched on {short_point(m.point.point)}{said} \u2014 say it "
            f"outright so it counts.")


def _not_touched(not_yet: Sequence[KeyPoint], maybe: Sequence[Said]) -> list[KeyPoint]:
    """The points not yet made that no "you may have touched on" sentence names."""
    return [k for k in not_yet if all(m.point != k for m in maybe)]


def _add(question: Question, not_yet: Sequence[KeyPoint], opening: str,
         unclear: Collection[KeyPoint] = (), verb: str = "") -> str:
    """The heaviest point not yet made, and how to make it ("Still to" + "add: …"). One the
    answers may have made ("unclear", with no quote worth showing) is to "make clear";
    ``verb`` says otherwise ("get right")."""
    top = max(not_yet, key=lambda k: k.weight)
    verb = verb or ("make clear" if top in unclear else "add")
    return f"{opening} {verb}: " + how_to_add(question, top)[4:]


# A question about the candidate's own work (their resume, or "tell me about a time…")
# answered in one short line.
HEADLINE = ("That is only the headline, so it earns no credit yet. Tell it as a story: what "
            "was going wrong, what you did yourself, the alternative you turned down and how "
            "it turned out, with a number if you have one.")


# An answer whose claims lean to the question's typical mistakes (``grader.LEANS_WRONG``).
MISCONCEIVED = ("Several of these claims are common misconceptions about this topic, so they "
                "earn no credit yet; check each one against the model answer in your report.")


def main_answer_feedback(question: Question, new: Sequence[Said], maybe: Sequence[Said],
                         not_yet: Sequence[KeyPoint], concrete: bool, dont_know: bool,
                         unclear: Collection[KeyPoint] = (), headline: bool = False,
                         misconceived: bool = False) -> str:
    """After the main answer: what was good (quoted), then the one thing to add and how.
    ``unclear``: the points of ``not_yet`` the answer may have made; ``headline``: a story
    question answered in one short line (``story.is_headline``) that made no point;
    ``misconceived``: no point made, and the words lean to the question's typical mistakes."""
    if headline and not new and not maybe:
        return HEADLINE
    if misconceived and not new and not maybe and not_yet:
        return f"{MISCONCEIVED} {_add(question, not_yet, 'Most important to', verb='get right')}"
    parts: list[str] = []
    if dont_know and not new:
        parts.append("Saying you don't know is fine in practice; reason out loud from what you "
                     "do know.")
    if new:
        best = new[0]
        parts.append(f"You said \u201c{clip_quote(best.quote)}\u201d \u2014 that covers "
                     f"{short_point(best.point.point)}.")
        if len(new) > 1:
            parts.append(f"You also covered {len(new) - 1} more key point"
                         f"{'s' * (len(new) > 2)}.")
    if maybe:
        parts.append(_maybe_sentence(maybe))
    missing = _not_touched(not_yet, maybe)
    if missing:
        parts.append(_add(question, missing, "Most important to", unclear))
    elif not maybe and not concrete:
        parts.append("Every key point is there; add a concrete example or number from your "
                     "own work to make it convincing.")
    elif not maybe:
        parts.append("Every key point is there, with a concrete example: keep it this specific.")
    return " ".join(parts)


# After a follow-up answer that takes back an earlier claim (the score keeps a small cost).
CORRECTED = ("Correcting yourself was the right move; an interviewer still notes the first "
             "claim, so it costs a little.")


def followup_feedback(question: Question, asked: KeyPoint | None, new: Sequence[Said],
                      maybe: Sequence[Said], not_yet: Sequence[KeyPoint],
                      unclear: Collection[KeyPoint] = (), repeated: bool = False,
                      corrected: bool = False) -> str:
    """After a follow-up answer: about that answer first, then what is still open.
    ``unclear``: the points of ``not_yet`` the answers may have made; ``repeated``: the
    answer says an earlier one again; ``corrected``: it takes back an earlier claim."""
    if repeated and not new:  # (the example was shown the first time: not again)
        missing = _not_touched(not_yet, maybe)
        top = asked if asked in missing else max(missing, key=lambda k: k.weight, default=None)
        still = f" Still to add: {short_point(top.point)}." if top else ""
        return "That repeats your earlier answer, so it adds nothing new." + still
    parts: list[str] = []
    named_asked = False  # a sentence already says the asked point is still missing
    asked_said = next((s for s in new if asked is not None and s.point == asked), None)
    others = [s for s in new if s is not asked_said]
    if asked_said is not None:
        parts.append(f"That covers {short_point(asked_said.point.point)}: "
                     f"\u201c{clip_quote(asked_said.quote)}\u201d.")
    elif others:
        parts.append(f"That adds {short_point(others[0].point.point)}: "
                     f"\u201c{clip_quote(others[0].quote)}\u201d.")
        others = others[1:]
    elif maybe:
        parts.append(_maybe_sentence(maybe))
        maybe = ()
    elif asked is not None:
        parts.append(f"Your follow-up answer did not yet say {short_point(asked.point)}.")
        named_asked = True
    else:
        parts.append("Your follow-up answer did not add a new key point.")
    if others:
        parts.append(f"It also covers {short_point(others[0].point.point)}.")
    if corrected:
        parts.append(CORRECTED)
    if maybe:
        parts.append(_maybe_sentence(maybe))
    missing = _not_touched(not_yet, maybe)
    if missing:
        top = max(missing, key=lambda k: k.weight)
        if named_asked and top == asked:  # named just before: only say how to make it
            example = _for_example(question, top)
            parts.append(example[:1].upper() + example[1:] if example else
                         "Say it in a sentence of your own, with a concrete case.")
        elif asked is not None and top == asked:
            parts.append(how_to_add(question, top))
        else:
            parts.append(_add(question, missing, "Still to", unclear))
    elif not maybe:
        parts.append("With that, every key point of the question is covered.")
    return " ".join(parts)


def off_topic_feedback(question: Question, followup: bool, *, other_project: bool = False,
                       in_general: bool = False) -> str:
    topic = short_point(question.topic_title or question.topic)
    if in_general:
        return ("That explains the technology in general, but this question is about your own "
                "project, so it earns no credit here. Tell it as your story: the problem you "
                "had, what you did, a tradeoff you made and how it turned out.")
    if other_project:
        return ("That is a different project from the one this question asks about, so it "
                "earns no credit here. Tell me about the one on your resume: the problem, "
                "your part, a tradeoff you made and how it turned out.")
    if followup:
        return ("That answer is about something else, so it adds nothing to this question. "
                "Stay with the follow-up; even one concrete sentence on it counts.")
    return (f"This answer doesn't address the question, so it earns no credit. Give it a try "
            f"with what you know about {topic}: a partial answer "
            f"still counts, and you can say you're unsure.")
