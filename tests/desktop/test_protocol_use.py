"""The desktop speaks the protocol through backend/protocol and never re-derives it: no
close-code or error-code number of its own, and nothing that works out what the interview
waits for (the server sends `awaiting`). Read from the source, so a new page is covered too."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
SOURCES = sorted(DESKTOP.rglob("*.py"))


def _trees() -> list[tuple[Path, ast.AST]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"), str(path))) for path in SOURCES]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(DESKTOP.parent)}:{getattr(node, 'lineno', '?')}"


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_the_desktop_sources_are_found():
    assert len(SOURCES) > 20 and DESKTOP / "interview_session.py" in SOURCES


def test_no_close_or_error_code_literal_in_the_desktop():
    """4000-4999 are the protocol's close and error codes: CloseCode / SocketErrorCode."""
    found = [f"{_where(path, node)}: {node.value}" for path, tree in _trees()
             for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and type(node.value) is int
             and 4000 <= node.value <= 4999]
    assert not found, "use backend.protocol.codes instead of: " + ", ".join(found)


def test_awaiting_is_only_ever_taken_from_the_server():
    """Every assignment to an `awaiting` attribute reads the server's `awaiting` field (or
    clears it before the first event); nothing maps events to a next step."""
    found = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Assign, ast.AnnAssign)):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if not any(isinstance(t, ast.Attribute) and t.attr == "awaiting" for t in targets):
                continue
            value = node.value
            cleared = isinstance(value, ast.Constant) and value.value == ""
            if not cleared and "awaiting" not in _strings(value):
                found.append(f"{_where(path, node)}: {ast.unparse(node)}")
    assert not found, "the desktop decides what the interview waits for: " + "; ".join(found)


def test_no_next_step_derived_from_a_score():
    """The seed's `next` field of score_update is not read: `awaiting` says the same, and
    is what every prompt and score carries."""
    found = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            key = None
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                key = node.slice.value
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "get" and node.args \
                    and isinstance(node.args[0], ast.Constant):
                key = node.args[0].value
            if key == "next":
                found.append(_where(path, node))
    assert not found, "reads score_update's `next`: " + ", ".join(found)


@pytest.mark.parametrize("bad, rule", [
    ("CODE = 4010\n", test_no_close_or_error_code_literal_in_the_desktop),
    ("self.awaiting = 'next' if x else 'end'\n", test_awaiting_is_only_ever_taken_from_the_server),
    ("nxt = data.get('next')\n", test_no_next_step_derived_from_a_score),
])
def test_the_checks_catch_what_they_look_for(bad, rule, tmp_path, monkeypatch):
    """Each check fails on a source that breaks its rule (so a passing check means something)."""
    (tmp_path / "desktop").mkdir()
    planted = tmp_path / "desktop" / "planted.py"
    planted.write_text(bad, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "DESKTOP", tmp_path / "desktop")
    monkeypatch.setattr(sys.modules[__name__], "SOURCES", [planted])
    with pytest.raises(AssertionError):
        rule()
