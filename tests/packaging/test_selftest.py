"""`rehearse --self-test` from source: the same checks the packaged app runs in CI."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from backend.voice.wer import word_error_rate
from desktop.selftest import MAX_WER

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ("first run", "backend start", "interview", "voice round trip", "main window")


def _rehearse_command() -> list[str]:
    script = Path(sys.executable).with_name("rehearse")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "desktop.cli"]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.slow
def test_self_test_passes_from_source(tmp_path):
    shot = tmp_path / "window.png"
    report = tmp_path / "report.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home")}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    (tmp_path / "home").mkdir()
    run = subprocess.run([*_rehearse_command(), "--self-test", "--screenshot", str(shot),
                          "--report", str(report)], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=280)
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    for name in CHECKS:
        assert re.search(rf"^PASS  {name}\s+\d+\.\d\d s  \S", out, re.M), f"no PASS line for {name}"
    assert re.search(r"^Self-test passed: 5/5 checks in \d+\.\d s$", out, re.M)
    assert "Voice answers: unavailable — no microphone found. Text interviews work." in out \
        or "Voice answers: available" in out
    wer = float(re.search(r"WER (\d+\.\d)%", out).group(1)) / 100
    assert 0 <= wer <= MAX_WER
    questions = re.search(r"PASS  interview .* (\d) questions, (\d+) follow-ups, "
                          r"(Hire|Borderline|No-Hire)", out)
    assert questions and questions.group(1) == "2" and int(questions.group(2)) >= 1
    assert _png_size(shot) == (1100, 760)
    assert report.read_text(encoding="utf-8").splitlines() == out.splitlines()
    # The temporary data folder is removed afterwards.
    folder = re.search(r"data folder (\S+)\)", out).group(1)
    assert not Path(folder).exists()


def test_word_error_rate():
    assert word_error_rate("How do you scale a cache?", "how do you scale a cache") == 0.0
    assert word_error_rate("one two three four", "one too three") == pytest.approx(0.5)
    assert word_error_rate("a b", "a b c d") == pytest.approx(1.0)


def test_a_failing_check_fails_the_self_test(monkeypatch, capsys, tmp_path):
    """The exit status follows the checks: break the voice check, get exit 1."""
    import desktop.selftest as selftest

    def broken(_backend):
        raise selftest.CheckFailed("stt is unavailable: no model")

    monkeypatch.setattr(selftest, "check_voice", broken)
    monkeypatch.setattr(selftest, "check_window", lambda *_: "skipped in this test")
    assert selftest.main(["--log-dir", str(tmp_path)]) == 1
    assert "logging to" in (tmp_path / "rehearse.log").read_text()
    out = capsys.readouterr().out
    assert re.search(r"^FAIL  voice round trip .* stt is unavailable: no model$", out, re.M)
    assert re.search(r"^PASS  interview ", out, re.M)
    assert "Self-test FAILED: 4/5 checks" in out
