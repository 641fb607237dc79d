"""Spoken answers kept with their session (issue 18): an interview's voice answer and a
spoken retry are stored compressed, played back, and deleted with the session. Real Whisper
and Piper; the microphone is Piper's voice streamed in 100 ms frames."""

from __future__ import annotations

import pytest

from tests.api.test_voice_ws import enable_voice, spoken_pcm16_16k
from tests.conftest import start_backend
from tests.data.documents import BACKEND_JD, SENIOR_RESUME
from tests.wsutil import next_event, open_ws, ready_session, send

ANSWER = ("I would add an index on the customer column, because most queries filter by "
          "customer, and I would check the query plan before and after the change.")
RETRY = ("An index is a sorted structure, usually a B-tree, so the database avoids a full "
         "table scan. Every index slows down writes and takes disk space.")


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    b = start_backend(tmp_path_factory.mktemp("recordings-data"))
    yield b
    b.close()


def speak_answer(ws, pcm: bytes) -> dict:
    send(ws, "audio_start", {"sample_rate": 16000, "format": "pcm_s16le"})
    next_event(ws, {"listening"})
    for i in range(0, len(pcm), 3200):
        ws.send(pcm[i:i + 3200])
    send(ws, "audio_end")
    return next_event(ws, {"score_update"}, timeout=120)["data"]


def test_spoken_answers_are_kept_played_back_and_deleted_with_their_session(backend):
    sid = ready_session(backend, SENIOR_RESUME, BACKEND_JD)
    answer_pcm = spoken_pcm16_16k(ANSWER)
    with open_ws(backend, sid) as ws:
        next_event(ws, {"connected"})
        enable_voice(ws)
        send(ws, "start", {"max_questions": 1})
        next_event(ws, {"new_question"})
        update = speak_answer(ws, answer_pcm)
        while update["next"] == "followup":
            next_event(ws, {"followup"})
            send(ws, "answer", {"text": "I am not sure."})
            update = next_event(ws, {"score_update"})["data"]
        send(ws, "ready")
        next_event(ws, {"feedback"}, timeout=120)

    listed = backend.http.get(f"/session/{sid}/retries").json()["recordings"]
    assert [(r["question_number"], r["followup_number"], r["attempt"]) for r in listed] == \
        [(1, 0, 0)]
    original = listed[0]
    assert original["codec"] == "opus" and original["bytes"] * 5 < len(answer_pcm)
    assert original["duration_s"] == pytest.approx(len(answer_pcm) / 32000, abs=0.05)
    ogg = backend.http.get(f"/recordings/{original['recording_id']}")
    assert ogg.status_code == 200 and ogg.headers["content-type"] == "audio/ogg"
    assert ogg.content[:4] == b"OggS"
    pcm = backend.http.get(f"/recordings/{original['recording_id']}", params={"format": "pcm"})
    assert abs(len(pcm.content) - len(answer_pcm)) < 4000

    retry_pcm = spoken_pcm16_16k(RETRY)
    r = backend.http.post(f"/session/{sid}/retries/audio", params={"question_number": 1},
                          content=retry_pcm,
                          headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 200, r.text
    out = r.json()
    retry = out["retry"]
    assert "index" in retry["answer"].lower() and retry["delivery"]["wpm"] > 0
    assert out["before"]["delivery"]["wpm"] > 0, "both delivery summaries"
    assert out["before"]["recording_ids"] == [original["recording_id"]]
    assert retry["recording_id"] not in (None, original["recording_id"])

    folder = backend.data_dir / "recordings" / sid
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["q1-a1.ogg", "q1-f0-a0.ogg"]
    assert backend.http.delete(f"/session/{sid}").status_code == 200
    assert not folder.exists()
    assert backend.http.get(f"/recordings/{original['recording_id']}").status_code == 404


def test_keep_none_stores_nothing_and_bad_audio_is_refused(backend):
    backend.http.put("/settings/practice", json={"keep_recordings": False})
    try:
        p = backend.http.post("/practice/sessions", json={"topic": "databases",
                                                          "questions": 1}).json()
        pid = p["practice_id"]
        r = backend.http.post(f"/practice/sessions/{pid}/answer/audio", content=b"\x00\x01\x02",
                              headers={"Content-Type": "application/octet-stream"})
        assert r.status_code == 422 and "even" in r.json()["detail"]
        r = backend.http.post(f"/practice/sessions/{pid}/answer/audio", content=b"{}",
                              headers={"Content-Type": "application/json"})
        assert r.status_code == 415
        r = backend.http.post(f"/practice/sessions/{pid}/answer/audio",
                              content=spoken_pcm16_16k(RETRY),
                              headers={"Content-Type": "application/octet-stream"})
        assert r.status_code == 200, r.text
        attempt = r.json()["item"]["attempts"][0]
        assert attempt["recording_id"] is None and attempt["delivery"]["wpm"] > 0
        assert not (backend.data_dir / "recordings" / pid).exists()
    finally:
        backend.http.put("/settings/practice", json={"keep_recordings": True})
