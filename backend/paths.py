"""Where Rehearse keeps its files, and the one way they are created: private to the user.

Resumes, answers and logs are personal. Every entry point (the desktop app, `rehearse
serve`, the self-test) and the store create their folders and files through this module,
so they are 0700 (folders) and 0600 (files) whatever the umask, instead of the default
0755/0644 under umask 022 that would let another local user list or read them.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Rehearse"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
DATABASE_NAME = "rehearse.db"


def default_data_dir() -> Path:
    """The per-user data folder (e.g. ~/.local/share/Rehearse on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_log_dir() -> Path:
    """The per-user log folder (e.g. ~/.local/state/Rehearse/log on Linux)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


def _posix() -> bool:
    return os.name == "posix"


def private_dir(path: Path, *, tighten_existing: bool = True) -> Path:
    """Create `path` (and missing parents) and make the folder itself 0700.

    An existing folder is tightened only if `tighten_existing` (the app's own folders);
    a folder the user named that already holds other things keeps its mode."""
    path = Path(path)
    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if _posix() and (not existed or tighten_existing):
        path.chmod(PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty if missing, readable and writable by the user only (0600)."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
    os.close(fd)
    if _posix():
        path.chmod(PRIVATE_FILE_MODE)
    return path


def open_private(path: Path, mode: str = "a", encoding: str | None = "utf-8"):
    """open() for a file that must be 0600 from its first byte (log files)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    if _posix():
        os.fchmod(fd, PRIVATE_FILE_MODE)
    return os.fdopen(fd, mode, encoding=encoding)


def prepare_data_dir(data_dir: Path | None = None) -> Path:
    """The data folder, created private. The default folder is always tightened; a folder
    given with --data-dir is tightened when Rehearse made it or it holds Rehearse's database."""
    if data_dir is None:
        return private_dir(default_data_dir())
    data_dir = Path(data_dir)
    ours = not data_dir.exists() or (data_dir / DATABASE_NAME).exists() or (
        data_dir.is_dir() and not any(data_dir.iterdir()))
    return private_dir(data_dir, tighten_existing=ours)


def prepare_log_dir(log_dir: Path | None = None) -> Path:
    """The log folder, created private (always tightened: only logs live there)."""
    return private_dir(Path(log_dir) if log_dir is not None else default_log_dir())
