"""Resume sections (experience, skills, education ...) from plain text.

Text from PDFs and Word files arrives in many shapes: "EXPERIENCE", "Work
Experience:", "## Skills", "Skills: Python, Go" (a heading with its content on
the same line), "Skills | Python, Go" (a table row), "EXPERIENCE SKILLS" (two
columns read across). Each line is labelled with the section it belongs to;
lines before the first heading are the "header" (name, contact, often a title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Section name -> heading phrases (lower case, without punctuation).
HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "professional summary", "career summary", "profile",
                "professional profile", "about", "about me", "objective", "career objective",
                "overview", "personal statement", "executive summary", "introduction"),
    "experience": ("experience", "work experience", "professional experience", "employment",
                   "employment history", "work history", "career history", "relevant experience",
                   "professional background", "career", "positions", "internships",
                   "internship experience", "industry experience", "freelance experience",
                   "technical experience", "engineering experience", "experience highlights",
                   "professional experience and leadership", "work", "client work",
                   "freelance work", "contract work", "contracts", "selected clients", "clients",
                   "earlier", "earlier experience", "earlier career", "previous experience",
                   "other experience", "additional experience", "prior experience"),
    "skills": ("skills", "technical skills", "core skills", "key skills", "skills and tools",
               "technologies", "tech stack", "technical proficiencies", "core competencies",
               "competencies", "tools", "tools and technologies", "programming languages",
               "languages and tools", "languages and technologies", "expertise",
               "areas of expertise", "technical expertise", "stack", "skills summary",
               "technical summary", "proficiencies", "skill set", "skillset",
               "technical toolbox", "toolbox"),
    "education": ("education", "academic background", "academics", "education and training",
                  "qualifications", "academic qualifications", "degrees", "coursework",
                  "relevant coursework", "education and certifications"),
    "projects": ("projects", "personal projects", "side projects", "selected projects",
                 "key projects", "academic projects", "open source", "open source contributions",
                 "portfolio", "project experience", "notable projects"),
    "certifications": ("certifications", "certificates", "licenses and certifications",
                       "licences and certifications", "courses", "training", "certification"),
    "awards": ("awards", "honors", "honours", "achievements", "awards and honors",
               "accomplishments", "awards and achievements"),
    "publications": ("publications", "talks", "patents", "papers", "talks and publications"),
    "volunteering": ("volunteer", "volunteering", "volunteer experience", "community",
                     "leadership and activities", "activities", "extracurricular",
                     "extracurricular activities"),
    "languages": ("languages", "spoken languages"),
    "interests": ("interests", "hobbies", "hobbies and interests"),
    "references": ("references",),
}
# Words that make a short heading-like line a heading even with extra words
# ("PROFESSIONAL EXPERIENCE & LEADERSHIP", "Technical Skills Summary").
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("experience", "experience"), ("employment", "experience"), ("work history", "experience"),
    ("skills", "skills"), ("technologies", "skills"), ("competencies", "skills"),
    ("education", "education"), ("coursework", "education"), ("projects", "projects"),
    ("summary", "summary"), ("objective", "summary"), ("profile", "summary"),
    ("certifications", "certifications"), ("awards", "awards"), ("publications", "publications"),
    ("volunteer", "volunteering"), ("interests", "interests"),
)
_PHRASE_TO_SECTION = {p: s for s, phrases in HEADINGS.items() for p in phrases}
_DECORATION = re.compile(r"^[\s#=*_~•·▪■●►>|\-–—:]+|[\s#=*_~•·▪■●►<|\-–—:]+$")
_BULLET = re.compile(r"^\s*[-*•·●▪■◦‣–—>]\s")
_INLINE = re.compile(r"^\s*([A-Za-z][A-Za-z &/]{1,40}?)\s*(?::|\s\|\s|\t)\s*(.+)$")


@dataclass
class Line:
    text: str
    section: str
    heading: bool = False  # this line is (or starts with) a section heading
    right: str | None = None  # two columns read across: the right column's section


def _caps_heading(words: list[str]) -> str | None:
    """The section an ALL-CAPS run of words names ("WORK EXPERIENCE"), if any."""
    if not words or not all(w.isupper() and w.isalpha() or w == "&" for w in words):
        return None
    return _PHRASE_TO_SECTION.get(_norm(" ".join(words)))


def _split_heading(line: str) -> tuple[str | None, str | None]:
    """(left, right) sections for a line where two columns were read across:
    "EXPERIENCE Go" opens experience on the left, "Kaspersky EDUCATION" opens
    education on the right."""
    words = line.split()
    if len(words) < 2:
        return None, None
    for n in (3, 2, 1):
        if len(words) > n:
            left = _caps_heading(words[:n])
            if left and not words[n].isupper():
                return left, None
            right = _caps_heading(words[-n:])
            if right and not words[-n - 1].isupper():
                return None, right
    return None, None


def _norm(phrase: str) -> str:
    phrase = _DECORATION.sub("", phrase).lower().replace("&", " and ")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z ]", " ", phrase)).strip()


def heading_section(line: str) -> str | None:
    """The section a heading line opens, or None if the line is not a heading."""
    if not line.strip() or len(line) > 60:
        return None
    norm = _norm(line)
    if not norm or len(norm.split()) > 6:
        return None
    if norm in _PHRASE_TO_SECTION and not re.search(r"[a-z].*[.,;]\s*$", line):
        return _PHRASE_TO_SECTION[norm]
    if _BULLET.match(line):
        return None
    stripped = _DECORATION.sub("", line)
    looks_like_heading = stripped.isupper() or line.rstrip().endswith(":") or \
        stripped.istitle() or stripped.startswith("#")
    if not looks_like_heading or re.search(r"\d|[.,;]$|@", stripped):
        return None
    words = norm.split()
    if len(words) <= 4:
        for key, section in _KEYWORDS:
            if key in norm:
                return section
    return None


def label_lines(text: str) -> list[Line]:
    """Every line of text with the section it falls in."""
    out: list[Line] = []
    section = "header"
    right: str | None = None
    for raw in text.splitlines():
        found = heading_section(raw)
        if found:
            section = found
            out.append(Line(raw, section, heading=True, right=right))
            continue
        left_opens, right_opens = _split_heading(raw)
        if left_opens or right_opens:
            section = left_opens or section
            right = right_opens or right
            out.append(Line(raw, section, heading=True, right=right))
            continue
        m = _INLINE.match(raw)
        if m and _norm(m.group(1)) in _PHRASE_TO_SECTION and len(m.group(1).split()) <= 4:
            # "Skills: Python, Go" or a table row "Education | B.Sc. ..."
            inline = _PHRASE_TO_SECTION[_norm(m.group(1))]
            if inline == "skills" and section in ("experience", "projects"):
                # "Stack: Python, Kafka" inside a job entry describes that job
                out.append(Line(raw, section, right=right))
                continue
            out.append(Line(raw, inline, heading=True, right=right))
            if inline != "languages":
                section = inline
            continue
        out.append(Line(raw, section, right=right))
    return out


def section_text(lines: list[Line], name: str) -> str:
    """All the text of one section (headings with inline content included)."""
    return "\n".join(line.text for line in lines if line.section == name)


def has_sections(lines: list[Line]) -> bool:
    return any(line.heading for line in lines)
