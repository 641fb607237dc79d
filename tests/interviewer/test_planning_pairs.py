"""The planning bench's data (tests/data/planning) and its scoring rules (bench/planning.py):
the pairs are well formed and varied, and a question counts as "on" a requirement exactly
when the rules say so."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("planning_bench", ROOT / "bench" / "planning.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def question(text, topic="databases", kind="theory", explanation="", skills=(), title=None):
    return {"id": text[:20], "topic": topic, "topic_title": title or topic, "kind": kind,
            "difficulty": "medium", "text": text, "explanation": explanation,
            "skills": list(skills)}


def test_pairs_are_many_varied_and_well_formed(bench):
    pairs = bench.load_pairs()
    assert len(pairs) >= 20
    for p in pairs:
        assert p.job.strip() and p.resume.strip() and p.role, p.name
        assert len(p.must) >= 3, p.name
        for r in p.must + p.nice:
            assert r.keywords or r.skills, (p.name, r.name)
            assert all(k == k.lower() and k.strip() for k in r.keywords), (p.name, r.name)
    specs = [(ROOT / "tests/data/planning" / f"{p.name}.toml").read_text() for p in pairs]
    assert sum("job_text" in s for s in specs) >= 4  # prose and inline job descriptions
    jobs = " ".join(p.job for p in pairs)
    for heading in ("Requirements", "Must have", "What you'll need", "Nice to have", "Bonus",
                    "Preferred"):
        assert heading in jobs, heading
    for cue in ("is a plus", "You must have", "would be nice"):
        assert cue in jobs, cue


def test_a_question_is_on_a_requirement_by_keyword_topic_or_skill(bench):
    req = bench.Requirement("idempotent payment APIs", ("Idempotency",), ("idempot", "charged twice"))
    assert req.matches(question("Design checkout so a customer is never charged twice."))
    assert req.matches(question("Why?", explanation="This tests idempotency keys."))
    assert req.matches(question("Anything", skills=["Idempotency"]))
    # a keyword must start a word; key points and unrelated skills do not count
    assert not req.matches(question("Retry only the nonidempotent calls?"))
    assert not req.matches(question("PUT versus PATCH", skills=["REST APIs"]))
    k8s = bench.Requirement("Kubernetes", (), ("kubernetes",))
    assert k8s.matches(question("How does a rolling update work?", title="Kubernetes"))


def test_scoring(bench):
    pair = bench.Pair(
        name="p", role="r", job="j", resume="r",
        must=[bench.Requirement("ledger", (), ("ledger",)),
              bench.Requirement("isolation", (), ("isolation level",)),
              bench.Requirement("webhooks", (), ("webhook",))],  # no bank question on it
        nice=[bench.Requirement("pci", (), ("pci",))])
    asked = [question("Tell me about your ledger", topic="experience", kind="experience"),
             question("PCI scope: what is in it?"),                 # nice, ledger done, isolation not
             question("Which isolation level would you pick?"),
             question("PCI tokenisation?"),                         # nice, after the coverable musts
             question("Tell me about a conflict", topic="behavioral", kind="behavioral")]
    bank = [question("How does a ledger stay balanced?"), question("Isolation levels compared")]
    s = bench.score(pair, asked, bank)
    assert (s.asked, s.on_target) == (5, 2)          # the own-experience and the isolation one
    assert (s.covered, s.coverable, s.musts) == (2, 2, 3)
    assert s.nice_early == 1
    assert s.first_own
    assert s.uncovered == ["webhooks"] and s.not_in_bank == ["webhooks"]
