"""Which interviewer runs, and how to reach an OpenAI-compatible server for the LLM one.

The configuration is stored in the backend's SQLite ``settings`` table under
``SETTINGS_KEY``. The API key is stored there too (on the candidate's own disk)
but is never returned by :meth:`LLMConfig.public`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal, Protocol, get_args
from urllib.parse import urlsplit

from backend.config import is_loopback_host

Mode = Literal["builtin", "openai"]

SETTINGS_KEY = "interviewer"
OLLAMA_URL = "http://127.0.0.1:11434/v1"
LM_STUDIO_URL = "http://127.0.0.1:1234/v1"
DEFAULT_BASE_URL = OLLAMA_URL
DEFAULT_TIMEOUT_S = 30.0


# What is wrong, by a stable name the REST API sends as its error `code`.
ConfigErrorCode = Literal["invalid_setting", "invalid_mode", "invalid_url", "remote_not_allowed",
                          "model_required", "invalid_timeout", "model_file_not_found",
                          "invalid_model_file", "llm_extra_missing"]
CONFIG_ERROR_CODES: tuple[str, ...] = get_args(ConfigErrorCode)


class ConfigError(ValueError):
    """A setting that cannot be used; the message says what to change, `code` what is wrong
    and `field` which setting (as named in PUT /settings/interviewer)."""

    def __init__(self, message: str, code: ConfigErrorCode = "invalid_setting",
                 field: str | None = None):
        super().__init__(message)
        self.code: ConfigErrorCode = code
        self.field = field


def url_host(base_url: str) -> str:
    try:
        return urlsplit(base_url).hostname or ""
    except ValueError:  # e.g. an unclosed '[' of an IPv6 address
        return ""


def remote_warning(base_url: str) -> str:
    return (f"{url_host(base_url)} is not this computer: your resume, the job description and "
            "your answers will leave this machine and be sent to that server.")


def check_base_url(base_url: str, allow_remote: bool) -> str:
    """The URL without a trailing slash, or ConfigError if it is unusable or remote
    without permission."""
    url = (base_url or "").strip().rstrip("/")
    hostname = url_host(url)
    if not hostname or urlsplit(url).scheme not in ("http", "https"):
        raise ConfigError(f"'{base_url[:100]}' is not an http(s) URL; for Ollama use "
                          f"{OLLAMA_URL}, for LM Studio {LM_STUDIO_URL}.", "invalid_url",
                          "base_url")
    if not is_loopback_host(hostname) and not allow_remote:
        raise ConfigError(f"{remote_warning(url)} Set allow_remote to true to allow this, or "
                          "use a server on 127.0.0.1.", "remote_not_allowed", "base_url")
    return url


@dataclass(frozen=True)
class LLMConfig:
    mode: Mode = "builtin"
    base_url: str = DEFAULT_BASE_URL
    model: str = ""
    api_key: str = ""
    allow_remote: bool = False
    timeout_s: float = DEFAULT_TIMEOUT_S  # per interviewer step, retry included
    temperature: float = 0.2
    max_tokens: int = 600  # per completion; strings in the schemas are bounded to fit
    context_chars: int = 1500  # resume and job description excerpts sent with a question
    cooldown_s: float = 60.0  # after the server is unreachable or slow, skip it this long
    gguf_path: str = ""  # when set (mode "openai"), serve this file in-process instead

    @property
    def remote(self) -> bool:
        return not is_loopback_host(url_host(self.base_url))

    def validated(self) -> LLMConfig:
        """A copy with a normalised URL; ConfigError if it cannot be used."""
        if self.mode not in ("builtin", "openai"):
            raise ConfigError(f"mode must be 'builtin' or 'openai', not {self.mode!r}.",
                              "invalid_mode", "mode")
        url = check_base_url(self.base_url, self.allow_remote)
        if self.gguf_path.strip():
            return replace(self, base_url=url, gguf_path=self.gguf_path.strip(),
                           model=self.model.strip() or self.gguf_path.strip())
        if self.mode == "openai" and not self.model.strip():
            raise ConfigError("Choose a model: POST /settings/interviewer/test lists the "
                              "server's models.", "model_required", "model")
        if not 1 <= self.timeout_s <= 600:
            raise ConfigError("timeout_s must be between 1 and 600 seconds.", "invalid_timeout",
                              "timeout_s")
        return replace(self, base_url=url, model=self.model.strip())

    def public(self) -> dict[str, Any]:
        """What GET /settings/interviewer shows: everything but the API key."""
        d = {k: v for k, v in asdict(self).items() if k != "api_key"}
        d["has_api_key"] = bool(self.api_key)
        d["remote"] = self.remote
        d["warning"] = remote_warning(self.base_url) if self.remote else None
        return d

    def stored(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_stored(cls, d: dict[str, Any] | None) -> LLMConfig:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (d or {}).items() if k in names})


class SettingsReader(Protocol):
    """Where the configuration is stored (the backend's ``Store``)."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...


def load_config(store: SettingsReader) -> LLMConfig:
    """The stored interviewer settings, or the built-in default if there are none or they
    no longer validate (e.g. a GGUF file was moved)."""
    stored = LLMConfig.from_stored(store.get_setting(SETTINGS_KEY))
    try:
        return stored.validated()
    except ConfigError:
        return LLMConfig()
