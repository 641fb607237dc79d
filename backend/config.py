"""Backend settings: built once at start-up and passed down, never read from globals."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from backend.paths import default_data_dir  # noqa: F401 (re-exported)

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

# The interview's defaults, in one place: Settings, the engine's Limits, a new
# InterviewState and the desktop's setup page all start from these.
DEFAULT_DURATION_MINUTES = 35
MAX_DURATION_MINUTES = 180
DEFAULT_MAX_QUESTIONS = 8
DEFAULT_MAX_FOLLOWUPS = 2

# The seed document's CORS list, exactly.
ALLOWED_ORIGINS: tuple[str, ...] = (
    "http://localhost:5173",
    "http://localhost:5174",
    "http://localhost:3000",
    "http://127.0.0.1:5173",
    "http://127.0.0.1:5174",
    "http://127.0.0.1:3000",
)

MAX_RESUME_BYTES = 10 * 1024 * 1024
MAX_ANSWER_CHARS = 20_000
MAX_JOB_DESCRIPTION_CHARS = 50_000


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 with or without brackets) is this
    machine. The one loopback check: binding, the LLM server URL and the desktop use it."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    allow_remote: bool = False
    default_duration_minutes: int = DEFAULT_DURATION_MINUTES
    max_questions: int = DEFAULT_MAX_QUESTIONS
    max_followups: int = DEFAULT_MAX_FOLLOWUPS
    tick_seconds: float = 30.0
    voice_models_dir: Path | None = None  # overrides the bundled model packages
    # Each resume file is read by a child process, killed at these limits
    # (backend/documents/isolated.py).
    parse_time_limit_s: float = 30.0
    parse_memory_limit_mb: int = 1024

    @property
    def database_path(self) -> Path:
        return self.data_dir / "rehearse.db"

    def allowed_hosts(self) -> set[str]:
        hosts = set(LOOPBACK_HOSTS)
        if self.allow_remote:
            hosts.add(self.host)
        return hosts
