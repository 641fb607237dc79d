"""The in-process llama.cpp server is Rehearse's alone: loopback only, a random API key
that only Rehearse's client gets, Host checked, no CORS, no path on disk in its answers.
Against the real tiny SmolLM2 model."""

from __future__ import annotations

import os
import socket
import stat

import httpx
import pytest

from backend.interviewer.llm.client import OpenAIClient
from backend.interviewer.llm.config import ConfigError
from backend.interviewer.llm.local_server import MODEL_ALIAS, LocalModelServer
from tests.conftest import start_backend

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def served(smollm2):
    server = LocalModelServer(smollm2, threads=1, n_ctx=512)
    server.start()
    yield server
    server.stop()


def get(served, path: str, **headers: str) -> httpx.Response:
    base = served.base_url.removesuffix("/v1")
    return httpx.get(base + path, headers=headers, timeout=30)


def auth(served) -> dict[str, str]:
    return {"Authorization": f"Bearer {served.api_key}"}


def test_it_listens_on_loopback_only(served):
    assert served.base_url.startswith("http://127.0.0.1:")
    address = served._server.listening_address
    if os.name == "posix":  # llama.cpp itself has no TCP port: a Unix socket, private
        assert address.startswith("unix://")
        folder = os.path.dirname(address.removeprefix("unix://"))
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    else:
        assert address.startswith("http://127.0.0.1:")
    port = int(served.base_url.split(":")[2].split("/")[0])
    for family, host in ((socket.AF_INET, _lan_address()),):  # not reachable off loopback
        if host is None:
            continue
        with socket.socket(family, socket.SOCK_STREAM) as s, pytest.raises(OSError):
            s.settimeout(2)
            s.connect((host, port))


def _lan_address() -> str | None:
    """This machine's address on its network, if it has one besides loopback."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent for a UDP connect
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_every_endpoint_but_health_wants_the_random_key(served):
    assert len(served.api_key) >= 32
    for path in ("/v1/models", "/props", "/v1/chat/completions", "/metrics"):
        assert get(served, path).status_code == 401, path
        assert get(served, path, Authorization="Bearer wrong").status_code == 401, path
    assert get(served, "/v1/models", **auth(served)).status_code == 200
    again = LocalModelServer(served.gguf_path)  # each start makes a new key
    assert again.api_key == "" and not again.running


def test_a_foreign_host_is_refused(served):
    port = served.base_url.split(":")[2].split("/")[0]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.nip.io:" + port):
        r = get(served, "/v1/models", Host=host, **auth(served))
        assert r.status_code == 421, (host, r.status_code)
    assert get(served, "/v1/models", Host=f"localhost:{port}", **auth(served)).status_code == 200


def test_no_web_page_gets_an_answer(served):
    r = get(served, "/v1/models", Origin="http://evil.example", **auth(served))
    assert r.status_code == 403
    assert not r.headers.get("access-control-allow-origin")
    pre = httpx.options(served.base_url + "/chat/completions", timeout=30, headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert pre.status_code == 403 and not pre.headers.get("access-control-allow-origin")
    ok = get(served, "/v1/models", **auth(served))
    assert not ok.headers.get("access-control-allow-origin")  # present but empty at most


def test_no_path_on_disk_no_slots_no_web_ui(served):
    models = get(served, "/v1/models", **auth(served))
    assert str(served.gguf_path) not in models.text and served.gguf_path.name not in models.text
    assert OpenAIClient(served.base_url, served.api_key).list_models() == [MODEL_ALIAS]
    assert get(served, "/slots", **auth(served)).status_code != 200
    assert get(served, "/", **auth(served)).status_code == 404


def test_a_file_that_is_not_gguf_is_a_clear_error(tmp_path):
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"not a model at all")
    with pytest.raises(ConfigError, match="not a GGUF model file"):
        LocalModelServer(fake).start()
    b = start_backend(tmp_path / "data")
    try:
        r = b.http.put("/settings/interviewer", json={"mode": "openai", "gguf_path": str(fake)})
        assert r.status_code == 400 and "not a GGUF model file" in r.json()["detail"]
        assert (r.json()["code"], r.json()["field"]) == ("invalid_model_file", "gguf_path")
    finally:
        b.close()


def test_only_rehearse_client_gets_the_key(tmp_path, smollm2):
    b = start_backend(tmp_path / "data")
    try:
        r = b.http.put("/settings/interviewer", json={"mode": "openai", "gguf_path": str(smollm2),
                                                      "timeout_s": 45})
        assert r.status_code == 200, r.text
        settings = r.json()
        router = b.server._server.config.app.state.services.interviewer
        key = router._local.api_key
        assert key and key not in r.text and key not in b.http.get("/settings/interviewer").text
        assert settings["has_api_key"] is False  # the user's stored key is untouched
        assert router.active.client.list_models() == [MODEL_ALIAS]  # the interviewer has it
        assert httpx.get(settings["local_server"] + "/models", timeout=30).status_code == 401
    finally:
        b.close()
