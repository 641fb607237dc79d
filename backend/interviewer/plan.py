"""The interview plan: what the job requires, what the resume shows of it, and how many
questions each requirement gets.

Requirements come from the posting (``analysis.postings``), one per line. Each gets a
weight that says how much of the interview it deserves:

    must-have (under "Requirements", "Must have", or "you must ...")     1.0
      + 0.25 when the resume shows no evidence of it (a gap: the thing to practise)
      + 0.10 when the resume claims depth in it (two or more lines: worth probing)
      + 0.10 for each other line of the posting that names the same skills (up to 0.2)
    responsibility ("What you'll do") not repeated by a must-have       0.55
    nice-to-have                                                           0.40
    a line of the team's stack or other prose                             0.30

Questions are handed out one at a time, each to the requirement with the highest
weight / (1 + questions already on it) that the bank still has a question on (the
D'Hondt rule): every must-have gets its first question before any nice-to-have, and
a second question on a must-have (weight / 2 >= 0.5) outranks a first on a
nice-to-have (0.4). A question that is on several requirements counts for each.

Not asked: years of experience ("3+ years building services in Go or Java") and lines
that name only languages or a cloud vendor ("Python or Java", "AWS or GCP"), which the
resume answers; requirements no bank question is on
(listed as not covered, never replaced by a loosely related topic), and soft skills,
which the behavioral question and every answer's communication score cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from backend.interviewer.analysis.postings import JobLine, read_posting
from backend.interviewer.analysis.taxonomy import Taxonomy, load_taxonomy
from backend.interviewer.domain import ResumeAnalysis
from backend.interviewer.matching import BankIndex, Wanted, head_of, term_keys

WEIGHTS = {"must": 1.0, "duty": 0.55, "nice": 0.4, "stack": 0.3, "context": 0.3}
GAP_BONUS, DEPTH_BONUS, ECHO_BONUS, MAX_ECHO = 0.25, 0.1, 0.1, 0.2
THIRD_QUESTION_FACTOR = 0.3  # a third question on one requirement only when all else is asked
# A line naming only languages or a cloud vendor ("Python or Java", "AWS or GCP") is read
# from the resume: the bank asks about what is built with them. SQL and GraphQL are asked:
# queries and schemas are topics of their own.
ASKED_LANGUAGES = frozenset({"SQL", "GraphQL"})
CLOUD_VENDORS = frozenset({"AWS", "GCP", "Azure"})

_LABEL_LEAD = re.compile(
    r"^(?:(?:you|we)\s+(?:must|need|should|expect\s+you\s+to)\s+(?:have\s+)?(?:be\s+)?"
    r"(?:built\s+or\s+run|worked\s+with|(?:deep\s+|some\s+|hands-on\s+)?experience\s+(?:with|in))?\s*|"
    r"(?:deep|solid|strong|good|hands-on|proven|some|any)\s+(?:knowledge|understanding|"
    r"experience|exposure)?\s*(?:of|with|in|to)?\s*|"
    r"(?:experience|knowledge|familiarity|exposure|understanding)\s+(?:with|in|of|designing|"
    r"building|running)\s+|it\s+would\s+be\s+(?:great|nice|a\s+plus)\s+if\s+you(?:\s+have)?\s+|"
    r"(?:comfortable|familiar)\s+with\s+|to\s+know\s+how\s+you\s+would\s+|with\s+|and\s+)+",
    re.IGNORECASE)
_LABEL_TAIL = re.compile(r"\s+(?:is|are|would\s+be|helps)\b.*$|\s*\(.*$", re.IGNORECASE)


@dataclass
class Requirement:
    """One requirement of the job, as the plan sees it."""

    id: str
    text: str                    # as the posting words it
    kind: str                    # must, duty, nice, stack, context
    skills: list[str]
    terms: set[str]
    order: int
    named: set[str] = field(default_factory=set)  # the terms that spell its skills
    match_skills: list[str] = field(default_factory=list)  # the skills questions must share
    weight: float = 0.0
    askable: bool = True
    soft: bool = False
    in_resume: bool = False
    evidence: list[str] = field(default_factory=list)  # resume lines that show it
    work: list[str] = field(default_factory=list)  # those of them that tell a piece of work
    topic_ids: list[str] = field(default_factory=list)  # its skills' main topics
    head_skills: list[str] = field(default_factory=list)  # the skills its head names
    echoes: int = 0              # other posting lines that name the same skills
    reason: str = ""             # why it is not asked, when it is not

    @property
    def must(self) -> bool:
        return self.kind in ("must", "duty")

    @property
    def wanted(self) -> Wanted:
        """What the bank's questions are matched on."""
        return Wanted.of(self.text, self.match_skills, self.named)

    @property
    def label(self) -> str:
        return short_label(self.text)


def short_label(text: str) -> str:
    """"Idempotent payment APIs" from "Idempotent payment APIs: idempotency keys, ..."."""
    head = _LABEL_TAIL.sub("", _LABEL_LEAD.sub("", text.strip())).strip(" ,;.")
    head = re.sub(r"^(?:a|an|the)\s+", "", head, flags=re.IGNORECASE)
    if len(head) < 3 or head.lower() in ("it", "this", "they", "you"):
        head = text.strip().rstrip(".")
    before, colon, after = head.partition(":")
    if colon and len(before.split()) >= 3:
        head = before  # "Idempotent payment APIs: idempotency keys, ..."
    if len(head) > 70:
        head = head[:70].rsplit(" ", 1)[0] + "…"
    first = head.split(" ", 1)[0]
    return head[:1].upper() + head[1:] if first.islower() else head  # "gRPC" stays


def requirements(job_description: str, analysis: ResumeAnalysis, resume_text: str,
                 index: BankIndex, taxonomy: Taxonomy | None = None) -> list[Requirement]:
    """The job's requirements, merged and weighted, with the resume's evidence for each."""
    tax = taxonomy or load_taxonomy()
    lines = read_posting(job_description, tax)
    reqs = [_requirement(line, tax) for line in lines]
    reqs = _merge_echoes(reqs, tax)
    evidence = _ResumeEvidence(analysis, resume_text, tax, index)
    for r in reqs:
        r.evidence = evidence.for_requirement(r)
        r.work = [ln for ln in r.evidence if evidence.told_work(ln)]
        r.in_resume = bool(r.evidence)
        r.weight = WEIGHTS[r.kind]
        if r.kind == "must":
            r.weight += 0.0 if r.in_resume else GAP_BONUS
            r.weight += DEPTH_BONUS if len(r.evidence) >= 2 else 0.0
            r.weight += min(ECHO_BONUS * r.echoes, MAX_ECHO)
        if r.soft:
            r.askable, r.reason = False, "a soft skill: the behavioral question and every " \
                                         "answer's communication show it"
        elif r.askable and not r.skills and not r.terms:
            r.askable, r.reason = False, "nothing specific enough to ask about"
    return reqs


def _requirement(line: JobLine, tax: Taxonomy) -> Requirement:
    cats = line.categories(tax)
    platforms = [s for s in line.skills if _platform(s, tax)]
    soft = (bool(line.skills) and cats <= {"soft-skill"}) or (not line.skills and line.soft)
    named = _skill_terms(line)
    r = Requirement(id=f"r{line.order + 1}", text=line.text, kind=line.kind,
                    skills=[s for s in line.skills if tax.skills[s].category != "soft-skill"],
                    terms=term_keys(line.text), order=line.order, soft=soft, named=named)
    r.topic_ids = list(dict.fromkeys(tax.skills[s].topics[0] for s in line.skills
                                     if tax.skills[s].topics))
    head_end = len(head_of(line.text))
    r.head_skills = list(dict.fromkeys(m.skill.name for m in line.mentions if m.end <= head_end))
    # What the questions are matched on: not a cloud vendor beside the subject ("Cloud
    # security on AWS: IAM, KMS" is asked as IAM and KMS, not as any question naming AWS),
    # nor a language that another skill of the line implies ("Python, PyTorch or TensorFlow"
    # is asked as PyTorch, "JavaScript and React" as React).
    implied = tax.closure({s for s in line.skills if tax.skills[s].category != "language"})
    beside = {s for s in platforms if tax.skills[s].category == "cloud" or s in CLOUD_VENDORS
              or (s in implied and tax.skills[s].category == "language")}
    r.match_skills = [s for s in r.skills if s not in beside] or list(r.skills)
    if r.match_skills != r.skills:
        aside = {t for m in line.mentions if m.skill.name in beside
                 for t in term_keys(line.text[m.start:m.end])}
        r.terms = {t for t in r.terms if t not in aside and not any(
            part in aside for part in t.split("_"))} or r.terms
    if line.years and (len(platforms) == len(line.skills) or not r.terms - named):
        r.askable, r.reason = False, "years of experience: read from your resume, not asked"
    elif line.skills and len(platforms) == len(line.skills) and not soft:
        r.askable = False
        r.reason = ("a language or cloud platform: read from your resume; the questions are "
                    "on what you build with it")
    return r


def _platform(name: str, tax: Taxonomy) -> bool:
    """A programming language or a cloud vendor (or one of its products, like S3)."""
    skill = tax.skills[name]
    if name in ASKED_LANGUAGES:
        return False
    return skill.category in ("language", "soft-skill") or name in CLOUD_VENDORS or (
        skill.category == "cloud" and bool(skill.implies)
        and set(skill.implies) <= CLOUD_VENDORS)


def _skill_terms(line: JobLine) -> set[str]:
    return {t for m in line.mentions for t in term_keys(line.text[m.start:m.end])}


def _merge_echoes(reqs: list[Requirement], tax: Taxonomy) -> list[Requirement]:
    """A responsibility or stack line whose skills a must-have already names adds weight to
    that must-have instead of standing alone ("Own the ledger" and "a double-entry ledger
    on PostgreSQL" are one requirement)."""
    musts = [r for r in reqs if r.kind == "must" and r.askable]
    kept: list[Requirement] = []
    for r in reqs:
        if r.kind in ("duty", "stack", "context") and (r.skills or r.terms):
            concrete = {s for s in r.skills if tax.skills[s].category not in ("language",)}
            echoed = [m for m in musts if concrete and concrete <= set(m.skills)
                      or (not concrete and len(r.terms & m.terms) >= 2)]
            if not echoed and concrete:
                covered = set().union(*(m.skills for m in musts)) if musts else set()
                echoed = [m for m in musts if concrete & set(m.skills)] \
                    if concrete <= covered else []
            if echoed:
                for m in echoed:
                    m.echoes += 1
                continue
            if not concrete and r.kind != "duty":
                continue  # a stack line of languages only, already asked for elsewhere
        kept.append(r)
    return kept


class _ResumeEvidence:
    """Where the resume shows a requirement's subject.

    The subject is the practice the requirement names (indexing, idempotency), or, when it
    names none, what it says beyond its technologies ("a double-entry ledger on
    PostgreSQL" is about ledgers, not PostgreSQL); only then the technologies themselves.
    A line shows a practice when it names it, a skill implying it, or a phrase the
    taxonomy relates to it; it shows words when it shares a rare one and another. Lines
    telling work come before lines listing skills."""

    RARE = 3.0  # a word in few enough bank questions to say what a requirement is about

    def __init__(self, analysis: ResumeAnalysis, resume_text: str, tax: Taxonomy,
                 index: BankIndex):
        self.tax = tax
        self.index = index
        self.by_skill: dict[str, list[str]] = {}
        found = list(analysis.skills) + tax.find_related(resume_text)
        for s in found:
            for name in tax.closure([s.skill]) | {s.skill}:
                lines = self.by_skill.setdefault(name, [])
                lines.extend(e for e in s.evidence if e not in lines)
        raw = [ln for ln in resume_text.splitlines() if len(ln.split()) >= 4]
        self.lines = [_BULLET.sub("", ln).strip() for ln in raw]
        self.line_terms = [term_keys(ln) for ln in self.lines]
        # lines that tell a piece of work: bullets, and the resume's highlights
        self.work = {_BULLET.sub("", ln).strip() for ln in raw if _BULLET.match(ln)} | \
            {_BULLET.sub("", h).strip() for h in analysis.highlights}

    def for_requirement(self, r: Requirement) -> list[str]:
        """The head of the requirement decides its subject when it names one ("Elasticsearch
        or Solr, including sharding" is about Elasticsearch); else the whole line."""
        head = head_of(r.text)
        head_terms = term_keys(head)
        for skills, terms in (([s for s in r.match_skills if s in r.head_skills], head_terms),
                              (list(r.match_skills), r.terms)):
            practices = [s for s in skills if self.tax.skills[s].category == "practice"]
            words = {t for t in terms - r.named
                     if "_" not in t and self.index.term_weight(t) >= self.RARE}
            if practices:
                out = self._naming(practices)
            elif words:
                out = [ln for ln, lt in zip(self.lines, self.line_terms, strict=True)
                       if lt & words and len(lt & r.terms) >= 2]
            elif skills:
                out = self._naming(skills)
            else:
                continue
            out = list(dict.fromkeys(out))
            return sorted(out, key=lambda ln: (ln not in self.work, _listing(ln)))[:3]
        return []

    def told_work(self, line: str) -> bool:
        return line in self.work

    def _naming(self, skills: list[str]) -> list[str]:
        return [line for name in skills for line in self.by_skill.get(name, [])]


_BULLET = re.compile(r"^\s*[-*•·●▪■◦‣–—>]\s*")


def _listing(line: str) -> bool:
    """A line that lists skills rather than telling work ("Go, Python, PostgreSQL")."""
    return line.count(",") >= max(2, len(line.split()) / 4)


@dataclass
class PlanItem:
    """A requirement with the questions the plan gives it."""

    requirement: Requirement
    questions: list[str] = field(default_factory=list)   # question ids, in asking order
    topics: list[str] = field(default_factory=list)      # their topic titles
    topic_ids: list[str] = field(default_factory=list)   # and ids

    def to_dict(self) -> dict[str, Any]:
        r = self.requirement
        return {"id": r.id, "requirement": r.label, "text": r.text,
                "kind": "must" if r.must else "nice",
                "source": {"must": "requirements", "duty": "responsibilities",
                           "nice": "nice to have"}.get(r.kind, "posting"),
                "in_resume": r.in_resume, "evidence": list(r.evidence),
                "skills": list(r.skills), "topics": list(dict.fromkeys(self.topics)),
                "topic_ids": list(dict.fromkeys(self.topic_ids + r.topic_ids)),
                "questions": len(self.questions)}


@dataclass
class InterviewPlan:
    """What an interview of ``max_questions`` questions will ask, and why."""

    max_questions: int
    opener: str = ""                                     # the resume line the first question is on
    items: list[PlanItem] = field(default_factory=list)  # in the order first asked
    behavioral: bool = False
    uncovered: list[dict[str, Any]] = field(default_factory=list)
    not_asked: list[dict[str, Any]] = field(default_factory=list)
    question_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"max_questions": self.max_questions, "opener": self.opener,
                "plan": [i.to_dict() for i in self.items], "behavioral": self.behavioral,
                "uncovered": list(self.uncovered), "not_asked": list(self.not_asked)}
