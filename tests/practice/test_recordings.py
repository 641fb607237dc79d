"""Recordings kept on disk: Opus through PyAV, private files, deleted with their owner."""

from __future__ import annotations

import os
import stat
import uuid

import numpy as np
import pytest

from backend.recordings import RecordingError, RecordingLibrary
from backend.recordings.codec import SAMPLE_RATE, decode_pcm, encode_opus


def tone(seconds: float = 2.0) -> bytes:
    t = np.arange(int(SAMPLE_RATE * seconds)) / SAMPLE_RATE
    return (np.sin(2 * np.pi * 220 * t) * 6000).astype("<i2").tobytes()


def test_opus_is_several_times_smaller_than_pcm_and_decodes_to_the_same_length():
    pcm = tone(3.0)
    data = encode_opus(pcm)
    assert data[:4] == b"OggS"
    assert len(data) * 5 < len(pcm)
    back = decode_pcm(data)
    assert abs(len(back) - len(pcm)) <= 2 * 960  # within one Opus frame
    a = np.frombuffer(pcm, "<i2").astype(float)
    b = np.frombuffer(back[: len(pcm)], "<i2").astype(float)
    assert np.corrcoef(a[2000:-2000], b[2000:len(a) - 2000])[0, 1] > 0.9


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_files_are_private_and_deleted_with_their_owner(tmp_path):
    library = RecordingLibrary(tmp_path / "recordings")
    owner, other = str(uuid.uuid4()), str(uuid.uuid4())
    saved = library.save(owner, "q1-f0-a0", tone())
    library.save(other, "q1-a1", tone(0.5))
    path = library.path(saved.file)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "recordings").stat().st_mode) == 0o700
    assert saved.duration_s == pytest.approx(2.0) and saved.codec == "opus"
    assert len(library.read_pcm(saved.file)) > 0
    library.delete_owner(owner)
    assert not path.exists() and not path.parent.exists()
    assert library.owners() == [other]
    assert library.sweep({owner}) == 1 and library.owners() == []


def test_names_and_owners_cannot_escape_the_folder(tmp_path):
    library = RecordingLibrary(tmp_path)
    with pytest.raises(RecordingError):
        library.save("../../etc", "x", tone(0.1))
    with pytest.raises(RecordingError):
        library.save(str(uuid.uuid4()), "../x", tone(0.1))
    with pytest.raises(RecordingError):
        library.path(f"{uuid.uuid4()}/../../secret.ogg")
