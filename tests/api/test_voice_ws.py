"""Voice mode over the real WebSocket, with the real Whisper and Piper models.

The microphone is the one thing that cannot exist here: a Piper-spoken answer,
resampled to 16 kHz PCM16, is streamed in 100 ms frames exactly as the desktop
streams microphone audio.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from backend.voice.wer import word_error_rate

from tests.conftest import start_backend
from tests.data.documents import BACKEND_JD, SENIOR_RESUME
from tests.wsutil import next_event, open_ws, ready_session, send

def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


# A plain spoken answer: Whisper tiny.en mishears jargon ("kubelet" -> "cube bullet")
# and homophones ("cache" -> "cash") whatever the priming; tests/voice and bench/voice
# measure those separately.
SPOKEN_ANSWER = ("I would start by measuring where the time goes. Then I would add an index "
                 "on the customer column, because most queries filter by customer. Finally I "
                 "would run a load test on the change before shipping it to everyone.")


@pytest.fixture(scope="module")
def voice_backend(tmp_path_factory):
    backend = start_backend(tmp_path_factory.mktemp("voice-data"))
    yield backend
    backend.close()


def spoken_pcm16_16k(text: str) -> bytes:
    """Piper speaks the text; the result is resampled to what a microphone stream sends."""
    from backend.voice.audio import resample_pcm16
    from backend.voice.service import VoiceService

    async def speak() -> tuple[bytes, int]:
        service = VoiceService()
        chunks = [c async for c in service.speak(text)]
        service.close()
        return b"".join(c.pcm for c in chunks), chunks[0].sample_rate

    pcm, rate = asyncio.run(speak())
    return resample_pcm16(pcm, rate, 16_000)


def enable_voice(ws, **options) -> dict:
    send(ws, "voice_toggle", {"enabled": True, **options})
    status = next_event(ws, {"voice_status"})["data"]
    while status["stt"]["state"] == "loading" or status["tts"]["state"] == "loading":
        status = next_event(ws, {"voice_status"}, timeout=120)["data"]
    return status


def collect_speech(ws) -> tuple[list[dict], list[bytes]]:
    """The announced chunks and the binary frames of one utterance."""
    announced, frames = [], []
    while True:
        msg = ws.recv(timeout=60)
        if isinstance(msg, bytes):
            frames.append(msg)
            continue
        import json

        ev = json.loads(msg)
        if ev["type"] == "speech_chunk":
            announced.append(ev["data"])
        elif ev["type"] == "speech_end":
            return announced, frames


def test_questions_are_spoken_and_a_spoken_answer_is_transcribed_and_scored(voice_backend):
    sid = ready_session(voice_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(voice_backend, sid) as ws:
        next_event(ws, {"connected"})
        status = enable_voice(ws)
        assert status["enabled"] and status["stt"]["state"] == "ready" == status["tts"]["state"]
        send(ws, "start", {"max_questions": 1})
        question = next_event(ws, {"new_question"})["data"]["question"]
        # the intro is spoken first, then the question
        next_event(ws, {"speech_start"})
        collect_speech(ws)
        start = next_event(ws, {"speech_start"})["data"]
        assert start["kind"] == "question" and start["text"] == question
        announced, frames = collect_speech(ws)
        assert announced and len(frames) == len(announced)
        assert [len(f) for f in frames] == [a["bytes"] for a in announced]
        assert all(a["format"] == "pcm_s16le" and a["sample_rate"] == 22050 for a in announced)
        seconds = sum(len(f) for f in frames) / 2 / 22050
        assert 0.15 * len(words(question)) < seconds < 1.0 * len(words(question))

        spoken = SPOKEN_ANSWER
        pcm = spoken_pcm16_16k(spoken)
        send(ws, "audio_start", {"sample_rate": 16000, "format": "pcm_s16le"})
        next_event(ws, {"listening"})
        frame = 3200  # 100 ms of 16 kHz PCM16
        for i in range(0, len(pcm), frame):
            ws.send(pcm[i:i + frame])
        send(ws, "audio_end")
        final = next_event(ws, {"transcript"}, timeout=60)
        while not final["data"]["final"]:
            final = next_event(ws, {"transcript"}, timeout=60)
        text = final["data"]["text"]
        assert word_error_rate(spoken, text) <= 0.10, (spoken, text)
        assert final["data"]["delivery"]["wpm"] > 0
        update = next_event(ws, {"score_update"})["data"]
        assert update["current_scores"]["technical"] > 0
        assert update["delivery"]["wpm"] == final["data"]["delivery"]["wpm"]
        # "This isn't what I said": the candidate's words are graded again, the question's
        # score cannot go down, and the transcript keeps both.
        said = spoken.replace("load test", "load test and a canary release")
        send(ws, "correct_answer", {"question_number": 1, "followup_number": 0, "text": said})
        fixed = next_event(ws, {"answer_corrected"})["data"]
        assert fixed["heard"] == text and fixed["text"] == said
        for dim, value in update["current_scores"].items():
            assert fixed["question_scores"][dim] >= value
        send(ws, "correct_answer", {"question_number": 1, "followup_number": 0, "text": said})
        assert next_event(ws, {"error"})["data"]["code"] == 4409
    prompt = voice_backend.http.get(f"/session/{sid}/transcript").json()["turns"][0]["prompts"][0]
    assert prompt["answer"] == said and prompt["heard"] == text
    assert prompt["correction"]["current_scores"] == fixed["current_scores"]
    report_wait = voice_backend.http.get(f"/session/{sid}").json()
    assert report_wait["status"] == "in_progress"


def test_voice_messages_need_voice_mode_and_bad_audio_is_refused(voice_backend):
    sid = ready_session(voice_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(voice_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "audio_start")
        assert "voice_toggle" in next_event(ws, {"error"})["data"]["message"]
        send(ws, "voice_toggle", {"enabled": "yes"})
        next_event(ws, {"error"})
        enable_voice(ws)
        send(ws, "start", {"max_questions": 1})
        next_event(ws, {"new_question"})
        send(ws, "audio_start", {"sample_rate": 44100})
        assert "16000" in next_event(ws, {"error"})["data"]["message"]
        send(ws, "audio_start")
        next_event(ws, {"listening"})
        ws.send(b"\x00\x01\x02")  # odd byte count: not PCM16
        assert next_event(ws, {"error"})["data"]["code"] == 4422
        send(ws, "answer", {"text": "Typed instead: a cache trades freshness for latency."})
        assert next_event(ws, {"score_update"})["data"]["next"] in {"end", "followup"}


def test_missing_models_report_unavailable_and_text_still_works(tmp_path):
    from backend.api.app import create_app
    from backend.voice.models import VoiceModelPaths
    from backend.voice.service import VoiceService

    missing = VoiceModelPaths(whisper_dir=tmp_path / "no-whisper", piper_model=tmp_path / "no.onnx")
    backend = start_backend(tmp_path / "data",
                            app_factory=lambda s: create_app(s, voice=VoiceService(missing)))
    try:
        sid = ready_session(backend, SENIOR_RESUME, BACKEND_JD)
        with open_ws(backend, sid) as ws:
            next_event(ws, {"connected"})
            send(ws, "voice_toggle", {"enabled": True})
            status = next_event(ws, {"voice_status"})["data"]
            assert status["enabled"] is False
            assert status["stt"]["state"] == "unavailable" and "no-whisper" in status["stt"]["reason"]
            assert status["tts"]["state"] == "unavailable" and status["tts"]["reason"]
            send(ws, "start", {"max_questions": 1})
            next_event(ws, {"new_question"})
            send(ws, "answer", {"text": "A cache trades freshness for latency."})
            next_event(ws, {"score_update"})
    finally:
        backend.close()


# "kubelet" comes back from Whisper tiny.en as "cue bullet", its first word at probability
# ~0.2 (measured here), unless the question primes it.
UNSURE_ANSWER = ("I would measure the latency first. When the liveness probe fails, the kubelet "
                 "restarts the container, so I would check the probe before the code.")


def test_low_confidence_words_are_marked_for_review_and_reach_the_grader(voice_backend):
    sid = ready_session(voice_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(voice_backend, sid) as ws:
        next_event(ws, {"connected"})
        status = enable_voice(ws, review=True)
        assert status["review"] is True and status["accuracy"] == "standard"
        send(ws, "start", {"max_questions": 1})
        next_event(ws, {"new_question"})
        pcm = spoken_pcm16_16k(UNSURE_ANSWER)
        send(ws, "audio_start")
        next_event(ws, {"listening"})
        for i in range(0, len(pcm), 3200):
            ws.send(pcm[i:i + 3200])
        send(ws, "audio_end")
        final = next_event(ws, {"transcript"}, timeout=60)
        while not final["data"]["final"]:
            final = next_event(ws, {"transcript"}, timeout=60)
        data = final["data"]
        text, marked = data["text"], data["low_confidence"]
        assert data["review"] is True and marked, (text, marked)
        for m in marked:
            assert text[m["start_char"]:m["end_char"]] == m["word"]
            assert 0.0 <= m["probability"] < 0.5
        said = set(words(UNSURE_ANSWER))
        # A misheard word (not in what was said) is among the marked ones.
        assert any(w not in said for m in marked for w in words(m["word"])), (text, marked)
        # The candidate fixes the transcript and submits it; the grader gets the words.
        send(ws, "answer", {"text": UNSURE_ANSWER})
        update = next_event(ws, {"score_update"})["data"]
        assert update["delivery"]["low_confidence"] == [
            {"word": m["word"], "probability": m["probability"]} for m in marked]


def test_accuracy_must_be_standard_or_high(voice_backend):
    sid = ready_session(voice_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(voice_backend, sid) as ws:
        next_event(ws, {"connected"})
        send(ws, "voice_toggle", {"enabled": True, "accuracy": "best"})
        error = next_event(ws, {"error"})["data"]
        assert error["code"] == 4400 and '"standard" or "high"' in error["message"]


def test_hands_free_answers_count_down_in_a_pause_and_end_themselves(voice_backend):
    """auto_end_silence_s: a pause after speech starts a countdown the client can show;
    speaking again cancels it; the full pause ends the answer."""
    import time

    sid = ready_session(voice_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(voice_backend, sid) as ws:
        next_event(ws, {"connected"})
        status = enable_voice(ws, auto_end_silence_s=1.5, speech_wpm=150)
        assert status["auto_end_silence_s"] == 1.5 and status["speech_wpm"] == 150
        send(ws, "start", {"max_questions": 1})
        intro = next_event(ws, {"speech_start"})["data"]
        assert intro["kind"] == "intro" and intro["text"] == "Hello, and thanks for joining."
        # A sentence tiny.en hears reliably at any window offset ("A cache keeps hot rows" was
        # heard as "akash quitot-rose" under load in CI).
        pcm = spoken_pcm16_16k("The server keeps a copy in memory.")
        short_pause = b"\x00\x00" * int(0.9 * 16000)
        long_pause = b"\x00\x00" * int(3.0 * 16000)
        send(ws, "audio_start")
        next_event(ws, {"listening"})
        for part in (pcm, short_pause, pcm, long_pause):  # paced like a microphone
            for i in range(0, len(part), 3200):
                ws.send(part[i:i + 3200])
                time.sleep(0.1)
        seen = []
        while True:
            ev = next_event(ws, {"auto_end_countdown", "speech_ended"}, timeout=30)
            seen.append(ev)
            if ev["type"] == "speech_ended":
                break
        remaining = [e["data"]["remaining_s"] for e in seen if e["type"] == "auto_end_countdown"]
        assert None in remaining, f"speaking again cancels the countdown: {remaining}"
        last_run = remaining[remaining.index(None) + 1:]
        assert last_run and all(0 <= r < 1.5 for r in last_run), remaining
        assert last_run == sorted(last_run, reverse=True), "it counts down"
        final = next_event(ws, {"transcript"}, timeout=60)
        while not final["data"]["final"]:
            final = next_event(ws, {"transcript"}, timeout=60)
        # Both sentences heard: their words twice (tiny.en may mishear one word of one of them,
        # depending on where the streamed windows fall under load).
        heard = final["data"]["text"].lower()
        assert sum(heard.count(w) >= 2 for w in ("server", "copy", "memory")) >= 2, heard


def test_bad_speech_rates_are_refused(voice_backend):
    sid = ready_session(voice_backend, SENIOR_RESUME, BACKEND_JD)
    with open_ws(voice_backend, sid) as ws:
        next_event(ws, {"connected"})
        for bad in (90, 400, "fast", True):
            send(ws, "voice_toggle", {"enabled": True, "speech_wpm": bad})
            assert "speech_wpm" in next_event(ws, {"error"})["data"]["message"]


def test_the_microphone_test_transcribes_a_recording_and_says_how_loud_it_was(voice_backend):
    http = voice_backend.http
    status = http.post("/voice/warm-up").json()
    assert status["stt"]["state"] in ("loading", "ready")
    pcm = spoken_pcm16_16k("Testing my microphone, one two three.")
    raw = {"Content-Type": "application/octet-stream"}
    heard = http.post("/voice/transcribe", content=pcm, headers=raw).json()
    assert "microphone" in heard["text"].lower(), heard
    assert heard["duration_s"] == round(len(pcm) / 32000, 2)
    assert -30 < heard["rms_dbfs"] < 0 and heard["peak_dbfs"] <= 0
    silent = http.post("/voice/transcribe", content=bytes(32000), headers=raw).json()
    assert silent["text"] == "" and silent["rms_dbfs"] == -120.0
    odd = http.post("/voice/transcribe", content=b"\x01\x02\x03", headers=raw)
    assert (odd.status_code, odd.json()["code"]) == (422, "unusable_audio")
    empty = http.post("/voice/transcribe", content=b"", headers=raw)
    assert empty.status_code == 200 and empty.json()["text"] == ""  # nothing heard
    assert empty.json()["rms_dbfs"] == -120.0
    assert http.post("/voice/transcribe", content=bytes(31 * 32000),
                     headers=raw).status_code == 413
    # raw bytes are taken on this operation only, and only as octet-stream
    assert http.post("/voice/transcribe", content=pcm[:3200],
                     headers={"Content-Type": "audio/wav"}).status_code == 415
    assert http.post("/voice/warm-up", content=b"\x01", headers=raw).status_code == 415
