"""The settings page's "Interviewer" group: the built-in interviewer, or a local model server.

It talks to the backend only through BackendClient (GET/PUT /settings/interviewer and
POST /settings/interviewer/test, see docs/protocol.md). What the candidate typed is never
lost: after an error the form keeps every value and says, next to the field, what to change.
The API key is write-only: the backend only says whether one is stored.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QFrame, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton,
                               QSpinBox, QVBoxLayout, QWidget)

from backend.config import is_loopback_host
from backend.protocol.codes import ErrorCode
from desktop.async_utils import spawn
from desktop.client import ApiError
from desktop.widgets.buttons import ActionButton
from desktop.widgets.status import InlineMessage

if TYPE_CHECKING:
    from desktop.client import BackendClient

# Shown until the backend's own `defaults` arrive (GET /settings/interviewer).
DEFAULT_URLS = {"ollama": "http://127.0.0.1:11434/v1", "lm_studio": "http://127.0.0.1:1234/v1"}
PRESETS = (("ollama", "Ollama"), ("lm_studio", "LM Studio"))
DEFAULT_TIMEOUT_S = 30
BUILTIN_TEXT = "Built-in interviewer (default, always works offline)"
LOCAL_TEXT = "Local model server (Ollama, LM Studio, llama.cpp server…)"
REMOTE_OPT_IN = "Allow a server on another machine"


def is_remote_url(url: str) -> bool:
    """Whether `url` points at another machine. Only decides when to show the opt-in; the
    backend makes the same check and has the last word."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return False
    return bool(host) and not is_loopback_host(host)


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def model_label(model: str) -> str:
    """A model id as a person reads it: llama.cpp-style servers name a model by its file
    path, and only the file name says which model it is."""
    if not model:
        return "the model"
    return model.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or model


def active_text(settings: dict[str, Any]) -> str:
    """"Using: built-in interviewer" or "Using: <model> at <url>"."""
    if settings.get("active") == "llm":
        url = settings.get("local_server") or settings.get("base_url") or ""
        return f"Using: {model_label(settings.get('model') or '')} at {url}"
    if settings.get("mode") == "openai":
        return "Using: built-in interviewer (the chosen model could not start)"
    return "Using: built-in interviewer"


# The request fields of PUT /settings/interviewer (an error's `field`) -> the form's rows.
FIELD_ROWS = {"base_url": "url", "allow_remote": "url", "model": "model", "gguf_path": "model",
              "timeout_s": "timeout"}


def error_row(error: ApiError) -> str:
    """Which row of the form an error belongs to (url, model, timeout), by the request
    field the backend names; "general" for anything else."""
    return FIELD_ROWS.get(error.field or "", "general")


def readable(error: ApiError, url: str) -> str:
    """The backend's sentence, except where it speaks of the API rather than the form: a
    server on another machine is allowed with the check box, not with `allow_remote`."""
    if error.code == ErrorCode.REMOTE_NOT_ALLOWED:
        try:
            host = urlsplit(url.strip()).hostname or "That server"
        except ValueError:
            host = "That server"
        return (f"{host} is not this computer. Tick “{REMOTE_OPT_IN}” to allow "
                "it, or use a server on this computer.")
    return error.detail


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("FieldLabel")
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class InterviewerSettings(QFrame):
    """The "Interviewer" settings group. Call load() once (the settings page does, when
    first shown); `saved(settings)` fires after a successful save."""

    saved = Signal(dict)

    def __init__(self, client: BackendClient | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("SettingsGroup")
        self._client = client
        self._settings: dict[str, Any] = {}  # the last settings the backend returned
        self._defaults = dict(DEFAULT_URLS)
        self._forget_key = False
        self._busy: asyncio.Task | None = None
        self.loaded = False
        self._build()
        self._on_mode()
        self._on_url_changed(self.url_edit.text())

    # ---- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        head = QLabel("Interviewer", self)
        head.setObjectName("SubTitle")
        note = QLabel("Who writes the questions and the feedback. The built-in interviewer "
                      "runs inside Rehearse. A model server on this computer can word them "
                      "more personally; whenever it fails or is slow, the built-in "
                      "interviewer takes over for that step. Changes apply from the next "
                      "step, even during an interview.", self)
        note.setObjectName("Muted")
        note.setWordWrap(True)

        self.builtin_radio = QRadioButton(BUILTIN_TEXT, self)
        self.builtin_radio.setAccessibleName("Use the built-in interviewer")
        self.local_radio = QRadioButton(LOCAL_TEXT, self)
        self.local_radio.setAccessibleName("Use a local model server")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.builtin_radio)
        self.mode_group.addButton(self.local_radio)
        self.builtin_radio.setChecked(True)
        self.builtin_radio.toggled.connect(self._on_mode)

        self.local_box = QWidget(self)
        self.local_box.setObjectName("LocalServerBox")
        grid = QGridLayout(self.local_box)
        grid.setContentsMargins(28, 4, 0, 4)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)

        self.url_edit = QLineEdit(DEFAULT_URLS["ollama"], self.local_box)
        self.url_edit.setAccessibleName("Server URL")
        self.url_edit.setPlaceholderText(DEFAULT_URLS["ollama"])
        self.url_edit.textChanged.connect(self._on_url_changed)
        self.preset_buttons: dict[str, QPushButton] = {}
        url_row = QHBoxLayout()
        url_row.setSpacing(8)
        url_row.addWidget(self.url_edit, 1)
        for name, text in PRESETS:
            button = QPushButton(text, self.local_box)
            button.setAccessibleName(f"Use {text}'s address")
            button.setToolTip(DEFAULT_URLS[name])
            button.clicked.connect(lambda _c=False, n=name: self.use_preset(n))
            self.preset_buttons[name] = button
            url_row.addWidget(button)
        grid.addWidget(_caption("Server URL", self.local_box), 0, 0)
        grid.addLayout(url_row, 0, 1)
        self.url_message = InlineMessage(self.local_box)
        grid.addWidget(self.url_message, 1, 1)

        self.remote_check = QCheckBox(REMOTE_OPT_IN, self.local_box)
        self.remote_check.setAccessibleName(REMOTE_OPT_IN)
        self.remote_warning = QLabel(self.local_box)
        self.remote_warning.setObjectName("WarnText")
        self.remote_warning.setWordWrap(True)
        self.remote_warning.setAccessibleName("Privacy warning")
        grid.addWidget(self.remote_check, 2, 1)
        grid.addWidget(self.remote_warning, 3, 1)

        self.test_button = ActionButton("Test connection", "Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_message = InlineMessage(self.local_box)
        self.test_message.setAccessibleName("Connection test result")
        test_row = QHBoxLayout()
        test_row.setSpacing(12)
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        test_row.addWidget(self.test_message, 1)
        grid.addLayout(test_row, 4, 1)

        self.model_combo = QComboBox(self.local_box)
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_combo.setAccessibleName("Model")
        self.model_combo.lineEdit().setPlaceholderText("Test the connection to list the models")
        grid.addWidget(_caption("Model", self.local_box), 5, 0)
        grid.addWidget(self.model_combo, 5, 1)
        self.model_message = InlineMessage(self.local_box)
        grid.addWidget(self.model_message, 6, 1)

        self.key_edit = QLineEdit(self.local_box)
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAccessibleName("API key (optional)")
        self.forget_key_button = QPushButton("Forget saved key", self.local_box)
        self.forget_key_button.setAccessibleName("Forget the saved API key")
        self.forget_key_button.clicked.connect(self.forget_key)
        key_row = QHBoxLayout()
        key_row.setSpacing(8)
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.forget_key_button)
        grid.addWidget(_caption("API key (optional)", self.local_box), 7, 0)
        grid.addLayout(key_row, 7, 1)

        self.timeout_spin = QSpinBox(self.local_box)
        self.timeout_spin.setRange(1, 600)
        self.timeout_spin.setValue(DEFAULT_TIMEOUT_S)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setAccessibleName("Time limit per step, in seconds")
        self.timeout_spin.setMinimumWidth(96)
        timeout_note = QLabel("per step; after that the built-in interviewer answers",
                              self.local_box)
        timeout_note.setObjectName("Muted")
        timeout_row = QHBoxLayout()
        timeout_row.setSpacing(10)
        timeout_row.addWidget(self.timeout_spin)
        timeout_row.addWidget(timeout_note, 1)
        grid.addWidget(_caption("Time limit", self.local_box), 8, 0)
        grid.addLayout(timeout_row, 8, 1)
        self.timeout_message = InlineMessage(self.local_box)
        grid.addWidget(self.timeout_message, 9, 1)

        self.save_button = ActionButton("Save", "Save interviewer settings", "PrimaryButton")
        self.save_button.clicked.connect(self.save)
        self.active_label = QLabel("", self)
        self.active_label.setObjectName("ActiveInterviewer")
        self.active_label.setAccessibleName("Interviewer in use")
        self.active_label.setWordWrap(True)
        save_row = QHBoxLayout()
        save_row.setSpacing(14)
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.active_label, 1)
        self.save_message = InlineMessage(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 18)
        layout.setSpacing(8)
        layout.addWidget(head)
        layout.addWidget(note)
        layout.addWidget(self.builtin_radio)
        layout.addWidget(self.local_radio)
        layout.addWidget(self.local_box)
        layout.addLayout(save_row)
        layout.addWidget(self.save_message)
        self._show_key_state(False)

    def focus_order(self) -> list[QWidget]:
        """The group's controls in Tab order (top to bottom, left to right)."""
        return [self.builtin_radio, self.local_radio, self.url_edit,
                *self.preset_buttons.values(), self.remote_check, self.test_button,
                self.model_combo, self.key_edit, self.forget_key_button, self.timeout_spin,
                self.save_button]

    # ---- form state -----------------------------------------------------------------
    @property
    def local(self) -> bool:
        return self.local_radio.isChecked()

    def _on_mode(self, *_: Any) -> None:
        self.local_box.setVisible(self.local)

    def _on_url_changed(self, text: str) -> None:
        self.test_message.clear_message()  # a result for another address would mislead
        self.url_message.clear_message()
        remote = is_remote_url(text)
        self.remote_check.setVisible(remote)
        self.remote_warning.setVisible(remote)
        if remote:
            host = urlsplit(text.strip()).hostname or "that server"
            self.remote_warning.setText(
                f"{host} is not this computer: your resume, the job description and your "
                "answers will leave this computer and be sent to that server. Tick the box "
                "above only if you trust it.")

    def use_preset(self, name: str) -> None:
        self.url_edit.setText(self._defaults.get(name, DEFAULT_URLS[name]))
        self.url_message.clear_message()

    def forget_key(self) -> None:
        self._forget_key = True
        self.key_edit.clear()
        self._show_key_state(False)
        self.key_edit.setPlaceholderText("The saved key will be removed when you save")

    def _show_key_state(self, has_key: bool) -> None:
        self.forget_key_button.setVisible(has_key)
        self.key_edit.setPlaceholderText("A key is saved (hidden); type to replace it"
                                         if has_key else "Not needed for Ollama or LM Studio")

    def _clear_messages(self) -> None:
        for message in (self.url_message, self.model_message, self.timeout_message,
                        self.save_message):
            message.clear_message()

    def fill(self, settings: dict[str, Any]) -> None:
        """Show `settings` as the backend returned them (the key stays hidden)."""
        self._settings = dict(settings)
        self._defaults.update(settings.get("defaults") or {})
        self.local_radio.setChecked(settings.get("mode") == "openai")
        self.builtin_radio.setChecked(settings.get("mode") != "openai")
        self.url_edit.setText(str(settings.get("base_url") or self._defaults["ollama"]))
        model = str(settings.get("model") or "")
        if model and self.model_combo.findText(model) < 0:
            self.model_combo.addItem(model)
        self.model_combo.setEditText(model)
        self.remote_check.setChecked(bool(settings.get("allow_remote")))
        self.timeout_spin.setValue(int(round(float(settings.get("timeout_s")
                                                   or DEFAULT_TIMEOUT_S))))
        self.key_edit.clear()
        self._forget_key = False
        self._show_key_state(bool(settings.get("has_api_key")))
        self.active_label.setText(active_text(settings))
        self._on_mode()

    def form(self) -> dict[str, Any]:
        """The PUT body for what the form shows now."""
        url = self.url_edit.text().strip()
        allow = is_remote_url(url) and self.remote_check.isChecked()
        if not self.local and (not is_http_url(url) or (is_remote_url(url) and not allow)):
            # The local fields are hidden: keep the last stored address instead of
            # refusing a choice of the built-in interviewer over a field nobody sees.
            url = str(self._settings.get("base_url") or self._defaults["ollama"])
            allow = bool(self._settings.get("allow_remote"))
        body: dict[str, Any] = {
            "mode": "openai" if self.local else "builtin", "base_url": url,
            "model": self.model_combo.currentText().strip(), "allow_remote": allow,
            "timeout_s": float(self.timeout_spin.value()),
            "gguf_path": str(self._settings.get("gguf_path") or "")}
        key = self.key_edit.text().strip()
        if key:
            body["api_key"] = key
        elif self._forget_key:
            body["api_key"] = ""
        return body

    # ---- backend calls --------------------------------------------------------------
    def load(self) -> asyncio.Task | None:
        """Fetch the settings and fill the form (the form is disabled meanwhile)."""
        if self._client is None:
            return None
        return self._run(self._load())

    def test_connection(self) -> asyncio.Task | None:
        if self._client is None:
            return None
        return self._run(self._test())

    def save(self) -> asyncio.Task | None:
        if self._client is None:
            return None
        return self._run(self._save())

    @property
    def busy(self) -> bool:
        return self._busy is not None and not self._busy.done()

    def _run(self, coro) -> asyncio.Task | None:
        if self.busy:
            coro.close()
            return None
        self._busy = spawn(coro, on_error=self._failed)
        return self._busy

    def _failed(self, exc: BaseException) -> None:
        self._set_enabled(True)
        self.save_message.show_error(f"Something went wrong: {exc}")

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.builtin_radio, self.local_radio, self.local_box, self.save_button):
            widget.setEnabled(on)

    async def _load(self) -> None:
        self._set_enabled(False)
        self.active_label.setText("Loading…")
        try:
            settings = await self._client.interviewer_settings()
        except ApiError as e:
            self.active_label.setText("")
            self.save_message.show_error(f"Could not load the interviewer settings: {e}")
            return
        finally:
            self._set_enabled(True)
        self.fill(settings)
        self.loaded = True

    async def _test(self) -> None:
        url = self.url_edit.text().strip()
        self.test_button.setEnabled(False)
        self.url_message.clear_message()
        self.test_message.show_info("Connecting…")
        try:
            result = await self._client.test_interviewer_server(
                url, self.key_edit.text().strip() or None,
                is_remote_url(url) and self.remote_check.isChecked())
        except ApiError as e:
            self.test_message.show_error(readable(e, url))
            return
        finally:
            self.test_button.setEnabled(True)
        models = [str(m) for m in result.get("models") or []]
        current = self.model_combo.currentText().strip()
        self.model_combo.clear()
        self.model_combo.addItems(models)
        self.model_combo.setEditText(current if current else (models[0] if models else ""))
        if models:
            n = len(models)
            self.test_message.show_ok(f"Connected — {n} model{'s' if n != 1 else ''}")
            self.model_message.clear_message()
        else:
            self.test_message.show_warning("Connected, but the server lists no models: load "
                                           "one in Ollama or LM Studio, then test again.")
        if result.get("warning"):
            self.remote_warning.setText(str(result["warning"]))

    async def _save(self) -> None:
        body = self.form()
        self._clear_messages()
        self.save_button.setEnabled(False)
        try:
            settings = await self._client.save_interviewer_settings(body)
        except ApiError as e:
            target = {"url": self.url_message, "model": self.model_message,
                      "timeout": self.timeout_message}.get(error_row(e), self.save_message)
            if not self.local:
                target = self.save_message  # the fields are hidden (built-in chosen)
            target.show_error(readable(e, str(body["base_url"])))
            return
        finally:
            self.save_button.setEnabled(True)
        self.fill(settings)
        self.save_message.show_ok("Saved.")
        self.saved.emit(settings)
