"""The Interviewer settings group, driven through the window against the real embedded
backend, with tests/llm/fake_server.py as the local model server.

Set REHEARSE_SCREENSHOTS=<folder> to also save the screenshots there (docs/screenshots/)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QLineEdit, QRadioButton, QWidget

from desktop.client import ApiError
from desktop.pages.interviewer_settings import (REMOTE_OPT_IN, InterviewerSettings, active_text,
                                                error_row, is_remote_url, readable)
from tests.desktop.test_theme import colours_of, contrast

REMOTE_URL = "http://192.0.2.10:11434/v1"  # TEST-NET-1: never contacted by these tests


def shoot(widget: QWidget, name: str, tmp_path: Path) -> Path:
    """Save `widget` as PNG in tmp_path (and in $REHEARSE_SCREENSHOTS when set)."""
    path = tmp_path / name
    assert widget.grab().save(str(path)), f"could not save {path}"
    folder = os.environ.get("REHEARSE_SCREENSHOTS")
    if folder:
        assert widget.grab().save(str(Path(folder) / name))
    return path


def click(widget: QWidget) -> None:
    """A left click where a user would aim: on a check box's or radio's indicator, else the
    middle."""
    if isinstance(widget, (QCheckBox, QRadioButton)):
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(10, widget.height() // 2))
    else:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(edit, text: str) -> None:
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


def shown(message) -> str:
    """An InlineMessage's kind while it is shown, else "" (it keeps its kind when hidden)."""
    return message.kind if not message.isHidden() else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def open_interviewer_settings(ui) -> InterviewerSettings:
    ui.window.show_page("Settings")
    group = ui.window.settings_page.interviewer
    await ui.wait_until(lambda: group.loaded, 30, "the interviewer settings to load")
    return group


async def choose_local_server(ui, base_url: str) -> InterviewerSettings:
    """As a candidate would: pick the local server, test it, keep its first model, save."""
    group = await open_interviewer_settings(ui)
    click(group.local_radio)
    assert group.local_box.isVisible()
    type_into(group.url_edit, base_url)
    click(group.test_button)
    await ui.wait_until(lambda: shown(group.test_message) in ("ok", "error", "warn"), 30,
                        "the connection test")
    assert shown(group.test_message) == "ok", group.test_message.text()
    click(group.save_button)
    await ui.wait_until(lambda: group.save_message.isVisible(), 30, "the save")
    assert shown(group.save_message) == "ok", group.save_message.text()
    return group


def models_listed(group: InterviewerSettings) -> list[str]:
    return [group.model_combo.itemText(i) for i in range(group.model_combo.count())]


def test_test_connection_lists_the_models_and_the_saved_choice_survives_a_reload(
        ui, fake_llm, tmp_path):
    fake, server = fake_llm

    async def scenario():
        await ui.show()
        group = await open_interviewer_settings(ui)
        assert group.builtin_radio.isChecked() and not group.local_box.isVisible()
        assert group.active_label.text() == "Using: built-in interviewer"

        click(group.local_radio)
        assert group.local_box.isVisible()
        assert group.url_edit.text() == "http://127.0.0.1:11434/v1"  # the backend's default
        click(group.preset_buttons["lm_studio"])
        assert group.url_edit.text() == "http://127.0.0.1:1234/v1"
        type_into(group.url_edit, server.base_url)
        assert not group.remote_check.isVisible(), "a loopback server needs no opt-in"

        click(group.test_button)
        await ui.wait_until(lambda: shown(group.test_message) == "ok", 30, "Connected")
        assert group.test_message.text() == f"Connected — {len(fake.models)} models"
        assert models_listed(group) == fake.models
        assert group.model_combo.currentText() == fake.models[0]

        # Screenshots: the local server chosen and the test result shown, both themes.
        page = ui.window.settings_page
        page.scroll.ensureWidgetVisible(group.save_button)
        themes = page.theme_buttons
        start_theme = next(n for n, b in themes.items() if b.isChecked())
        for name in ("light", "dark"):
            themes[name].click()
            await ui.wait_until(lambda: group.test_message.isVisible(), 5, "the result")
            shot = shoot(ui.window, f"settings-interviewer-{name}.png", tmp_path)
            assert shot.stat().st_size > 10_000
        themes[start_theme].click()

        group.model_combo.setCurrentIndex(1)
        QTest.keyClicks(group.key_edit, "sk-local-secret")
        assert group.key_edit.echoMode() == QLineEdit.EchoMode.Password
        group.timeout_spin.setValue(45)
        click(group.save_button)
        await ui.wait_until(lambda: group.save_message.isVisible(), 30, "the save")
        assert shown(group.save_message) == "ok", group.save_message.text()
        assert group.active_label.text() == f"Using: other-model at {server.base_url}"
        assert group.key_edit.text() == "" and group.forget_key_button.isVisible()

        stored = await ui.client.interviewer_settings()
        assert (stored["mode"], stored["active"], stored["model"]) == ("openai", "llm",
                                                                       "other-model")
        assert stored["has_api_key"] and stored["timeout_s"] == 45
        assert "sk-local-secret" not in json.dumps(stored)

        # Reloading the page: a fresh group shows what was saved, the key never in clear.
        fresh = InterviewerSettings(ui.client)
        await fresh.load()
        assert fresh.local_radio.isChecked() and not fresh.builtin_radio.isChecked()
        assert fresh.url_edit.text() == server.base_url
        assert fresh.model_combo.currentText() == "other-model"
        assert fresh.timeout_spin.value() == 45
        assert fresh.key_edit.text() == "" and "saved" in fresh.key_edit.placeholderText()
        assert not fresh.forget_key_button.isHidden()
        assert fresh.active_label.text() == group.active_label.text()
        fresh.deleteLater()

        # Forgetting the key, then back to the built-in interviewer.
        click(group.forget_key_button)
        click(group.builtin_radio)
        assert not group.local_box.isVisible()
        click(group.save_button)
        await ui.wait_until(lambda: shown(group.save_message) == "ok"
                            and group.active_label.text() == "Using: built-in interviewer",
                            30, "the built-in saved")
        stored = await ui.client.interviewer_settings()
        assert stored["mode"] == "builtin" and not stored["has_api_key"]
        assert stored["model"] == "other-model", "the local choice is kept for next time"

    ui.run(scenario())


def test_a_remote_url_needs_the_opt_in_and_an_unreachable_one_keeps_the_typed_values(
        ui, fake_llm, tmp_path):
    async def scenario():
        await ui.show()
        group = await open_interviewer_settings(ui)
        click(group.local_radio)
        type_into(group.url_edit, REMOTE_URL)
        assert group.remote_check.isVisible() and not group.remote_check.isChecked()
        assert "leave this computer" in group.remote_warning.text()
        group.model_combo.setEditText("llama3.2")

        click(group.test_button)  # refused before anything is contacted
        await ui.wait_until(lambda: shown(group.test_message) == "error", 30, "the refusal")
        assert "not this computer" in group.test_message.text()

        click(group.save_button)
        await ui.wait_until(lambda: group.url_message.isVisible(), 30, "the URL error")
        assert shown(group.url_message) == "error"
        assert "not this computer" in group.url_message.text()
        assert "Allow a server on another machine" in group.url_message.text()
        assert "allow_remote" not in group.url_message.text()
        shoot(group, "interviewer-remote-error.png", tmp_path)
        assert group.url_edit.text() == REMOTE_URL
        assert group.model_combo.currentText() == "llama3.2"
        assert (await ui.client.interviewer_settings())["mode"] == "builtin"

        click(group.remote_check)
        assert group.remote_check.isChecked()
        click(group.save_button)
        await ui.wait_until(lambda: shown(group.save_message) == "ok", 30, "the save")
        assert not group.url_message.isVisible()
        assert group.active_label.text() == f"Using: llama3.2 at {REMOTE_URL}"
        stored = await ui.client.interviewer_settings()
        assert stored["allow_remote"] and stored["remote"] and stored["warning"]

        # A server that is not running: the backend's error, and nothing typed is lost.
        dead = f"http://127.0.0.1:{free_port()}/v1"
        type_into(group.url_edit, dead)
        assert not group.remote_check.isVisible()
        group.model_combo.setEditText("my-model")
        click(group.test_button)
        await ui.wait_until(lambda: shown(group.test_message) == "error", 30, "the error")
        assert "Could not list the models" in group.test_message.text()
        assert dead in group.test_message.text()
        assert group.url_edit.text() == dead and group.model_combo.currentText() == "my-model"
        assert group.test_button.isEnabled() and group.local_radio.isChecked()

        # An empty model is refused next to the model field.
        group.model_combo.setEditText("")
        click(group.save_button)
        await ui.wait_until(lambda: group.model_message.isVisible(), 30, "the model error")
        assert shown(group.model_message) == "error" and "model" in group.model_message.text()
        assert group.url_edit.text() == dead

    ui.run(scenario())


def test_helpers_decide_remote_and_fields_like_the_backend():
    assert not is_remote_url("http://127.0.0.1:11434/v1")
    assert not is_remote_url("http://localhost:1234/v1")
    assert not is_remote_url("http://[::1]:8080/v1")
    assert is_remote_url("http://192.168.1.20:11434/v1")
    assert is_remote_url("https://models.example.com/v1")
    assert not is_remote_url("not a url")
    assert active_text({"active": "builtin", "mode": "builtin"}) == "Using: built-in interviewer"
    assert active_text({"active": "llm", "model": "m", "base_url": "http://127.0.0.1:1/v1"}) \
        == "Using: m at http://127.0.0.1:1/v1"
    # llama.cpp's server names a model by its file path (seen with xllamacpp + SmolLM2)
    assert active_text({"active": "llm", "model": "/opt/models/SmolLM2-135M.Q4_1.gguf",
                        "base_url": "http://127.0.0.1:1/v1"}) \
        == "Using: SmolLM2-135M.Q4_1.gguf at http://127.0.0.1:1/v1"


def test_errors_go_to_the_row_of_the_field_the_backend_names_not_by_their_words():
    # The words speak of the URL and the time limit; the field says the model: the field wins.
    misleading = "The URL was fine but the timeout was not."
    assert error_row(ApiError(400, misleading, "model_required", "model")) == "model"
    assert error_row(ApiError(400, misleading, "model_file_not_found", "gguf_path")) == "model"
    assert error_row(ApiError(422, "Choose a model.", "validation_error", "timeout_s")) == "timeout"
    assert error_row(ApiError(400, "Choose a model.", "invalid_url", "base_url")) == "url"
    assert error_row(ApiError(400, "Choose a model.", "remote_not_allowed", "allow_remote")) == "url"
    assert error_row(ApiError(409, "The timeout model URL.", "fixed_interviewer")) == "general"
    assert error_row(ApiError(0, "The Rehearse engine could not be reached.")) == "general"
    # Only the code decides when the API's wording is replaced by the form's.
    remote = ApiError(400, "Set allow_remote to true.", "remote_not_allowed", "base_url")
    text = readable(remote, "https://gpu.example/v1")
    assert text.startswith("gpu.example is not this computer") and REMOTE_OPT_IN in text
    assert "allow_remote" not in text
    other = ApiError(400, "Set allow_remote to true.", "invalid_url", "base_url")
    assert readable(other, "x") == "Set allow_remote to true."


def test_a_validation_error_of_the_real_backend_lands_by_its_field(ui, tmp_path):
    """A 422 from the backend's own validation names `timeout_s`: the time limit's row shows
    it, and the form keeps what was typed."""
    async def scenario():
        await ui.show()
        group = await open_interviewer_settings(ui)
        click(group.local_radio)
        group.model_combo.setEditText("llama3.2")
        form = group.form
        group.form = lambda: {**form(), "timeout_s": 0.5}  # below what the spin box allows
        click(group.save_button)
        await ui.wait_until(lambda: group.timeout_message.isVisible(), 30, "the timeout error")
        assert shown(group.timeout_message) == "error"
        assert "timeout_s" in group.timeout_message.text()
        assert not group.url_message.isVisible() and not group.model_message.isVisible()
        assert not group.save_message.isVisible()
        assert group.model_combo.currentText() == "llama3.2"
        assert (await ui.client.interviewer_settings())["mode"] == "builtin"
        shoot(group, "interviewer-field-error.png", tmp_path)

    ui.run(scenario())


@pytest.mark.parametrize("name", ["light", "dark"])
def test_the_new_interviewer_colours_are_readable(name):
    c = colours_of(name)
    assert contrast(c["selection-text"], c["selection"]) >= 4.5  # thinking text
    assert contrast(c["accent"], c["selection"]) >= 3.0  # spinner and its border
    assert contrast(c["warn-fg"], c["warn-bg"]) >= 4.5  # the fallback notice
    assert contrast(c["borderline-edge"], c["warn-bg"]) >= 3.0
