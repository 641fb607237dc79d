"""GET/PUT /settings/interviewer and POST /settings/interviewer/test on a live backend."""

from __future__ import annotations

from tests.conftest import start_backend


def put(backend, **body):
    return backend.http.put("/settings/interviewer", json=body)


def test_defaults_choice_persistence_and_the_key_is_never_echoed(tmp_path, fake_llm):
    fake, server = fake_llm
    backend = start_backend(tmp_path / "data")
    try:
        got = backend.http.get("/settings/interviewer").json()
        assert got["mode"] == "builtin" and got["active"] == "builtin"
        assert got["base_url"] == "http://127.0.0.1:11434/v1"
        assert got["defaults"]["lm_studio"] == "http://127.0.0.1:1234/v1"
        assert "api_key" not in got and got["has_api_key"] is False

        r = put(backend, mode="openai", base_url=server.base_url + "/", model="fake-model",
                api_key="sk-very-secret", timeout_s=12)
        assert r.status_code == 200, r.text
        assert "sk-very-secret" not in r.text and r.json()["has_api_key"] is True
        assert r.json()["active"] == "llm" and r.json()["base_url"] == server.base_url
        r = put(backend, mode="openai", base_url=server.base_url, model="other-model")
        assert r.json()["has_api_key"] is True, "a PUT without api_key keeps the stored key"
    finally:
        backend.close()
    backend = start_backend(tmp_path / "data")
    try:
        got = backend.http.get("/settings/interviewer")
        assert "sk-very-secret" not in got.text
        got = got.json()
        assert (got["mode"], got["active"], got["model"]) == ("openai", "llm", "other-model")
        assert got["timeout_s"] == 30  # the second PUT did not send it: back to the default
        assert put(backend, mode="builtin", api_key="").json()["has_api_key"] is False
        assert backend.http.get("/settings/interviewer").json()["active"] == "builtin"
    finally:
        backend.close()


def test_a_remote_server_needs_explicit_permission_and_says_what_leaves(live_backend):
    r = put(live_backend, mode="openai", base_url="https://llm.example.com/v1", model="m")
    assert r.status_code == 400
    assert "leave this machine" in r.json()["detail"] and "allow_remote" in r.json()["detail"]
    r = put(live_backend, mode="openai", base_url="https://llm.example.com/v1", model="m",
            allow_remote=True)
    assert r.status_code == 200
    assert r.json()["remote"] is True and "leave this machine" in r.json()["warning"]
    r = live_backend.http.post("/settings/interviewer/test",
                               json={"base_url": "http://10.1.2.3:11434/v1"})
    assert r.status_code == 400
    put(live_backend, mode="builtin")


def test_bad_settings_are_refused_with_a_reason(live_backend):
    assert put(live_backend, mode="openai", base_url="ftp://127.0.0.1/v1", model="m").status_code == 400
    r = put(live_backend, mode="openai", base_url="http://127.0.0.1:11434/v1", model=" ")
    assert r.status_code == 400 and "model" in r.json()["detail"]
    assert put(live_backend, mode="cloud").status_code == 422
    r = put(live_backend, mode="openai", gguf_path="/nonexistent/model.gguf")
    assert r.status_code == 400 and "GGUF" in r.json()["detail"]
    assert live_backend.http.get("/settings/interviewer").json()["mode"] == "builtin"


def test_the_connection_test_lists_models_or_says_why_not(live_backend, fake_llm):
    fake, server = fake_llm
    r = live_backend.http.post("/settings/interviewer/test", json={"base_url": server.base_url})
    assert r.status_code == 200, r.text
    assert r.json()["models"] == ["fake-model", "other-model"] and r.json()["remote"] is False
    server.stop()
    r = live_backend.http.post("/settings/interviewer/test", json={"base_url": server.base_url})
    assert r.status_code == 502
    assert "Could not list the models" in r.json()["detail"] and "running" in r.json()["detail"]
