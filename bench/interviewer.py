"""Built-in interviewer speed (issue 3): grading one answer (goal p95 <= 20 ms) and
planning the next question (goal p95 <= 10 ms), over every question in the bank.
Baseline, measured in the same run: tokenising the same answers with a regex, the floor
any grader pays.

Run: .venv/bin/python bench/interviewer.py
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.interviewer.base import (InterviewContext, ResumeAnalysis, SkillEvidence,  # noqa: E402
                                      Turn)
from backend.interviewer.builtin import BuiltinInterviewer  # noqa: E402
from tests.data.documents import BACKEND_JD, SENIOR_RESUME  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    interviewer = BuiltinInterviewer()
    bank = interviewer.bank
    analysis = interviewer.analyse_resume(SENIOR_RESUME, BACKEND_JD, "Senior Backend Engineer")
    context = InterviewContext(role="Senior Backend Engineer", job_description=BACKEND_JD,
                               resume_text=SENIOR_RESUME, analysis=analysis, turns=[],
                               max_questions=8, time_remaining_s=2100)
    interviewer.grade(bank.questions[0], "warm up", context)

    grade_ms, base_ms = [], []
    for q in bank.questions:
        for answer in (q.model_answer, q.model_answer[: len(q.model_answer) // 3], "I don't know."):
            t0 = time.perf_counter()
            re.findall(r"[a-z0-9]+", answer.lower())
            base_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            interviewer.grade(q, answer, context)
            grade_ms.append((time.perf_counter() - t0) * 1000)

    plan_ms = []
    for _ in range(40):
        turns: list[Turn] = []
        for n in range(1, 9):
            context = InterviewContext(role="Senior Backend Engineer", job_description=BACKEND_JD,
                                       resume_text=SENIOR_RESUME, analysis=analysis, turns=turns,
                                       max_questions=8, time_remaining_s=2100)
            t0 = time.perf_counter()
            q = interviewer.next_question(context)
            plan_ms.append((time.perf_counter() - t0) * 1000)
            turns.append(Turn(number=n, question=q, answers=["x"],
                              grades=[interviewer.grade(q, q.model_answer, context)]))
    one, five, _ = os.getloadavg()
    print(f"{len(bank.questions)} bank questions; load {one:.2f}/{five:.2f} on {os.cpu_count()} cores")
    print(f"grade one answer: p50 {pct(grade_ms, 50):.2f} ms, p95 {pct(grade_ms, 95):.2f} ms "
          f"(goal p95 <= 20 ms) over {len(grade_ms)} | baseline tokenise: p95 {pct(base_ms, 95):.3f} ms")
    print(f"plan next question: p50 {pct(plan_ms, 50):.2f} ms, p95 {pct(plan_ms, 95):.2f} ms "
          f"(goal p95 <= 10 ms) over {len(plan_ms)}")


if __name__ == "__main__":
    main()
