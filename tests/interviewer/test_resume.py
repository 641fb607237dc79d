"""Resume and job analysis on the resumes in tests/data/resumes (each with its
expected result in a TOML file beside it), plus the date, section and job parsers.

Some resumes are turned into PDF or DOCX files here (a two-column PDF, a DOCX
whose layout is a table) and read back through backend.documents.extract_text,
the way an upload reaches the analysis.
"""

from __future__ import annotations

import io
import statistics
import time
import tomllib
from datetime import date
from pathlib import Path

import pytest

from backend.interviewer.analysis.dates import find_ranges, merged_months, parse_date, years_of
from backend.interviewer.analysis.jobs import job_requirements, role_family
from backend.interviewer.analysis.resume import analyse_resume
from backend.interviewer.analysis.sections import heading_section, label_lines
from backend.interviewer.analysis.taxonomy import load_taxonomy

DATA = Path(__file__).resolve().parent.parent / "data"
TODAY = date(2026, 6, 1)
CASES = sorted(p.stem for p in (DATA / "resumes").glob("*.toml"))
TOPIC_TITLES = {t["title"] for t in tomllib.loads(
    (Path(__file__).resolve().parents[2] / "assets" / "topics.toml").read_text())["topics"]}


# Cases today's analysis gets wrong (issue 12, item 3), each with why. Strict: once the
# analysis is fixed the case passes, the xfail turns into a failure, and its line here
# must be deleted. The data is the specification; never loosen it to fit the code.
TODAY_FAILS: dict[tuple[str, str], str] = {
}


def cases(aspect: str, names: list[str] | None = None) -> list:
    """The cases for one aspect of the analysis, today's known failures marked."""
    marked = []
    for case in (CASES if names is None else names):
        reason = TODAY_FAILS.get((aspect, case))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        marked.append(pytest.param(case, marks=marks, id=case))
    return marked


def expected(case: str) -> dict:
    return tomllib.loads((DATA / "resumes" / f"{case}.toml").read_text(encoding="utf-8"))


def job(name: str) -> str:
    return (DATA / "jobs" / name).read_text(encoding="utf-8")


# ---- documents built from the text files

def _pdf(pages_ops: list[str]) -> bytes:
    """A minimal PDF (Helvetica, one content stream a page) from raw text operators."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    page_ids = []
    for ops in pages_ops:
        stream = ops.encode("latin-1", "replace")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % len(objects))
        page_ids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _esc(line: str) -> str:
    line = line.encode("latin-1", "replace").decode("latin-1")
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(text: str) -> bytes:
    """One column, top to bottom, like the conformance suite's make_pdf."""
    ops = "BT /F1 10 Tf 13 TL 50 770 Td\n" + "".join(
        f"({_esc(ln)}) '\n" for ln in text.splitlines()) + "ET"
    return _pdf([ops])


def make_two_column_pdf(text: str) -> bytes:
    """Two columns side by side, drawn row by row (left cell, then right cell) as
    many resume templates do, so a text extractor may interleave them."""
    left, right = text.split("<<<COLUMN>>>\n")
    lrows, rrows = left.splitlines(), right.splitlines()
    ops = ["BT /F1 10 Tf ET"]
    for k in range(max(len(lrows), len(rrows))):
        y = 770 - 14 * k
        for x, rows in ((50, lrows), (360, rrows)):
            if k < len(rows) and rows[k]:
                ops.append(f"BT /F1 10 Tf 1 0 0 1 {x} {y} Tm ({_esc(rows[k])}) Tj ET")
    return _pdf(["\n".join(ops)])


def make_table_docx(text: str) -> bytes:
    """Lines with ' | ' become table rows (one table per run of such lines)."""
    import docx

    document = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for i, cells in enumerate(rows):
                for j, cell in enumerate(cells):
                    table.cell(i, j).text = cell
            rows.clear()

    for line in text.splitlines():
        if " | " in line:
            rows.append([c.strip() for c in line.split(" | ")])
        else:
            flush()
            document.add_paragraph(line)
    flush()
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def resume_text(case: str) -> str:
    """The resume as the analysis sees it: read back from a PDF/DOCX when the case says so."""
    text = (DATA / "resumes" / f"{case}.txt").read_text(encoding="utf-8")
    fmt = expected(case).get("format", "txt")
    if fmt == "txt":
        return text
    from backend.documents import extract_text

    if fmt == "pdf":
        return extract_text(make_pdf(text), f"{case}.pdf")
    if fmt == "pdf-columns":
        return extract_text(make_two_column_pdf(text), f"{case}.pdf")
    if fmt == "docx-table":
        return extract_text(make_table_docx(text), f"{case}.docx")
    raise AssertionError(f"unknown format {fmt!r}")


# ---- the corpus

def test_the_corpus_covers_levels_roles_and_layouts():
    cases = [expected(c) for c in CASES]
    assert len(cases) >= 25
    assert {c["seniority"] for c in cases} == {"junior", "mid", "senior"}
    assert {c.get("format", "txt") for c in cases} >= {"txt", "pdf", "pdf-columns", "docx-table"}
    assert len({c["job"] for c in cases}) >= 7


def analysed(case: str):
    want = expected(case)
    return want, analyse_resume(resume_text(case), job(want["job"]), want.get("role", ""),
                                today=TODAY)


@pytest.mark.parametrize("case", cases("seniority"))
def test_seniority_and_years(case):
    """Seniority, and the years of technical experience (only technical roles count)."""
    want, a = analysed(case)
    assert a.seniority == want["seniority"], (a.seniority, a.years_experience)
    lo, hi = want["years"]
    assert a.years_experience is not None and lo <= a.years_experience <= hi, a.years_experience


@pytest.mark.parametrize("case", cases("skills"))
def test_skills_found(case):
    want, a = analysed(case)
    found = {s.skill for s in a.skills}
    assert set(want["skills"]) <= found, sorted(set(want["skills"]) - found)
    assert not set(want.get("not_skills", ())) & found, sorted(set(want["not_skills"]) & found)


@pytest.mark.parametrize("case", cases("gaps"))
def test_gaps(case):
    """Expected gaps are found; never a soft skill or a skill the resume shows in other
    words (``not_gaps``)."""
    want, a = analysed(case)
    assert set(want["gaps"]) <= set(a.gaps), a.gaps
    assert not set(want.get("not_gaps", ())) & set(a.gaps), a.gaps


STRENGTH_CASES = [c for c in CASES if {"strengths", "not_strengths", "not_strength_categories"}
                  & expected(c).keys()]


@pytest.mark.parametrize("case", cases("strengths", STRENGTH_CASES))
def test_strengths(case):
    """Expected strengths are among the strengths; ``not_strengths`` never are, nor any
    skill of a ``not_strength_categories`` category (a resume with no security work never
    gets a security strength)."""
    want, a = analysed(case)
    assert set(want.get("strengths", ())) <= set(a.strengths), a.strengths
    assert not set(want.get("not_strengths", ())) & set(a.strengths), a.strengths
    banned = set(want.get("not_strength_categories", ()))
    tax = load_taxonomy()
    wrong = [s for s in a.strengths if (tax.get(s) and tax.get(s).category in banned)]
    assert not wrong, (wrong, a.strengths)


@pytest.mark.parametrize("case", CASES)
def test_analysis_shape(case):
    text = resume_text(case)
    tax = load_taxonomy()
    for jd in ("", job(expected(case)["job"])):
        a = analyse_resume(text, jd, today=TODAY)
        assert 1 <= len(a.strengths) <= 8 and len(a.gaps) <= 6
        assert all(tax.canonical(s) == s for s in a.strengths + a.gaps)
        assert not set(a.strengths) & set(a.gaps)
        assert 1 <= len(a.focus_areas) <= 5 and set(a.focus_areas) <= TOPIC_TITLES
        assert len(a.highlights) <= 5
        assert all(h in text for h in a.highlights)
        for s in a.skills:
            assert s.evidence and all(e.rstrip("…") in text or e[:40] in text for e in s.evidence)
        assert type(a).from_dict(a.to_dict()) == a


def test_strengths_follow_the_job():
    text = resume_text("31_conformance_senior")
    without = analyse_resume(text, today=TODAY)
    with_jd = analyse_resume(text, job("senior_backend.txt"), "Senior Backend Engineer", today=TODAY)
    required = {r.skill for r in job_requirements(job("senior_backend.txt")) if r.required}
    assert {"Python", "PostgreSQL", "Kafka"} <= set(with_jd.strengths[:5])
    # the job's required skills come before anything it does not ask for
    asked = [s in required for s in with_jd.strengths]
    assert asked == sorted(asked, reverse=True), with_jd.strengths
    assert "Redis" in without.strengths and "Redis" not in with_jd.strengths[:4]


def test_gaps_before_a_job_come_from_the_role():
    backend = resume_text("31_conformance_senior")
    as_frontend = analyse_resume(backend, role="Frontend Engineer", today=TODAY)
    assert {"React", "TypeScript"} <= set(as_frontend.gaps)
    as_backend = analyse_resume(backend, role="Backend Engineer", today=TODAY)
    assert "Kubernetes" in as_backend.gaps and "SQL" not in as_backend.gaps


def test_required_gaps_come_before_nice_to_have():
    text = resume_text("33_conformance_junior")
    a = analyse_resume(text, job("senior_backend.txt"), today=TODAY)
    reqs = {r.skill: r.required for r in job_requirements(job("senior_backend.txt"))}
    flags = [reqs[g] for g in a.gaps]
    assert flags == sorted(flags, reverse=True)
    assert a.gaps[0] in ("PostgreSQL", "Kubernetes", "Kafka")


def test_either_or_requirements_are_one_gap():
    a = analyse_resume(resume_text("32_conformance_mid"), job("senior_backend.txt"), today=TODAY)
    assert "Python" in a.gaps and "Go" not in a.gaps  # "Python or Go": one gap, not two
    b = analyse_resume(resume_text("11_senior_backend_go_dashes"), job("senior_backend.txt"),
                       today=TODAY)
    assert "Python" not in b.gaps and "Go" not in b.gaps


def test_focus_areas():
    senior = analyse_resume(resume_text("31_conformance_senior"), job("senior_backend.txt"),
                            "Senior Backend Engineer", today=TODAY)
    assert "System design" in senior.focus_areas and "Kubernetes" in senior.focus_areas
    junior = analyse_resume(resume_text("02_newgrad_frontend_caps"), job("frontend.txt"),
                            "Frontend Engineer", today=TODAY)
    assert "System design" not in junior.focus_areas
    assert "Frontend engineering" in junior.focus_areas


def test_highlights_are_achievements():
    a = analyse_resume(resume_text("31_conformance_senior"), today=TODAY)
    assert "Led migration of the billing monolith to Python microservices with gRPC." in a.highlights
    assert not any("University" in h or "@" in h for h in a.highlights)


def test_students_and_interns_are_junior_whatever_else():
    text = ("EDUCATION\nB.S. Computer Science, State University, expected May 2027\n\n"
            "EXPERIENCE\nSenior Software Engineering Intern, BigCo   Jun 2025 - Aug 2025\n"
            "- Led the migration of 3 services to Kubernetes\n")
    assert analyse_resume(text, today=TODAY).seniority == "junior"


def test_analysis_is_fast():
    text = resume_text("11_senior_backend_go_dashes")
    jd = job("senior_backend.txt")
    analyse_resume(text, jd, today=TODAY)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        analyse_resume(text, jd, today=TODAY)
        runs.append(time.perf_counter() - start)
    assert statistics.median(runs) < 0.1, runs


# ---- dates

@pytest.mark.parametrize("text, start, end, current", [
    ("Mar 2019 - Present", (2019, 3), (2026, 6), True),
    ("2015-2019", (2015, 1), (2019, 12), False),
    ("04/2022 – present", (2022, 4), (2026, 6), True),
    ("Jan 2020 to Dec 2021", (2020, 1), (2021, 12), False),
    ("June 2013 — December 2014", (2013, 6), (2014, 12), False),
    ("Sept. 2018 – now", (2018, 9), (2026, 6), True),
    ("2022-04 – 2023-01", (2022, 4), (2023, 1), False),
    ("Jan '20 – Mar '22", (2020, 1), (2022, 3), False),
    ("Summer 2019 – Fall 2019", (2019, 6), (2019, 9), False),
    ("(2019 – current)", (2019, 1), (2026, 6), True),
    ("May 2025 - Aug 2027", (2025, 5), (2026, 6), False),  # capped at today
])
def test_date_ranges(text, start, end, current):
    (r,) = find_ranges(text, TODAY)
    assert (r.start_date.year, r.start_date.month) == start
    assert (r.end_date.year, r.end_date.month) == end
    assert r.current is current


@pytest.mark.parametrize("text", [
    "Call 2015 2019 later", "Version 3.11 - released", "2027 - 2028", "Dec 2020 - Jan 2019",
    "phone 0412-555-019",
])
def test_not_date_ranges(text):
    assert find_ranges(text, TODAY) == []


def test_overlapping_ranges_are_merged():
    ranges = find_ranges("Jan 2020 - Dec 2022\nMar 2021 - Present\nJun 2019 - Feb 2021", TODAY)
    assert len(ranges) == 3
    assert merged_months(ranges) == (2026 - 2019) * 12 + (6 - 6) + 1  # Jun 2019 .. Jun 2026
    assert years_of(ranges) == 7.1


def test_today_is_a_parameter():
    text = "Software Engineer, Acme    Jan 2020 - Present"
    early = analyse_resume(text, today=date(2021, 1, 31))
    late = analyse_resume(text, today=date(2030, 12, 31))
    assert early.years_experience == 1.1 and late.years_experience == 11.0


def test_education_dates_are_not_experience():
    text = ("EDUCATION\nB.Sc. Computer Science, University of Leeds, 2010 - 2014\n"
            "EXPERIENCE\nSoftware Engineer, Acme    Jan 2024 - Present\n")
    assert analyse_resume(text, today=TODAY).years_experience == 2.5  # Jan 2024 .. Jun 2026
    assert parse_date("2014", is_end=True) == 2014 * 12 + 11


# ---- sections

@pytest.mark.parametrize("line, section", [
    ("EXPERIENCE", "experience"), ("Work Experience:", "experience"), ("## Skills", "skills"),
    ("PROFESSIONAL EXPERIENCE & LEADERSHIP", "experience"), ("Technical Skills", "skills"),
    ("EDUCATION", "education"), ("Projects", "projects"), ("— SUMMARY —", "summary"),
    ("Jordan Avery", None), ("- Led the experience redesign", None),
    ("Built skills matrix for 40 engineers.", None),
])
def test_headings(line, section):
    assert heading_section(line) == section


def test_inline_and_table_headings():
    lines = label_lines("Jo Doe\nSkills: Python, Go\nEducation | BSc | 2014\nMore text")
    assert [ln.section for ln in lines] == ["header", "skills", "education", "education"]
    entry = label_lines("EXPERIENCE\nEngineer, Acme 2020 - 2022\nStack: Python, Kafka\n- Built X")
    assert [ln.section for ln in entry] == ["experience"] * 4


# ---- jobs

def test_job_requirements_split_required_and_nice_to_have():
    reqs = {r.skill: r for r in job_requirements(job("senior_backend.txt"))}
    for skill in ("Python", "Go", "PostgreSQL", "Kubernetes", "Kafka", "Observability"):
        assert reqs[skill].required, skill
    for skill in ("Terraform", "AWS", "gRPC"):
        assert not reqs[skill].required, skill
    assert reqs["Python"].alternatives == ["Go"]
    assert reqs["Kubernetes"].evidence == ["Experience running services on Kubernetes in production"]


def test_job_sections_about_the_company_are_ignored():
    reqs = {r.skill: r for r in job_requirements(job("frontend.txt"))}
    assert "Go" not in reqs and "Kafka" not in reqs  # "About us" mentions them
    assert reqs["React"].required and reqs["Accessibility"].required
    assert not reqs["Next.js"].required and not reqs["GraphQL"].required


@pytest.mark.parametrize("role, jd, family", [
    ("Senior Backend Engineer", "", "backend"),
    ("Frontend Developer", "", "frontend"),
    ("Full-Stack Engineer", "", "fullstack"),
    ("Senior iOS Engineer", "", "mobile"),
    ("Data Engineer", "", "data"),
    ("Machine Learning Engineer", "", "ml"),
    ("Site Reliability Engineer", "", "devops"),
    ("Software Engineer", "", "general"),
    ("", "", "general"),
    ("", "Platform Engineer\nWe run Kubernetes.", "devops"),
    ("Software Engineer", "Build UIs with React, TypeScript, CSS, Storybook and Jest.", "frontend"),
    ("Software Engineer", "Services in Go on PostgreSQL and Kafka, gRPC APIs, Redis.", "backend"),
])
def test_role_family(role, jd, family):
    assert role_family(role, jd) == family
