"""What a job asks for: its skills (required or nice-to-have), its role family, and
what a role usually expects when there is no job description yet."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from backend.interviewer.domain import SkillEvidence
from backend.interviewer.analysis.taxonomy import Taxonomy, load_taxonomy

ROLE_FAMILIES = ("backend", "frontend", "fullstack", "mobile", "data", "ml", "devops", "general")

# What may stand between two skills named as either-or: "Python or Go", "Go, Python, Java
# or Kotlin", "Python/Go", "Tableau, Looker, or Power BI". A list counts as either-or
# when one of its separators is "or" or "/"; "Swift or Kotlin when JavaScript ..." links
# only Swift and Kotlin, and "Statistics (A/B testing)" links nothing.
_LIST_GAP = re.compile(r"\s*(?:,|/|\bor\b|,\s*or\b|\band/or\b|\||,\s*and\b|\band\b)\s*",
                       re.IGNORECASE)
_EITHER_GAP = re.compile(r"/|\bor\b", re.IGNORECASE)
_CONCEPT_CATEGORIES = {"practice", "soft-skill"}

# Title words -> role family; the first family whose pattern matches the role wins.
_FAMILY_PATTERNS: tuple[tuple[str, str], ...] = (
    ("fullstack", r"full[\s-]?stack"),
    ("ml", r"machine[\s-]learning|\bml\b|\bai\b|mlops|data\s+scien|deep\s+learning|\bnlp\b|"
           r"computer\s+vision|applied\s+scien|\bllm"),
    ("data", r"data\s+(?:engineer|platform|warehouse|analyst|infrastructure)|analytics\s+engineer|"
             r"\betl\b|big\s+data|\bbi\s+(?:developer|engineer)|data\s+pipeline"),
    ("mobile", r"mobile|\bios\b|android|react\s+native|flutter"),
    ("devops", r"devops|dev\s+ops|\bsre\b|site\s+reliability|platform\s+engineer|infrastructure|"
               r"cloud\s+engineer|systems?\s+engineer|release\s+engineer|build\s+engineer|"
               r"reliability\s+engineer"),
    ("frontend", r"front[\s-]?end|\bui\s+(?:engineer|developer)|web\s+developer|"
                 r"javascript\s+(?:engineer|developer)|react\s+(?:engineer|developer)|"
                 r"angular\s+developer|vue\s+developer"),
    ("backend", r"back[\s-]?end|server[\s-]side|\bapi\s+(?:engineer|developer)|"
                r"(?:java|python|golang|go|ruby|php|\.net|c#|node(?:\.js)?|scala|rust|kotlin)"
                r"\s+(?:engineer|developer)|distributed\s+systems\s+engineer"),
)
_QA_ROLE = re.compile(r"\bqa\b|quality\s+(?:assurance|engineer)|\bsdet\b|\btest(?:ing)?\s+"
                      r"(?:engineer|analyst|automation)|\btester\b|automation\s+engineer", re.I)

# What each role family usually expects: (skill reported as the gap, skills that
# satisfy it). The order is the order of importance.
EXPECTATIONS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "backend": (
        ("SQL", ("SQL",)),
        ("REST APIs", ("REST APIs", "gRPC", "GraphQL", "API Design")),
        ("Docker", ("Docker", "Containers")),
        ("Unit Testing", ("Unit Testing", "Integration Testing", "TDD")),
        ("Caching", ("Caching",)),
        ("Message Queues", ("Message Queues", "Stream Processing", "Event-Driven Architecture")),
        ("Kubernetes", ("Kubernetes",)),
        ("CI/CD", ("CI/CD",)),
        ("Observability", ("Observability",)),
    ),
    "frontend": (
        ("JavaScript", ("JavaScript",)),
        ("TypeScript", ("TypeScript",)),
        ("React", ("React", "Angular", "Vue.js", "Svelte", "Ember.js", "AngularJS")),
        ("CSS", ("CSS",)),
        ("Unit Testing", ("Unit Testing",)),
        ("Accessibility", ("Accessibility",)),
        ("Web Performance", ("Web Performance", "Server-Side Rendering")),
        ("End-to-End Testing", ("End-to-End Testing",)),
        ("Responsive Design", ("Responsive Design",)),
    ),
    "fullstack": (
        ("JavaScript", ("JavaScript",)),
        ("React", ("React", "Angular", "Vue.js", "Svelte", "Ember.js", "AngularJS")),
        ("SQL", ("SQL",)),
        ("REST APIs", ("REST APIs", "GraphQL", "gRPC", "API Design")),
        ("Unit Testing", ("Unit Testing", "Integration Testing", "TDD")),
        ("Docker", ("Docker", "Containers")),
        ("CI/CD", ("CI/CD",)),
        ("TypeScript", ("TypeScript",)),
        ("Caching", ("Caching",)),
    ),
    "mobile": (
        ("Mobile Development", ("Mobile Development", "iOS", "Android", "React Native", "Flutter")),
        ("REST APIs", ("REST APIs", "GraphQL", "gRPC")),
        ("Unit Testing", ("Unit Testing", "Mobile Testing")),
        ("Mobile Testing", ("Mobile Testing", "End-to-End Testing")),
        ("CI/CD", ("CI/CD",)),
        ("Push Notifications", ("Push Notifications", "Firebase")),
        ("Web Performance", ("Performance Optimization", "Web Performance")),
    ),
    "data": (
        ("SQL", ("SQL",)),
        ("Python", ("Python", "Scala", "Java")),
        ("Apache Spark", ("Apache Spark", "Apache Flink", "Apache Beam", "Hadoop", "Dask")),
        ("Apache Airflow", ("Apache Airflow", "Dagster", "Prefect", "Luigi")),
        ("Data Modeling", ("Data Modeling",)),
        ("Data Warehousing", ("Data Warehousing",)),
        ("Stream Processing", ("Stream Processing", "Kafka")),
        ("Data Quality", ("Data Quality",)),
        ("AWS", ("AWS", "GCP", "Azure")),
    ),
    "ml": (
        ("Python", ("Python",)),
        ("Machine Learning", ("Machine Learning",)),
        ("PyTorch", ("PyTorch", "TensorFlow", "JAX", "Keras")),
        ("Statistics", ("Statistics",)),
        ("SQL", ("SQL",)),
        ("MLOps", ("MLOps",)),
        ("Model Serving", ("Model Serving",)),
        ("Docker", ("Docker", "Containers")),
    ),
    "devops": (
        ("Linux", ("Linux", "Unix")),
        ("Kubernetes", ("Kubernetes",)),
        ("Terraform", ("Infrastructure as Code",)),
        ("CI/CD", ("CI/CD",)),
        ("Observability", ("Observability",)),
        ("AWS", ("AWS", "GCP", "Azure")),
        ("Docker", ("Docker", "Containers")),
        ("Bash", ("Bash", "Python", "Go", "PowerShell")),
        ("Incident Management", ("Incident Management", "Site Reliability Engineering")),
        ("Computer Networking", ("Computer Networking", "TCP/IP", "DNS", "Load Balancing")),
    ),
    "qa": (
        ("Test Automation", ("Test Automation",)),
        ("End-to-End Testing", ("End-to-End Testing",)),
        ("API Testing", ("API Testing",)),
        ("Test Planning", ("Test Planning",)),
        ("CI/CD", ("CI/CD",)),
        ("SQL", ("SQL",)),
        ("Python", ("Python", "Java", "JavaScript", "TypeScript", "C#")),
    ),
    "general": (
        ("Unit Testing", ("Unit Testing", "Integration Testing", "TDD")),
        ("Git", ("Git", "Version Control")),
        ("SQL", ("SQL",)),
        ("Data Structures", ("Data Structures", "Algorithms")),
        ("CI/CD", ("CI/CD",)),
        ("Code Review", ("Code Review",)),
    ),
}
SENIOR_EXPECTATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("System Design", ("System Design", "Software Architecture", "Distributed Systems")),
)


@dataclass
class JobRequirement(SkillEvidence):
    """A skill a job asks for. ``alternatives`` are skills named as either-or with it
    ("Python or Go"): any one of them satisfies the requirement. ``source`` is where the
    posting names it first: 0 a requirement, 1 a responsibility, 2 a stack or other line.
    A ``qualifier`` is named in brackets after another skill ("Node.js (Express or
    NestJS)"): a detail of that skill, never a gap of its own."""

    required: bool = True
    alternatives: list[str] = field(default_factory=list)
    mentions: int = 1
    source: int = 0
    qualifier: bool = False

    @property
    def concrete(self) -> bool:
        """A named technology rather than a practice or soft skill."""
        return self.category not in _CONCEPT_CATEGORIES


_SOURCE = {"must": 0, "nice": 0, "duty": 1, "stack": 2, "context": 2}


def job_requirements(job_description: str, taxonomy: Taxonomy | None = None) -> list[JobRequirement]:
    """The skills a job description asks for, required ones first, each in order of
    first mention. A skill named both as required and as nice-to-have is required."""
    from backend.interviewer.analysis.postings import read_posting

    tax = taxonomy or load_taxonomy()
    found: dict[str, JobRequirement] = {}
    for line in read_posting(job_description, tax):
        nice = line.kind == "nice"
        either = either_or_groups(line.text, tax)
        qualifiers = _qualifiers(line)
        for name in line.skills:
            skill = tax.skills[name]
            alternatives = [o for o in line.skills if o != name and o in either.get(name, ())
                            and tax.skills[o].category == skill.category]
            req = found.get(name)
            if req is None:
                found[name] = JobRequirement(
                    skill=name, category=skill.category, evidence=[line.text],
                    topics=list(skill.topics), required=not nice, alternatives=alternatives,
                    source=_SOURCE[line.kind], qualifier=name in qualifiers)
                continue
            req.mentions += 1
            if line.text not in req.evidence:
                req.evidence.append(line.text)
            if not nice and not req.required:
                req.required, req.alternatives = True, alternatives
                req.source = _SOURCE[line.kind]
            elif nice == (not req.required):
                req.source = min(req.source, _SOURCE[line.kind])
            req.qualifier = req.qualifier and name in qualifiers
    reqs = list(found.values())
    return [r for r in reqs if r.required] + [r for r in reqs if not r.required]


def _qualifiers(line) -> set[str]:
    """Skills named in brackets right after another skill: "Node.js (Express or NestJS)"."""
    out: set[str] = set()
    text = line.text
    for k, m in enumerate(line.mentions[1:], 1):
        before = text[:m.start]
        opened = before.rfind("(")
        if opened == -1 or ")" in text[opened:m.start]:
            continue
        if any(p.end <= opened and not text[p.end:opened].strip() for p in line.mentions[:k]):
            out.add(m.skill.name)
            continue
        inside = [p for p in line.mentions[:k] if p.start > opened]
        if inside and inside[0].skill.name in out:
            out.add(m.skill.name)
    outside = {m.skill.name for m in line.mentions if not _in_brackets(text, m.start)}
    return out - outside


def _in_brackets(text: str, at: int) -> bool:
    opened = text.rfind("(", 0, at)
    return opened != -1 and ")" not in text[opened:at]


def either_or_groups(line: str, tax: Taxonomy) -> dict[str, set[str]]:
    """For each skill in an either-or list on the line, the other skills of that list."""
    mentions = tax.mentions(line)
    groups: list[list[str]] = []
    current: list[str] = []
    either = False
    for k, m in enumerate(mentions):
        gap = line[mentions[k - 1].end:m.start] if k else None
        if gap is not None and _LIST_GAP.fullmatch(gap):
            current.append(m.skill.name)
            either = either or bool(_EITHER_GAP.search(gap))
            continue
        if either and len(current) > 1:
            groups.append(current)
        current, either = [m.skill.name], False
    if either and len(current) > 1:
        groups.append(current)
    return {name: set(g) - {name} for g in groups for name in g}


def role_family(role: str, job_description: str = "", taxonomy: Taxonomy | None = None) -> str:
    """backend, frontend, fullstack, mobile, data, ml, devops or general.

    The role title decides; failing that the job's title line; failing that the
    kinds of skills the job description names.
    """
    for text in (role, _title_of(job_description)):
        family = family_from_title(text)
        if family:
            return family
    if job_description.strip():
        return family_from_skills(job_requirements(job_description, taxonomy))
    return "general"


def family_from_title(text: str) -> str | None:
    if not text or not text.strip():
        return None
    for family, pattern in _FAMILY_PATTERNS:
        if re.search(pattern, text, re.IGNORECASE):
            return family
    return None


def _title_of(job_description: str) -> str:
    for line in job_description.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def family_from_skills(skills: Sequence[SkillEvidence]) -> str:
    """A role family from the mix of skill categories and topics (for untitled text)."""
    score = dict.fromkeys(ROLE_FAMILIES, 0.0)
    for s in skills:
        topics = set(s.topics)
        if s.category == "frontend" or "frontend" in topics:
            score["frontend"] += 1
        if s.category == "mobile" or "mobile" in topics:
            score["mobile"] += 1.5
        if s.category == "ml" or "ml-engineering" in topics:
            score["ml"] += 1.2
        if s.category == "data" or "data-engineering" in topics:
            score["data"] += 1
        if s.category not in ("practice", "soft-skill") and \
                (topics & {"kubernetes", "observability"} or s.category == "devops"):
            score["devops"] += 0.6
        if s.category in ("database", "framework") or topics & {"api-design", "messaging", "databases"}:
            score["backend"] += 1
    best = max(score, key=lambda k: score[k])
    if score[best] < 2:
        return "general"
    if best in ("frontend", "backend") and min(score["frontend"], score["backend"]) >= 3 and \
            min(score["frontend"], score["backend"]) >= 0.6 * max(score["frontend"], score["backend"]):
        return "fullstack"
    return best


def expectations_for(role: str, family: str, senior: bool) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What a role usually expects, most important first (QA roles have their own list)."""
    key = "qa" if _QA_ROLE.search(role or "") else family
    base = EXPECTATIONS.get(key, EXPECTATIONS["general"])
    return (SENIOR_EXPECTATIONS + base) if senior else base
