"""Examples of the practice extension's successful answers, for the OpenAPI document
(tests/api/test_openapi.py checks each against its schema; docs/protocol.md, "Practice")."""

from __future__ import annotations

from typing import Any

from backend.api.examples import SID

PID = "9b4e2f10-6c3a-4d8e-a1f5-7e2c9d0b3a64"
AT = "2026-11-25T10:24:05+00:00"
_BEFORE = {"technical": 2.1, "design": 1.5, "communication": 4.0}
_AFTER = {"technical": 7.6, "design": 6.2, "communication": 7.9}
_POINT = "Readiness probes gate traffic to new pods"

SETTINGS = {"progress": True, "keep_recordings": True, "progress_since": None}

ATTEMPT: dict[str, Any] = {
    "attempt_id": 12, "attempt": 1,
    "answer": "A rolling update starts new pods before it stops old ones; a readiness probe "
              "keeps traffic away from a pod until it can serve it.",
    "scores": _AFTER, "feedback": "Clear, and it names the probe that makes it safe.",
    "strengths": ["Explains the readiness probe"], "improvements": ["Say how to roll back"],
    "covered": [_POINT], "missing": ["Stalled rollouts are detected and can be rolled back"],
    "unclear": [], "evidence": [{"point": _POINT, "quote": "a readiness probe keeps traffic "
                                                          "away from a pod", "answer": 0,
                                 "certain": True}],
    "status": "answered", "delivery": None, "recording_id": None, "hint_used": False,
    "created_at": AT,
    "comparison": {"before": {"scores": _BEFORE, "covered": [], "missing": [_POINT],
                              "unclear": [], "status": "answered"},
                   "after": {"scores": _AFTER, "covered": [_POINT], "missing": [],
                             "unclear": [], "status": "answered"},
                   "change": {"technical": 5.5, "design": 4.7, "communication": 3.9},
                   "newly_covered": [{"point": _POINT, "quote": "a readiness probe keeps "
                                                                "traffic away from a pod"}],
                   "still_missing": ["Stalled rollouts are detected and can be rolled back"],
                   "no_longer_covered": []}}

NOTE = ("Retries are kept with this interview to show your progress; the report's scores and "
        "practice estimate use your first attempt.")
QUESTION_RETRIES = {
    "session_id": SID, "question_number": 2,
    "question": "How does a rolling update of a Deployment work?", "topic": "Kubernetes",
    "before": {"answer": "I'm not sure.", "followup_answers": [], "scores": _BEFORE,
               "status": "answered", "feedback": "Say what happens to the old pods.",
               "covered": [], "missing": [_POINT], "evidence": [], "delivery": None,
               "recording_ids": []},
    "retries": [ATTEMPT], "note": NOTE, "counts_for_report": False, "retry": ATTEMPT}

SESSION_RETRIES = {
    "session_id": SID, "note": NOTE,
    "recordings": [{"recording_id": 7, "question_number": 1, "followup_number": 0,
                    "attempt": 0, "duration_s": 41.2, "codec": "opus", "bytes": 126_400}],
    "questions": [{k: v for k, v in QUESTION_RETRIES.items() if k != "retry"}]}

DELETED_RECORDINGS = {"deleted": 4, "message": "Deleted 4 recording(s) from this computer."}
DELETED_PROGRESS = {"deleted": 2, "message": "Deleted 2 practice session(s); interviews until "
                                             "now no longer count towards progress (they stay "
                                             "in History)."}
DELETED_PRACTICE = {"deleted": 1, "message": "The practice session, its answers and "
                                             "recordings were deleted."}

TOPICS = [{"topic_id": "kubernetes", "title": "Kubernetes", "questions": 9, "answers": 3,
           "scores": _BEFORE, "weak": True},
          {"topic_id": "caching", "title": "Caching", "questions": 8, "answers": 0,
           "scores": None, "weak": False}]

REVIEW = {"enabled": True, "due": 1, "scheduled": 2, "learned": 1,
          "rule": "A question you missed comes back in your next practice session, then 3 "
                  "days after you answer it well, and leaves the list once you have answered "
                  "it well twice in a row.",
          "items": [{"question_id": "k8s-rolling-update", "question": "How does a rolling "
                     "update of a Deployment work?", "topic_id": "kubernetes",
                     "topic": "Kubernetes", "box": 1, "misses": 1, "good_in_a_row": 0,
                     "last_answered": AT, "due_at": AT, "due": True}]}

PROGRESS = {"enabled": True, "since": None, "due_for_review": 1,
            "points": [{"id": SID, "kind": "interview", "at": AT, "label": "Senior Backend "
                        "Engineer", "scores": _BEFORE, "answers": 4,
                        "topics": {"kubernetes": {"title": "Kubernetes", "scores": _BEFORE,
                                                  "answers": 1}},
                        "delivery": {"wpm": 138.0, "fillers_per_minute": 3.1, "answers": 4}}],
            "topics": [{"topic_id": "kubernetes", "title": "Kubernetes", "answers": 3,
                        "scores": _BEFORE, "weak": True, "last_answered": AT}]}

PRACTICE_LIST = [{"practice_id": PID, "created_at": AT, "ended_at": None,
                  "topic": "kubernetes", "topic_title": "Kubernetes", "questions": 3,
                  "attempts": 2}]

PRACTICE = {
    "practice_id": PID, "created_at": AT, "ended_at": None, "topic": "kubernetes",
    "topic_title": "Kubernetes", "mode": "topic", "weak_topics": ["kubernetes"], "total": 3,
    "number": 1, "finished": False, "reviews": 1,
    "item": {"number": 1, "question_id": "k8s-rolling-update",
             "question": "How does a rolling update of a Deployment work?",
             "topic_id": "kubernetes", "topic": "Kubernetes", "difficulty": "medium",
             "kind": "theory", "explanation": "Zero-downtime deploys are daily work.",
             "review": True, "hint": [_POINT], "hint_available": True, "attempts": [ATTEMPT],
             "model_answer": "A Deployment creates a new ReplicaSet and shifts pods to it "
                             "gradually…"},
    "summary": [{"number": 1, "question": "How does a rolling update of a Deployment work?",
                 "review": True, "attempts": 1, "first_scores": _AFTER,
                 "last_scores": _AFTER}]}
