"""The folder of kept recordings: ``<data folder>/recordings/<owner id>/<name>.ogg``.

Folders are 0700 and files 0600 (``backend.paths``). Each owner (an interview or a practice
session) has its own folder, so deleting the owner deletes one folder; a folder whose owner
no longer exists (a crash between deleting the rows and the files) is swept away.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from backend.paths import open_private, private_dir
from backend.recordings.codec import CODEC, SAMPLE_RATE, CodecError, decode_pcm, encode_opus

log = logging.getLogger(__name__)
SUFFIX = ".ogg"


class RecordingError(ValueError):
    """A recording that cannot be stored or read; the message says why."""


@dataclass(frozen=True)
class Saved:
    file: str  # relative to the library's root: "<owner id>/<name>.ogg"
    codec: str
    duration_s: float
    size: int


class RecordingLibrary:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _owner_dir(self, owner_id: str, create: bool = False) -> Path:
        try:
            name = str(uuid.UUID(owner_id))  # never a path of the caller's choosing
        except ValueError:
            raise RecordingError(f"{owner_id[:40]!r} is not a session id.") from None
        folder = self.root / name
        if create:
            private_dir(self.root)
            private_dir(folder)
        return folder

    def save(self, owner_id: str, name: str, pcm: bytes,
             sample_rate: int = SAMPLE_RATE) -> Saved:
        """Compress `pcm` (PCM16 mono) and write it, private, replacing any older file."""
        if not name.replace("-", "").isalnum():
            raise RecordingError(f"Bad recording name {name!r}.")
        try:
            data = encode_opus(pcm, sample_rate)
        except CodecError as e:
            raise RecordingError(str(e)) from e
        folder = self._owner_dir(owner_id, create=True)
        final = folder / f"{name}{SUFFIX}"
        partial = folder / f".{name}{SUFFIX}.part"
        with open_private(partial, "wb", encoding=None) as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, final)
        return Saved(f"{folder.name}/{final.name}", CODEC, len(pcm) / 2 / sample_rate,
                     len(data))

    def path(self, file: str) -> Path:
        owner, _, name = file.partition("/")
        path = self._owner_dir(owner) / name
        if path.parent != self._owner_dir(owner) or not name.endswith(SUFFIX):
            raise RecordingError(f"Bad recording file {file!r}.")
        return path

    def read_bytes(self, file: str) -> bytes:
        try:
            return self.path(file).read_bytes()
        except FileNotFoundError:
            raise RecordingError("The recording's file is gone from the data folder.") from None

    def read_pcm(self, file: str) -> bytes:
        try:
            return decode_pcm(self.read_bytes(file))
        except CodecError as e:
            raise RecordingError(str(e)) from e

    def delete_owner(self, owner_id: str) -> None:
        folder = self._owner_dir(owner_id)
        shutil.rmtree(folder, ignore_errors=True)

    def delete_all(self) -> None:
        if self.root.is_dir():
            for child in self.root.iterdir():
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)

    def owners(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return [p.name for p in self.root.iterdir() if p.is_dir()]

    def sweep(self, known_owner_ids: Iterable[str]) -> int:
        """Delete the folders of owners that no longer exist; returns how many."""
        known = set(known_owner_ids)
        gone = [o for o in self.owners() if o not in known]
        for owner in gone:
            shutil.rmtree(self.root / owner, ignore_errors=True)
        if gone:
            log.info("removed %d orphaned recording folder(s)", len(gone))
        return len(gone)
