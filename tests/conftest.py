"""Shared fixtures: a real backend (uvicorn on a free port, real SQLite) per test module."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from backend.config import Settings  # noqa: E402
from backend.server import EmbeddedServer  # noqa: E402
from tests.llm.fake_server import FakeLLM, FakeServer  # noqa: E402


class LiveBackend:
    """A running backend and an authorised HTTP client for it."""

    def __init__(self, server: EmbeddedServer, data_dir: Path):
        self.server = server
        self.data_dir = data_dir
        self.token = server.token
        self.base = server.base_url
        self.ws_base = server.ws_url
        self.http = httpx.Client(base_url=self.base, timeout=60,
                                 headers={"Authorization": f"Bearer {self.token}"})

    def close(self) -> None:
        self.http.close()
        self.server.stop()


def start_backend(data_dir: Path, app_factory=None, **kwargs) -> LiveBackend:
    settings = Settings(data_dir=data_dir, port=0, token=uuid.uuid4().hex, **kwargs)
    return LiveBackend(EmbeddedServer(settings, app_factory).start(), data_dir)


@pytest.fixture(scope="module")
def live_backend(tmp_path_factory) -> Iterator[LiveBackend]:
    backend = start_backend(tmp_path_factory.mktemp("data"))
    yield backend
    backend.close()


@pytest.fixture
def fake_llm(tmp_path) -> Iterator[tuple[FakeLLM, FakeServer]]:
    """A scripted OpenAI-compatible model server on a free port (tests/llm, tests/desktop)."""
    fake = FakeLLM()
    server = FakeServer(fake, tmp_path / "fake")
    yield fake, server
    server.stop()
