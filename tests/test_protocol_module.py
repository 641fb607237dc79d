"""backend/protocol is pure, so both sides of the wire may import it: no FastAPI, Starlette,
Qt, SQL or model in it (whatever it imports, in a fresh interpreter), and the parts the
desktop imports while its window opens (codes, steps) do not even load pydantic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(f"backend.protocol.{p.stem}" for p in (ROOT / "backend" / "protocol").glob("*.py")
                 if p.stem != "__init__")
FORBIDDEN = ("fastapi", "starlette", "uvicorn", "PySide6", "sqlite3", "httpx", "websockets",
             "faster_whisper", "onnxruntime", "piper", "backend.api", "backend.engine",
             "backend.store", "backend.voice", "desktop")


def loaded_after(*modules: str) -> set[str]:
    code = ("import json, sys\n" + "".join(f"import {m}\n" for m in modules)
            + "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=120).stdout
    return set(json.loads(out))


def test_the_protocol_package_pulls_in_nothing_but_pydantic():
    assert {"backend.protocol.events", "backend.protocol.rest"} <= set(MODULES)
    loaded = loaded_after(*MODULES)
    bad = sorted(m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN))
    assert not bad, f"backend.protocol imports {bad}"


def test_what_the_desktop_reads_at_start_up_does_not_load_pydantic():
    loaded = loaded_after("backend.protocol.codes", "backend.protocol.steps")
    assert "pydantic" not in loaded
