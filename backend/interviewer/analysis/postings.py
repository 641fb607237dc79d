"""A job posting read into the requirements it states, each as the job words it.

A requirement is one bullet, or one sentence (or clause) of prose, with its kind:

    must     under a heading such as "Requirements", "Must have", "What you'll need",
             or a sentence with a cue such as "you must", "you need", "is required"
    nice     under "Nice to have", "Bonus", "Preferred", or with a cue such as "is a plus",
             "would be nice", "helps but is not required" (a nice cue wins over a must cue)
    duty     under "What you'll do", "Responsibilities", or "you will ..." in prose: what
             the job does, which asks for the same skills
    stack    "Our stack: ..." lines: what the team uses
    context  anything else with skills in it, when the posting has explicit requirements

Headings about the company, benefits or how to apply are skipped. A posting with no
heading and no cue at all (a bare list of skills) is read as must-haves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from backend.interviewer.analysis.taxonomy import Mention, Taxonomy, load_taxonomy

Kind = str  # "must" | "nice" | "duty" | "stack" | "context"

NICE_CUE = re.compile(
    r"nice[\s-]+to[\s-]+have|\bbonus\b|\ba\s+(?:big\s+)?plus\b|\bpluses\b|\bpreferred\b|"
    r"\bdesirable\b|\bdesired\b|\bideally\b|would\s+be\s+(?:great|nice|a\s+plus|a\s+bonus)|"
    r"good\s+to\s+have|not\s+required|\boptional\b|extra\s+credit|\bwelcome\b|we'?d\s+love|"
    r"\bhelps\b|\bnice\b|is\s+an?\s+advantage|\badvantageous\b", re.IGNORECASE)
_MUST_CUE = re.compile(
    r"\bmust\b|\bneed(?:s|ed)?\b|\brequired?\b|\brequires\b|\bexpect\b|\bshould\b|\bproven\b|"
    r"\bstrong\b|\bsolid\b|\bdeep\b|\bhands-on\b|\bexperience\s+(?:with|in|of|building|running|"
    r"designing|operating)\b|\bknowledge\s+of\b|\bproficien\w*|\bcomfortable\b|\bable\s+to\b|"
    r"\byou\s+(?:have|bring|know|are|can)\b|\bwe(?:'re|\s+are)\s+looking\s+for\b|"
    r"\bsomeone\s+who\b|\bunderstand|\bask\s+you\s+to\b", re.IGNORECASE)
_DUTY_CUE = re.compile(r"\byou\s*(?:will|'ll|’ll)\b|\bin\s+this\s+role\b|\byour\s+(?:day|job|work)\b|"
                       r"\bresponsib", re.IGNORECASE)

_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nice", NICE_CUE),
    ("ignored", re.compile(
        r"about\s+(?!you\b|the\s+(?:role|job|position)\b)\w+|who\s+we\s+are|benefits|perks|"
        r"what\s+we\s+offer|compensation|equal\s+opportunity|our\s+values|why\s+join|"
        r"how\s+to\s+apply|salary|the\s+process|interview\s+process|location|"
        r"diversity|culture", re.IGNORECASE)),
    ("duty", re.compile(
        r"responsibilit|what\s+you(?:'ll|’ll|\s+will)\s+(?:do|work\s+on|own|build)|the\s+role|"
        r"about\s+the\s+(?:role|job|position)|in\s+this\s+role|your\s+(?:role|mission|impact)|"
        r"day[\s-]to[\s-]day|the\s+job|what\s+you\s+do", re.IGNORECASE)),
    ("stack", re.compile(r"(?:our|the|tech)\s+stack|technolog(?:y|ies)\s+we\s+use|our\s+tools|"
                         r"tools\s+we\s+use", re.IGNORECASE)),
    ("must", re.compile(
        r"requirements?|must[\s-]+haves?|what\s+you(?:'ll|’ll)?\s+(?:need|bring)|qualifications|"
        r"what\s+we(?:'re|\s+are)\s+looking\s+for|you\s+(?:have|bring|are)|required|skills|"
        r"experience|minimum|who\s+you\s+are|about\s+you|what\s+(?:we|you)\s+need", re.IGNORECASE)),
)
_BULLET = re.compile(r"^\s*(?:[-*•·●▪■◦‣–—>]|\d{1,2}[.)])\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# Where one sentence states two requirements: "..., and with designing idempotent APIs",
# "..., and you should be comfortable ...", "...; ...".
_CLAUSE = re.compile(r",\s+and\s+(?=(?:with|to|you|be|have|know|experience|in|on)\b)|;\s+|"
                     r"\s+and\s+to\s+(?!be\b)|"
                     r"\s+and\s+(?=(?:(?:some|strong|solid|deep|good)\s+)?(?:experience|knowledge|"
                     r"familiarity|understanding|exposure)\b)", re.IGNORECASE)
# Lines that state no skill to ask about: a degree, or prose about the company or role.
_NOT_ASKABLE = re.compile(r"\bdegree\b|\bbachelor|\bmaster'?s\b|\bphd\b|equivalent\s+(?:practical\s+)?"
                          r"experience|^(?:we|our|the\s+team)\b", re.IGNORECASE)
_ADDRESSED = re.compile(r"\byou\b|\byour\b|\bexperience\b|\bknowledge\b|\bfamiliar", re.IGNORECASE)
_YEARS = re.compile(r"\b\d{1,2}\+?\s*(?:years?|yrs)\b", re.IGNORECASE)
_SOFT_WORDS = re.compile(r"\bcommunicat|\bcollaborat|\bteamwork\b|\bleadership\b|\bmentor|"
                         r"\bstakeholder|\bownership\b|\bpresent\w*\s+findings\b", re.IGNORECASE)


@dataclass
class JobLine:
    """One requirement as the job states it."""

    text: str                      # the bullet or sentence, as written (bullet mark removed)
    kind: Kind
    order: int                     # position in the posting
    mentions: list[Mention] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)  # canonical names, in order
    years: bool = False            # "3+ years building services in Go, Python or Java"

    def categories(self, tax: Taxonomy) -> set[str]:
        return {tax.skills[s].category for s in self.skills if s in tax.skills}

    @property
    def soft(self) -> bool:
        """About how the candidate works with people rather than a technology."""
        return bool(_SOFT_WORDS.search(self.text))


def read_posting(job_description: str, taxonomy: Taxonomy | None = None) -> list[JobLine]:
    """Every requirement-like line of a posting, in order, with its kind and skills."""
    tax = taxonomy or load_taxonomy()
    blocks = _blocks(job_description)
    explicit = any(mode in ("must", "nice", "duty") for mode, _, _ in blocks) or any(
        _MUST_CUE.search(t) or NICE_CUE.search(t) for _, t, _ in blocks)
    out: list[JobLine] = []
    for mode, text, bullet in blocks:
        if mode == "ignored":
            continue
        pieces = [text] if bullet else [s for s in _SENTENCE.split(text) if s.strip()]
        for sentence in pieces:
            kind = _kind(sentence, mode, explicit)
            for clause in _split_lists(_clauses(sentence), tax):
                mentions = tax.mentions(clause)
                skills = list(dict.fromkeys(m.skill.name for m in mentions))
                if not skills and not _stated(clause, kind, bullet):
                    continue
                out.append(JobLine(text=clause.strip().rstrip("."), kind=kind, order=len(out),
                                   mentions=mentions, skills=skills,
                                   years=bool(_YEARS.search(clause))))
    return out


def _stated(clause: str, kind: Kind, bullet: bool) -> bool:
    """Whether a line that names no known skill still states a requirement ("Reliable
    webhooks: retries, signatures", "You must have built a double-entry ledger"), rather
    than a degree or a sentence about the company."""
    if kind not in ("must", "nice") or _NOT_ASKABLE.search(clause.strip()):
        return False
    if _SOFT_WORDS.search(clause):
        return True
    return len(clause.split()) >= 2 and (bullet or bool(_ADDRESSED.search(clause)))


def _kind(sentence: str, mode: str | None, explicit: bool) -> Kind:
    if NICE_CUE.search(sentence):
        return "nice"
    if mode in ("nice", "must", "stack"):
        return mode
    if mode == "duty":
        return "duty"
    if _DUTY_CUE.search(sentence):
        return "duty"
    if _MUST_CUE.search(sentence):
        return "must"
    return "context" if explicit else "must"


_LIST_GLUE = re.compile(r"^[\s,/&|.;]*(?:(?:and|or|and/or|plus)\b[\s,/&|.;]*)?$", re.IGNORECASE)


def _split_lists(clauses: list[str], tax: Taxonomy) -> list[str]:
    """A line that is nothing but a list of skills ("Terraform, AWS, gRPC") states one
    requirement per skill; either-or names stay together ("Python, PyTorch or TensorFlow")."""
    out: list[str] = []
    for clause in clauses:
        mentions = tax.mentions(clause)
        gaps = [clause[:mentions[0].start]] if mentions else []
        gaps += [clause[a.end:b.start] for a, b in pairwise(mentions)]
        gaps += [clause[mentions[-1].end:]] if mentions else []
        if len({m.skill.name for m in mentions}) < 2 or not all(_LIST_GLUE.match(g) for g in gaps):
            out.append(clause)
            continue
        inner = gaps[1:-1]
        if any(re.search(r"\bor\b|/", g, re.IGNORECASE) for g in inner) and \
                not any(re.search(r"\band\b|&|\bplus\b", g, re.IGNORECASE) for g in inner):
            out.append(clause)  # "Python, Go or Java": one either-or requirement
            continue
        group: list[str] = [clause[mentions[0].start:mentions[0].end]]
        for m, glue in zip(mentions[1:], gaps[1:-1], strict=True):
            name = clause[m.start:m.end]
            if re.search(r"\bor\b|/", glue, re.IGNORECASE):
                group.append(name)
            else:
                out.append(" or ".join(group))
                group = [name]
        out.append(" or ".join(group))
    return out


def _clauses(sentence: str) -> list[str]:
    parts = [p for p in _CLAUSE.split(sentence) if p and p.strip()]
    return parts if len(parts) > 1 else [sentence]


def _blocks(text: str) -> list[tuple[str | None, str, bool]]:
    """(section mode, text, is a bullet) for each bullet and each prose paragraph, with
    wrapped lines joined; the posting's first line (its title) is left out."""
    blocks: list[tuple[str | None, str, bool]] = []
    mode: str | None = None
    current: list[str] = []
    bullet = False

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append((mode, " ".join(current), bullet))
        current = []

    lines = text.splitlines()
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    first = filled[0] if len(filled) > 1 else None
    previous = ""
    for i, raw in enumerate(lines):
        line = raw.strip()
        if i == first and len(line.split()) <= 12 and not line.endswith(".") \
                and heading_mode(line) is None:
            continue  # the title
        if not line:
            flush()
            previous = ""
            continue
        previous_line, previous = previous, line
        heading = heading_mode(line)
        if heading is not None:
            flush()
            mode = heading[0]
            rest = heading[1]
            if rest:
                current, bullet = [rest], False
                flush()
            continue
        if _BULLET.match(raw):
            flush()
            current, bullet = [_BULLET.sub("", raw).strip()], True
            continue
        if bullet and current and (raw[:1].isspace() or line[:1].islower()):
            current.append(line)  # a wrapped bullet
            continue
        if bullet:
            flush()
            bullet = False
        elif current and line[:1].isupper() and len(previous_line) < 60 \
                and not re.search(r"[,;:\-–]$|\b(?:and|or|the|a|of|with|in|to)$", previous_line):
            flush()  # a list written without bullets: one item a line
        current.append(line)
    flush()
    return blocks


def heading_mode(line: str) -> tuple[str, str] | None:
    """(mode, text after the heading) if the line is a heading ("Requirements",
    "## Must have", "Nice to have: Terraform, AWS"), else None."""
    if _BULLET.match(line):
        return None
    head, colon, rest = line.partition(":")
    head = re.sub(r"^[#*\s\-–•]+|[#*\s]+$", "", head if colon else line)
    if not head or len(head.split()) > 7 or len(head) > 60:
        return None
    if not colon and not (head.isupper() or line.startswith("#")
                          or (len(head.split()) <= 5 and not re.search(r"[.,;!?]$", head))):
        return None
    for mode, pattern in _HEADINGS:
        if pattern.search(head):
            return mode, rest.strip()
    return None
