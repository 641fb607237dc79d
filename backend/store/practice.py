"""Practice data in the one SQLite file: retried and practice answers (attempts), practice
sessions and the index of kept recordings (migration 4).

Attempts and recordings belong to an owner: the interview session they retry (or record),
or the practice session they were given in. ``Store.delete_session`` and
``Store.delete_all`` delete them with their owner; the recording files themselves are
``backend.recordings``'s.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from backend.store.db import SessionNotFound, Store, decode_row, encode_fields, utc_now

OwnerKind = Literal["interview", "practice"]


class PracticeNotFound(LookupError):
    pass


class PracticeStore:
    """Reads and writes of the practice tables, through the store's connection and lock."""

    def __init__(self, store: Store):
        self.store = store

    # --- attempts -------------------------------------------------------------------
    def add_attempt(self, owner_id: str, owner_kind: OwnerKind, question_number: int,
                    question: dict[str, Any], answer_text: str, grade: dict[str, Any],
                    metrics: dict[str, Any] | None = None, hint_used: bool = False,
                    recording_id: int | None = None) -> dict[str, Any]:
        """Commit one attempt; its number is one more than the owner's last on that question."""
        with self.store.transaction() as db:
            if owner_kind == "interview" and not db.table("sessions").count_where(
                    "id = ?", [owner_id]):
                raise SessionNotFound(owner_id)
            last = db.conn.execute(
                "SELECT MAX(attempt) FROM attempts WHERE owner_id = ? AND question_number = ?",
                [owner_id, question_number]).fetchone()[0]
            row = {"owner_id": owner_id, "owner_kind": owner_kind,
                   "question_number": question_number, "attempt": (last or 0) + 1,
                   "question_id": question.get("id", ""), "topic": question.get("topic", ""),
                   "question": question, "answer_text": answer_text, "grade": grade,
                   "metrics": metrics or None, "hint_used": int(hint_used),
                   "recording_id": recording_id, "created_at": utc_now()}
            table = db.table("attempts")
            table.insert(encode_fields(row))
            row["id"] = table.last_pk
        return row

    def attempts(self, owner_id: str) -> list[dict[str, Any]]:
        with self.store.reading() as db:
            rows = db.table("attempts").rows_where("owner_id = ?", [owner_id],
                                                   order_by="question_number, attempt")
            return [_attempt(r) for r in rows]

    def attempts_of_kind(self, owner_kind: OwnerKind) -> list[dict[str, Any]]:
        """Every attempt of one kind, oldest first (progress and the review schedule)."""
        with self.store.reading() as db:
            rows = db.table("attempts").rows_where("owner_kind = ?", [owner_kind], order_by="id")
            return [_attempt(r) for r in rows]

    def set_attempt_recording(self, attempt_id: int, recording_id: int) -> None:
        with self.store.transaction() as db:
            db.table("attempts").update(attempt_id, {"recording_id": recording_id})

    # --- interviews, as progress reads them -------------------------------------------
    def completed_interviews(self, since: str | None = None) -> list[dict[str, Any]]:
        """Completed interview sessions (ended at or after `since`), oldest first, with their
        saved state: what progress and the review schedule read."""
        with self.store.reading() as db:
            rows = db.table("sessions").rows_where(
                "status = 'completed' AND ended_at IS NOT NULL AND ended_at >= ?",
                [since or ""], order_by="ended_at, rowid",
                select="id, role, ended_at, final_scores, engine_state, analysis")
            return [decode_row(r) for r in rows]

    def latest_analysis(self) -> dict[str, Any] | None:
        """The newest session's resume analysis (practice grades with its vocabulary)."""
        with self.store.reading() as db:
            row = db.conn.execute("SELECT analysis, role FROM sessions WHERE analysis IS NOT NULL "
                                  "ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()
        return decode_row({"analysis": row[0], "role": row[1]}) if row else None

    # --- practice sessions ------------------------------------------------------------
    def create_practice(self, state: dict[str, Any], topic: str | None) -> dict[str, Any]:
        row = {"id": str(uuid.uuid4()), "created_at": utc_now(), "ended_at": None,
               "topic": topic, "state": state}
        with self.store.transaction() as db:
            db.table("practice_sessions").insert(encode_fields(row))
        return row

    def get_practice(self, practice_id: str) -> dict[str, Any]:
        with self.store.reading() as db:
            rows = list(db.table("practice_sessions").rows_where("id = ?", [practice_id]))
        if not rows:
            raise PracticeNotFound(practice_id)
        return decode_row(rows[0])

    def save_practice(self, practice_id: str, state: dict[str, Any],
                      ended_at: str | None = None) -> None:
        fields: dict[str, Any] = {"state": state}
        if ended_at is not None:
            fields["ended_at"] = ended_at
        with self.store.transaction() as db:
            if not db.table("practice_sessions").count_where("id = ?", [practice_id]):
                raise PracticeNotFound(practice_id)
            db.table("practice_sessions").update(practice_id, encode_fields(fields))

    def list_practice(self) -> list[dict[str, Any]]:
        """Every practice session, oldest first."""
        with self.store.reading() as db:
            rows = db.table("practice_sessions").rows_where(order_by="created_at, rowid")
            return [decode_row(r) for r in rows]

    def delete_practice(self, practice_id: str | None = None) -> int:
        """Delete one practice session (None: all of them) with its attempts and its
        recordings' rows; returns how many sessions were deleted."""
        with self.store.transaction() as db:
            if practice_id is None:
                n = db.table("practice_sessions").count
                db.table("attempts").delete_where("owner_kind = 'practice'")
                db.conn.execute("DELETE FROM recordings WHERE owner_id IN "
                                "(SELECT id FROM practice_sessions)")
                db.table("practice_sessions").delete_where()
            else:
                if not db.table("practice_sessions").count_where("id = ?", [practice_id]):
                    raise PracticeNotFound(practice_id)
                for table in ("attempts", "recordings"):
                    db.table(table).delete_where("owner_id = ?", [practice_id])
                db.table("practice_sessions").delete(practice_id)
                n = 1
        self.store.checkpoint()
        return n

    def owner_ids(self) -> set[str]:
        """Every interview and practice session id (recording folders of others are orphans)."""
        with self.store.reading() as db:
            return {r[0] for r in db.conn.execute(
                "SELECT id FROM sessions UNION SELECT id FROM practice_sessions")}

    # --- recordings -----------------------------------------------------------------
    def add_recording(self, owner_id: str, question_number: int, followup_number: int,
                      attempt: int, file: str, codec: str, duration_s: float,
                      size: int) -> int:
        with self.store.transaction() as db:
            table = db.table("recordings")
            table.insert({"owner_id": owner_id, "question_number": question_number,
                          "followup_number": followup_number, "attempt": attempt,
                          "file": file, "codec": codec, "duration_s": round(duration_s, 2),
                          "bytes": size, "created_at": utc_now()})
            return int(table.last_pk or 0)

    def recordings(self, owner_id: str) -> list[dict[str, Any]]:
        with self.store.reading() as db:
            return [dict(r) for r in db.table("recordings").rows_where(
                "owner_id = ?", [owner_id], order_by="question_number, followup_number, attempt")]

    def recording(self, recording_id: int) -> dict[str, Any] | None:
        with self.store.reading() as db:
            rows = list(db.table("recordings").rows_where("id = ?", [recording_id]))
        return dict(rows[0]) if rows else None

    def delete_recordings(self) -> int:
        """Forget every recording (the files are deleted by backend.recordings)."""
        with self.store.transaction() as db:
            n = db.table("recordings").count
            db.table("recordings").delete_where()
            db.conn.execute("UPDATE attempts SET recording_id = NULL")
        return n


def _attempt(row: dict[str, Any]) -> dict[str, Any]:
    out = decode_row(row)
    out["hint_used"] = bool(out.get("hint_used"))
    return out
