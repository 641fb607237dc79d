"""An example of each REST operation's successful answer, for the OpenAPI document.

`ok(example)` is a FastAPI `responses=` entry; tests/api/test_openapi.py checks every example
against its operation's response schema, so they cannot drift from the models. FastAPI
drops `null` values from the document, so a field that may be null has a default (it is
not `required`) in its model.
"""

from __future__ import annotations

from typing import Any

SID = "3f2c9a4e-8b1d-4c6e-9f70-2a5b8c1d0e93"
SCORES = {"technical": 7.1, "design": 6.4, "communication": 7.8}


def ok(example: Any) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"example": example}}}}


HEALTH = {"status": "ok", "version": "0.9.0"}
SESSION_CREATED = {"session_id": SID, "status": "created", "message": "Session created successfully"}
SESSION = {"session_id": SID, "status": "created", "current_phase": "setup", "has_resume": True,
           "has_jd": False, "memory_opt_in": False, "role": None,
           "detected_seniority": "senior", "resume_filename": "resume.pdf",
           "created_at": "2026-11-25T09:58:12+00:00"}
TRANSCRIPT = {
    "session_id": SID, "status": "in_progress", "phase": "questioning", "awaiting": "answer",
    "role": "Senior Backend Engineer", "max_questions": 8, "duration_minutes": 35,
    "time_remaining": 1620, "question_number": 1, "answered_questions": 0,
    "intro": "Hello, and thanks for joining.", "running_average": None,
    "turns": [{"question_number": 1, "question": "How would you make a payment API "
               "idempotent?", "topic": "System design", "topic_id": "system_design",
               "difficulty": "medium", "kind": "design", "explanation": "This tests retries.",
               "prompts": [{"followup_number": 0, "question": "How would you make a payment "
                            "API idempotent?", "reason": "", "answer": None, "score": None}]}]}
PLAN = {"session_id": SID, "max_questions": 2, "memory": False, "has_job_description": True,
        "questions": [{"question_number": 1, "topic_id": "experience", "topic": "Your work",
                       "kind": "experience"},
                      {"question_number": 2, "topic_id": "databases",
                       "topic": "Databases and SQL", "kind": "theory"}]}
_PLAN_FIELDS = {"plan": [], "uncovered": [], "not_asked": [], "opener": "",
                "planned_questions": 0, "behavioral": False,
                "strength_evidence": {"PostgreSQL": ["Repartitioned the orders table in "
                                                     "PostgreSQL"]}}
RESUME = {"session_id": SID, "resume_received": True, "detected_seniority": "senior",
          "strengths": ["PostgreSQL", "Python"], "gaps": ["Kubernetes"],
          "focus_areas": ["System design"], "years_experience": 8.5,
          "skills": ["Python", "PostgreSQL", "Kafka"], "filename": "resume.pdf", **_PLAN_FIELDS}
JOB = {"session_id": SID, "jd_received": True, "role": "Senior Backend Engineer",
       "detected_seniority": None, "strengths": None, "gaps": None, "focus_areas": None,
       **_PLAN_FIELDS, "strength_evidence": {}}
OPT_IN = {"session_id": SID, "memory_opt_in": True,
          "message": "Memory storage enabled: this session will shape your future practice."}
REPORT = {
    "session_id": SID, "status": "completed", "detected_seniority": "senior",
    "strengths": ["Python"], "gaps": ["Kubernetes"], "scores": SCORES,
    "qa_history": [{"question_number": 1, "question": "How would you make a payment API "
                    "idempotent?", "answer": "With an idempotency key per request.",
                    "scores": {"technical": 7, "design": 6, "communication": 8},
                    "status": "answered"}],
    "final_report": "You answered 5 of 8 questions.", "recommendation": "Borderline",
    "skill_roadmap": [{"skill": "Kubernetes", "why": "The job asks for it.",
                       "actions": ["Deploy a service with a readiness probe."],
                       "priority": "high"}],
    "duration_minutes": 31.5, "started_at": "2026-11-25T10:00:00+00:00",
    "ended_at": "2026-11-25T10:31:30+00:00", "role": "Senior Backend Engineer",
    "focus_areas": ["System design"],
    "question_scores": [{"question_number": 1, "topic": "System design", "technical": 7,
                         "design": 6, "communication": 8}]}
SESSIONS = [{"session_id": SID, "created_at": "2026-11-25T09:58:12+00:00",
             "status": "completed", "role": "Senior Backend Engineer",
             "detected_seniority": "senior", "memory_opt_in": True,
             "started_at": "2026-11-25T10:00:00+00:00", "ended_at": "2026-11-25T10:31:30+00:00",
             "recommendation": "Borderline", "final_scores": SCORES}]
DELETED_ONE = {"deleted": 1, "message": "The session, its documents and answers were deleted."}
DELETED_ALL = {"deleted": 3, "message": "Deleted 3 session(s); the database file was compacted "
                                        "so no deleted text remains in it."}
PROFILE = {"sessions": 2, "weak_topics": ["Kubernetes"], "questions_seen": 14,
           "trend": [{"session_id": SID, "ended_at": "2026-11-25T10:31:30+00:00",
                      "role": "Senior Backend Engineer", "final_scores": SCORES,
                      "recommendation": "Borderline"}]}
SETTINGS = {"mode": "openai", "active": "llm", "base_url": "http://127.0.0.1:11434/v1",
            "model": "llama3.2", "has_api_key": False, "allow_remote": False, "remote": False,
            "warning": None, "timeout_s": 30.0, "gguf_path": "", "local_server": None,
            "defaults": {"ollama": "http://127.0.0.1:11434/v1",
                         "lm_studio": "http://127.0.0.1:1234/v1"},
            "temperature": 0.2, "max_tokens": 600, "context_chars": 1500, "cooldown_s": 60.0}
CONNECTION = {"ok": True, "base_url": "http://127.0.0.1:11434/v1",
              "models": ["llama3.2", "qwen2.5:7b"], "remote": False, "warning": None}

VOICE_STATUS = {"stt": {"state": "loading", "reason": ""}, "tts": {"state": "ready", "reason": ""}}
VOICE_TRANSCRIPT = {"text": "Testing my microphone for the interview today.", "duration_s": 3.0,
                    "peak_dbfs": -9.4, "rms_dbfs": -27.1,
                    "low_confidence": [{"word": "microphone", "probability": 0.412,
                                        "start_char": 11, "end_char": 21}]}
