"""Errors the voice service raises; each message is written for the candidate."""

from __future__ import annotations


class VoiceError(Exception):
    """Base class for every error the voice package raises on purpose."""


class VoiceUnavailable(VoiceError):
    """A model is missing or failed to load; text mode keeps working."""


class AudioError(VoiceError, ValueError):
    """The audio handed to the service is unusable (empty, malformed, too long)."""
