"""Speak the speech test set in several voices, as PCM16 mono at 16 kHz.

Voices (issue 16): the bundled Piper voice; two espeak-ng English variants (American at
150 words per minute, British at 165 with a lower pitch); and the Piper voice with pink
noise mixed in at 15 dB SNR (the noise is made by sox in repeatable mode, so every run
hears the same noise). The audio is generated when asked, never stored in the repository.
espeak-ng and sox are Debian packages (scripts/system-deps.sh); a voice whose tool is
missing raises ``VoiceMissing`` with the package to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from backend.voice.audio import resample_pcm16

RATE = 16_000
NOISE_SNR_DB = 15.0
# name -> espeak-ng arguments
ESPEAK_VARIANTS = {
    "espeak-en-us": ["-v", "en-us", "-s", "150"],
    "espeak-en-gb": ["-v", "en-gb", "-s", "165", "-p", "35"],
}
VOICES = ("piper", *ESPEAK_VARIANTS, "piper-noise-15db")


class VoiceMissing(RuntimeError):
    """A tool a voice needs is not installed."""


def speaker(name: str, piper_voice: Any = None) -> Callable[[str], bytes]:
    """A function speaking text in voice ``name`` (PCM16 mono 16 kHz bytes).

    ``piper_voice`` (a Piper engine: ``VoiceService.piper_engine()``) is needed for the
    Piper voices.
    """
    if name == "piper":
        return lambda text: piper_pcm(piper_voice, text)
    if name in ESPEAK_VARIANTS:
        if shutil.which("espeak-ng") is None:
            raise VoiceMissing("espeak-ng is not installed (apt-get install espeak-ng)")
        return lambda text: espeak_pcm(text, ESPEAK_VARIANTS[name])
    if name == "piper-noise-15db":
        if shutil.which("sox") is None:
            raise VoiceMissing("sox is not installed (apt-get install sox)")
        return lambda text: add_noise(piper_pcm(piper_voice, text), NOISE_SNR_DB)
    raise ValueError(f"unknown voice {name!r}; one of {', '.join(VOICES)}")


def piper_pcm(piper_voice: Any, text: str) -> bytes:
    if piper_voice is None:
        raise VoiceMissing("the Piper voice is not loaded")
    chunks = list(piper_voice.speak(text))
    return resample_pcm16(b"".join(c.pcm for c in chunks), chunks[0].sample_rate, RATE)


def espeak_pcm(text: str, args: list[str]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", *args, "-w", str(path), text], check=True)
        return _read_wav(path)


def pink_noise(seconds: float) -> np.ndarray:
    """Pink noise from sox in repeatable mode (-R), float32 at 16 kHz."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "noise.wav"
        subprocess.run(["sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(path),
                        "synth", f"{seconds:.3f}", "pinknoise"], check=True)
        return np.frombuffer(_read_wav(path), dtype="<i2").astype(np.float32)


def add_noise(pcm: bytes, snr_db: float) -> bytes:
    """``pcm`` with pink noise scaled to ``snr_db`` below the speech's power."""
    speech = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    noise = pink_noise(len(speech) / RATE + 0.1)[: len(speech)]
    voiced = speech[np.abs(speech) > 0.02 * np.abs(speech).max()]  # power of the speech itself
    speech_power = float(np.mean(voiced**2)) if voiced.size else 0.0
    noise_power = float(np.mean(noise**2)) or 1.0
    scale = np.sqrt(speech_power / (noise_power * 10 ** (snr_db / 10)))
    mixed = np.clip(speech + scale * noise, -32768, 32767)
    return mixed.astype("<i2").tobytes()


def _read_wav(path: Path) -> bytes:
    with wave.open(str(path)) as wav:
        rate, pcm = wav.getframerate(), wav.readframes(wav.getnframes())
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise ValueError(f"{path} is not 16-bit mono")
    return resample_pcm16(pcm, rate, RATE) if rate != RATE else pcm
