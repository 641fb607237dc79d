"""The data folder, its database and the logs are private (0700 folders, 0600 files) under
umask 022, whichever entry point creates them: the store, `rehearse serve`, the desktop app."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from backend.logging_setup import configure_logging
from backend.paths import prepare_data_dir, prepare_log_dir
from backend.store import open_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
ROOT = Path(__file__).resolve().parents[1]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_the_store_and_the_log_are_private_under_umask_022(tmp_path, umask_022):
    (tmp_path / "plain").mkdir()
    assert mode(tmp_path / "plain") == 0o755, "without care, others could list the folder"
    data = prepare_data_dir(tmp_path / "nested" / "data")
    store = open_store(data)
    try:
        sid = store.create_session()["id"]
        store.update_session(sid, resume_text="private resume")
        files = [data / "rehearse.db", data / "rehearse.db-wal", data / "rehearse.db-shm"]
        assert all(f.exists() for f in files)
        assert mode(data) == 0o700
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        store.close()

    handle = configure_logging(tmp_path / "logs")
    try:
        handle.handler.doRollover()  # the file opened after a rollover is private too
        logs = sorted((tmp_path / "logs").iterdir())
        assert mode(tmp_path / "logs") == 0o700
        assert [f.name for f in logs] == ["rehearse.log", "rehearse.log.1"]
        assert {mode(f) for f in logs} == {0o600}
    finally:
        handle.close()


def test_an_existing_default_folder_is_tightened_but_a_users_folder_is_not(tmp_path, monkeypatch,
                                                                          umask_022):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    old = tmp_path / "share" / "Rehearse"
    old.mkdir(parents=True)
    old.chmod(0o755)  # made by an earlier version
    assert prepare_data_dir() == old and mode(old) == 0o700
    assert mode(prepare_log_dir()) == 0o700
    mine = tmp_path / "Documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    mine.chmod(0o755)
    prepare_data_dir(mine)
    assert mode(mine) == 0o755, "a folder the user named, holding other files, is left alone"


def _wait_for(path: Path, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def _wait_until_serving(proc: subprocess.Popen, seconds: float = 90) -> None:
    """Until the server answers HTTP: only then has uvicorn installed its SIGINT handler. A
    SIGINT before that (CI, once) interrupted start-up and the process took over 60 s to end."""
    assert proc.stdout is not None
    line = proc.stdout.readline()  # "Rehearse backend on http://127.0.0.1:PORT"
    assert "Rehearse backend on http://" in line, (line, proc.poll())
    url = line.split(" on ", 1)[1].strip() + "/health"
    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # an answer, whatever its status
        except OSError:
            assert time.monotonic() < deadline, f"{url} never answered"
            time.sleep(0.05)


@pytest.mark.parametrize("entry", ["serve", "desktop"])
def test_every_entry_point_creates_private_files(tmp_path, entry):
    data, logs = tmp_path / "data", tmp_path / "logs"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    if entry == "serve":
        code = (f"import sys; from backend.cli import main; sys.exit(main(['serve', '--port', '0',"
                f" '--data-dir', {str(data)!r}, '--log-dir', {str(logs)!r}]))")
    else:
        code = (f"import sys; from desktop.app import main; sys.exit(main(['--data-dir', "
                f"{str(data)!r}, '--log-dir', {str(logs)!r}]))")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: os.umask(0o022))
    try:
        if entry == "serve":
            _wait_until_serving(proc)
        _wait_for(data / "rehearse.db", proc)
        _wait_for(data / "rehearse.db-wal", proc)
        found = {p.relative_to(tmp_path).as_posix(): mode(p)
                 for folder in (data, logs) for p in (folder, *folder.iterdir())}
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert found == {"data": 0o700, "data/rehearse.db": 0o600, "data/rehearse.db-wal": 0o600,
                     "data/rehearse.db-shm": 0o600, "logs": 0o700, "logs/rehearse.log": 0o600}
