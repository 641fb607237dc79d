"""The settings page's "Voice" group: how accurately spoken answers are transcribed.

"Standard" is Whisper tiny.en, "High" is Whisper base. The costs shown are the ones
bench/voice.py and bench/app_memory.py measured on a 2-core machine (see ACCURACY_CHOICES);
the choice is kept in the voice preferences and sent with `voice_toggle` ("accuracy"), so
it applies the next time voice is switched on. Whether a model is installed is a pure path
lookup (``backend.voice.models``, as desktop/first_run.py does); one that is not is shown
disabled with the reason (the packaged app carries only the standard model, to stay small).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel, QRadioButton, QVBoxLayout, QWidget

from desktop.audio.prefs import VoicePrefs


def model_missing(accuracy: str) -> str:
    """Why the Whisper model for ``accuracy`` is not installed ("" when it is)."""
    from backend.voice.models import VoiceModelPaths

    paths = VoiceModelPaths.discover(accuracy=accuracy)
    return paths.whisper_reason()

# (value, label, measured cost). Figures: bench/voice.py on this project's 2-core machine,
# busy (load 4-9): the final transcript's delay after "done" on a 60 s answer (p50), and
# the word error rate on the 24-answer speech set with question-aware priming, per voice
# (Piper; Piper with noise at 15 dB SNR; two espeak-ng voices). Memory: the voice worker's
# peak after loading and one answer, tiny.en 257 MB vs base 440 MB.
ACCURACY_CHOICES = (
    ("standard", "Standard (Whisper tiny.en)",
     "Your transcript is ready about 0.3 s after you stop. On our spoken test set it "
     "misheard 6% of words for a clear voice, 12% with background noise and 20% for "
     "robotic voices."),
    ("high", "High (Whisper base)",
     "Fewer misheard words with noise (11%) and robotic voices (16-18%), not for a clear "
     "voice (7%). On a 2-core computer the transcript comes about 2 s after you stop, "
     "and Rehearse uses up to 180 MB more memory."),
)


class VoiceSettings(QFrame):
    """Radio buttons for the speech recogniser's accuracy, saved to the voice preferences."""

    changed = Signal(str)

    def __init__(self, prefs: VoicePrefs | None = None, parent: QWidget | None = None,
                 missing=model_missing):
        super().__init__(parent)
        self.setObjectName("SettingsGroup")
        self._prefs = prefs
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 18)
        layout.setSpacing(8)
        head = QLabel("Voice answers")
        head.setObjectName("SubTitle")
        layout.addWidget(head)
        note = QLabel("Speech is turned into text on this computer. Choose how accurately; "
                      "the choice applies the next time voice is switched on.")
        note.setObjectName("Muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.costs: dict[str, QLabel] = {}
        for value, label, cost in ACCURACY_CHOICES:
            button = QRadioButton(f"Accuracy: {label}")
            button.setAccessibleName(f"Accuracy: {label}")
            self.group.addButton(button)
            self.buttons[value] = button
            detail = QLabel(cost)
            detail.setObjectName("Muted")
            detail.setWordWrap(True)
            detail.setContentsMargins(26, 0, 0, 4)
            detail.setAccessibleName(f"Cost of {label}")
            self.costs[value] = detail
            layout.addWidget(button)
            layout.addWidget(detail)
            button.toggled.connect(lambda on, v=value: on and self._choose(v))
            why = missing(value) if value != "standard" else ""
            if why:
                button.setEnabled(False)
                detail.setText(f"{cost} Not installed here: {why}")
        self.sync()

    def _load(self) -> VoicePrefs:
        return self._prefs if self._prefs is not None else VoicePrefs.load()

    def sync(self) -> None:
        """Tick the saved choice (without saving it again)."""
        button = self.buttons.get(self._load().accuracy, self.buttons["standard"])
        if not button.isEnabled():
            button = self.buttons["standard"]
        button.blockSignals(True)
        button.setChecked(True)
        button.blockSignals(False)

    def _choose(self, value: str) -> None:
        prefs = self._load()
        if prefs.accuracy == value:
            return
        prefs.accuracy = value
        if self._prefs is None:
            prefs.save()
        self.changed.emit(value)

    def focus_order(self) -> list[QWidget]:
        return list(self.buttons.values())
