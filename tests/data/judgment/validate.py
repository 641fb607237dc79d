"""Load and validate the interview-judgment test set (issue 11, item 6).

The set is human-written ground truth for the answer grader: realistic interview answers,
each with the technical score band and the key points a careful interviewer would credit.
The format is described in README.md beside this file.

    python tests/data/judgment/validate.py [--dir DIR]

checks every *.toml file in DIR (default: this folder), prints counts by category, question
kind and split, and exits 1 on any problem. Importable: `load_cases(directory)` returns the
cases as dicts (with a `file` key added) and raises JudgmentSetError when the set is unsound;
`question_for(case)` gives the bank or personal Question a case is graded against.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend.interviewer.domain import Question
    from backend.interviewer.bank import QuestionBank

HERE = Path(__file__).resolve().parent
PERSONAL = "personal"
SPLITS = ("dev", "test")
# the categories in JUDGMENT_SPEC.md, with the share of cases the spec aims for
CATEGORY_TARGETS = {
    "complete": 15, "partial": 20, "vague": 8, "wrong": 10, "off_topic": 8, "skip": 4,
    "dont_know": 3, "one_liner": 8, "rambling": 7, "followup": 15, "gibberish": 2,
}
COMMON_FIELDS = {"id", "question", "split", "category", "answer", "band", "covered", "note"}
FOLLOWUP_FIELDS = {"earlier", "followup_point", "states"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# categories whose answers state nothing about the question, and their highest allowed score
NOTHING_STATED = {"off_topic": 2.0, "gibberish": 1.0, "skip": None}
BAND_CEILING = {"off_topic": 2.0, "gibberish": 1.0, "one_liner": 3.0}
RAMBLING_WORDS = (150, 300)


class JudgmentSetError(ValueError):
    """The judgment set breaks the format in README.md; the message lists every problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def question_key(case: dict) -> tuple[str, str]:
    """What identifies one question: the bank id, or for a personal question its resume line."""
    if case.get("question") == PERSONAL:
        return (PERSONAL, str(case.get("resume_line", "")))
    return (str(case.get("question")), "")


def question_for(case: dict, bank: QuestionBank | None = None) -> Question | None:
    """The Question the case is graded against (None when its id is not in the bank)."""
    from backend.interviewer.bank import default_bank
    try:
        from backend.interviewer.personal import personal_question
    except ImportError:  # a tree from before personal.py (bench/judgment.py's baseline)
        from backend.interviewer.planning import personal_question  # type: ignore[no-redef]

    if case.get("question") == PERSONAL:
        return personal_question(str(case.get("resume_line", "")), 1)
    return (bank or default_bank()).by_id(str(case.get("question")))


def read_files(directory: Path) -> tuple[list[dict], list[str]]:
    """Every case in every *.toml file of directory, and the problems met reading them."""
    cases: list[dict] = []
    problems: list[str] = []
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        problems.append(f"{directory}: no *.toml files")
    for path in paths:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            problems.append(f"{path.name}: not valid UTF-8 TOML: {e}")
            continue
        extra = set(data) - {"cases"}
        if extra:
            problems.append(f"{path.name}: unexpected top-level keys {sorted(extra)}")
        entries = data.get("cases")
        if not isinstance(entries, list) or not entries:
            problems.append(f"{path.name}: no [[cases]]")
            continue
        for n, case in enumerate(entries, 1):
            if not isinstance(case, dict):
                problems.append(f"{path.name}: case {n} is not a table")
                continue
            cases.append({**case, "file": path.name})
    return cases, problems


def _point_list(value: object, n_points: int, where: str, field: str) -> list[str]:
    if not isinstance(value, list) or not all(type(v) is int for v in value):
        return [f"{where}: {field} must be a list of integers"]
    problems = []
    if len(set(value)) != len(value):
        problems.append(f"{where}: {field} repeats a point")
    if value != sorted(value):
        problems.append(f"{where}: {field} should be in ascending order")
    bad = [v for v in value if not 1 <= v <= n_points]
    if bad:
        problems.append(f"{where}: {field} {bad} out of range 1..{n_points}")
    return problems


def _check_band(case: dict, where: str) -> list[str]:
    category, band = case.get("category"), case.get("band")
    if category == "skip":
        return [f"{where}: a skip has no band"] if band is not None else []
    if (not isinstance(band, list) or len(band) != 2
            or not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in band)):
        return [f"{where}: band must be [low, high] numbers"]
    low, high = band
    problems = []
    if not 0 <= low <= high <= 10:
        problems.append(f"{where}: band {band} must satisfy 0 <= low <= high <= 10")
    if category == "gibberish" and band != [0, 1]:
        problems.append(f"{where}: gibberish has band [0, 1]")
    ceiling = BAND_CEILING.get(str(category))
    if ceiling is not None and high > ceiling:
        problems.append(f"{where}: {category} answers score at most {ceiling} (band {band})")
    return problems


def _check_case(case: dict, n_points: int, where: str) -> list[str]:
    problems: list[str] = []
    category = case.get("category")
    fields = set(case) - {"file"}
    allowed = COMMON_FIELDS | (FOLLOWUP_FIELDS if category == "followup" else set()) | (
        {"resume_line"} if case.get("question") == PERSONAL else set())
    missing = {"id", "question", "split", "category", "answer", "covered"} - fields
    if category == "followup":
        missing |= FOLLOWUP_FIELDS - fields
    if category != "skip" and "band" not in fields:
        missing.add("band")
    if case.get("question") == PERSONAL and "resume_line" not in fields:
        missing.add("resume_line")
    if missing:
        problems.append(f"{where}: missing {sorted(missing)}")
    if fields - allowed:
        problems.append(f"{where}: fields not allowed in a {category} case: "
                        f"{sorted(fields - allowed)}")
    if category not in CATEGORY_TARGETS:
        problems.append(f"{where}: unknown category {category!r}")
    if case.get("split") not in SPLITS:
        problems.append(f"{where}: split must be one of {SPLITS}")
    answer = case.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        problems.append(f"{where}: answer must be non-empty text")
    if "note" in case and not (isinstance(case["note"], str) and case["note"].strip()):
        problems.append(f"{where}: note must be non-empty text")
    if case.get("question") == PERSONAL and not str(case.get("resume_line", "")).strip():
        problems.append(f"{where}: resume_line must be non-empty text")
    problems += _check_band(case, where)
    covered = case.get("covered")
    problems += _point_list(covered, n_points, where, "covered")
    if category in NOTHING_STATED and covered:
        problems.append(f"{where}: {category} answers cover nothing (covered = [])")
    if category == "complete" and isinstance(covered, list) and \
            sorted(covered) != list(range(1, n_points + 1)):
        problems.append(f"{where}: a complete answer covers all {n_points} key points")
    if category == "followup":
        earlier = case.get("earlier")
        if not isinstance(earlier, list) or not earlier or \
                not all(isinstance(e, str) and e.strip() for e in earlier):
            problems.append(f"{where}: earlier must be a non-empty list of answers")
        point = case.get("followup_point")
        if type(point) is not int or not 1 <= point <= n_points:
            problems.append(f"{where}: followup_point must be a key point number 1..{n_points}")
        states = case.get("states")
        problems += _point_list(states, n_points, where, "states")
        if isinstance(states, list) and isinstance(covered, list) and \
                not set(states) <= set(covered):
            problems.append(f"{where}: states {states} must be part of covered {covered}")
    return problems


def _check_followup_union(cases: list[dict]) -> list[str]:
    """Where a follow-up's earlier answers are other cases of the same question, its covered
    set must be exactly their covered sets plus what it states, and it must ask about a point
    those answers left missing."""
    answers: dict[tuple[tuple[str, str], str], dict] = {}
    for case in cases:
        if isinstance(case.get("answer"), str):
            answers.setdefault((question_key(case), case["answer"].strip()), case)
    problems = []
    for case in cases:
        if case.get("category") != "followup" or not isinstance(case.get("earlier"), list):
            continue
        found = [answers.get((question_key(case), str(e).strip())) for e in case["earlier"]]
        if not found or any(f is None for f in found):
            continue
        before = set().union(*(set(f.get("covered") or []) for f in found))
        expected = sorted(before | set(case.get("states") or []))
        if case.get("covered") != expected:
            problems.append(f"{case['file']}: {case.get('id')}: covered should be {expected}: the "
                            f"earlier answers' {sorted(before)} plus states {case.get('states')}")
        if case.get("followup_point") in before:
            problems.append(f"{case['file']}: {case.get('id')}: the follow-up asks about point "
                            f"{case['followup_point']}, which the earlier answers already cover")
    return problems


def check(cases: list[dict], bank: QuestionBank | None = None) -> list[str]:
    """Every problem in the cases, one line each (empty when the set is sound)."""
    problems: list[str] = []
    seen_ids: dict[str, str] = {}
    splits: dict[tuple[str, str], set[str]] = defaultdict(set)
    for case in cases:
        where = f"{case.get('file', '?')}: {case.get('id', '?')}"
        case_id, question_id = case.get("id"), case.get("question")
        if not isinstance(case_id, str) or not isinstance(question_id, str):
            problems.append(f"{where}: id and question must be text")
            continue
        if case_id in seen_ids:
            problems.append(f"{where}: duplicate id (also in {seen_ids[case_id]})")
        seen_ids[case_id] = case.get("file", "?")
        prefix, _, slug = case_id.partition("/")
        if prefix != question_id or not SLUG.match(slug):
            problems.append(f"{where}: id must be '<question id>/<lower-case-slug>'")
        if question_id != PERSONAL and "resume_line" in case:
            problems.append(f"{where}: only personal questions have a resume_line")
        question = question_for(case, bank)
        if question is None:
            problems.append(f"{where}: question {question_id!r} is not in the bank")
            continue
        splits[question_key(case)].add(str(case.get("split")))
        problems += _check_case(case, len(question.key_points), where)
    for key, found in splits.items():
        if len(found) > 1:
            name = key[0] if key[0] != PERSONAL else f"personal {key[1]!r}"
            problems.append(f"question {name} has cases in more than one split: {sorted(found)}")
    problems += _check_followup_union(cases)
    return problems


def weighted_share(case: dict, bank: QuestionBank | None = None) -> float | None:
    """10 x the weighted share of key points covered: the rubric's starting point for a band."""
    question = question_for(case, bank)
    if question is None or not isinstance(case.get("covered"), list):
        return None
    weights = [k.weight for k in question.key_points]
    return 10 * sum(weights[p - 1] for p in case["covered"]) / sum(weights)


def warnings(cases: list[dict], bank: QuestionBank | None = None) -> list[str]:
    """Things worth a second look that can be right: a band far from the weighted share of
    the covered points, or a rambling answer outside 150-300 words."""
    found = []
    for case in cases:
        where = f"{case['file']}: {case['id']}"
        share = weighted_share(case, bank)
        band = case.get("band")
        if share is not None and isinstance(band, list) and len(band) == 2 and \
                not band[0] - 2 <= share <= band[1] + 2:
            found.append(f"{where}: band {band} is far from 10 x weighted share {share:.1f}")
        words = len(str(case.get("answer", "")).split())
        if case.get("category") == "rambling" and not \
                RAMBLING_WORDS[0] <= words <= RAMBLING_WORDS[1]:
            found.append(f"{where}: rambling answer of {words} words")
    return found


def load_cases(directory: Path | str | None = None) -> list[dict]:
    """All cases of the set in directory (default: this folder), validated.

    Each case is the TOML table as written plus `file`, the name of its file. Raises
    JudgmentSetError listing every problem when any file breaks the format."""
    cases, problems = read_files(Path(directory) if directory else HERE)
    problems += check(cases)
    if problems:
        raise JudgmentSetError(problems)
    return cases


def _table(title: str, counts: Counter, total: int, targets: dict[str, int] | None = None,
           order: Iterable[str] | None = None) -> list[str]:
    lines = [title]
    for name in (order or sorted(counts)):
        n = counts.get(name, 0)
        target = f"   (aim ~{targets[name]}%)" if targets and name in targets else ""
        lines.append(f"  {name:<12}{n:>5}  {100 * n / total:5.1f}%{target}")
    return lines


def summary(cases: list[dict], bank: QuestionBank | None = None) -> str:
    """Counts by category, question kind and split, as printed by the script."""
    total = len(cases)
    questions = {question_key(c) for c in cases}
    kind_of = {}
    for case in cases:
        question = question_for(case, bank)
        kind_of[case["id"]] = "personal" if case["question"] == PERSONAL else question.kind
    lines = [f"{total} cases over {len(questions)} questions "
             f"({sum(1 for q in questions if q[0] == PERSONAL)} personal) in "
             f"{len({c['file'] for c in cases})} files", ""]
    lines += _table("by category", Counter(c["category"] for c in cases), total,
                    CATEGORY_TARGETS, CATEGORY_TARGETS)
    lines += [""] + _table("by question kind (cases)", Counter(kind_of.values()), total)
    lines += ["", "by split"]
    for split in SPLITS:
        in_split = [c for c in cases if c["split"] == split]
        lines.append(f"  {split:<12}{len(in_split):>5} cases  "
                     f"{len({question_key(c) for c in in_split}):>3} questions")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=HERE,
                        help="folder of *.toml case files (default: this script's folder)")
    args = parser.parse_args(argv)
    from backend.interviewer.bank import default_bank

    bank = default_bank()
    cases, problems = read_files(args.dir)
    problems += check(cases, bank)
    if problems:
        print(f"{len(problems)} problem(s) in {args.dir}:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(summary(cases, bank))
    notes = warnings(cases, bank)
    if notes:
        print(f"\n{len(notes)} warning(s) (worth a look, not errors):")
        for line in notes:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    # run as a script from anywhere: the repository root holds the backend package
    sys.path.insert(0, str(HERE.parents[2]))
    sys.exit(main())
