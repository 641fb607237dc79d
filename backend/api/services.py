"""The objects one running backend is made of, built once by `create_app`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.config import Settings
from backend.interviewer.interface import Interviewer
from backend.store import Store


@dataclass
class Services:
    settings: Settings
    store: Store
    interviewer: Interviewer
    voice: Any = None  # backend.voice.VoiceService, created lazily by the voice extension
    extras: dict[str, Any] = field(default_factory=dict)
