"""Voice preferences kept between launches (QSettings keys in one place)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings

KEY_ENABLED = "voice/enabled"
KEY_REVIEW = "voice/review"
KEY_INPUT = "voice/input_device"
KEY_OUTPUT = "voice/output_device"
KEY_ACCURACY = "voice/accuracy"
ACCURACIES = ("standard", "high")


def _bool(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1")


@dataclass
class VoicePrefs:
    enabled: bool = False
    review: bool = False
    input_device: str = ""  # a device name; "" = the system default
    output_device: str = ""
    accuracy: str = "standard"  # Whisper tiny.en ("standard") or base ("high")

    @classmethod
    def load(cls, settings: QSettings | None = None) -> VoicePrefs:
        s = settings or _settings()
        return cls(enabled=_bool(s.value(KEY_ENABLED, False)),
                   review=_bool(s.value(KEY_REVIEW, False)),
                   input_device=str(s.value(KEY_INPUT, "") or ""),
                   output_device=str(s.value(KEY_OUTPUT, "") or ""),
                   accuracy=_accuracy(s.value(KEY_ACCURACY, "standard")))

    def save(self, settings: QSettings | None = None) -> None:
        s = settings or _settings()
        s.setValue(KEY_ENABLED, self.enabled)
        s.setValue(KEY_REVIEW, self.review)
        s.setValue(KEY_INPUT, self.input_device)
        s.setValue(KEY_OUTPUT, self.output_device)
        s.setValue(KEY_ACCURACY, self.accuracy)
        s.sync()


def _settings() -> QSettings:
    from desktop.theme import app_settings

    return app_settings()


def _accuracy(value: object) -> str:
    return str(value) if str(value) in ACCURACIES else "standard"
