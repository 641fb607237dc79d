"""The practice use cases, as the REST routes call them (blocking: run them off the loop).

Retries of an interview question and practice answers are graded exactly like an interview's
main answer (``Interviewer.grade`` with no earlier answers) and committed as attempts before
the result is returned. A retry never changes the interview's state, its report or its
recommendation: those keep the first attempt.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from backend.interviewer.bank import QuestionBank
from backend.interviewer.domain import InterviewContext, Question, ResumeAnalysis, Turn
from backend.interviewer.interface import Interviewer
from backend.interviewer.report import turn_score, turn_status
from backend.practice.compare import compare
from backend.practice.progress import points, topic_summary
from backend.practice.review import due_items, schedule, utc_now
from backend.practice.selection import choose_questions, practisable_topics
from backend.practice.settings import PracticeSettings, load_settings, update_settings
from backend.practice.sources import Answered, all_answers
from backend.recordings import RecordingError, RecordingLibrary
from backend.store import Store
from backend.store.practice import PracticeStore

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 20_000
MAX_PRACTICE_QUESTIONS = 10
FIRST_ATTEMPT_NOTE = ("Retries are kept with this interview to show your progress; the "
                      "report's scores and practice estimate use your first attempt.")
REVIEW_RULE = ("A question you missed comes back in your next practice session, then 3 days "
               "after you answer it well, and leaves the list once you have answered it well "
               "twice in a row.")


class PracticeError(Exception):
    """A request that cannot be served: `status` is the HTTP status the route answers and
    `code` the error model's stable code (backend.api.errors.ErrorCode)."""

    def __init__(self, status: int, message: str, code: str):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def valid_text(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise PracticeError(422, "The answer is empty. Type or say something, even "
                                 "'I don't know'.", "invalid_answer")
    text = text.strip()
    if len(text) > MAX_ANSWER_CHARS:
        raise PracticeError(422, f"The answer is {len(text):,} characters; at most "
                                 f"{MAX_ANSWER_CHARS:,} are accepted.", "invalid_answer")
    return text


def attempt_view(attempt: dict[str, Any]) -> dict[str, Any]:
    grade = attempt.get("grade") or {}
    return {"attempt_id": attempt["id"], "attempt": attempt["attempt"],
            "answer": attempt.get("answer_text") or "",
            "scores": dict(grade.get("scores") or {}), "feedback": grade.get("feedback", ""),
            "strengths": list(grade.get("strengths") or []),
            "improvements": list(grade.get("improvements") or []),
            "covered": list(grade.get("covered") or []),
            "missing": list(grade.get("missing") or []),
            "unclear": list(grade.get("unclear") or []),
            "evidence": list(grade.get("evidence") or []),
            "status": str(grade.get("status") or "answered"),
            "delivery": attempt.get("metrics") or None,
            "recording_id": attempt.get("recording_id"),
            "hint_used": bool(attempt.get("hint_used")),
            "created_at": attempt.get("created_at")}


def _with_delivery_note(grade_dict: dict[str, Any], metrics: dict[str, Any] | None) -> None:
    notes = (metrics or {}).get("notes") or []
    if notes:  # as in the interview: delivery notes join the feedback, never the scores
        grade_dict["feedback"] = f"{grade_dict.get('feedback', '')} Delivery: {notes[0]}"


class PracticeService:
    def __init__(self, store: Store, interviewer: Interviewer, recordings: RecordingLibrary,
                 bank: Callable[[], QuestionBank], now: Callable[[], datetime] = utc_now):
        self.store = store
        self.data = PracticeStore(store)
        self.interviewer = interviewer
        self.recordings = recordings
        self._bank = bank
        self._now = now

    # --- settings -------------------------------------------------------------------
    def settings(self) -> PracticeSettings:
        return load_settings(self.store)

    def update_settings(self, **changes: Any) -> PracticeSettings:
        return update_settings(self.store, **changes)

    # --- what progress and review read ------------------------------------------------
    def answers(self) -> list[Answered]:
        settings = self.settings()
        if not settings.progress:
            return []
        since = settings.progress_since or ""
        attempts = [a for a in self.data.attempts_of_kind("practice")
                    if (a.get("created_at") or "") >= since]
        return all_answers(self.data.completed_interviews(since), attempts)

    def review(self, practice_id: str | None = None) -> dict[str, Any]:
        now = self._now()
        items = schedule(self.answers())
        due = due_items(items, now, practice_id)
        waiting = sorted((i for i in items.values() if not i.learned and i not in due),
                         key=lambda i: i.due_at())
        return {"due": len(due), "scheduled": len(due) + len(waiting),
                "learned": sum(1 for i in items.values() if i.learned),
                "items": [i.to_dict(now, practice_id) for i in [*due, *waiting]],
                "rule": REVIEW_RULE, "enabled": self.settings().progress}

    def progress(self) -> dict[str, Any]:
        settings = self.settings()
        answers = self.answers()
        since = settings.progress_since or ""
        practice = [p for p in self.data.list_practice() if (p.get("created_at") or "") >= since]
        interviews = self.data.completed_interviews(since) if settings.progress else []
        items = schedule(answers)
        return {"enabled": settings.progress, "since": settings.progress_since,
                "points": points(answers, interviews, practice) if settings.progress else [],
                "topics": topic_summary(answers),
                "due_for_review": len(due_items(items, self._now()))}

    def delete_progress(self) -> int:
        """Forget progress: every practice session (answers and recordings) is deleted and
        interviews that ended before now no longer count (they stay in History)."""
        owners = [p["id"] for p in self.data.list_practice()]
        n = self.data.delete_practice(None)
        for owner in owners:
            self.recordings.delete_owner(owner)
        self.update_settings(progress_since=self._now().isoformat(timespec="microseconds"))
        return n

    def topics(self) -> list[dict[str, Any]]:
        bank = self._bank()
        summary = {t["topic_id"]: t for t in topic_summary(self.answers())}
        out = []
        for topic in practisable_topics(bank):
            known = summary.get(topic)
            out.append({"topic_id": topic, "title": bank.topics[topic].title,
                        "questions": len(bank.in_topic(topic)),
                        "answers": known["answers"] if known else 0,
                        "scores": known["scores"] if known else None,
                        "weak": bool(known and known["weak"])})
        return out

    # --- grading --------------------------------------------------------------------
    def _context(self, row: dict[str, Any] | None) -> InterviewContext:
        analysis = (row or {}).get("analysis")
        return InterviewContext(
            role=(row or {}).get("role") or "", job_description=(row or {}).get("job_description") or "",
            resume_text=(row or {}).get("resume_text") or "",
            analysis=ResumeAnalysis.from_dict(analysis) if analysis else _no_analysis(),
            turns=[], max_questions=1, time_remaining_s=0)

    def _grade(self, question: Question, text: str, row: dict[str, Any] | None,
               metrics: dict[str, Any] | None) -> dict[str, Any]:
        grade = self.interviewer.grade(question, text, self._context(row), None).to_dict()
        _with_delivery_note(grade, metrics)
        return grade

    def _keep(self, owner_id: str, name: str, pcm: bytes | None, question_number: int,
              followup_number: int, attempt: int) -> int | None:
        """Store a spoken answer, compressed, if the candidate keeps recordings."""
        if not pcm or not self.settings().keep_recordings:
            return None
        try:
            saved = self.recordings.save(owner_id, name, pcm)
        except RecordingError:
            log.exception("a recording could not be kept")
            return None
        return self.data.add_recording(owner_id, question_number, followup_number, attempt,
                                       saved.file, saved.codec, saved.duration_s, saved.size)

    def keep_interview_recording(self, session_id: str, question_number: int,
                                 followup_number: int, pcm: bytes) -> int | None:
        """An interview's spoken answer (attempt 0), after it was scored."""
        return self._keep(session_id, f"q{question_number}-f{followup_number}-a0", pcm,
                          question_number, followup_number, 0)

    # --- retries of an interview question ---------------------------------------------
    def _turn(self, row: dict[str, Any], question_number: int) -> dict[str, Any]:
        state = row.get("engine_state") or {}
        turns = state.get("turns") or []
        turn = next((t for t in turns if t.get("number") == question_number), None)
        if turn is None:
            raise PracticeError(404, f"This interview has no question {question_number}.",
                                "question_not_found")
        if not turn.get("grades"):
            raise PracticeError(409, f"Question {question_number} has not been answered yet: "
                                     "answer it in the interview first.", "question_not_done")
        pending = turn is turns[-1] and state.get("awaiting") in ("answer", "followup")
        if pending:
            raise PracticeError(409, f"Question {question_number} is still being asked: "
                                     "finish it (and its follow-ups) first.", "question_not_done")
        return turn

    def retry(self, session_id: str, question_number: int, text: Any,
              metrics: dict[str, Any] | None = None, pcm: bytes | None = None) -> dict[str, Any]:
        text = valid_text(text)
        row = self.store.get_session(session_id)
        turn = self._turn(row, question_number)
        question = Question.from_dict(turn["question"])
        grade = self._grade(question, text, row, metrics)
        attempt = self.data.add_attempt(session_id, "interview", question_number,
                                        turn["question"], text, grade, metrics)
        rid = self._keep(session_id, f"q{question_number}-a{attempt['attempt']}", pcm,
                         question_number, 0, attempt["attempt"])
        if rid is not None:
            self.data.set_attempt_recording(attempt["id"], rid)
            attempt["recording_id"] = rid
        return self._question_retries(row, turn, [attempt], latest_only=True)

    def retries(self, session_id: str) -> dict[str, Any]:
        row = self.store.get_session(session_id)
        by_question: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for a in self.data.attempts(session_id):
            by_question[a["question_number"]].append(a)
        turns = {t.get("number"): t for t in (row.get("engine_state") or {}).get("turns", [])}
        return {"session_id": row["id"], "note": FIRST_ATTEMPT_NOTE,
                "recordings": [_recording(r) for r in self.data.recordings(row["id"])],
                "questions": [self._question_retries(row, turns[n], attempts)
                              for n, attempts in sorted(by_question.items()) if n in turns]}

    def _question_retries(self, row: dict[str, Any], raw: dict[str, Any],
                          attempts: list[dict[str, Any]], latest_only: bool = False
                          ) -> dict[str, Any]:
        turn = Turn.from_dict(raw)
        score = turn_score(turn)
        first = raw["grades"][-1]
        recordings = [r["id"] for r in self.data.recordings(row["id"])
                      if r["question_number"] == turn.number and r["attempt"] == 0]
        before = {"answer": turn.answers[0] if turn.answers else "",
                  "followup_answers": [a for a in turn.answers[1:] if a],
                  "scores": score.to_dict() if score else {},
                  "status": turn_status(turn) or "answered",
                  "feedback": first.get("feedback", ""),
                  "covered": list(first.get("covered") or []),
                  "missing": list(first.get("missing") or []),
                  "evidence": list(first.get("evidence") or []),
                  "delivery": next((m for m in turn.metrics if m), None),
                  "recording_ids": recordings}
        views = []
        for a in attempts:
            view = attempt_view(a)
            view["comparison"] = compare(first, a.get("grade") or {}, before["scores"])
            views.append(view)
        out = {"session_id": row["id"], "question_number": turn.number,
               "question": turn.question.text,
               "topic": turn.question.topic_title or turn.question.topic,
               "before": before, "retries": views, "note": FIRST_ATTEMPT_NOTE,
               "counts_for_report": False}
        if latest_only:
            out["retry"] = views[-1]
        return out

    # --- practice sessions ----------------------------------------------------------
    def start_practice(self, topic: str | None, count: int) -> dict[str, Any]:
        from backend.interviewer.analysis.resume import role_family

        bank = self._bank()
        if topic is not None and topic not in practisable_topics(bank):
            raise PracticeError(404, f"There is no practice topic {topic[:60]!r}; "
                                     "GET /practice/topics lists them.", "unknown_topic")
        count = max(1, min(int(count), MAX_PRACTICE_QUESTIONS))
        answers = self.answers()
        now = self._now()
        due = due_items(schedule(answers), now)
        practisable = set(practisable_topics(bank))
        weak = [t["topic_id"] for t in topic_summary(answers)
                if t["weak"] and t["topic_id"] in practisable]
        latest = self.data.latest_analysis() or {}
        seniority = (latest.get("analysis") or {}).get("seniority") or "mid"
        family = role_family(latest.get("role") or "", "")
        chosen = choose_questions(bank, count=count, topic=topic, weak_topics=weak, due=due,
                                  seniority=seniority, role_family=family,
                                  seen_ids={a.question_id for a in answers},
                                  seed=now.isoformat())
        if not chosen:
            raise PracticeError(409, "There is no question to practise on that topic yet.",
                                "nothing_to_practise")
        mode = "topic" if topic else ("weak" if weak else "core")
        state = {"topic": topic, "topic_title": bank.topics[topic].title if topic else "",
                 "mode": mode, "weak_topics": weak[:3], "current": 0, "finished": False,
                 "items": [{"question": c.question, "review": c.review, "hint_used": False}
                           for c in chosen]}
        row = self.data.create_practice(state, topic)
        return self.practice(row["id"])

    def practice(self, practice_id: str) -> dict[str, Any]:
        row = self.data.get_practice(practice_id)
        state = row["state"]
        attempts: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for a in self.data.attempts(practice_id):
            attempts[a["question_number"]].append(a)
        items = state["items"]
        index = min(state["current"], len(items) - 1)
        titles = {t: b.title for t, b in self._bank().topics.items()}
        summary = []
        for n, item in enumerate(items, start=1):
            tried = attempts.get(n, [])
            summary.append({"number": n, "question": item["question"].get("text", ""),
                            "review": item["review"], "attempts": len(tried),
                            "first_scores": (tried[0]["grade"] or {}).get("scores") if tried else None,
                            "last_scores": (tried[-1]["grade"] or {}).get("scores") if tried else None})
        return {"practice_id": row["id"], "created_at": row["created_at"],
                "ended_at": row.get("ended_at"), "topic": state.get("topic"),
                "topic_title": state.get("topic_title", ""), "mode": state["mode"],
                "weak_topics": [titles.get(t, t) for t in state.get("weak_topics", [])],
                "total": len(items), "number": index + 1, "finished": state["finished"],
                "reviews": sum(1 for i in items if i["review"]),
                "item": self._item(index + 1, items[index], attempts.get(index + 1, [])),
                "summary": summary}

    def _item(self, number: int, item: dict[str, Any],
              attempts: list[dict[str, Any]]) -> dict[str, Any]:
        q = item["question"]
        views: list[dict[str, Any]] = []
        for a in attempts:
            view = attempt_view(a)
            if views:
                view["comparison"] = compare(attempts[0]["grade"] or {}, a["grade"] or {})
            views.append(view)
        return {"number": number, "question_id": q.get("id"), "question": q.get("text", ""),
                "topic_id": q.get("topic", ""), "topic": q.get("topic_title") or q.get("topic", ""),
                "difficulty": q.get("difficulty", ""), "kind": q.get("kind", ""),
                "explanation": q.get("explanation", ""), "review": item["review"],
                "hint": [k["point"] for k in q.get("key_points", [])] if item["hint_used"] else None,
                "hint_available": bool(q.get("key_points")),
                "attempts": views,
                "model_answer": q.get("model_answer", "") if attempts else None}

    def _live(self, practice_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        row = self.data.get_practice(practice_id)
        state = row["state"]
        if state["finished"]:
            raise PracticeError(409, "This practice session is over: start a new one.",
                                "practice_finished")
        return row, state

    def current_question(self, practice_id: str) -> dict[str, Any]:
        """The question waiting for an answer (its key points prime speech recognition)."""
        _, state = self._live(practice_id)
        return state["items"][state["current"]]["question"]

    def hint(self, practice_id: str) -> dict[str, Any]:
        """The current question's key-point headings (never the model answer)."""
        _, state = self._live(practice_id)
        state["items"][state["current"]]["hint_used"] = True
        self.data.save_practice(practice_id, state)
        return self.practice(practice_id)

    def answer(self, practice_id: str, text: Any, metrics: dict[str, Any] | None = None,
               pcm: bytes | None = None) -> dict[str, Any]:
        text = valid_text(text)
        _, state = self._live(practice_id)
        number = state["current"] + 1
        item = state["items"][state["current"]]
        question = Question.from_dict(item["question"])
        grade = self._grade(question, text, self.data.latest_analysis(), metrics)
        attempt = self.data.add_attempt(practice_id, "practice", number, item["question"],
                                        text, grade, metrics, hint_used=item["hint_used"])
        rid = self._keep(practice_id, f"q{number}-a{attempt['attempt']}", pcm, number, 0,
                         attempt["attempt"])
        if rid is not None:
            self.data.set_attempt_recording(attempt["id"], rid)
        return self.practice(practice_id)

    def next(self, practice_id: str) -> dict[str, Any]:
        _, state = self._live(practice_id)
        if state["current"] + 1 >= len(state["items"]):
            return self.end(practice_id)
        state["current"] += 1
        self.data.save_practice(practice_id, state)
        return self.practice(practice_id)

    def end(self, practice_id: str) -> dict[str, Any]:
        row = self.data.get_practice(practice_id)
        state = row["state"]
        if not state["finished"]:
            state["finished"] = True
            self.data.save_practice(practice_id, state,
                                    ended_at=self._now().isoformat(timespec="seconds"))
        return self.practice(practice_id)

    def delete_practice(self, practice_id: str) -> None:
        self.data.delete_practice(practice_id)
        self.recordings.delete_owner(practice_id)

    def practice_list(self) -> list[dict[str, Any]]:
        counts: dict[str, int] = defaultdict(int)
        for a in self.data.attempts_of_kind("practice"):
            counts[a["owner_id"]] += 1
        return [{"practice_id": p["id"], "created_at": p["created_at"],
                 "ended_at": p.get("ended_at"), "topic": p.get("topic"),
                 "topic_title": (p.get("state") or {}).get("topic_title", ""),
                 "questions": len((p.get("state") or {}).get("items", [])),
                 "attempts": counts.get(p["id"], 0)}
                for p in reversed(self.data.list_practice())]

    # --- recordings -----------------------------------------------------------------
    def recording(self, recording_id: int) -> dict[str, Any]:
        row = self.data.recording(recording_id)
        if row is None:
            raise PracticeError(404, "No such recording: it may have been deleted.",
                                "recording_not_found")
        return row

    def delete_recordings(self) -> int:
        n = self.data.delete_recordings()
        self.recordings.delete_all()
        return n


def _recording(row: dict[str, Any]) -> dict[str, Any]:
    return {"recording_id": row["id"], "question_number": row["question_number"],
            "followup_number": row["followup_number"], "attempt": row["attempt"],
            "duration_s": row["duration_s"], "codec": row["codec"], "bytes": row["bytes"]}


def _no_analysis() -> ResumeAnalysis:
    return ResumeAnalysis(seniority="mid", years_experience=None, skills=[], strengths=[],
                          gaps=[], focus_areas=[])
