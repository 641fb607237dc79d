"""Real small disks for tests: a tmpfs that can be filled up or made read-only.

Mounting needs Linux and the privilege to mount (root in CI containers); elsewhere the
tests that use these are skipped, and the engine's own tests cover the same rules with a
fault-injecting store (tests/engine/test_transactions.py).
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def small_disk(path: Path, size_mb: int = 16) -> Iterator[Path]:
    """A tmpfs of ``size_mb`` at ``path`` for the length of the block."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a small disk needs Linux and root")
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700",
                              "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte; delete the returned file to free the space."""
    filler = disk / "filler"
    block = b"\0" * (256 * 1024)
    with open(filler, "wb", buffering=0) as f:
        size = len(block)
        while size:
            try:
                f.write(block[:size])
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                size //= 2
    return filler


def set_read_only(disk: Path, read_only: bool) -> None:
    subprocess.run(["mount", "-o", "remount," + ("ro" if read_only else "rw"), str(disk)],
                   check=True)
