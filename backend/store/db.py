"""The one SQLite database of Rehearse, on the candidate's own disk.

Only this module runs SQL. One connection serves the whole process behind a lock
(SQLite serialises writers anyway); callers on the event loop reach it through a
thread. WAL with ``synchronous=FULL`` commits each answer durably before the
server tells the client it was scored; ``secure_delete`` overwrites what is
deleted, and deleting all data ends in VACUUM so no text survives in the file.
"""

from __future__ import annotations

import errno
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from backend.paths import private_dir, private_file
from backend.store.migrations import MIGRATIONS


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SessionNotFound(LookupError):
    pass


class WriteFailed(Exception):
    """The database could not be written: the disk is full, the folder is read-only, or
    the disk failed. The transaction was rolled back: nothing of it was kept.

    ``problem`` is what happened and ``remedy`` what to do, both as plain sentences'
    parts ("the disk is full", "Free some space"), for callers to say in their words.
    """

    def __init__(self, kind: str, problem: str, remedy: str):
        super().__init__(f"{problem} ({kind})")
        self.kind = kind
        self.problem = problem
        self.remedy = remedy


# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 13, 14


def write_failure(error: BaseException) -> WriteFailed | None:
    """The :class:`WriteFailed` a storage error means, or None for any other error."""
    if isinstance(error, sqlite3.Error):
        code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
        text = str(error).lower()
        if code == _SQLITE_FULL or "disk is full" in text:
            return WriteFailed("full", "the disk is full", "Free some space")
        if code in (_SQLITE_READONLY, _SQLITE_PERM) or "readonly" in text:
            return WriteFailed("read_only", "the data folder is read-only",
                               "Make the data folder writable")
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return WriteFailed("busy", "the database is in use by another program",
                               "Close any other copy of Rehearse")
        if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "disk i/o" in text:
            return WriteFailed("io", "the disk could not be written to", "Check the disk")
        return None
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return WriteFailed("full", "the disk is full", "Free some space")
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return WriteFailed("read_only", "the data folder is read-only",
                               "Make the data folder writable")
        return WriteFailed("io", "the disk could not be written to", "Check the disk")
    return None


class Store:
    """Sessions, their documents, the interview state and each committed answer."""

    def __init__(self, path: Path):
        self.path = path
        # Resumes and answers: readable by this user only. The file is 0600 before SQLite
        # opens it, so its -wal and -shm files (which copy its mode) are private too.
        # A full or read-only folder is a WriteFailed here too (the CLI says so and exits).
        with _storage_errors():
            if not path.parent.exists():
                private_dir(path.parent)
            private_file(path)
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db = sqlite_utils.Database(conn)
            self._lock = threading.RLock()
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON",
                           "foreign_keys=ON", "busy_timeout=5000"):
                conn.execute(f"PRAGMA {pragma}")
            self._migrate()

    # --- plumbing -------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction. A storage failure (full, read-only, I/O) anywhere in it
        rolls it back and raises :class:`WriteFailed`."""
        with self._lock, _storage_errors():
            conn = self._db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction, for the store's companion modules (store/practice.py)."""
        with self._transaction() as db:
            yield db

    @contextmanager
    def reading(self) -> Iterator[sqlite_utils.Database]:
        """The database under the store's lock, for reads (store/practice.py)."""
        with self._lock:
            yield self._db

    def _migrate(self) -> None:
        with self._transaction() as db:
            version = db.conn.execute("PRAGMA user_version").fetchone()[0]
            for target, migration in sorted(MIGRATIONS.items()):
                if target > version:
                    migration(db)
                    db.conn.execute(f"PRAGMA user_version = {target}")

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self._db.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.conn.close()

    # --- sessions -----------------------------------------------------------------
    def create_session(self) -> dict[str, Any]:
        session_id = str(uuid.uuid4())
        row = {"id": session_id, "created_at": utc_now(), "status": "created",
               "phase": "setup", "memory_opt_in": 0}
        with self._transaction() as db:
            db.table("sessions").insert(row)
        return self.get_session(session_id)

    def get_session(self, session_id: str) -> dict[str, Any]:
        with self._lock:
            rows = list(self._db.table("sessions").rows_where("id = ?", [session_id]))
        if not rows:
            raise SessionNotFound(session_id)
        return _decode(rows[0])

    def update_session(self, session_id: str, **fields: Any) -> dict[str, Any]:
        with self._transaction() as db:
            if not db.table("sessions").count_where("id = ?", [session_id]):
                raise SessionNotFound(session_id)
            db.table("sessions").update(session_id, _encode(fields))
        return self.get_session(session_id)

    def list_sessions(self) -> list[dict[str, Any]]:
        """Every session, newest first, without the documents' text."""
        cols = ("id, created_at, status, phase, role, memory_opt_in, started_at, ended_at, "
                "seniority, recommendation, final_scores")
        with self._lock:
            rows = self._db.conn.execute(
                f"SELECT {cols} FROM sessions ORDER BY created_at DESC, rowid DESC").fetchall()
        names = [c.strip() for c in cols.split(",")]
        return [_decode(dict(zip(names, r, strict=False))) for r in rows]

    def delete_session(self, session_id: str) -> None:
        with self._transaction() as db:
            if not db.table("sessions").count_where("id = ?", [session_id]):
                raise SessionNotFound(session_id)
            db.table("answers").delete_where("session_id = ?", [session_id])
            for table in OWNED_TABLES:  # its retries and recordings' rows
                db.table(table).delete_where("owner_id = ?", [session_id])
            db.table("sessions").delete(session_id)
        self._checkpoint()

    def delete_all(self) -> int:
        with self._transaction() as db:
            n = db.table("sessions").count
            db.table("answers").delete_where()
            for table in (*OWNED_TABLES, "practice_sessions"):
                db.table(table).delete_where()
            db.table("sessions").delete_where()
        with self._lock, _storage_errors():
            self._db.conn.execute("VACUUM")
        self._checkpoint()
        return n

    def checkpoint(self) -> None:
        """Public form of _checkpoint, after deleting practice data (store/practice.py)."""
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Fold the WAL into the database and empty it, so deleted text is gone from both."""
        with self._lock, _storage_errors():
            self._db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- the live interview ------------------------------------------------------
    def load_interview(self, session_id: str) -> dict[str, Any] | None:
        state = self.get_session(session_id).get("engine_state")
        return state or None

    def save_interview(self, session_id: str, state: dict[str, Any], *,
                       session_fields: dict[str, Any] | None = None,
                       answer: dict[str, Any] | None = None) -> None:
        """Commit the engine's state (and the answer that produced it) in one transaction."""
        fields = {"engine_state": state, **(session_fields or {})}
        with self._transaction() as db:
            if not db.table("sessions").count_where("id = ?", [session_id]):
                raise SessionNotFound(session_id)
            db.table("sessions").update(session_id, _encode(fields))
            if answer is not None:
                db.table("answers").insert(_encode({"session_id": session_id, "created_at": utc_now(),
                                              **answer}))

    def answers(self, session_id: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.table("answers").rows_where("session_id = ?", [session_id], order_by="id")
            return [_decode(r) for r in rows]

    # --- settings -----------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``, or ``default`` when there is none."""
        with self._lock:
            row = self._db.conn.execute("SELECT value FROM settings WHERE key = ?",
                                        [key]).fetchone()
        return default if row is None or row[0] is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value under ``key`` (replacing any older one)."""
        with self._transaction() as db:
            db.table("settings").upsert({"key": key, "value": json.dumps(value),
                                   "updated_at": utc_now()}, pk="key")

    # --- long-term memory --------------------------------------------------------
    def opted_in_sessions(self, exclude: str | None = None) -> list[dict[str, Any]]:
        """Completed sessions whose candidate chose to keep them as memory. Sessions that
        were not opted in are never returned, so they never inform another session."""
        with self._lock:
            rows = self._db.table("sessions").rows_where(
                "memory_opt_in = 1 AND status = 'completed' AND id != ?", [exclude or ""],
                order_by="ended_at")
            return [_decode(r) for r in rows]


@contextmanager
def _storage_errors() -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, OSError) as e:
        failure = write_failure(e)
        if failure is None:
            raise
        raise failure from e


_JSON_COLUMNS = {"analysis", "engine_state", "report", "final_scores", "metrics",
                 "scores", "grade", "question", "state"}
# Rows that belong to a session (or a practice session) by `owner_id` (migration 4).
OWNED_TABLES = ("attempts", "recordings")


def _encode(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (json.dumps(v) if k in _JSON_COLUMNS and v is not None else v)
            for k, v in fields.items()}


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for k in _JSON_COLUMNS & out.keys():
        if isinstance(out[k], str):
            out[k] = json.loads(out[k])
    if "memory_opt_in" in out:
        out["memory_opt_in"] = bool(out["memory_opt_in"])
    return out


def open_store(data_dir: Path) -> Store:
    return Store(data_dir / "rehearse.db")


StoreFactory = Callable[[Path], Store]


# For the store's companion modules (store/practice.py): the same JSON columns.
encode_fields = _encode
decode_row = _decode
