"""Resume analysis: seniority, years of experience, skills with evidence, strengths,
gaps against the job (or the role), focus areas and lines worth asking about.

Everything here is deterministic and local; ``analyse_resume`` is what the
built-in interviewer returns from ``Interviewer.analyse_resume``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from backend.assets import assets_dir
from backend.interviewer.domain import ResumeAnalysis, Seniority, SkillEvidence
from backend.interviewer.analysis.dates import find_ranges, latest_year, years_of
from backend.interviewer.analysis.employment import (EDUCATION_WORDS, NOT_WORK, Job, read_jobs,
                                                     title_level)
from backend.interviewer.analysis.jobs import (JobRequirement, expectations_for,
                                               family_from_skills, family_from_title,
                                               job_requirements, role_family)
from backend.interviewer.analysis.sections import Line, label_lines
from backend.interviewer.analysis.taxonomy import Taxonomy, load_taxonomy

MAX_STRENGTHS = 8
MAX_GAPS = 6
MAX_FOCUS = 5
MAX_HIGHLIGHTS = 5

_STUDENT = re.compile(
    r"\bexpected\b|\bstudent\b|\bundergraduate\b|\bcurrently\s+(?:pursuing|studying|enrolled)|"
    r"\bpursuing\b|\bnew\s+grad|\brecent\s+graduate|\bfinal[\s-]year\b|\bsophomore\b|\bjunior\s+year\b|"
    r"\bsenior\s+year\b|\bclass\s+of\b|\bcandidate\s+for\b|\bin\s+progress\b", re.IGNORECASE)

_SCOPE_VERBS = re.compile(
    r"^\W*(?:led|lead|leading|mentored|mentoring|architected|owned|own|spearheaded|managed|managing|"
    r"directed|drove|headed|oversaw|established|founded|championed|coached|hired|grew|"
    r"defined|set\s+up|launched|designed)\b|\b(?:led|mentored|architected|owned|spearheaded|"
    r"managed\s+a\s+team|team\s+of\s+\d+|direct\s+reports|hired)\b", re.IGNORECASE)
_STRONG_SCOPE = re.compile(r"\b(?:led|mentored|architected|owned|spearheaded|headed|oversaw|"
                           r"managed\s+a\s+team|team\s+of\s+\d+|direct\s+reports|hired)\b", re.I)
_ACTION_VERBS = re.compile(
    r"^\W*(?:led|built|build|designed|design|develop|developed|added|architected|migrated|"
    r"launched|reduced|cut|improved|increased|maintain|maintained|lead|own|"
    r"introduced|created|developed|implemented|scaled|shipped|delivered|owned|automated|"
    r"optimi[sz]ed|mentored|drove|rewrote|replaced|established|founded|spearheaded|"
    r"grew|saved|eliminated|streamlined|wrote|trained|deployed|re-architected|modernized)\b", re.I)
_METRIC = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|x\b|ms\b|s\b|k\b|m\b|tb\b|gb\b|pb\b|rps\b|qps\b|msgs?/s|users|customers|"
    r"engineers|million|billion|requests)|[$€£]\s?\d|\b\d{2,}\b|\d+(?:\.\d+)?%", re.IGNORECASE)

_BULLET = re.compile(r"^\s*[-*•·●▪■◦‣–—>]\s*")
_CONCEPTS = {"practice", "soft-skill"}
_ROLE_TOPICS = {
    "backend": ("databases", "api-design", "distributed-systems", "caching", "messaging"),
    "frontend": ("frontend", "networking", "caching"),
    "fullstack": ("frontend", "api-design", "databases"),
    "mobile": ("mobile", "api-design", "networking"),
    "data": ("data-engineering", "databases", "distributed-systems"),
    "ml": ("ml-engineering", "data-engineering"),
    "devops": ("kubernetes", "cloud", "observability", "cicd-testing"),
    "general": ("data-structures", "software-design", "cicd-testing"),
}


@dataclass
class ResumeFacts:
    """Everything read from the resume before any judgement is made."""

    lines: list[Line]
    skills: list[SkillEvidence]
    jobs: list[Job]
    years: float | None
    stated_years: float | None
    student: bool
    scope: int
    work_lines: list[str] = field(default_factory=list)  # where the candidate's work is told
    story_lines: list[str] = field(default_factory=list)  # experience and project lines
    other_trade_lines: set[str] = field(default_factory=set)  # lines of non-technical jobs
    related: list[SkillEvidence] = field(default_factory=list)  # skills shown in other words


def analyse_resume(text: str, job_description: str = "", role: str = "", *,
                   today: date | None = None, taxonomy: Taxonomy | None = None) -> ResumeAnalysis:
    """Seniority, experience, skills, strengths, gaps, focus areas and highlights."""
    tax = taxonomy or load_taxonomy()
    facts = read_resume(text, today or date.today(), tax)
    seniority = seniority_of(facts)
    reqs = job_requirements(job_description, tax) if job_description.strip() else []
    family = role_family(role, job_description, tax)
    if family == "general" and not role.strip() and not job_description.strip():
        family = _family_of_resume(facts)
    gaps = find_gaps(facts.skills + facts.related, reqs, role, family, seniority, tax)
    return ResumeAnalysis(
        seniority=seniority,
        years_experience=facts.years if facts.years is not None else facts.stated_years,
        skills=facts.skills,
        strengths=find_strengths(facts, reqs, family, tax),
        gaps=gaps,
        focus_areas=focus_areas(gaps, reqs, family, seniority, tax),
        highlights=highlights(facts, tax),
    )


# ---- reading

def read_resume(text: str, today: date, tax: Taxonomy) -> ResumeFacts:
    lines = label_lines(text)
    skills = _skills(lines, text, tax)
    jobs = read_jobs(lines, today, tax)
    tech_jobs = [j for j in jobs if j.tech]
    # Dated jobs, none of them technical: no technical years (not None, which would let
    # "9 years of clinical experience" in a summary stand in).
    years = years_of([j.range for j in tech_jobs]) if tech_jobs else (0.0 if jobs else None)
    other_trade = {t.strip() for j in jobs if not j.tech for t in j.lines}
    work = [ln.text for ln in lines if ln.section not in NOT_WORK and not ln.heading
            and ln.section != "header" and not EDUCATION_WORDS.search(ln.text)
            and ln.text.strip() not in other_trade]
    scope = sum(1 for t in work if _STRONG_SCOPE.search(t))
    sectioned = any(ln.section in ("experience", "projects") for ln in lines)
    story = [ln.text for ln in lines if not ln.heading and not EDUCATION_WORDS.search(ln.text)
             and (ln.section in ("experience", "projects") or not sectioned)
             and ln.text.strip() not in other_trade]
    return ResumeFacts(lines=lines, skills=skills, jobs=jobs, years=years,
                       stated_years=_stated_years(text), student=_is_student(lines, today),
                       scope=scope, work_lines=work, story_lines=story,
                       other_trade_lines=other_trade,
                       related=tax.find_related("\n".join(work)))


def _skills(lines: list[Line], text: str, tax: Taxonomy) -> list[SkillEvidence]:
    """Skills in the whole text, plus ambiguous ones ("Go", "R") a skills section names."""
    found = {s.skill: s for s in tax.find_skills(text)}
    listed = "\n".join(ln.text for ln in lines if "skills" in (ln.section, ln.right))
    for s in tax.find_skills(listed, skills_context=True):
        if s.skill not in found:
            found[s.skill] = s
    return list(found.values())


def _stated_years(text: str) -> float | None:
    m = re.search(r"(\d{1,2}(?:\.\d)?)\+?\s*(?:years|yrs)\b(?:\s+of)?(?:\s+\w+){0,3}?\s+experience",
                  text, re.IGNORECASE)
    return float(m.group(1)) if m else None


def _is_student(lines: list[Line], today: date) -> bool:
    for ln in lines:
        if ln.section in ("education", "summary", "header") and _STUDENT.search(ln.text):
            return True
        if ln.section == "education" and EDUCATION_WORDS.search(ln.text):
            year = latest_year(ln.text)
            if year and year > today.year:
                return True
    return False


# ---- judging

def seniority_of(facts: ResumeFacts) -> Seniority:
    """junior / mid / senior from years, titles and the scope of the work."""
    tech = sorted((j for j in facts.jobs if j.tech), key=lambda j: (j.range.end, j.range.start))
    current = tech[-1].level if tech else _header_level(facts)
    levels = [j.level for j in tech if j.level is not None]
    top = max(levels, default=current)
    years = facts.years if facts.years is not None else facts.stated_years
    if current == 0 or (facts.student and (years or 0) < 2):
        return "junior"
    if years is None:
        if (current or 0) >= 3:
            return "senior"
        if current == 1:
            return "junior"
        return "mid"
    current = current if current is not None else 2
    if current >= 4 and years >= 4:
        return "senior"
    if years >= 8 and current >= 2:
        return "senior"
    if years >= 5 and (current >= 3 or facts.scope >= 2 or (top or 0) >= 4):
        return "senior"
    if current == 3 and years >= 4:
        return "senior"
    if years < 2 or (current == 1 and years < 3):
        return "junior"
    return "mid"


def _header_level(facts: ResumeFacts) -> int | None:
    head = " ".join(ln.text for ln in facts.lines[:4] if ln.section == "header")
    return title_level(head) if head else None


def find_strengths(facts: ResumeFacts, reqs: list[JobRequirement], family: str,
                   tax: Taxonomy) -> list[str]:
    """Skills the resume shows best, those the job asks for first."""
    required = {r.skill for r in reqs if r.required}
    wanted = {r.skill for r in reqs}
    role_topics = set(_ROLE_TOPICS.get(family, ()))
    skill_sections = {ln.text.strip() for ln in facts.lines if ln.section == "skills"}
    not_work = {ln.text.strip() for ln in facts.lines if ln.section in ("education", "header")}
    not_work |= {_BULLET.sub("", t).strip() for t in facts.other_trade_lines}
    # A skill's evidence includes that of the skills implying it (EKS clusters are
    # Kubernetes work).
    implied: dict[str, list[str]] = {}
    for s in facts.skills:
        for name in tax.closure([s.skill]) - {s.skill}:
            implied.setdefault(name, []).extend(s.evidence)

    def score(s: SkillEvidence) -> tuple[int, float]:
        lines = list(dict.fromkeys(s.evidence + implied.get(s.skill, [])))
        used = [e for e in lines if e not in skill_sections and e not in not_work]
        listed = sum(1 for e in s.evidence if e in skill_sections)
        base = 2.0 * min(len(used), 3) + min(listed, 1) * 1.0
        if s.category == "soft-skill":  # one line ("cut support tickets") is no strength
            base -= 1.5
        elif s.category in _CONCEPTS:
            base -= 1.0
        if set(s.topics) & role_topics:
            base += 0.5
        if s.skill in required:
            asked = 3
        elif s.skill in wanted:
            asked = 2
        else:  # PostgreSQL when the job asks for SQL
            asked = 1 if tax.closure([s.skill]) & wanted else 0
        return asked, base

    ranked = sorted(facts.skills, key=score, reverse=True)
    strengths = [s.skill for s in ranked if score(s)[1] >= 1.0]
    return strengths[:MAX_STRENGTHS]


def find_gaps(skills: list[SkillEvidence], reqs: list[JobRequirement], role: str, family: str,
              seniority: Seniority, tax: Taxonomy) -> list[str]:
    """What the job (or, before a job is known, the role) expects and the resume lacks
    (``skills`` includes those shown in other words). A soft skill is never a gap: a
    resume cannot show communication, and an interview is where it shows."""
    have = tax.closure({s.skill for s in skills})
    if reqs:
        missing = [r for r in reqs if r.category != "soft-skill" and not r.qualifier
                   and r.skill not in have and not (set(r.alternatives) & have)]
        missing.sort(key=lambda r: (not r.required, r.source, not r.concrete,
                                    -min(r.mentions, 2)))
        gaps: list[str] = []
        for r in missing:  # "Python or Go", both missing: one gap, the first named
            if not set(r.alternatives) & set(gaps):
                gaps.append(r.skill)
        return gaps[:MAX_GAPS]
    gaps = [name for name, satisfied_by in expectations_for(role, family, seniority == "senior")
            if not (set(satisfied_by) | {name}) & have]
    return gaps[:MAX_GAPS]


def focus_areas(gaps: list[str], reqs: list[JobRequirement], family: str,
                seniority: Seniority, tax: Taxonomy) -> list[str]:
    """Topic titles to focus the interview on: the gaps', the job's core topics,
    and system design for senior candidates."""
    ids: list[str] = []

    def add(topic: str) -> None:
        if topic and topic not in ids and topic != "behavioral":
            ids.append(topic)

    for gap in gaps[:3]:
        skill = tax.get(gap)
        if skill and skill.topics and skill.category != "language":  # a language is no topic
            add(skill.topics[0])
    counts: dict[str, float] = {}
    for r in reqs:
        weight = (1.0 if r.required else 0.5) * (0.3 if r.category == "language" else 1.0)
        for k, topic in enumerate(r.topics):
            counts[topic] = counts.get(topic, 0) + weight / (k + 1)
    for topic in sorted(counts, key=lambda t: -counts[t]):
        add(topic)
    if not reqs:
        for topic in _ROLE_TOPICS.get(family, _ROLE_TOPICS["general"]):
            add(topic)
    if seniority == "senior" and "system-design" not in ids[:MAX_FOCUS]:
        ids.insert(min(len(ids), MAX_FOCUS - 1), "system-design")
    titles = _topic_titles()
    return [titles.get(t, t) for t in ids[:MAX_FOCUS]]


def highlights(facts: ResumeFacts, tax: Taxonomy) -> list[str]:
    """Up to five resume lines worth a personal question: achievements with scope
    verbs, numbers or named technology."""
    per_line: dict[str, int] = {}
    for s in facts.skills:
        for e in s.evidence:
            per_line[e] = per_line.get(e, 0) + 1
    scored: list[tuple[float, int, str]] = []
    for n, raw in enumerate(facts.story_lines):
        text = _BULLET.sub("", raw).strip()
        words = text.split()
        if len(words) < 5 or find_ranges(text, date.max) or text.endswith(":"):
            continue
        score = 0.0
        if _ACTION_VERBS.search(text):
            score += 2
        if _STRONG_SCOPE.search(text):
            score += 1
        if _METRIC.search(text):
            score += 2
        score += min(per_line.get(text, 0), 2) * 0.75
        if len(words) > 40:
            score -= 1
        if score >= 2.0:
            scored.append((score, n, text))
    best = sorted(scored, key=lambda t: (-t[0], t[1]))[:MAX_HIGHLIGHTS]
    return [t for _, _, t in sorted(best, key=lambda t: t[1])]


def _family_of_resume(facts: ResumeFacts) -> str:
    """The role family the resume itself points at (titles first, then skills)."""
    for job in sorted(facts.jobs, key=lambda j: -j.range.end):
        family = family_from_title(job.title)
        if family:
            return family
    return family_from_skills(facts.skills)


@lru_cache(maxsize=1)
def _topic_titles() -> dict[str, str]:
    from backend.interviewer.bank import load_topics

    return {t.id: t.title for t in load_topics(assets_dir() / "topics.toml").values()}
