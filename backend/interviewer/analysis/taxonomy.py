"""The skill taxonomy (assets/skills.toml) and finding its skills in free text.

Matching works on tokens, not on one giant regular expression: each line is cut
into word tokens that keep the characters skills are spelled with ("C++", "C#",
"Node.js", "CI/CD", ".NET"), and every run of up to N tokens is looked up in a
dictionary of aliases, longest first. A resume takes about a millisecond.

Three kinds of spelling keep prose from triggering skills (see the TOML header):
plain aliases match in any case; ``cased`` ones only with their exact
capitalisation ("React", not "react to incidents"); ``contextual`` ones need the
exact case *and* a skills-like context ("Python and Go", "written in Go",
"Java, Spring, Hibernate"), so "go live", "Grade C", "R&D" and "Spring 2021" stay
silent.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from backend.assets import assets_dir
from backend.interviewer.domain import SkillEvidence

MAX_EVIDENCE_LINES = 5
MAX_EVIDENCE_CHARS = 240

# A word as skills are spelled: letters/digits, joined by . - / & ' (Node.js,
# CI/CD, scikit-learn, R&D), optionally ending in + or # (C++, C#), or starting
# with a dot (.NET).
_TOKEN = re.compile(r"\.?[A-Za-z0-9@][A-Za-z0-9]*(?:[.\-/&'’][A-Za-z0-9]+)*[+#]*")
_CONNECTOR = re.compile(r"[.\-/&'’]")
_SPLITTABLE = re.compile(r"[.\-/'’]")  # "&" never splits: R&D, W&B stay whole
_JOINABLE_GAP = re.compile(r"[ \t\-%'’\"]{0,3}")
_URL_OR_EMAIL = re.compile(
    r"\S+@\S+|https?://\S+|www\.\S+|\b[\w.-]+\.(?:com|io|org|dev|me|ai|co|app)/\S*"
    r"|\b[\w-]+\.com\b", re.IGNORECASE)
_BULLET = re.compile(r"^[\s\-*•·●▪■◦‣–—>]+")
_YEAR = re.compile(r"(?:19|20)\d\d$")

# Separators that put a word in a list of skills.
_LIST_BEFORE = set(",/|(;:•·+&[")
_LIST_AFTER = set(",/|);•·]")
_LIST_WORDS = {"and", "or", "&", "plus"}
_CUE_BEFORE = {"in", "using", "into", "via"}
_CUE_AFTER = {
    "developer", "developers", "engineer", "engineers", "programming", "programmer",
    "programmers", "language", "code", "codebase", "codebases", "service", "services",
    "microservices", "backend", "backends", "app", "apps", "application", "applications",
    "library", "libraries", "module", "modules", "script", "scripts", "runtime", "sdk",
    "stack", "project", "projects", "api", "apis", "server", "servers", "tests", "test",
    "charts", "chart", "cluster", "clusters", "pipelines", "pipeline", "jobs", "dags",
    "framework", "frameworks", "ecosystem", "toolchain", "binaries", "cli", "tooling",
    "workers", "queries", "tables", "procedures", "isolation",
}
_SKILL_LINE_LABEL = re.compile(
    r"^\W*(?:technical\s+|core\s+|key\s+|programming\s+|relevant\s+)?"
    r"(?:skills?|languages?|technologies|tech(?:nology)?\s+stack|stack|tools?|frameworks?|"
    r"platforms?|databases?|environment|competencies|libraries|cloud|devops|testing|"
    r"tooling|proficiencies|expertise)\s*[:|\-–]", re.IGNORECASE)


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    topics: tuple[str, ...]
    implies: tuple[str, ...] = ()


# Phrases that look like a skill and are not one ("PCI Express", "Elk Grove"): matched
# like aliases, longest first, so the skill inside them is not found, then dropped.
_NOT_A_SKILL = Skill(name="", category="", topics=())


@dataclass(frozen=True)
class Mention:
    """One skill named in a line, and where (character offsets in that line)."""

    skill: Skill
    start: int
    end: int


@dataclass(frozen=True)
class _Alias:
    skill: Skill
    form: str | None  # exact surface required (tokens joined by spaces), or None
    contextual: bool = False


@dataclass(frozen=True)
class _Tok:
    raw: str
    low: str
    start: int
    end: int


@dataclass
class _Found:
    skill: Skill
    lines: list[str] = field(default_factory=list)


class Taxonomy:
    """Canonical skills and the aliases that lead to them."""

    def __init__(self, skills: list[Skill], aliases: dict[tuple[str, ...], list[_Alias]],
                 related: Taxonomy | None = None, *, every_skill: bool = False):
        self.skills: dict[str, Skill] = {s.name: s for s in skills}
        # The phrases that show a skill in other words (a resume's "partial index" is
        # database indexing): matched like aliases, but only where evidence is wanted.
        self.related = related
        self._every_skill = every_skill  # a phrase may show several skills (related phrases)
        self._index = aliases
        self._atomic = frozenset(t for key in aliases for t in key if _CONNECTOR.search(t))
        self._lower_names = {s.name.lower(): s.name for s in skills}
        lengths: dict[str, set[int]] = {}
        for key in aliases:
            lengths.setdefault(key[0], set()).add(len(key))
        # for each token an alias can start with, the alias lengths to try, longest first
        self._lengths = {t: sorted(ns, reverse=True) for t, ns in lengths.items()}

    # ---- lookups
    def canonical(self, name: str) -> str | None:
        """The canonical name for any spelling of a skill ("Postgres" -> "PostgreSQL")."""
        if not name or not name.strip():
            return None
        hit = self._lower_names.get(name.strip().lower())
        if hit:
            return hit
        key = tuple(t.low for t in self._tokens(name))
        found = self._index.get(key)
        return found[0].skill.name if found else None

    def get(self, name: str) -> Skill | None:
        canonical = self.canonical(name)
        return self.skills.get(canonical) if canonical else None

    def closure(self, names: list[str] | set[str]) -> set[str]:
        """The names plus every skill they imply, transitively (PySpark -> Spark -> ...)."""
        seen: set[str] = set()
        stack = [n for n in names if n in self.skills]
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(i for i in self.skills[name].implies if i not in seen)
        return seen

    # ---- matching
    def find_related(self, text: str) -> list[SkillEvidence]:
        """Skills shown in other words (the ``related`` phrases), with the lines showing them."""
        return self.related.find_skills(text) if self.related is not None else []

    def find_skills(self, text: str, *, skills_context: bool = False) -> list[SkillEvidence]:
        """Every skill named in text, in order of first mention, with the lines naming it.

        ``skills_context`` says the whole text is a skills list (e.g. a resume's
        SKILLS section), so ambiguous spellings such as "Go" or "R" may match
        without a list or cue around them.
        """
        found: dict[str, _Found] = {}
        for line in text.splitlines():
            clean = _URL_OR_EMAIL.sub(" ", line)
            names = self._match_line(clean, skills_context)
            if not names:
                continue
            evidence = _evidence(line)
            for skill in names:
                entry = found.setdefault(skill.name, _Found(skill))
                if evidence not in entry.lines and len(entry.lines) < MAX_EVIDENCE_LINES:
                    entry.lines.append(evidence)
        return [SkillEvidence(skill=f.skill.name, category=f.skill.category,
                              evidence=f.lines, topics=list(f.skill.topics))
                for f in found.values()]

    def mentions(self, line: str, *, skills_context: bool = False) -> list[Mention]:
        """The skills named in one line, each with where it is named, in order."""
        return self._match_spans(_URL_OR_EMAIL.sub(" ", line), skills_context)

    def _match_line(self, line: str, skills_context: bool) -> list[Skill]:
        unique: dict[str, Skill] = {}  # each skill once, where it was first found
        for m in self._match_spans(line, skills_context):
            unique.setdefault(m.skill.name, m.skill)
        return list(unique.values())

    def _match_spans(self, line: str, skills_context: bool) -> list[Mention]:
        toks = self._tokens(line)
        if not toks:
            return []
        shouting = _is_upper(line)
        sure: list[tuple[Skill, int, int]] = []
        maybe: list[tuple[Skill, int, int]] = []  # contextual hits: skill, first, last token
        i = 0
        while i < len(toks):
            step = 1
            for n in self._lengths.get(toks[i].low, ()):
                if i + n > len(toks) or n > 1 and not self._joinable(line, toks, i, n):
                    continue
                aliases = self._index.get(tuple(t.low for t in toks[i:i + n]))
                if not aliases:
                    continue
                surface = " ".join(t.raw for t in toks[i:i + n])
                alias = _pick(aliases, surface, shouting)
                if alias is None:
                    continue
                if alias.contextual:
                    maybe.append((alias.skill, i, i + n - 1))
                else:
                    sure.append((alias.skill, i, i + n - 1))
                    if self._every_skill:
                        sure.extend((a.skill, i, i + n - 1) for a in aliases
                                    if a is not alias and a.form is None)
                step = n
                break
            i += step
        if maybe:
            labelled = skills_context or bool(_SKILL_LINE_LABEL.match(line))
            has_company = any(s is not _NOT_A_SKILL for s, _, _ in sure)  # another skill here
            for skill, first, last in maybe:
                if labelled or _in_context(line, toks, first, last, has_company):
                    sure.append((skill, first, last))
        sure.sort(key=lambda m: m[1])
        return [Mention(skill, toks[first].start, toks[last].end) for skill, first, last in sure
                if skill is not _NOT_A_SKILL]

    def _joinable(self, line: str, toks: list[_Tok], i: int, n: int) -> bool:
        return all(_JOINABLE_GAP.fullmatch(line[toks[k].end:toks[k + 1].start])
                   for k in range(i, i + n - 1))

    def _tokens(self, text: str) -> list[_Tok]:
        out: list[_Tok] = []
        for m in _TOKEN.finditer(text):
            self._split(m.group(), m.start(), out)
        return out

    def _split(self, raw: str, start: int, out: list[_Tok]) -> None:
        """Keep known compound words (CI/CD, Node.js); split the rest (Python/Django)."""
        low = raw.lower()
        if low in self._atomic or not _SPLITTABLE.search(raw):
            out.append(_Tok(raw, low, start, start + len(raw)))
            return
        pattern = "/" if "/" in raw else r"[.\-'’]"
        pos = 0
        for part in re.split(f"({pattern})", raw):
            if part and not _SPLITTABLE.fullmatch(part):
                if part.lower() in self._atomic or not _SPLITTABLE.search(part):
                    out.append(_Tok(part, part.lower(), start + pos, start + pos + len(part)))
                else:
                    self._split(part, start + pos, out)
            pos += len(part)


def _pick(aliases: list[_Alias], surface: str, shouting: bool) -> _Alias | None:
    for alias in aliases:
        if alias.form is None or alias.form == surface:
            return alias
        if shouting and alias.form.upper() == surface:
            return alias
    return None


def _in_context(line: str, toks: list[_Tok], first: int, last: int, has_company: bool) -> bool:
    """Whether an ambiguous word sits where a skill would: a list of skills or a cue."""
    after_tok = toks[last + 1] if last + 1 < len(toks) else None
    if after_tok is not None and _YEAR.fullmatch(after_tok.raw):
        return False  # "Spring 2021"
    before_word = toks[first - 1].low if first > 0 else ""
    after_word = after_tok.low if after_tok else ""
    if before_word in _CUE_BEFORE or after_word in _CUE_AFTER:
        return True
    if not has_company:
        return False
    before = line[:toks[first].start].rstrip()
    after = line[toks[last].end:].lstrip()
    list_before = (not before) and not after_tok or (bool(before) and before[-1] in _LIST_BEFORE)
    list_after = not after or after[0] in _LIST_AFTER or \
        (after[0] == "." and (len(after) == 1 or after[1].isspace()))
    return list_before or list_after or before_word in _LIST_WORDS or after_word in _LIST_WORDS


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _evidence(line: str) -> str:
    text = _BULLET.sub("", line).strip()
    return text if len(text) <= MAX_EVIDENCE_CHARS else text[:MAX_EVIDENCE_CHARS - 1] + "…"


# ---- loading

def parse_taxonomy(data: dict) -> Taxonomy:
    """A Taxonomy from the parsed TOML (a dict with a ``skills`` list)."""
    skills: list[Skill] = []
    index: dict[tuple[str, ...], list[_Alias]] = {}
    related: dict[tuple[str, ...], list[_Alias]] = {}

    def add(spelling: str, alias_of: Skill, cased: bool, contextual: bool,
            into: dict[tuple[str, ...], list[_Alias]] | None = None) -> None:
        raw = _TOKEN.findall(spelling)  # aliases are never split: they define compounds
        if not raw:
            return
        key = tuple(t.lower() for t in raw)
        form = " ".join(raw) if cased else None
        entries = (index if into is None else into).setdefault(key, [])
        if all(e.skill is not alias_of or e.form != form for e in entries):
            entries.append(_Alias(alias_of, form, contextual))
            entries.sort(key=lambda a: a.form is not None)  # any-case aliases first

    for entry in data.get("skills", []):
        skill = Skill(name=entry["name"], category=entry.get("category", ""),
                      topics=tuple(entry.get("topics", ())),
                      implies=tuple(entry.get("implies", ())))
        skills.append(skill)
        cased = list(entry.get("cased", ()))
        contextual = list(entry.get("contextual", ()))
        if skill.name not in cased and skill.name not in contextual:
            add(skill.name, skill, False, False)
        for alias in entry.get("aliases", ()):
            add(alias, skill, False, False)
        for alias in cased:
            add(alias, skill, True, False)
        for alias in contextual:
            add(alias, skill, True, True)
        for phrase in entry.get("related", ()):
            add(phrase, skill, False, False, related)
    for phrase in data.get("not_skills", {}).get("phrases", ()):
        add(phrase, _NOT_A_SKILL, False, False)
    return Taxonomy(skills, index, Taxonomy(skills, related, every_skill=True) if related else None)


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """The taxonomy in ``path`` (default: the bundled assets/skills.toml), parsed once."""
    return _load(str(Path(path) if path else assets_dir() / "skills.toml"))


@lru_cache(maxsize=4)
def _load(path: str) -> Taxonomy:
    with open(path, "rb") as f:
        return parse_taxonomy(tomllib.load(f))
