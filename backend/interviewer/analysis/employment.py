"""Employment entries in a resume: their dates, titles, level, and whether they were
software work.

Only technical roles count towards years of experience. A role is technical when its
title (the words before the company: "Teaching Assistant" in "Teaching Assistant, CS 348
Databases") names software work; it is not when the title names another trade (nurse,
teacher, barista, graphic designer, restaurant manager); and when the title says neither
("Postdoctoral Researcher", "General Manager", "Consultant"), the entry's own lines
decide: technical if they name technical skills (PyTorch, Python), not if they name none.
A "career break" with dates is no job at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from backend.interviewer.analysis.dates import DateRange, find_ranges
from backend.interviewer.analysis.sections import Line
from backend.interviewer.analysis.taxonomy import Taxonomy

# Sections whose date ranges are not employment.
NOT_WORK = {"education", "certifications", "awards", "publications", "volunteering",
            "projects", "interests", "references", "languages"}
EDUCATION_WORDS = re.compile(
    r"\b(?:university|universit[äa]t|college|school|institute of technology|academy|bootcamp|"
    r"b\.?\s?sc|m\.?\s?sc|b\.?\s?s\.|m\.?\s?s\.|b\.?\s?a\.|m\.?\s?a\.|b\.?\s?tech|m\.?\s?tech|"
    r"b\.?\s?eng|m\.?\s?eng|bachelor'?s?|master'?s?|ph\.?\s?d|mba|degree|diploma|gpa|"
    r"coursework|graduat(?:ed|ion)|thesis|major in|minor in|a-levels|high school)\b",
    re.IGNORECASE)
_DEGREE = re.compile(
    r"\b(?:b\.?\s?sc|m\.?\s?sc|b\.?\s?s\.|m\.?\s?s\.|b\.?\s?a\.|m\.?\s?a\.|b\.?\s?tech|m\.?\s?tech|"
    r"b\.?\s?eng|m\.?\s?eng|bachelor'?s?|master'?s?|ph\.?\s?d|mba|degree|diploma|gpa|"
    r"coursework|thesis|bootcamp|immersive|high school)\b", re.IGNORECASE)

# Title words and the level they signal: 0 intern, 1 junior, 3 senior, 4 lead and above.
_TITLE_LEVELS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\bintern(?:ship)?\b|\bco-?op\b|\btrainee\b|\bapprentice\b|\bworking\s+student\b", re.I), 0),
    (re.compile(r"\bjunior\b|\bjr\.?\b|\bgraduate\s+(?:engineer|developer|analyst|software)|"
                r"\bentry[\s-]level\b|\bassociate\s+(?:software|engineer|developer|data|qa)|"
                r"\b(?:engineer|developer)\s+i\b", re.I), 1),
    (re.compile(r"\bstaff\b|\bprincipal\b|\blead\b|\bhead\s+of\b|\barchitect\b|\bdirector\b|\bvp\b|"
                r"\bvice\s+president\b|\bcto\b|\bchief\b|\bdistinguished\b|\bfellow\b|"
                r"\b(?:engineering|development|qa|data|technical)\s+manager\b|\bmanager\b", re.I), 4),
    (re.compile(r"\bsenior\b|\bsr\.?\b|\b(?:engineer|developer)\s+(?:iii|iv)\b", re.I), 3),
)

# Titles that name software work.
_TECH_TITLE = re.compile(
    r"software|developer|programmer|devops|\bsre\b|site\s+reliability|\bdata\s+(?:engineer|scien|"
    r"analyst|architect|platform)|machine\s+learning|\bml\b|\bai\b|front[\s-]?end|back[\s-]?end|"
    r"full[\s-]?stack|\bweb\b|mobile|\bios\b|android|\bqa\b|quality\s+assurance|\bsdet\b|"
    r"\btest(?:er|ing)?\s+(?:engineer|analyst|automation)|automation\s+engineer|cloud|"
    r"platform\s+engineer|infrastructure|security\s+engineer|\bit\s+(?:support|administrator)|"
    r"systems?\s+(?:administrator|engineer)|\bdba\b|database\s+(?:engineer|administrator|developer)|"
    r"\bcto\b|engineering\s+manager|tech(?:nical)?\s+lead|firmware|embedded|support\s+engineer|"
    r"solutions?\s+engineer|research\s+(?:software|engineer)|analytics\s+engineer", re.IGNORECASE)
# Titles that name another trade.
_NON_TECH_TITLE = re.compile(
    r"accountant|accounting|teacher|teaching|\bta\b|nurse|\bsales\b|retail|barista|\bchef\b|cook\b|"
    r"cashier|marketing|recruiter|paralegal|mechanical|civil\s+engineer|chemical\s+engineer|"
    r"financial|finance|bookkeep|\bhr\b|human\s+resources|customer\s+(?:service|success|support)|"
    r"waiter|waitress|bartender|musician|journalist|editor|technician|physician|pharmac|"
    r"lawyer|attorney|auditor|coordinator|store\s+manager|general\s+manager|restaurant|"
    r"warehouse|administrative|receptionist|tutor|instructor|lecturer|support\s+agent|"
    r"account\s+(?:manager|executive)|operations\s+manager|social\s+worker|police|pilot|driver|"
    r"shift\s+(?:lead|leader|supervisor|manager)|supervisor|(?:graphic|visual|interior|fashion|"
    r"print)\s+designer|illustrator|photographer|clerk|courier|caregiver|therapist|"
    r"consultant\s+(?:physician|nurse)|server\b|hostess|host\b", re.IGNORECASE)
# Entries with dates that are no job: a break is not experience.
_BREAK = re.compile(
    r"career\s+break|sabbatical|parental\s+leave|maternity|paternity|family\s+leave|"
    r"caring\s+for|carer\b|gap\s+year|travel(?:l?ing)?\s+(?:break|year)|personal\s+leave|"
    r"career\s+pause|time\s+off", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*•·●▪■◦‣–—>]\s*")
_TITLE_SPLIT = re.compile(r"\s+[—–-]\s+|\s*[,|(@·]\s*|\s+at\s+")
# Skill categories that show software work when an entry's lines name them.
_TECHNICAL_CATEGORIES = {"language", "framework", "database", "cloud", "devops", "data", "ml",
                         "frontend", "mobile", "testing", "security", "networking", "os"}


@dataclass
class Job:
    """One employment entry: its dates, the lines that name the title, and its own lines."""

    range: DateRange
    title: str
    level: int | None
    tech: bool
    lines: list[str] = field(default_factory=list)  # the entry's bullets and title lines


def read_jobs(lines: list[Line], today: date, tax: Taxonomy) -> list[Job]:
    """Every employment entry with dates (breaks and degrees left out)."""
    jobs: list[Job] = []
    sectioned = any(ln.section == "experience" for ln in lines)
    for i, ln in enumerate(lines):
        if ln.right is None:
            if ln.section in NOT_WORK or (ln.section in ("header", "summary") and sectioned):
                continue
            if ln.section != "experience" and EDUCATION_WORDS.search(ln.text):
                continue
        for r in find_ranges(ln.text, today):
            if ln.right is not None and _column_section(ln, r) in NOT_WORK:
                continue
            title = title_context(lines, i, r.text)
            if _BREAK.search(title):
                continue
            if ln.right is None and _is_degree(title):
                continue
            own = _entry_lines(lines, i)
            jobs.append(Job(r, title, title_level(title), is_technical(title, own, tax),
                            lines=[ln.text.strip(), *title.split(" | "), *own]))
    return jobs


def _is_degree(title: str) -> bool:
    proper = job_title(title)
    if _DEGREE.search(proper):
        return True
    if _TECH_TITLE.search(proper):
        return False
    return bool(EDUCATION_WORDS.search(title)) and not _TECH_TITLE.search(title)


def _column_section(line: Line, r: DateRange) -> str:
    """In a two-column line, a range at the end belongs to the right column."""
    text = _BULLET.sub("", line.text).rstrip(" .")
    return line.right or line.section if text.endswith(r.text) and not text.startswith(r.text) \
        else line.section


def title_context(lines: list[Line], i: int, date_text: str) -> str:
    """The date line without its dates, plus the non-bullet lines just above it
    (and the line below when the date stands alone): where titles are written."""
    own = lines[i].text.replace(date_text, " ")
    parts = [own]
    for j in (i - 1, i - 2):
        if j < 0 or lines[j].heading or not lines[j].text.strip():
            break
        if _BULLET.match(lines[j].text) or find_ranges(lines[j].text, date.max):
            break
        if len(lines[j].text) > 90:
            break
        parts.insert(0, lines[j].text)
    if len(re.findall(r"[A-Za-z]{2,}", own)) < 2 and i + 1 < len(lines):
        nxt = lines[i + 1].text
        if nxt.strip() and not _BULLET.match(nxt) and len(nxt) <= 90:
            parts.append(nxt)
    return " | ".join(p.strip() for p in parts if p.strip())


def _entry_lines(lines: list[Line], i: int) -> list[str]:
    """The lines after a date line that belong to its entry: up to the next dated line
    or heading."""
    out: list[str] = []
    for ln in lines[i + 1:]:
        if ln.heading or find_ranges(ln.text, date.max):
            break
        if ln.text.strip():
            out.append(ln.text.strip())
    # bullets and wrapped lines; a short plain line is the next entry's title
    return [t for t in out if _BULLET.match(t) or len(t) > 60]


def job_title(title: str) -> str:
    """The job title proper: the first part of the title context, before the company."""
    parts = [p for p in title.split(" | ") if re.search(r"[A-Za-z]{2,}", p)
             and not (p.isupper() and len(p.split()) <= 3)] or [title]  # not a heading
    return _TITLE_SPLIT.split(parts[0].strip(), maxsplit=1)[0].strip()


def title_level(title: str) -> int | None:
    for pattern, level in _TITLE_LEVELS:
        if pattern.search(title):
            return level
    return None


def is_technical(title: str, own_lines: list[str], tax: Taxonomy) -> bool:
    """Whether an entry was software work: by its title, else by what its lines name."""
    proper = job_title(title)
    tech, other = bool(_TECH_TITLE.search(proper)), bool(_NON_TECH_TITLE.search(proper))
    if tech != other:
        return tech
    if not tech and not proper.strip():
        tech, other = bool(_TECH_TITLE.search(title)), bool(_NON_TECH_TITLE.search(title))
        if tech != other:
            return tech
    named = [s for s in tax.find_skills("\n".join([title, *own_lines]))
             if s.category in _TECHNICAL_CATEGORIES]
    if named:
        return True
    return not own_lines and not other  # a bare, unknown title: most resumes here are for software jobs
