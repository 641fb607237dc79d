"""Built-in interviewer speed: grading one answer (goal p95 <= 100 ms, issue 11; issue 3's
20 ms predates the span-level evidence, which reads every sentence of an answer) and
planning the next question (goal p95 <= 10 ms), over every question in the bank.
Baseline, measured in the same run: tokenising the same answers with a regex, the floor
any grader pays. Grading is timed twice: "prepared" is the interview's path (the question's
reference and key points were embedded in the background when it was asked, see
``prepare_grading``); "cold" grades a question never seen before. Also printed: p95 by
answer length, since the sentence encoder's cost grows with the tokens it reads.

Run: .venv/bin/python bench/interviewer.py
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.interviewer.domain import (InterviewContext, Turn)
from backend.api.services import make_executor  # noqa: E402
from backend.interviewer.builtin import BuiltinInterviewer  # noqa: E402
from backend.interviewer.grading import prepare_grading  # noqa: E402
from tests.data.documents import BACKEND_JD, SENIOR_RESUME  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    # As in the app: questions are prepared for grading on the backend's executor.
    interviewer = BuiltinInterviewer(background=make_executor())
    bank = interviewer.bank
    analysis = interviewer.analyse_resume(SENIOR_RESUME, BACKEND_JD, "Senior Backend Engineer")
    context = InterviewContext(role="Senior Backend Engineer", job_description=BACKEND_JD,
                               resume_text=SENIOR_RESUME, analysis=analysis, turns=[],
                               max_questions=8, time_remaining_s=2100)
    interviewer.grade(bank.questions[0], "warm up", context)

    grade_ms: dict[str, list[float]] = {"prepared": [], "cold": []}
    by_length: dict[str, list[float]] = {"<= 40 words": [], "41-120 words": [], "> 120 words": []}
    base_ms = []
    for q in bank.questions:
        answers = (q.model_answer, q.model_answer[: len(q.model_answer) // 3], "I don't know.")
        t0 = time.perf_counter()
        interviewer.grade(q, answers[1], context)  # first sight: embeds the question's texts
        grade_ms["cold"].append((time.perf_counter() - t0) * 1000)
        prepare_grading(q)  # a no-op now: the cold grade cached it; as in an interview
        for answer in answers:
            t0 = time.perf_counter()
            re.findall(r"[a-z0-9]+", answer.lower())
            base_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            interviewer.grade(q, answer, context)
            ms = (time.perf_counter() - t0) * 1000
            grade_ms["prepared"].append(ms)
            n = len(answer.split())
            by_length["<= 40 words" if n <= 40 else "41-120 words" if n <= 120 else "> 120 words"].append(ms)

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
    for kind, values in grade_ms.items():
        print(f"grade one answer ({kind}): p50 {pct(values, 50):.2f} ms, p95 {pct(values, 95):.2f} ms "
              f"(goal p95 <= 100 ms) over {len(values)}")
    print(f"  baseline tokenise the same answers: p95 {pct(base_ms, 95):.3f} ms")
    for band, values in by_length.items():
        if values:
            print(f"  prepared, answers {band}: p50 {pct(values, 50):.2f} ms, "
                  f"p95 {pct(values, 95):.2f} ms over {len(values)}")
    print(f"plan next question: p50 {pct(plan_ms, 50):.2f} ms, p95 {pct(plan_ms, 95):.2f} ms "
          f"(goal p95 <= 10 ms) over {len(plan_ms)}")


if __name__ == "__main__":
    main()
