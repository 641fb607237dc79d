"""`rehearse grade FILE.csv --out OUT.csv`: grade a CSV of (question, reference, answer) rows.

Every input column is kept in its order; ``technical``, ``design`` and
``communication`` (0-10) are added (or overwritten) at the end.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Sequence

from backend.interviewer.domain import Question
from backend.interviewer.grading.grader import active_model, grade_answer, key_points_from_reference

REQUIRED = ("question", "reference_answer", "student_answer")
ADDED = ("technical", "design", "communication")


class MissingColumns(ValueError):
    """The CSV lacks one or more of the required columns."""


def _question(text: str, reference: str, index: int) -> Question:
    return Question(id=f"row-{index}", topic="csv", text=text, explanation="",
                    difficulty="medium", kind="theory",
                    key_points=key_points_from_reference(reference), model_answer=reference)


def grade_file(src: Path, dst: Path) -> int:
    """Grade every row of ``src`` into ``dst``; returns the number of rows graded."""
    with open(src, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        missing = [c for c in REQUIRED if c not in fields]
        if missing:
            raise MissingColumns(", ".join(missing))
        rows = list(reader)
    out_fields = [c for c in fields if c not in ADDED] + list(ADDED)
    questions: dict[tuple[str, str], Question] = {}
    with open(dst, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=out_fields, extrasaction="ignore")
        writer.writeheader()
        for i, row in enumerate(rows):
            key = (row["question"] or "", row["reference_answer"] or "")
            q = questions.setdefault(key, _question(key[0], key[1], i))
            scores = grade_answer(q, row["student_answer"] or "").scores
            writer.writerow({**row, "technical": scores.technical, "design": scores.design,
                             "communication": scores.communication})
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="rehearse grade",
        description="Grade answers in a CSV with columns question, reference_answer, "
                    "student_answer; writes them back with technical, design and "
                    "communication scores (0-10).")
    parser.add_argument("file", type=Path, help="input CSV")
    parser.add_argument("--out", type=Path, required=True, help="output CSV")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        n = grade_file(args.file, args.out)
    except FileNotFoundError as e:
        print(f"rehearse grade: cannot read {e.filename}", file=sys.stderr)
        return 2
    except MissingColumns as e:
        print(f"rehearse grade: {args.file} is missing column(s): {e.args[0]} "
              f"(need {', '.join(REQUIRED)})", file=sys.stderr)
        return 2
    grader = ("key points + sentence encoder" if active_model().semantic
              else "key points only (the sentence encoder is not installed)")
    print(f"graded {n} answers -> {args.out} (grader: {grader})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
