"""Planning bench (issue 12, item 5): does an 8-question interview ask about what the job
requires?

For every job description + resume pair in tests/data/planning/ (each with its expected
must-haves and nice-to-haves), the built-in interviewer is run the way the engine runs
it: ``BuiltinInterviewer().analyse_resume(resume, job, role)``, then ``next_question``
eight times, each turn graded with the same neutral grade (technical 5.5, between the
step-down and step-up thresholds) so difficulty adaptation is deterministic. Printed per
pair and overall, for the current tree and for a baseline commit measured in the same run:

  (a) share of questions on a must-have or on the candidate's own experience
      (kind "experience" or topic "experience")                          target >= 80%
  (b) must-haves covered by at least one question, out of those the bank can cover at
      all (some question in the bank is on it); also out of all must-haves  target >= 90%
  (c) questions on a nice-to-have (and on no must-have) asked while a coverable
      must-have was still uncovered; resume-built questions are not counted  target 0
  (d) whether the first question is about the candidate's own experience

A question is "on" a requirement when one of the requirement's keywords starts a word in
the question's text, its explanation ("This tests ...") or its topic's title ("Kubernetes",
"Observability and SRE"), or when the question's
``skills`` (read only if the bank has that field) share a skill with the requirement's.
Key points are not searched: they mention neighbouring ideas in passing (31 of today's
337 questions mention idempotency in some key point, PUT vs PATCH among them), which
would credit almost any question as covering almost any must-have. See
tests/data/planning/README.md.

The baseline's backend/ and assets/ are extracted with ``git archive`` into a temporary
directory; both trees are measured by this same script in a subprocess (``--measure``)
that imports only the interviewer's public interface, so it works with either tree.

Run: .venv/bin/python bench/planning.py [--baseline-ref REF] [--no-baseline]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PAIRS = DATA / "planning"
DEFAULT_BASELINE = "c477d3b"
QUESTIONS = 8
DURATION_S = 30 * 60
TURN_S = 180  # each turn takes three minutes of the clock, so time is deterministic too
NEUTRAL_SCORE = 5.5
TARGET_ON = 0.80
TARGET_COVERED = 0.90


# ---- the pairs

@dataclass
class Requirement:
    name: str
    skills: tuple[str, ...]
    keywords: tuple[str, ...]

    def __post_init__(self) -> None:
        self._patterns = [re.compile(r"(?<![a-z0-9])" + re.escape(k.lower())) for k in self.keywords]

    def matches(self, question: dict) -> bool:
        text = f'{question["topic_title"]} | {question["text"]} {question["explanation"]}'.lower()
        if any(p.search(text) for p in self._patterns):
            return True
        return bool(set(question["skills"]) & set(self.skills))


@dataclass
class Pair:
    name: str
    role: str
    job: str
    resume: str
    must: list[Requirement]
    nice: list[Requirement]


def _text(spec: dict, key: str, folder: str, where: Path) -> str:
    if f"{key}_text" in spec:
        return spec[f"{key}_text"]
    if key in spec:
        return (DATA / folder / spec[key]).read_text(encoding="utf-8")
    raise SystemExit(f"{where.name}: needs `{key}` (a file in tests/data/{folder}/) or `{key}_text`")


def _requirements(spec: dict, key: str, where: Path) -> list[Requirement]:
    reqs = []
    for r in spec.get(key, []):
        if not r.get("name") or not (r.get("keywords") or r.get("skills")):
            raise SystemExit(f"{where.name}: every [[{key}]] needs a name and keywords or skills")
        reqs.append(Requirement(r["name"], tuple(r.get("skills", ())), tuple(r.get("keywords", ()))))
    return reqs


def load_pairs(folder: Path = PAIRS) -> list[Pair]:
    pairs = []
    for path in sorted(folder.glob("*.toml")):
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        pairs.append(Pair(name=path.stem, role=spec.get("role", ""),
                          job=_text(spec, "job", "jobs", path),
                          resume=_text(spec, "resume", "resumes", path),
                          must=_requirements(spec, "must_have", path),
                          nice=_requirements(spec, "nice_to_have", path)))
        if not pairs[-1].must:
            raise SystemExit(f"{path.name}: no [[must_have]]")
    return pairs


# ---- measuring one tree (runs in a subprocess with that tree first on sys.path)

def _record(q) -> dict:
    return {"id": q.id, "topic": q.topic, "topic_title": q.topic_title or q.topic,
            "kind": q.kind, "difficulty": q.difficulty,
            "text": q.text, "explanation": q.explanation,
            "skills": list(getattr(q, "skills", None) or ())}


def measure(tree: Path, pairs_file: Path, out_file: Path) -> None:
    sys.path.insert(0, str(tree))
    try:  # the data types moved from base.py to domain.py after c477d3b
        from backend.interviewer.domain import Grade, InterviewContext, Turn
    except ImportError:
        from backend.interviewer.base import Grade, InterviewContext, Turn
    from backend.interviewer.builtin import BuiltinInterviewer

    def neutral() -> Grade:
        return Grade.from_dict({"scores": {"technical": NEUTRAL_SCORE, "design": NEUTRAL_SCORE,
                                           "communication": NEUTRAL_SCORE},
                                "feedback": "neutral"})

    interviewer = BuiltinInterviewer()
    results = {}
    plan_s = 0.0
    for p in json.loads(pairs_file.read_text(encoding="utf-8")):
        t0 = time.perf_counter()
        analysis = interviewer.analyse_resume(p["resume"], p["job"], p["role"])
        turns: list = []
        for n in range(1, QUESTIONS + 1):
            context = InterviewContext(
                role=p["role"], job_description=p["job"], resume_text=p["resume"],
                analysis=analysis, turns=turns, max_questions=QUESTIONS,
                time_remaining_s=DURATION_S - TURN_S * (n - 1))
            q = interviewer.next_question(context)
            if q is None:
                break
            turns.append(Turn(number=n, question=q, answers=["(a neutral answer)"],
                              grades=[neutral()]))
        plan_s += time.perf_counter() - t0
        results[p["name"]] = {"seniority": analysis.seniority,
                              "focus": list(analysis.focus_areas),
                              "questions": [_record(t.question) for t in turns]}
    try:  # which requirement skills this tree's taxonomy does not know (yet)
        try:
            from backend.interviewer.analysis.taxonomy import load_taxonomy
        except ImportError:
            from backend.interviewer.taxonomy import load_taxonomy

        tax = load_taxonomy()
        unknown = sorted({s for p in json.loads(pairs_file.read_text(encoding="utf-8"))
                          for s in p["skills"] if tax.canonical(s) != s})
    except Exception as e:  # noqa: BLE001 - a tree without the module still gets measured
        unknown = [f"(taxonomy not readable: {e})"]
    out_file.write_text(json.dumps({
        "pairs": results, "plan_s": plan_s, "unknown_skills": unknown,
        "bank": [_record(q) for q in interviewer.bank.questions]}), encoding="utf-8")


# ---- scoring

@dataclass
class Score:
    asked: int
    on_target: int          # (a) numerator
    covered: int            # (b) must-haves covered
    coverable: int          # must-haves the bank has any question on
    musts: int
    nice_early: int         # (c)
    first_own: bool         # (d)
    uncovered: list[str]
    not_in_bank: list[str]
    ids: list[str]


def own_experience(q: dict) -> bool:
    return q["kind"] == "experience" or q["topic"] == "experience"


def score(pair: Pair, questions: list[dict], bank: list[dict]) -> Score:
    coverable = [r for r in pair.must if any(r.matches(q) for q in bank)]
    covered: set[str] = set()
    on_target = nice_early = 0
    for q in questions:
        on_must = [r.name for r in pair.must if r.matches(q)]
        if on_must or own_experience(q):
            on_target += 1
        on_nice = any(r.matches(q) for r in pair.nice)
        if on_nice and not on_must and q["topic"] != "experience" \
                and any(r.name not in covered for r in coverable):
            nice_early += 1
        covered.update(on_must)
    return Score(asked=len(questions), on_target=on_target,
                 covered=sum(1 for r in pair.must if r.name in covered),
                 coverable=len(coverable), musts=len(pair.must), nice_early=nice_early,
                 first_own=bool(questions) and own_experience(questions[0]),
                 uncovered=[r.name for r in pair.must if r.name not in covered],
                 not_in_bank=[r.name for r in pair.must if r not in coverable],
                 ids=[q["id"] for q in questions])


# ---- running the trees

def baseline_tree(ref: str, into: Path) -> Path:
    """The ref's backend/ and assets/, extracted with git archive."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref,
                              "backend", "assets"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
        tar.extractall(into, filter="data")
    return into


def run_tree(tree: Path, pairs: list[Pair], work: Path, label: str) -> dict:
    pairs_file, out_file = work / f"{label}-pairs.json", work / f"{label}-out.json"
    pairs_file.write_text(json.dumps([{
        "name": p.name, "role": p.role, "job": p.job, "resume": p.resume,
        "skills": sorted({s for r in p.must + p.nice for s in r.skills})} for p in pairs]),
        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--measure", str(tree),
                           str(pairs_file), str(out_file)], cwd=tree, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"measuring {label} ({tree}) failed")
    result = json.loads(out_file.read_text(encoding="utf-8"))
    result["wall_s"] = time.perf_counter() - t0
    return result


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} {100 * n / d:3.0f}%" if d else f"{n}/0   -"


def _cells(s: Score) -> list[str]:
    return [_pct(s.on_target, s.asked), _pct(s.covered, s.coverable) + f" (of {s.musts})",
            str(s.nice_early), "yes" if s.first_own else "no"]


def report(pairs: list[Pair], runs: dict[str, dict]) -> None:
    labels = list(runs)
    scores = {label: {p.name: score(p, runs[label]["pairs"][p.name]["questions"],
                                    runs[label]["bank"]) for p in pairs} for label in labels}
    head = ["(a) on must/own", "(b) must covered", "(c) nice early", "(d) opens own"]
    print(f"{'pair':32s} {'tree':9s} " + " ".join(f"{h:>18s}" for h in head))
    for p in pairs:
        for label in labels:
            s = scores[label][p.name]
            seniority = runs[label]["pairs"][p.name]["seniority"]
            print(f"{p.name if label == labels[0] else '':32s} {label:9s} "
                  + " ".join(f"{c:>18s}" for c in _cells(s)) + f"   {seniority}")
        for label in labels:
            print(f"{'':32s} {label} ids: " + " ".join(scores[label][p.name].ids))
        last = scores[labels[-1]][p.name]
        if last.uncovered:
            print(f"{'':32s} {labels[-1]} uncovered: " + "; ".join(
                n + (" [bank has none]" if n in last.not_in_bank else "") for n in last.uncovered))
    print()
    print("overall" + " " * 26 + "targets: (a) >= 80%, (b) >= 90% of coverable, (c) 0, (d) every pair")
    for label in labels:
        ss = list(scores[label].values())
        asked, on = sum(s.asked for s in ss), sum(s.on_target for s in ss)
        covered, coverable = sum(s.covered for s in ss), sum(s.coverable for s in ss)
        musts = sum(s.musts for s in ss)
        print(f"  {label:9s} (a) {_pct(on, asked):>13s}   (b) {_pct(covered, coverable):>13s}"
              f" of coverable, {_pct(covered, musts)} of all   (c) {sum(s.nice_early for s in ss)}"
              f"   (d) {sum(s.first_own for s in ss)}/{len(ss)} pairs"
              f"   bank {len(runs[label]['bank'])} questions; planning {runs[label]['plan_s']:.1f} s,"
              f" process {runs[label]['wall_s']:.1f} s")
    for label in labels:
        unknown = runs[label].get("unknown_skills") or []
        if unknown:
            print(f"  {label:9s} requirement skills not canonical in this tree's taxonomy"
                  f" (matched by keywords only): {', '.join(unknown)}")


def bank_matches(pairs: list[Pair], bank: list[dict], label: str) -> None:
    """For each requirement, how many of the bank's questions are on it, and which."""
    print(f"bank questions on each requirement ({label}, {len(bank)} questions):")
    for p in pairs:
        print(f"  {p.name}")
        for kind, reqs in (("must", p.must), ("nice", p.nice)):
            for r in reqs:
                ids = [q["id"] for q in bank if r.matches(q)]
                print(f"    {kind} {len(ids):3d}  {r.name[:60]:60s} {' '.join(ids[:5])}"
                      + (" ..." if len(ids) > 5 else ""))
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-ref", default=DEFAULT_BASELINE,
                        help=f"commit to compare with (default {DEFAULT_BASELINE})")
    parser.add_argument("--no-baseline", action="store_true", help="measure the current tree only")
    parser.add_argument("--bank-matches", action="store_true",
                        help="also list, per requirement, the current bank's questions on it")
    parser.add_argument("--measure", nargs=3, metavar=("TREE", "PAIRS_JSON", "OUT_JSON"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        tree, pairs_file, out_file = (Path(a) for a in args.measure)
        measure(tree, pairs_file, out_file)
        return 0

    started = time.perf_counter()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          f" ({os.cpu_count()} cores)")
    pairs = load_pairs()
    print(f"{len(pairs)} pairs from {PAIRS.relative_to(ROOT)}, {QUESTIONS} questions each\n")
    runs: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="rehearse-planning-") as tmp:
        work = Path(tmp)
        if not args.no_baseline:
            base = baseline_tree(args.baseline_ref, work / "baseline")
            runs[f"@{args.baseline_ref}"[:9]] = run_tree(base, pairs, work, "baseline")
        runs["current"] = run_tree(ROOT, pairs, work, "current")
    if args.bank_matches:
        bank_matches(pairs, runs["current"]["bank"], "current")
    report(pairs, runs)
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())};"
          f" total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
