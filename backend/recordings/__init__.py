"""Voice answers kept on this computer, compressed: the codec (Opus through PyAV) and the
folder of files (``recordings/`` in the data folder, private to the user)."""

from backend.recordings.library import RecordingLibrary, RecordingError

__all__ = ["RecordingError", "RecordingLibrary"]
