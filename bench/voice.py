"""Voice benchmark: every figure beside its baseline, measured in the same run.

    .venv/bin/python bench/voice.py [--pace 1.0] [--long-pace 2.0] [--json out.json]

1. Question time-to-first-audio: synthesise-the-whole-question-first (baseline) vs
   sentence streaming vs sentence streaming after ``prepare()`` (pre-synthesis).
2. End of speech -> final transcript for 15, 60 and 120 s answers: streaming
   transcriber fed 100 ms frames at ``--pace`` x real time vs transcribing the whole
   recording after it ends. The recording ends with 0.8 s of silence (the beat before
   a candidate clicks "done"); both "from finish()" and "from end of speech" are shown.
3. WER with and without priming on 6 spoken technical answers (Piper, and an
   espeak-ng voice when ``espeak-ng`` is installed; skipped otherwise).
4. Peak RSS of this bench process with both models loaded (it also holds two minutes of
   audio and the whole-recording baselines), and the machine's load average. The whole
   app's peak, the issue's 750 MB goal, is measured by bench/app_memory.py.
Runs in about 4-5 minutes on a quiet 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.voice.audio import pcm16_to_float32, resample_pcm16  # noqa: E402
from backend.voice.service import VoiceService  # noqa: E402
from backend.voice.stt import glossary_from_terms, transcribe_array  # noqa: E402
from backend.voice.tts import synthesize_sentences  # noqa: E402
from backend.voice.wer import word_error_rate  # noqa: E402

QUESTIONS = [
    "Let's talk about caching. How would you put Redis in front of PostgreSQL, and how do you keep the two consistent?",
    "Tell me about a production incident you handled. What was the impact, and what did you change afterwards?",
    "Suppose our payment API receives duplicate requests. How would you make the endpoint idempotent? "
    "Walk me through the data model.",
    "You mentioned Kubernetes on your resume. How do you roll out a change safely, and how do you roll it back?",
    "How would you design rate limiting for a public API? Think about bursts, fairness and multiple regions.",
]

ANSWERS: list[tuple[str, list[str]]] = [
    ("I would put Redis in front of PostgreSQL as a cache for the product pages. "
     "Writes go to the database first, and then we delete the cached key.",
     ["Redis", "PostgreSQL", "cache", "database"]),
    ("Every payment request carries an idempotency key. The handler stores the key with the result, "
     "so a retry returns the same response instead of charging twice.",
     ["idempotency", "payment", "retry", "handler"]),
    ("We run the services on Kubernetes with rolling deployments. "
     "Readiness probes keep traffic away from pods that are still starting.",
     ["Kubernetes", "deployments", "readiness probes", "pods"]),
    ("For the event pipeline we used Kafka with one partition per customer. "
     "Consumers commit offsets only after the write to the warehouse succeeds.",
     ["Kafka", "partition", "consumers", "offsets", "warehouse"]),
    ("Authentication uses OAuth with short lived access tokens. "
     "The refresh token is rotated on every use and stored in an encrypted cookie.",
     ["OAuth", "access tokens", "refresh token", "cookie"]),
    ("To find the slow query I looked at the Grafana dashboards and the PostgreSQL logs. "
     "An index on the customer column cut the latency from two seconds to forty milliseconds.",
     ["Grafana", "PostgreSQL", "index", "latency", "query"]),
]

# Several paragraphs of a long answer, spoken by Piper to build 15/60/120 s recordings.
LONG_ANSWER = " ".join(a for a, _ in ANSWERS) + " " + (
    "Looking back, the biggest lesson was to measure before changing anything. "
    "We added tracing to every service so that a slow request showed us exactly which hop was slow. "
    "Then we set service level objectives with the product team, so we knew which alerts really mattered. "
    "The on call rotation became calmer, because pages only fired when customers were affected. "
    "We also wrote runbooks for the common failures, and new engineers could handle them in their first month. "
    "If I did it again, I would invest in load testing earlier, before the launch rather than after it. "
    "I would also keep the schema changes backwards compatible, so that deploys and migrations never block each other. "
    "Finally, I would write down the trade offs we made, because people forget why a decision was taken. "
    "On the team side, I paired with a junior engineer every week, and we reviewed each other's designs. "
    "That habit caught several problems early, such as a missing index and a retry loop without a limit. "
    "It also meant that knowledge did not sit with one person, which mattered when I went on holiday. "
    "Overall, I think reliability is mostly a habit, and the tools only help when the team cares about it."
)
LONG_TERMS = sorted({t for _, terms in ANSWERS for t in terms} | {"tracing", "runbooks", "schema"})


def load_average() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def time_to_first_audio(voice: VoiceService, piper) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"whole_question_first": [], "sentence_streaming": [], "prepared": []}
    for question in QUESTIONS:
        t = time.perf_counter()
        await asyncio.to_thread(lambda q=question: list(synthesize_sentences(piper, q)))
        out["whole_question_first"].append(time.perf_counter() - t)

        t = time.perf_counter()
        async for _chunk in voice.speak(question + " "):  # a fresh cache key: not prepared
            out["sentence_streaming"].append(time.perf_counter() - t)
            break

        job = voice.prepare(question)  # as if issued while the candidate answered the last one
        await asyncio.to_thread(job.wait, 60)
        t = time.perf_counter()
        async for _chunk in voice.speak(question):
            out["prepared"].append(time.perf_counter() - t)
            break
    return out


async def feed_paced(stt, pcm: bytes, pace: float) -> float:
    """Feed 100 ms frames at ``pace`` x real time; returns when the last one is fed."""
    step = 3200
    start = time.perf_counter()
    for n, i in enumerate(range(0, len(pcm), step)):
        stt.feed(pcm[i : i + step])
        due = start + (n + 1) * 0.1 / pace
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
    return time.perf_counter()


async def end_of_speech(voice: VoiceService, whisper, speech: bytes, seconds: float, pace: float) -> dict:
    pcm = speech[: int(seconds * 16000) * 2]
    trailing = b"\x00\x00" * int(0.8 * 16000)
    stt = voice.transcriber(LONG_TERMS)
    speech_end = await feed_paced(stt, pcm, pace)
    fed = await feed_paced(stt, trailing, pace)
    speech_end_wall = speech_end
    t = time.perf_counter()
    transcript = await stt.finish()
    done = time.perf_counter()

    audio = pcm16_to_float32(pcm + trailing)
    hot = glossary_from_terms(LONG_TERMS)
    t0 = time.perf_counter()
    whole_text, _ = await asyncio.to_thread(
        transcribe_array, whisper, audio, glossary=hot, vad_filter=True
    )
    whole = time.perf_counter() - t0
    return {
        "answer_s": round(len(pcm) / 32000, 1),
        "pace": pace,
        "streaming_from_finish_s": round(done - t, 3),
        "streaming_from_end_of_speech_s": round(done - speech_end_wall, 3),
        "trailing_silence_wall_s": round(fed - speech_end_wall, 3),
        "whole_recording_after_end_s": round(whole, 3),
        "streaming_chunks": transcript.chunks,
        "wer_streaming": round(word_error_rate(_reference_prefix(transcript.text), transcript.text), 3),
        "wer_whole": round(word_error_rate(_reference_prefix(whole_text), whole_text), 3),
    }


def _reference_prefix(hypothesis: str) -> str:
    """The part of LONG_ANSWER a truncated recording covers (same number of words)."""
    words = LONG_ANSWER.split()
    return " ".join(words[: len(hypothesis.split())])


def wer_table(whisper, clips: list[tuple[str, bytes, list[str]]]) -> dict[str, float]:
    plain, primed = [], []
    for text, pcm, terms in clips:
        audio = pcm16_to_float32(pcm)
        hyp_plain, _ = transcribe_array(whisper, audio, vad_filter=True)
        hyp_primed, _ = transcribe_array(whisper, audio, glossary=glossary_from_terms(terms), vad_filter=True)
        plain.append(word_error_rate(text, hyp_plain))
        primed.append(word_error_rate(text, hyp_primed))
    return {"unprimed": round(statistics.mean(plain), 4), "primed": round(statistics.mean(primed), 4)}


def espeak_clips() -> list[tuple[str, bytes, list[str]]] | None:
    exe = shutil.which("espeak-ng")
    if exe is None:
        return None
    clips = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (text, terms) in enumerate(ANSWERS):
            path = Path(tmp) / f"{i}.wav"
            subprocess.run([exe, "-v", "en-us", "-s", "150", "-w", str(path), text], check=True)
            with wave.open(str(path)) as wav:
                rate, pcm = wav.getframerate(), wav.readframes(wav.getnframes())
            clips.append((text, resample_pcm16(pcm, rate, 16000), terms))
    return clips


async def main(pace: float, long_pace: float) -> dict:
    report: dict = {"load_average_start": load_average()}
    voice = VoiceService()
    t = time.perf_counter()
    status = await voice.warm_up()
    report["model_load_s"] = round(time.perf_counter() - t, 2)
    report["status"] = status
    piper, whisper = voice.piper_voice(), voice.whisper_model()

    ttfa = await time_to_first_audio(voice, piper)
    report["question_time_to_first_audio_s"] = {
        k: {"p50": round(statistics.median(v), 3), "max": round(max(v), 3)} for k, v in ttfa.items()
    }
    print("TTFA", json.dumps(report["question_time_to_first_audio_s"]), flush=True)

    t = time.perf_counter()
    speech = b""
    async for chunk in voice.speak(LONG_ANSWER):
        speech += resample_pcm16(chunk.pcm, chunk.sample_rate, 16000)
        if len(speech) >= 121 * 32000:
            break
    report["long_answer_synthesis_s"] = round(time.perf_counter() - t, 1)
    report["long_answer_available_s"] = round(len(speech) / 32000, 1)

    report["end_of_speech"] = []
    for seconds, p in ((15, pace), (60, pace), (120, long_pace)):
        row = await end_of_speech(voice, whisper, speech, seconds, p)
        report["end_of_speech"].append(row)
        print("EOS", json.dumps(row), flush=True)

    piper_clips = []
    for text, terms in ANSWERS:
        chunks = list(synthesize_sentences(piper, text))
        pcm = resample_pcm16(b"".join(c.pcm for c in chunks), chunks[0].sample_rate, 16000)
        piper_clips.append((text, pcm, terms))
    report["wer_piper"] = await asyncio.to_thread(wer_table, whisper, piper_clips)
    print("WER piper", report["wer_piper"], flush=True)
    clips = espeak_clips()
    report["wer_espeak"] = (
        await asyncio.to_thread(wer_table, whisper, clips) if clips else "skipped: espeak-ng not installed"
    )
    print("WER espeak", report["wer_espeak"], flush=True)

    report["peak_rss_mb"] = round(peak_rss_mb(), 1)  # this process; whole app: bench/app_memory.py
    report["load_average_end"] = load_average()
    voice.close()
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pace", type=float, default=1.0, help="feed speed for 15/60 s answers (x real time)")
    parser.add_argument("--long-pace", type=float, default=2.0, help="feed speed for the 120 s answer")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()
    started = time.perf_counter()
    result = asyncio.run(main(args.pace, args.long_pace))
    result["bench_wall_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
