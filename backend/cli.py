"""Command line of the backend: `rehearse serve` and `rehearse grade`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from backend.config import Settings, is_loopback_host
from backend.logging_setup import add_logging_options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rehearse", description="Rehearse: private mock interviews.")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the backend alone (no window)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port; 0 picks a free one")
    serve.add_argument("--data-dir", type=Path, default=None,
                       help="where the database lives (default: the per-user data folder)")
    serve.add_argument("--token", default=None, help="API token (default: a fresh random one)")
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow binding a non-loopback address (exposes your data to the network)")
    add_logging_options(serve)
    grade = sub.add_parser("grade", help="grade answers in a CSV file")
    grade.add_argument("csv", type=Path)
    grade.add_argument("--out", type=Path, required=True)
    return parser


def serve(args: argparse.Namespace) -> int:
    from backend.api.app import create_app
    from backend.logging_setup import configure_logging
    from backend.paths import default_data_dir, default_log_dir, prepare_data_dir
    from backend.server import serve_forever
    from backend.store import WriteFailed
    from backend.store.db import write_failure

    if not is_loopback_host(args.host):
        if not args.allow_remote:
            print(f"Refusing to bind {args.host}: Rehearse serves this machine only. Pass "
                  "--allow-remote if you really want other machines to reach your data.",
                  file=sys.stderr)
            return 2
        print(f"WARNING: binding {args.host}; anyone who can reach it and has the token can "
              "read your resumes and answers.", file=sys.stderr)
    try:
        configure_logging(args.log_dir, debug=args.debug, console=True)
    except OSError as e:
        failure = write_failure(e)
        assert failure is not None
        print(f"Rehearse cannot write its log folder {args.log_dir or default_log_dir()}: "
              f"{failure.problem}. {failure.remedy} or pass --log-dir, then start it again.",
              file=sys.stderr)
        return 2
    data_dir = args.data_dir or default_data_dir()
    try:  # the data folder and the database first: a full or read-only disk is one sentence
        kwargs = {"data_dir": prepare_data_dir(args.data_dir), "host": args.host,
                  "port": args.port, "allow_remote": args.allow_remote}
        if args.token:
            kwargs["token"] = args.token
        settings = Settings(**kwargs)
        app = create_app(settings)
    except (WriteFailed, OSError) as e:
        failure = e if isinstance(e, WriteFailed) else write_failure(e)
        assert failure is not None  # every OSError is a WriteFailed of some kind
        print(f"Rehearse cannot use its data folder {data_dir}: {failure.problem}. "
              f"{failure.remedy}, then start it again.", file=sys.stderr)
        return 2
    serve_forever(settings, announce=lambda line: print(line, flush=True), app=app)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "grade":
        from backend.interviewer.grading.csv_file import main as grade_main

        return grade_main([str(args.csv), "--out", str(args.out)])
    build_parser().print_help()
    return 2
