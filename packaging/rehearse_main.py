"""Entry point of the packaged app (PyInstaller). `rehearse` from source uses desktop.cli."""

import multiprocessing

# First, before anything else runs: a frozen child process started by multiprocessing
# must run its task here and exit, not open a second window.
multiprocessing.freeze_support()

import os  # noqa: E402
import sys  # noqa: E402


def _ensure_streams() -> None:
    """A windowed build (Windows, macOS) has no stdout/stderr; libraries that log or ask
    `sys.stdout.isatty()` (uvicorn does) would crash, so point them at the null device."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")


if __name__ == "__main__":
    _ensure_streams()
    from desktop.cli import main

    sys.exit(main())
