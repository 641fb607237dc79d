"""/openapi.json tells the truth: each operation's statuses with examples in the error model,
the token as a security scheme, and the constraints the backend checks, with the same
meaning as its checks (`make fuzz-api` then checks the live answers against it)."""

from __future__ import annotations

import re

import httpx
from hypothesis import given, settings, strategies as st

from backend.api.error_docs import EXAMPLES
from backend.api.errors import ErrorCode
from backend.api.routes.upload import _WORDS, JOB_DESCRIPTION_WORDS
from backend.protocol.rest import (HTTP_URL_PATTERN, LOOPBACK_URL_PATTERN, NON_SPACE, SPACE)
from backend.config import MAX_JOB_DESCRIPTION_CHARS, MAX_RESUME_BYTES
from backend.interviewer.llm.config import CONFIG_ERROR_CODES, check_base_url

METHODS = {"get", "put", "post", "delete", "patch"}


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def schema_of(doc: dict, ref_or_schema: dict) -> dict:
    ref = ref_or_schema.get("$ref")
    return doc["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else ref_or_schema


def test_openapi_and_docs_stay_open_and_the_rest_declares_the_token(live_backend):
    r = httpx.get(f"{live_backend.base}/openapi.json")  # no token: it holds no data
    assert r.status_code == 200
    assert httpx.get(f"{live_backend.base}/docs").status_code == 200
    doc = r.json()
    assert doc["components"]["securitySchemes"]["launchToken"] == doc["components"][
        "securitySchemes"]["launchToken"] | {"type": "http", "scheme": "bearer"}
    for path, method, op in operations(doc):
        if path == "/health":
            assert op["security"] == [] and "401" not in op["responses"]
        else:
            assert op["security"] == [{"launchToken": []}], (method, path)
            assert "WWW-Authenticate" in op["responses"]["401"]["headers"]


def test_every_error_status_is_documented_with_examples_in_the_error_model(live_backend):
    doc = live_backend.http.get("/openapi.json").json()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    codes = set(doc["components"]["schemas"]["ErrorCode"]["enum"])
    assert codes == {c.value for c in ErrorCode}
    seen = set()
    for path, method, op in operations(doc):
        responses = op["responses"]
        assert "421" in responses and "500" in responses, (method, path)
        for status, response in responses.items():
            if status.startswith("2"):
                continue
            content = response["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}, (path, status)
            assert content["examples"], (method, path, status)
            for name, example in content["examples"].items():
                value = example["value"]
                assert value["code"] == name and name in codes
                assert EXAMPLES[ErrorCode(name)][0] == int(status), (path, status, name)
                assert isinstance(value["detail"], str) and value["detail"]
                seen.add(name)
    # the codes a client can meet over REST are all documented somewhere
    assert seen >= {c.value for c in ErrorCode} - {
        "invalid_setting", "invalid_mode", "invalid_timeout",  # the schema's 422 comes first
        "method_not_allowed", "request_error"}  # not an operation's: a path's, any path's


def test_every_success_has_an_example_that_matches_its_schema(live_backend):
    import jsonschema_rs  # schemathesis' validator (a test dependency)

    doc = live_backend.http.get("/openapi.json").json()
    for path, method, op in operations(doc):
        content = op["responses"]["200"]["content"]
        if "application/json" not in content:  # a file (a recording): its media types
            assert all(kind.startswith("audio/") for kind in content), (method, path)
            continue
        content = content["application/json"]
        assert "example" in content, (method, path)
        schema = {"components": doc["components"], **content["schema"]}
        errors = [e.message for e in
                  jsonschema_rs.Draft202012Validator(schema).iter_errors(content["example"])]
        assert not errors, (method, path, errors)


def test_statuses_of_some_operations(live_backend):
    doc = live_backend.http.get("/openapi.json").json()

    def statuses(method: str, path: str) -> set[str]:
        return set(doc["paths"][path][method]["responses"])

    assert statuses("get", "/interview/report/{session_id}") == {
        "200", "401", "404", "409", "421", "500"}
    assert statuses("delete", "/session/{session_id}") == {
        "200", "401", "404", "415", "421", "500", "507"}
    assert statuses("post", "/upload/resume") == {
        "200", "400", "401", "404", "409", "413", "415", "421", "422", "500", "507"}
    assert statuses("put", "/settings/interviewer") == {
        "200", "400", "401", "409", "413", "415", "421", "422", "500", "507"}
    assert "502" in statuses("post", "/settings/interviewer/test")
    assert statuses("get", "/health") == {"200", "421", "500"}


def test_the_schema_states_the_constraints(live_backend):
    doc = live_backend.http.get("/openapi.json").json()
    # session ids: format uuid wherever they are
    for path, method, op in operations(doc):
        for p in op.get("parameters", []):
            if p["name"] == "session_id":
                assert p["schema"]["format"] == "uuid", (method, path)
    for path in ("/upload/resume", "/upload/jd"):
        body = doc["paths"][path]["post"]["requestBody"]["content"]
        form = schema_of(doc, next(iter(body.values()))["schema"])
        assert form["properties"]["session_id"]["format"] == "uuid"
    # the upload: media types, 10 MB, not empty
    content = doc["paths"]["/upload/resume"]["post"]["requestBody"]["content"]
    encoding = content["multipart/form-data"]["encoding"]["file"]["contentType"]
    assert {t.strip() for t in encoding.split(",")} == {
        "application/pdf", "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    file = schema_of(doc, content["multipart/form-data"]["schema"])["properties"]["file"]
    assert file["minLength"] == 1 and "10 MB" in file["description"]
    assert str(MAX_RESUME_BYTES) in file["description"]
    # the job description: three words, 50,000 characters
    jd = doc["paths"]["/upload/jd"]["post"]["requestBody"]["content"]
    jd = schema_of(doc, next(iter(jd.values()))["schema"])["properties"]["job_description"]
    assert jd["pattern"] == JOB_DESCRIPTION_WORDS
    assert jd["maxLength"] == MAX_JOB_DESCRIPTION_CHARS
    # the interviewer settings: one schema per mode; openai needs a model or a GGUF file
    put = doc["paths"]["/settings/interviewer"]["put"]["requestBody"]["content"]
    union = put["application/json"]["schema"]
    assert union["discriminator"]["propertyName"] == "mode"
    variants = {schema_of(doc, v)["properties"]["mode"]["const"]: schema_of(doc, v)
                for v in union["oneOf"]}
    assert set(variants) == {"builtin", "openai"}
    assert [a["required"] for a in variants["openai"]["anyOf"]] == [["model"], ["gguf_path"]]
    assert "anyOf" not in variants["builtin"]
    for variant in variants.values():
        assert variant["required"] == ["mode"]
        assert variant["properties"]["timeout_s"]["minimum"] == 1
        assert variant["properties"]["timeout_s"]["maximum"] == 600
        assert variant["else"]["properties"]["base_url"]["pattern"] == LOOPBACK_URL_PATTERN
    assert schema_of(doc, {"$ref": "#/components/schemas/OptInBody"})[
        "additionalProperties"] is False


def test_config_error_codes_are_error_codes():
    assert set(CONFIG_ERROR_CODES) <= {c.value for c in ErrorCode}


# ---- the patterns mean what the checks mean -------------------------------------------------

def test_space_is_what_python_strips():
    every = (chr(c) for c in range(0x3100))
    assert all((re.fullmatch(SPACE, c) is not None) == c.isspace() for c in every)


_WORDY = st.text(alphabet=st.sampled_from(" \t\n\x1c\x85\xa0\u3000\ufeffab."), max_size=12)


@settings(max_examples=400, deadline=None)
@given(_WORDY)
def test_the_job_description_pattern_is_the_three_words_check(text):
    assert (_WORDS.search(text) is not None) == (len(text.split()) >= 3)
    assert (re.search(NON_SPACE, text) is not None) == bool(text.strip())


@settings(max_examples=300, deadline=None)
@given(st.from_regex(LOOPBACK_URL_PATTERN))
def test_what_the_loopback_pattern_admits_the_backend_accepts(url):
    check_base_url(url, allow_remote=False)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(HTTP_URL_PATTERN))
def test_what_the_remote_pattern_admits_the_backend_accepts_with_allow_remote(url):
    check_base_url(url, allow_remote=True)
