"""`make fuzz-api`: schemathesis against a live `rehearse serve`, as any client would see it.

Starts the backend on a free loopback port with a fresh token and a throw-away data folder,
waits for /health, then runs every schemathesis phase (examples, coverage, fuzzing and the
stateful phase) with every check, a fixed seed and a bounded number of examples per
operation, so a run is reproducible and fits CI. Exits with schemathesis' own exit code.

Extra arguments go to `schemathesis run` (e.g. `--max-examples 100` for a longer run).
The hooks in `scripts/fuzz_hooks.py` keep the fuzzer's traffic on this machine;
`scripts/schemathesis.toml` holds the two answers the schema cannot predict.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
SEED = 19
MAX_EXAMPLES = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(base: str, server: subprocess.Popen, deadline_s: float = 60) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"rehearse serve exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"rehearse serve did not answer {base}/health within {deadline_s:.0f} s")


def schemathesis_command(base: str, token: str, extra: list[str]) -> list[str]:
    return [str(BIN / "schemathesis"), "--config-file", str(HERE / "schemathesis.toml"),
            "run", f"{base}/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--seed", str(SEED), "--max-examples", str(MAX_EXAMPLES),
            "--workers", "1", "--generation-database", "none",
            "--request-timeout", "30", "--no-color",
            *extra]


def main(argv: list[str]) -> int:
    port, token = free_port(), secrets.token_urlsafe(24)
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="rehearse-fuzz-") as tmp:
        data, logs = Path(tmp, "data"), Path(tmp, "logs")
        stderr = Path(tmp, "serve.stderr")
        with stderr.open("wb") as err_file:
            server = subprocess.Popen(
                [str(BIN / "rehearse"), "serve", "--host", "127.0.0.1", "--port", str(port),
                 "--data-dir", str(data), "--log-dir", str(logs), "--token", token],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err_file)
        rc = 1
        try:
            wait_for_health(base, server)
            # the hooks module (scripts/fuzz_hooks.py) is imported by name
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(
                filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))}
            started = time.monotonic()
            # in the throw-away folder: schemathesis keeps a cache in .schemathesis/ there,
            # so every run starts from nothing (reproducible) and leaves nothing behind
            rc = subprocess.call(schemathesis_command(base, token, argv), cwd=tmp, env=env)
            print(f"fuzz-api: schemathesis exited {rc} after {time.monotonic() - started:.0f} s")
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            err = stderr.read_text(errors="replace")
            if "Traceback" in err:  # the server crashed somewhere no answer showed
                sys.stderr.write(err[-4000:])
                rc = rc or 1
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
