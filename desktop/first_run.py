"""Checks at first launch: data folder, bundled voice models, microphone.

Everything here works with no network and no sound card: a missing PortAudio library or
an empty device list becomes "no microphone found", never an exception. The desktop pages
show `first_run_report()` and `plain_summary()`; `rehearse --self-test` prints them too.

Dependency note: besides backend.config/server, this module reads
`backend.voice.models.VoiceModelPaths` (a pure path lookup, no model is loaded), the one
documented exception to "desktop never imports backend internals".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEVICE_QUERY = Callable[[], Sequence[dict[str, Any]]]


@dataclass(frozen=True)
class Check:
    """One first-launch check: what it is, whether it works, and why not, in plain words."""

    name: str        # "Data folder", "Voice models", "Microphone"
    ok: bool
    message: str     # one sentence a candidate can act on
    seconds: float = 0.0


def prepare_data_dir(data_dir: Path) -> Check:
    """Create the data folder (private: 0700) and prove it is writable."""
    start = time.perf_counter()
    try:
        from backend.paths import prepare_data_dir as make_private

        make_private(data_dir)
        probe = data_dir / ".write-test"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as e:
        return Check("Data folder", False,
                     f"Rehearse cannot write to {data_dir} ({e.strerror or e}). "
                     "Choose another folder with --data-dir.", time.perf_counter() - start)
    return Check("Data folder", True, f"Your sessions are saved only in {data_dir}.",
                 time.perf_counter() - start)


def check_voice_models(override_dir: Path | None = None) -> Check:
    """Whether the bundled Whisper and Piper models are where the voice service looks."""
    start = time.perf_counter()
    from backend.voice.models import VoiceModelPaths

    paths = VoiceModelPaths.discover(override_dir)
    problems = [p for p in (paths.whisper_reason(), paths.piper_reason()) if p]
    if problems:
        return Check("Voice models", False, " ".join(problems), time.perf_counter() - start)
    return Check("Voice models", True,
                 "Speech recognition (Whisper tiny.en) and the interviewer's voice (Piper) "
                 "are installed on this computer.", time.perf_counter() - start)


def _sounddevice_query() -> Sequence[dict[str, Any]]:
    import sounddevice  # raises OSError when the PortAudio library is missing

    return list(sounddevice.query_devices())


def check_microphone(query_devices: DEVICE_QUERY | None = None) -> Check:
    """Look for an input device; any failure to ask means "no microphone found"."""
    start = time.perf_counter()
    query = query_devices or _sounddevice_query
    try:
        devices = list(query())
    except Exception as e:  # OSError (no PortAudio), PortAudioError, anything from a driver
        reason = str(e).strip() or type(e).__name__
        return Check("Microphone", False,
                     f"No microphone found: the sound system could not be asked ({reason}).",
                     time.perf_counter() - start)
    inputs = [d for d in devices if int(d.get("max_input_channels", 0) or 0) > 0]
    if not inputs:
        return Check("Microphone", False,
                     "No microphone found: this computer reports no sound input device.",
                     time.perf_counter() - start)
    name = str(inputs[0].get("name", "")).strip() or "a sound input"
    more = f" (and {len(inputs) - 1} more)" if len(inputs) > 1 else ""
    return Check("Microphone", True, f"Microphone found: {name}{more}.",
                 time.perf_counter() - start)


def first_run_report(data_dir: Path, *, voice_models_dir: Path | None = None,
                     query_devices: DEVICE_QUERY | None = None) -> list[Check]:
    """Run every first-launch check. Never raises for a missing device or model."""
    return [prepare_data_dir(Path(data_dir)), check_voice_models(voice_models_dir),
            check_microphone(query_devices)]


def plain_summary(checks: Sequence[Check]) -> list[str]:
    """What works, in the candidate's words, e.g.
    "Voice answers: unavailable — no microphone found. Text interviews work."."""
    by_name = {c.name: c for c in checks}
    data, models, mic = (by_name.get(n) for n in ("Data folder", "Voice models", "Microphone"))
    lines: list[str] = []
    if data is not None and not data.ok:
        lines.append(f"Interviews: unavailable — {_lower_first(data.message)}")
        return lines
    text_ok = "Text interviews work."
    if models is not None and not models.ok:
        lines.append(f"Voice: unavailable — the voice models are missing. {text_ok}")
        return lines
    if mic is not None and not mic.ok:
        lines.append(f"Voice answers: unavailable — no microphone found. {text_ok}")
        lines.append("Spoken questions: available (the interviewer can read questions aloud).")
        return lines
    lines.append("Voice answers: available. Text interviews work.")
    lines.append("Spoken questions: available.")
    return lines


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
