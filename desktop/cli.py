"""The `rehearse` command: the desktop app, a backend command (`serve`, `grade`), or
`--self-test` (checks an installation offline; see desktop/selftest.py)."""

from __future__ import annotations

import sys

BACKEND_COMMANDS = {"serve", "grade"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--voice-worker":  # the packaged app's voice process
        from backend.voice.worker import main as voice_worker_main

        return voice_worker_main()
    if argv and argv[0] == "--self-test":
        from desktop.selftest import main as selftest_main

        return selftest_main(argv[1:])
    if argv and (argv[0] in BACKEND_COMMANDS or argv[0] in ("-h", "--help")):
        from backend.cli import main as backend_main

        return backend_main(argv)
    from desktop.app import main as desktop_main

    return desktop_main(argv)


if __name__ == "__main__":
    sys.exit(main())
