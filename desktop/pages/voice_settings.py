"""The settings page's "Voice" group: how accurately spoken answers are transcribed, how
an answer ends (push-to-talk or hands-free after a pause) and how fast the interviewer speaks.

"Standard" is Whisper tiny.en, "High" is Whisper base. The costs shown are the ones
bench/voice.py and bench/app_memory.py measured on a 2-core machine (see ACCURACY_CHOICES);
the choice is kept in the voice preferences and sent with `voice_toggle` ("accuracy"), so
it applies the next time voice is switched on. Whether a model is installed is a pure path
lookup (``backend.voice.models``, as desktop/first_run.py does); one that is not is shown
disabled with the reason (the packaged app carries only the standard model, to stay small).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QDoubleSpinBox, QFrame, QHBoxLayout, QLabel,
                               QRadioButton, QSlider, QVBoxLayout, QWidget)

from desktop.audio.prefs import (DEFAULT_AUTO_END_S, DEFAULT_SPEECH_WPM, MAX_AUTO_END_S,
                                 MAX_SPEECH_WPM, MIN_SPEECH_WPM, VoicePrefs)

SPEED_STEP = 10  # words a minute per slider step


def speed_text(wpm: int) -> str:
    note = " (default, easy to follow)" if wpm == DEFAULT_SPEECH_WPM else (
        " (slower)" if wpm < DEFAULT_SPEECH_WPM else " (faster)")
    return f"{wpm} words a minute{note}"


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

        answering = QLabel("Ending an answer")
        answering.setStyleSheet("font-weight: 600; padding-top: 6px;")  # weight only; colour: theme
        layout.addWidget(answering)
        self.push_to_talk = QRadioButton("Push to talk: Space (or Talk) starts and stops")
        self.push_to_talk.setAccessibleName("Push to talk")
        self.hands_free = QRadioButton("Hands-free: end my answer after a pause of")
        self.hands_free.setAccessibleName("Hands-free: end my answer after a pause")
        self.answer_group = QButtonGroup(self)
        self.answer_group.addButton(self.push_to_talk)
        self.answer_group.addButton(self.hands_free)
        self.pause_spin = QDoubleSpinBox()
        self.pause_spin.setRange(1.0, MAX_AUTO_END_S)
        self.pause_spin.setSingleStep(0.5)
        self.pause_spin.setDecimals(1)
        self.pause_spin.setSuffix(" s")
        self.pause_spin.setAccessibleName("Pause that ends an answer, in seconds")
        free_row = QHBoxLayout()
        free_row.setSpacing(8)
        free_row.addWidget(self.hands_free)
        free_row.addWidget(self.pause_spin)
        free_row.addStretch(1)
        layout.addWidget(self.push_to_talk)
        layout.addLayout(free_row)
        free_note = QLabel("A countdown shows while you pause; speaking again cancels it.")
        free_note.setObjectName("Muted")
        free_note.setWordWrap(True)
        free_note.setContentsMargins(26, 0, 0, 4)
        layout.addWidget(free_note)
        self.push_to_talk.toggled.connect(lambda _on: self._save_answering())
        self.pause_spin.valueChanged.connect(lambda _v: self._save_answering())

        speed = QLabel("The interviewer's speaking speed")
        speed.setStyleSheet("font-weight: 600; padding-top: 6px;")
        layout.addWidget(speed)
        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setRange(MIN_SPEECH_WPM // SPEED_STEP, MAX_SPEECH_WPM // SPEED_STEP)
        self.speed_slider.setPageStep(1)
        self.speed_slider.setAccessibleName("Speaking speed, words a minute")
        self.speed_label = QLabel()
        self.speed_label.setAccessibleName("Speaking speed")
        speed_row = QHBoxLayout()
        speed_row.setSpacing(12)
        speed_row.addWidget(self.speed_slider, 1)
        speed_row.addWidget(self.speed_label, 1)
        layout.addLayout(speed_row)
        self.speed_slider.valueChanged.connect(self._save_speed)
        self.sync()

    def _load(self) -> VoicePrefs:
        return self._prefs if self._prefs is not None else VoicePrefs.load()

    def sync(self) -> None:
        """Show the saved choices (without saving them again)."""
        prefs = self._load()
        button = self.buttons.get(prefs.accuracy, self.buttons["standard"])
        if not button.isEnabled():
            button = self.buttons["standard"]
        widgets = (button, self.push_to_talk, self.hands_free, self.pause_spin, self.speed_slider)
        for w in widgets:
            w.blockSignals(True)
        button.setChecked(True)
        free = prefs.auto_end_silence_s > 0
        (self.hands_free if free else self.push_to_talk).setChecked(True)
        self.pause_spin.setValue(prefs.auto_end_silence_s if free else DEFAULT_AUTO_END_S)
        self.speed_slider.setValue(round(prefs.speech_wpm / SPEED_STEP))
        for w in widgets:
            w.blockSignals(False)
        self.speed_label.setText(speed_text(self.speed_slider.value() * SPEED_STEP))
        self.pause_spin.setEnabled(free)

    def _save(self, change) -> None:
        prefs = self._load()
        change(prefs)
        if self._prefs is None:
            prefs.save()

    def _save_answering(self) -> None:
        self.pause_spin.setEnabled(self.hands_free.isChecked())
        seconds = 0.0 if self.push_to_talk.isChecked() else float(self.pause_spin.value())
        self._save(lambda p: setattr(p, "auto_end_silence_s", seconds))

    def _save_speed(self, step: int) -> None:
        wpm = int(step * SPEED_STEP)
        self.speed_label.setText(speed_text(wpm))
        self._save(lambda p: setattr(p, "speech_wpm", wpm))

    def _choose(self, value: str) -> None:
        prefs = self._load()
        if prefs.accuracy == value:
            return
        prefs.accuracy = value
        if self._prefs is None:
            prefs.save()
        self.changed.emit(value)

    def focus_order(self) -> list[QWidget]:
        return [*self.buttons.values(), self.push_to_talk, self.hands_free, self.pause_spin,
                self.speed_slider]
