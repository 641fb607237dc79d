"""Schema migrations, one function per version. Never edit a released migration: add one.

``PRAGMA user_version`` holds the version a database file is at; ``Store`` runs every
newer migration in one transaction when it opens the file.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _v1_initial(db: sqlite_utils.Database) -> None:
    db.table("sessions").create({
        "id": str, "created_at": str, "status": str, "phase": str,
        "role": str, "job_description": str,
        "resume_filename": str, "resume_text": str, "analysis": str,
        "memory_opt_in": int, "engine_state": str, "report": str,
        "started_at": str, "ended_at": str,
    }, pk="id", not_null={"id", "created_at", "status", "phase"},
        defaults={"memory_opt_in": 0})
    db.table("answers").create({
        "id": int, "session_id": str, "question_number": int, "followup_number": int,
        "question": str, "answer_text": str, "grade": str, "created_at": str,
    }, pk="id", foreign_keys=[("session_id", "sessions", "id")])
    db.table("answers").create_index(["session_id"])


def _v2_history_columns(db: sqlite_utils.Database) -> None:
    """Columns the history list shows without decoding every report, and voice metrics."""
    db.table("sessions").add_column("seniority", str)
    db.table("sessions").add_column("recommendation", str)
    db.table("sessions").add_column("final_scores", str)
    db.table("answers").add_column("metrics", str)
    for row in db.query("SELECT id, analysis, report FROM sessions"):
        import json

        analysis = json.loads(row["analysis"]) if row["analysis"] else {}
        report = json.loads(row["report"]) if row["report"] else {}
        db.table("sessions").update(row["id"], {
            "seniority": analysis.get("seniority"),
            "recommendation": report.get("recommendation"),
            "final_scores": json.dumps(report["final_scores"]) if report.get("final_scores") else None,
        })


def _v3_settings(db: sqlite_utils.Database) -> None:
    """Backend preferences (e.g. which interviewer runs), one JSON value per key."""
    db.table("settings").create({"key": str, "value": str, "updated_at": str}, pk="key",
                          not_null={"key"})


def _v4_practice(db: sqlite_utils.Database) -> None:
    """Practice (issue 18): retried and practice answers, practice sessions, recordings.

    ``owner_id`` is the interview session (retries, the interview's own recordings) or the
    practice session an attempt or a recording belongs to; deleting the owner deletes them.
    """
    db.table("practice_sessions").create({
        "id": str, "created_at": str, "ended_at": str, "topic": str, "state": str,
    }, pk="id", not_null={"id", "created_at"})
    db.table("attempts").create({
        "id": int, "owner_id": str, "owner_kind": str, "question_number": int,
        "attempt": int, "question_id": str, "topic": str, "question": str,
        "answer_text": str, "grade": str, "metrics": str, "hint_used": int,
        "recording_id": int, "created_at": str,
    }, pk="id", not_null={"owner_id", "owner_kind", "question_number", "attempt"})
    db.table("attempts").create_index(["owner_id"])
    db.table("recordings").create({
        "id": int, "owner_id": str, "question_number": int, "followup_number": int,
        "attempt": int, "file": str, "codec": str, "duration_s": float, "bytes": int,
        "created_at": str,
    }, pk="id", not_null={"owner_id", "file"})
    db.table("recordings").create_index(["owner_id"])


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _v1_initial,
    2: _v2_history_columns,
    3: _v3_settings,
    4: _v4_practice,
}
SCHEMA_VERSION = max(MIGRATIONS)
