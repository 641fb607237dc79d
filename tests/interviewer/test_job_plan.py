"""Reading a posting into requirements, matching them to bank questions, and the plan:
what is asked, in what order, and what is said not to be."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.interviewer.analysis.jobs import job_requirements
from backend.interviewer.analysis.postings import read_posting
from backend.interviewer.bank import default_bank
from backend.interviewer.builtin import BuiltinInterviewer
from backend.interviewer.domain import InterviewContext, Turn
from backend.interviewer.matching import Wanted, bank_index, term_keys
from backend.interviewer.plan import short_label

DATA = Path(__file__).resolve().parent.parent / "data"
PAYMENTS_JD = (DATA / "jobs" / "payments_platform.txt").read_text(encoding="utf-8")
PAYMENTS_RESUME = (DATA / "resumes" / "34_mid_backend_payments_repartition.txt").read_text(
    encoding="utf-8")
PROSE_JD = """Senior Software Engineer, Ledger

Kestrel Bank is a licensed digital bank with 2 million customers.

In this role you will design how money moves between accounts.

You must have built or run a double-entry ledger in production. You need deep experience with
relational databases, including transaction isolation and locking, and with designing
idempotent APIs so that retried requests never move money twice.

Experience with Kafka or another event log is a plus. Knowledge of PCI DSS helps but is not
required.

We offer a hybrid setup in London and a generous pension.
"""


def kinds(jd: str) -> list[tuple[str, str]]:
    return [(line.kind, line.text) for line in read_posting(jd)]


# ---- the posting

def test_headings_decide_the_kind_and_company_sections_are_skipped():
    lines = kinds(PAYMENTS_JD)
    assert ("must", "Idempotent payment APIs: idempotency keys, safe retries, no duplicate "
                    "charges") in lines
    assert ("nice", "PCI-DSS scope reduction and tokenisation of card data") in lines
    assert any(k == "duty" and t.startswith("Own the ledger") or k == "duty"
               and "on-call" in t for k, t in lines)
    texts = " ".join(t for _, t in lines)
    assert "Tallyfin moves money" not in texts  # "About us"
    assert "30 days of holiday" not in texts    # "What we offer"
    assert "Backend Engineer, Payments Platform" not in texts  # the title
    # a wrapped bullet is one requirement
    assert any(t.endswith("(read committed vs. serializable, SELECT ... FOR UPDATE)")
               for _, t in lines)


def test_prose_sentences_and_clauses_carry_their_own_cues():
    lines = kinds(PROSE_JD)
    musts = [t for k, t in lines if k == "must"]
    assert any("double-entry ledger" in t for t in musts)
    assert any(t.startswith("You need deep experience with relational databases") for t in musts)
    assert any(t.startswith("with designing idempotent APIs") for t in musts)  # its own clause
    assert ("nice", "Experience with Kafka or another event log is a plus") in lines
    assert ("nice", "Knowledge of PCI DSS helps but is not required") in lines
    assert not any(t.startswith("In this role") for _, t in lines)  # a duty naming no skill
    assert not any("pension" in t or "Kestrel Bank is" in t for _, t in lines)


def test_a_bare_list_is_must_haves_one_per_skill_and_either_or_stays_together():
    assert kinds("Kubernetes, Kafka") == [("must", "Kubernetes"), ("must", "Kafka")]
    assert kinds("Requirements\n- Python, Go or Java\nNice to have: Terraform, AWS") == [
        ("must", "Python, Go or Java"), ("nice", "Terraform"), ("nice", "AWS")]


def test_degrees_and_company_prose_are_no_requirement():
    lines = kinds("Junior Backend Engineer\n\nWhat you'll need\n- A degree in computer science "
                  "or equivalent practical experience\n- Writing unit tests\n")
    assert lines == [("must", "Writing unit tests")]


def test_either_or_and_bracketed_details():
    reqs = {r.skill: r for r in job_requirements(
        "Requirements\n- Native modules in Swift or Kotlin when JavaScript is not enough\n"
        "- React on the frontend, Node.js (Express or NestJS) on the backend\n"
        "- Basic statistics (A/B testing)\n")}
    assert reqs["Swift"].alternatives == ["Kotlin"] and reqs["JavaScript"].alternatives == []
    assert reqs["Express.js"].qualifier and not reqs["Node.js"].qualifier
    assert reqs["Statistics"].alternatives == []  # a bracket is no either-or


# ---- matching

def test_rare_words_and_skills_put_a_question_on_a_requirement_common_words_do_not():
    index = bank_index(default_bank())
    wanted = Wanted.of("Idempotent payment APIs: idempotency keys, safe retries, no duplicate "
                       "charges", ["Idempotency"])
    ranked = index.ranked(wanted)
    assert ranked and all("idempot" in (q.text + q.explanation).lower()
                          or "twice" in q.text for _, q in ranked[:3])
    vague = Wanted.of("Good understanding of systems and design", [])
    assert not index.ranked(vague)
    unknown = Wanted.of("Healthcare data (EHR extracts, claims)", [])
    assert not index.ranked(unknown)  # "data" alone is not the subject


def test_the_head_of_a_requirement_weighs_more_than_its_examples():
    assert term_keys("idempotency") == term_keys("idempotent")  # word forms meet
    w = Wanted.of("Exactly-once processing with Kafka: consumer offsets", ["Kafka"])
    assert "exact" in w.head and "offset" not in w.head and "offset" in w.terms


def test_short_labels():
    assert short_label("Idempotent payment APIs: idempotency keys, safe retries") == \
        "Idempotent payment APIs"
    assert short_label("Deep PostgreSQL knowledge: indexing, query plans") == \
        "PostgreSQL knowledge: indexing, query plans"
    assert short_label("Experience designing a double-entry ledger on PostgreSQL: accounts") == \
        "Double-entry ledger on PostgreSQL"
    assert short_label("Experience with Kafka or another event log is a plus") == \
        "Kafka or another event log"


# ---- the plan

@pytest.fixture(scope="module")
def payments():
    interviewer = BuiltinInterviewer()
    analysis = interviewer.analyse_resume(PAYMENTS_RESUME, PAYMENTS_JD, "Backend Engineer, Payments")
    return interviewer, analysis


def run(interviewer, analysis, jd=PAYMENTS_JD, resume=PAYMENTS_RESUME, n=8) -> list[Turn]:
    turns: list[Turn] = []
    while len(turns) < n:
        ctx = InterviewContext("Backend Engineer, Payments", jd, resume, analysis, turns, n, 1800)
        q = interviewer.next_question(ctx)
        if q is None:
            break
        turns.append(Turn(len(turns) + 1, q))
    return turns


def test_every_must_have_is_planned_or_said_not_to_be(payments):
    _, analysis = payments
    plan = analysis.plan
    planned = {i["text"] for i in plan["plan"]}
    left = {i["text"]: i["reason"] for i in plan["uncovered"] + plan["not_asked"]}
    for line in read_posting(PAYMENTS_JD):
        if line.kind in ("must", "nice"):
            assert line.text in planned or line.text in left, line.text
    assert "years" in left["3+ years building backend services in Go, Python, Java or Kotlin"]
    assert "soft skill" in left["Good written and verbal communication skills"]
    kinds = [i["kind"] for i in plan["plan"]]
    assert kinds == sorted(kinds, key=lambda k: k != "must")


def test_a_gap_is_the_subject_not_a_technology_beside_it(payments):
    _, analysis = payments
    items = {i["requirement"]: i for i in analysis.plan["plan"] + analysis.plan["uncovered"]}
    # the resume shows PostgreSQL, but no ledger: the ledger requirement is a gap
    ledger = next(i for k, i in items.items() if "ledger" in k.lower())
    assert ledger["in_resume"] is False
    # a repartition of a 1.8 TB table is evidence of the PostgreSQL partitioning must-have
    postgres = next(i for k, i in items.items() if k.startswith("PostgreSQL knowledge"))
    assert postgres["in_resume"] and "Repartitioned" in postgres["evidence"][0]


def test_the_interview_follows_the_plan(payments):
    interviewer, analysis = payments
    turns = run(interviewer, analysis)
    asked = [t.question.id for t in turns]
    ctx = InterviewContext("Backend Engineer, Payments", PAYMENTS_JD, PAYMENTS_RESUME, analysis,
                           [], 8, 1800)
    assert asked == interviewer.plan(ctx).question_ids  # the plan shown is what is asked
    assert turns[0].question.kind == "experience"
    assert turns[0].question.text.startswith("Let's start with your own work")
    assert turns[-1].question.topic == "behavioral"
    assert len(set(asked)) == len(asked)
    # nothing from the nice-to-haves (PCI-DSS, Terraform) in an 8-question interview here
    assert not {"security", "cloud"} & {t.question.topic for t in turns}


def test_a_must_have_without_bank_questions_is_asked_about_the_candidate_s_own_work():
    interviewer = BuiltinInterviewer()
    jd = "Requirements\n- Bluetooth Low Energy firmware for wearables\n- Unit testing\n"
    resume = ("EXPERIENCE\nFirmware Engineer, Acme    Jan 2020 - Present\n"
              "- Built the Bluetooth Low Energy firmware for a heart-rate strap used by 40k people\n"
              "- Wrote unit tests for the sensor drivers\n")
    analysis = interviewer.analyse_resume(resume, jd, "Firmware Engineer")
    turns = run(interviewer, analysis, jd, resume, n=4)
    personal = [t.question for t in turns if t.question.kind == "experience"]
    assert any("Bluetooth Low Energy" in q.text for q in personal)
    assert analysis.plan["uncovered"] == [] or all(
        "Bluetooth" not in u["text"] for u in analysis.plan["uncovered"])
