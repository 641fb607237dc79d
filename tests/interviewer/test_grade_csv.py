"""`rehearse grade FILE.csv --out OUT.csv` round-trips rows and adds scores."""

from __future__ import annotations

import csv
from pathlib import Path

from backend.interviewer.grading.csv_file import main

ROWS = [
    {"id": "1", "student_answer": "Let the water evaporate and the salt is left behind.",
     "question": "How did you separate the salt from the water?",
     "reference_answer": "The water was evaporated, leaving the salt.", "note": "good"},
    {"id": "2", "student_answer": "I don't know.",
     "question": "How did you separate the salt from the water?",
     "reference_answer": "The water was evaporated, leaving the salt.", "note": "blank"},
    {"id": "3", "student_answer": "the keys stay sorted in a balanced tree so a lookup is log n",
     "question": "How does a B-tree index speed up a lookup?",
     "reference_answer": "Keys are kept sorted in a balanced tree, so a lookup takes "
                         "logarithmic page reads.", "note": "spoken, with a comma, \"quotes\""},
]


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_round_trip_keeps_columns_and_adds_scores(tmp_path: Path, capsys) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _write(src, ROWS)
    assert main([str(src), "--out", str(out)]) == 0
    # says which grader ran (packaging/selftest_archive.sh requires the encoder's)
    assert "(grader: key points + sentence encoder)" in capsys.readouterr().out
    with open(out, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        got = list(reader)
        assert reader.fieldnames == list(ROWS[0]) + ["technical", "design", "communication"]
    assert len(got) == len(ROWS)
    for row, original in zip(got, ROWS, strict=False):
        assert {k: row[k] for k in original} == original
        for dim in ("technical", "design", "communication"):
            assert 0 <= float(row[dim]) <= 10
    good, blank, spoken = (float(r["technical"]) for r in got)
    assert good > blank + 3 and spoken >= 5 and blank <= 2


def test_missing_column_is_a_clear_error(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in.csv"
    _write(src, [{k: v for k, v in ROWS[0].items() if k != "reference_answer"}])
    assert main([str(src), "--out", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert "reference_answer" in err and "missing" in err
    assert not (tmp_path / "out.csv").exists()
