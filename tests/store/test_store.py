"""The SQLite store: migrations, durability through kill -9, real deletion."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import sqlite_utils

from backend.store import Store
from backend.store.migrations import MIGRATIONS, SCHEMA_VERSION


def test_new_database_is_at_the_current_version(tmp_path):
    store = Store(tmp_path / "r.db")
    assert store.schema_version == SCHEMA_VERSION
    assert oct((tmp_path / "r.db").stat().st_mode & 0o777) == "0o600"


def test_migrates_a_first_release_database_keeping_its_data(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    MIGRATIONS[1](db)
    db.conn.execute("PRAGMA user_version = 1")
    db["sessions"].insert({"id": "s1", "created_at": "2026-01-01T00:00:00+00:00",
                           "status": "completed", "phase": "completed", "memory_opt_in": 1,
                           "analysis": '{"seniority": "senior"}',
                           "report": '{"recommendation": "Hire", "final_scores": {"technical": 8}}'})
    db.conn.commit()
    db.conn.close()

    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION
    [row] = store.list_sessions()
    assert row["seniority"] == "senior" and row["recommendation"] == "Hire"
    assert row["final_scores"] == {"technical": 8}


CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from backend.store import Store
    store = Store(Path(sys.argv[1]))
    sid = store.create_session()["id"]
    store.save_interview(sid, {"phase": "questioning"}, session_fields={"status": "in_progress"},
                         answer={"question_number": 1, "answer_text": sys.argv[2]})
    print(sid, flush=True)
    time.sleep(600)
""")


def test_a_committed_answer_survives_kill_9(tmp_path):
    marker = f"answer-{uuid.uuid4().hex}"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "r.db"), marker],
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        sid = child.stdout.readline().strip()
        assert sid, "the child did not commit"
    finally:
        child.kill()
        child.wait()
    store = Store(tmp_path / "r.db")
    assert [a["answer_text"] for a in store.answers(sid)] == [marker]
    assert store.get_session(sid)["status"] == "in_progress"


def _file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_deleting_a_session_removes_its_text_from_the_files(tmp_path):
    store = Store(tmp_path / "r.db")
    secret = f"confidential-{uuid.uuid4().hex}"
    keep = f"kept-{uuid.uuid4().hex}"
    sid = store.create_session()["id"]
    other = store.create_session()["id"]
    store.update_session(sid, resume_text=f"resume of {secret}")
    store.update_session(other, resume_text=f"resume of {keep}")
    store.save_interview(sid, {"x": secret}, answer={"question_number": 1, "answer_text": secret})
    assert secret.encode() in _file_bytes(tmp_path / "r.db")
    store.delete_session(sid)
    assert secret.encode() not in _file_bytes(tmp_path / "r.db")
    assert keep.encode() in _file_bytes(tmp_path / "r.db")


def test_delete_all_leaves_an_empty_compact_file(tmp_path):
    store = Store(tmp_path / "r.db")
    secret = f"confidential-{uuid.uuid4().hex}"
    for _ in range(20):
        sid = store.create_session()["id"]
        store.update_session(sid, resume_text=secret * 200)
    assert store.delete_all() == 20
    assert store.list_sessions() == []
    assert secret.encode() not in _file_bytes(tmp_path / "r.db")
    with sqlite3.connect(tmp_path / "r.db") as conn:
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0


def test_only_opted_in_completed_sessions_are_memory(tmp_path):
    store = Store(tmp_path / "r.db")
    ids = []
    for opt_in, status in ((1, "completed"), (0, "completed"), (1, "in_progress")):
        sid = store.create_session()["id"]
        store.update_session(sid, memory_opt_in=opt_in, status=status, ended_at="2026-01-01")
        ids.append(sid)
    assert [s["id"] for s in store.opted_in_sessions()] == [ids[0]]
    assert store.opted_in_sessions(exclude=ids[0]) == []
