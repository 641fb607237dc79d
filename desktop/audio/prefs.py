"""Voice preferences kept between launches (QSettings keys in one place)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings

KEY_ENABLED = "voice/enabled"
KEY_REVIEW = "voice/review"
KEY_INPUT = "voice/input_device"
KEY_OUTPUT = "voice/output_device"
KEY_ACCURACY = "voice/accuracy"
KEY_AUTO_END = "voice/auto_end_silence_s"
KEY_SPEECH_WPM = "voice/speech_wpm"
ACCURACIES = ("standard", "high")
# docs/protocol.md, voice_toggle: auto_end_silence_s 0 (push-to-talk) to 10; speech_wpm 120-200.
MAX_AUTO_END_S = 10.0
DEFAULT_AUTO_END_S = 2.5  # what "hands-free" starts at
DEFAULT_SPEECH_WPM, MIN_SPEECH_WPM, MAX_SPEECH_WPM = 160, 120, 200


def _bool(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1")


@dataclass
class VoicePrefs:
    enabled: bool = False
    review: bool = False
    input_device: str = ""  # a device name; "" = the system default
    output_device: str = ""
    accuracy: str = "standard"  # Whisper tiny.en ("standard") or base ("high")
    auto_end_silence_s: float = 0.0  # 0: push-to-talk; else hands-free, ended by a pause
    speech_wpm: int = DEFAULT_SPEECH_WPM  # how fast the interviewer speaks

    @classmethod
    def load(cls, settings: QSettings | None = None) -> VoicePrefs:
        s = settings or _settings()
        return cls(enabled=_bool(s.value(KEY_ENABLED, False)),
                   review=_bool(s.value(KEY_REVIEW, False)),
                   input_device=str(s.value(KEY_INPUT, "") or ""),
                   output_device=str(s.value(KEY_OUTPUT, "") or ""),
                   accuracy=_accuracy(s.value(KEY_ACCURACY, "standard")),
                   auto_end_silence_s=_number(s.value(KEY_AUTO_END, 0.0), 0.0, 0.0, MAX_AUTO_END_S),
                   speech_wpm=int(_number(s.value(KEY_SPEECH_WPM, DEFAULT_SPEECH_WPM),
                                          DEFAULT_SPEECH_WPM, MIN_SPEECH_WPM, MAX_SPEECH_WPM)))

    def save(self, settings: QSettings | None = None) -> None:
        s = settings or _settings()
        s.setValue(KEY_ENABLED, self.enabled)
        s.setValue(KEY_REVIEW, self.review)
        s.setValue(KEY_INPUT, self.input_device)
        s.setValue(KEY_OUTPUT, self.output_device)
        s.setValue(KEY_ACCURACY, self.accuracy)
        s.setValue(KEY_AUTO_END, float(self.auto_end_silence_s))
        s.setValue(KEY_SPEECH_WPM, int(self.speech_wpm))
        s.sync()


def _settings() -> QSettings:
    from desktop.theme import app_settings

    return app_settings()


def _accuracy(value: object) -> str:
    return str(value) if str(value) in ACCURACIES else "standard"


def _number(value: object, default: float, low: float, high: float) -> float:
    try:
        number = float(str(value))
    except ValueError:
        return default
    return min(max(number, low), high) if number == number else default
