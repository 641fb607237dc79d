"""Synthesis and transcription write nothing outside the app's data directory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SCRIPT = textwrap.dedent(
    """
    import asyncio
    from backend.voice.audio import resample_pcm16
    from backend.voice.service import VoiceService

    async def main():
        voice = VoiceService()
        status = await voice.warm_up()
        assert status["stt"] == "ready" and status["tts"] == "ready", status
        chunks = [c async for c in voice.speak("Redis keeps the session cache warm.")]
        pcm = resample_pcm16(b"".join(c.pcm for c in chunks), chunks[0].sample_rate, 16000)
        stt = voice.transcriber(["Redis"])
        for i in range(0, len(pcm), 3200):
            stt.feed(pcm[i:i + 3200])
        print((await stt.finish()).text)
        voice.close()

    asyncio.run(main())
    """
)


def test_nothing_is_written_to_home_or_the_working_directory(tmp_path: Path):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "HF_", "HUGGINGFACE"))}
    env.update(HOME=str(home), PYTHONPATH=str(Path(__file__).resolve().parents[2]), PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=work, env=env, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stderr
    assert "redis" in result.stdout.lower()
    assert sorted(p.relative_to(tmp_path) for p in home.rglob("*")) == []
    assert sorted(p.relative_to(tmp_path) for p in work.rglob("*")) == []
