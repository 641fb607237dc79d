"""Voice benchmark: every figure beside its baseline, measured in the same run.

    .venv/bin/python bench/voice.py [--accuracy standard high] [--sections latency wer]
        [--voices ...] [--priming unprimed before question] [--repeat 3] [--json out.json]

For each Whisper model (Settings "Accuracy": standard = tiny.en, high = base):
1. Question time-to-first-audio (once): synthesise-the-whole-question-first (baseline) vs
   sentence streaming vs sentence streaming after ``prepare()`` (pre-synthesis).
2. End of speech -> final transcript for 15, 60 (``--repeat`` runs) and 120 s answers:
   the streaming transcriber fed 100 ms frames at ``--pace`` x real time vs transcribing
   the whole recording after it ends. The recording ends with 0.8 s of silence (the beat
   before a candidate clicks "done"); "from finish()" is the time after ``audio_end``.
3. WER on the speech set (tests/data/spoken_answers.py: 24 jargon-heavy answers) in four
   voices (tests/data/speech_voices.py: Piper, espeak-ng en-us and en-gb, Piper with pink
   noise at 15 dB SNR), through the app's streaming transcriber, with three primings:
   none, the terms the app used before question-aware priming, and question-aware
   priming (backend/voice/priming.py). Today's published figures are printed beside it.
4. Peak RSS of this bench process, and the machine's load average. The whole app's
   peak, the 750 MB goal, is measured by bench/app_memory.py.
Both models, all sections: about 25 minutes on a quiet 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.voice.audio import pcm16_to_float32, resample_pcm16  # noqa: E402
from backend.voice.service import VoiceService  # noqa: E402
from backend.voice.stt import glossary_from_terms  # noqa: E402
from backend.voice.wer import normalize_words, word_error_rate  # noqa: E402
from tests.data.speech_voices import VOICES  # noqa: E402
from tests.data.spoken_answers import SPOKEN_ANSWERS  # noqa: E402

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
def _bank() -> dict:
    from backend.interviewer.bank import default_bank

    return {q.id: q for q in default_bank().questions}


BANK = _bank()
LONG_TERMS = sorted({t for _, terms in ANSWERS for t in terms} | {"tracing", "runbooks", "schema"})


def load_average() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def time_to_first_audio(voice: VoiceService, piper) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"whole_question_first": [], "sentence_streaming": [], "prepared": []}
    for question in QUESTIONS:
        t = time.perf_counter()
        await asyncio.to_thread(lambda q=question: list(piper.speak(q)))
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
        lambda: whisper.transcribe(audio, glossary=hot, vad_filter=True))
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


# Today's published figures (closing note of the previous session: tiny.en, the 6-answer
# set, mean per-clip WER), printed beside this run's table.
TODAY_PUBLISHED = {"piper": {"primed": 0.057, "unprimed": 0.117},
                   "espeak-en-us": {"primed": 0.176, "unprimed": 0.245}}
PRIMINGS = ("unprimed", "before", "question")  # no glossary; the old terms; question-aware


def speech_set_clips(voices: list[str]) -> dict[str, list[bytes]]:
    """Every answer of the speech set spoken in every voice (PCM16 16 kHz); Piper with its
    noise off, so every run hears the same audio."""
    from piper import SynthesisConfig

    from backend.voice.engines import LocalPiper, load_piper_voice
    from backend.voice.models import VoiceModelPaths
    from tests.data.speech_voices import VoiceMissing, speaker

    piper = LocalPiper(load_piper_voice(VoiceModelPaths.discover()),
                       SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0))

    clips: dict[str, list[bytes]] = {}
    for name in voices:
        try:
            speak = speaker(name, piper)
        except VoiceMissing as e:
            print(f"voice {name} skipped: {e}", flush=True)
            continue
        clips[name] = [speak(a.text) for a in SPOKEN_ANSWERS]
    return clips


def priming_for(answer, skills: list[str]) -> dict[str, list[str]]:
    """The terms each priming gives this answer: none; what the app used before this
    change (three phrasings per key point, then the resume's and job's skills); and the
    question-aware terms the app uses now (backend.voice.priming)."""
    from backend.voice.priming import priming_terms

    question = BANK[answer.question_id]
    points = [(k.point, k.phrasings) for k in question.key_points]
    before = [p for _point, phrasings in points for p in phrasings[:3]] + skills
    return {"unprimed": [], "before": list(dict.fromkeys(before)),
            "question": priming_terms([question.text], points, skills)}


def transcribe_through_pipeline(voice: VoiceService, pcm: bytes, terms: list[str]):
    """The app's path: the streaming transcriber fed the whole clip at once, then 0.6 s of
    silence (the beat before "done"); returns the transcript and the wall time."""
    stt = voice.transcriber(terms)
    t = time.perf_counter()
    for i in range(0, len(pcm), 3200):
        stt.feed(pcm[i : i + 3200])
    stt.feed(b"\x00\x00" * int(0.6 * 16000))
    transcript = stt.finish_blocking(300)
    return transcript, time.perf_counter() - t


THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def flagged_errors(reference: str, words, threshold: float) -> tuple[int, int, int]:
    """(misheard words, misheard words marked low-confidence, words marked) for one
    transcript: each recognised word is aligned to the reference (edit distance); a word
    is misheard when it is not matched to the same reference word."""
    ref = normalize_words(reference)
    hyp: list[tuple[str, float]] = [(t, w.probability) for w in words for t in normalize_words(w.text)]
    n, m = len(ref), len(hyp)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1,
                             cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1][0]))
    correct = [False] * m
    i, j = n, m
    while i > 0 and j > 0:
        if cost[i][j] == cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1][0]):
            correct[j - 1] = ref[i - 1] == hyp[j - 1][0]
            i, j = i - 1, j - 1
        elif cost[i][j] == cost[i][j - 1] + 1:
            j -= 1
        else:
            i -= 1
    wrong = [not c for c in correct]
    low = [p < threshold for _t, p in hyp]
    return sum(wrong), sum(w and lo for w, lo in zip(wrong, low, strict=True)), sum(low)


def covered_points(answer, text: str, skills: list[str]) -> set[str]:
    from backend.interviewer.grading import grade_answer

    return set(grade_answer(BANK[answer.question_id], text, vocabulary=skills).covered)


def speech_set_wer(voice: VoiceService, clips: dict[str, list[bytes]], skills: list[str],
                   primings: tuple[str, ...]) -> dict:
    """Corpus WER (all errors / all reference words) per voice and priming. For the last
    priming, also: how many misheard words were marked low-confidence (recall) and how
    many marked words were misheard (precision); and key points the grader finds in the
    written answer but misses in its transcript ("false missed", with the current grader)."""
    out: dict = {}
    for name, pcms in clips.items():
        row: dict = {}
        for priming in primings:
            errors = words = 0.0
            wall: list[float] = []
            flags = {t: [0, 0, 0] for t in THRESHOLDS}
            false_missed: list[str] = []
            for answer, pcm in zip(SPOKEN_ANSWERS, pcms, strict=True):
                terms = priming_for(answer, skills)[priming]
                transcript, seconds = transcribe_through_pipeline(voice, pcm, terms)
                n = len(normalize_words(answer.text))
                errors += word_error_rate(answer.text, transcript.text) * n
                words += n
                wall.append(seconds)
                if priming == primings[-1]:
                    for t, total in flags.items():
                        for k, v in enumerate(flagged_errors(answer.text, transcript.words, t)):
                            total[k] += v
                    lost = covered_points(answer, answer.text, skills) - covered_points(
                        answer, transcript.text, skills)
                    false_missed += [f"{answer.question_id}: {p}" for p in sorted(lost)]
            row[priming] = round(errors / words, 4)
            row[f"{priming}_s_per_answer"] = round(statistics.median(wall), 2)
        from backend.voice.confidence import LOW_CONFIDENCE

        for t, (wrong, wrong_marked, marked) in flags.items():
            key = "" if t == LOW_CONFIDENCE else f"_at_{t}"
            row["misheard_marked" + key] = round(wrong_marked / wrong, 3) if wrong else None
            row["marked_misheard" + key] = round(wrong_marked / marked, 3) if marked else None
        row["false_missed"] = len(false_missed)
        row["false_missed_points"] = false_missed
        out[name] = row
        print("WER", voice.accuracy, name, json.dumps({k: v for k, v in row.items()
                                                       if k != "false_missed_points"}),
              f"load {load_average()}", flush=True)
    return out


async def main(args: argparse.Namespace) -> dict:
    report: dict = {"load_average_start": load_average()}
    from backend.interviewer.analysis.resume import analyse_resume
    from tests.data.documents import BACKEND_JD, SENIOR_RESUME

    analysis = analyse_resume(SENIOR_RESUME, BACKEND_JD, "Senior Backend Engineer")
    skills = list(dict.fromkeys([s.skill for s in analysis.skills] + list(analysis.gaps)))
    clips: dict[str, list[bytes]] | None = None
    speech = b""
    for accuracy in args.accuracy:
        voice = VoiceService.from_dir(None, accuracy=accuracy, process=not args.in_process)
        t = time.perf_counter()
        status = await voice.warm_up()
        row: dict = {"model": voice.models.whisper_name, "model_load_s": round(time.perf_counter() - t, 2),
                     "status": status}
        report[accuracy] = row
        piper, whisper = voice.piper_engine(), voice.whisper_engine()
        print(accuracy, voice.models.whisper_name, "loaded", row["model_load_s"], "s", flush=True)

        if "latency" in args.sections or "ttfa" in args.sections:
            if "question_time_to_first_audio_s" not in report:
                ttfa = await time_to_first_audio(voice, piper)
                report["question_time_to_first_audio_s"] = {
                    k: {"p50": round(statistics.median(v), 3), "max": round(max(v), 3)} for k, v in ttfa.items()
                }
                print("TTFA", json.dumps(report["question_time_to_first_audio_s"]), flush=True)
        if "latency" in args.sections:
            if not speech:
                async for chunk in voice.speak(LONG_ANSWER):
                    speech += resample_pcm16(chunk.pcm, chunk.sample_rate, 16000)
                    if len(speech) >= 121 * 32000:
                        break
            row["end_of_speech"] = []
            for seconds, p in ((15, args.pace), (60, args.pace), (120, args.long_pace)):
                for _ in range(args.repeat if seconds == 60 else 1):
                    eos = await end_of_speech(voice, whisper, speech, seconds, p)
                    row["end_of_speech"].append(eos)
                    print("EOS", accuracy, json.dumps(eos), f"load {load_average()}", flush=True)
            sixty = [r["streaming_from_finish_s"] for r in row["end_of_speech"] if r["answer_s"] == 60]
            row["final_after_audio_end_60s_p50"] = round(statistics.median(sixty), 3)

        if "wer" in args.sections:
            if clips is None:
                clips = await asyncio.to_thread(speech_set_clips, args.voices)
            row["wer"] = await asyncio.to_thread(speech_set_wer, voice, clips, skills, tuple(args.priming))
        row["peak_rss_mb_so_far"] = round(peak_rss_mb(), 1)  # this process; whole app: bench/app_memory.py
        voice.close()
    report["load_average_end"] = load_average()
    print_tables(report, args)
    return report


def print_tables(report: dict, args: argparse.Namespace) -> None:
    print(f"\nWER on the speech set ({len(SPOKEN_ANSWERS)} answers; corpus WER; "
          f"load {report['load_average_start']} -> {report['load_average_end']})")
    print(f"{'model':<10} {'voice':<18} " + " ".join(f"{p:>9}" for p in args.priming)
          + "   s/answer  marked  precision  false-missed   today (tiny.en, 6 answers: "
            "primed/unprimed)")
    for accuracy in args.accuracy:
        row = report.get(accuracy, {})
        for name, wer in (row.get("wer") or {}).items():
            today = TODAY_PUBLISHED.get(name)
            today_text = f"{today['primed']:.1%} / {today['unprimed']:.1%}" if today else "-"
            recall, precision = wer["misheard_marked"], wer["marked_misheard"]
            print(f"{row['model']:<10} {name:<18} " + " ".join(f"{wer[p]:>9.1%}" for p in args.priming)
                  + f"   {wer[args.priming[-1] + '_s_per_answer']:>8.2f}"
                  + f"  {recall if recall is not None else 0:>6.0%}  {precision if precision is not None else 0:>9.0%}"
                  + f"  {wer['false_missed']:>12}   {today_text}")
    for accuracy in args.accuracy:
        row = report.get(accuracy, {})
        if "final_after_audio_end_60s_p50" in row:
            print(f"{row['model']}: final transcript after audio_end, 60 s answer, p50 "
                  f"{row['final_after_audio_end_60s_p50']:.2f} s (goal <= 0.5 s; today 0.41 s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pace", type=float, default=1.0, help="feed speed for 15/60 s answers (x real time)")
    parser.add_argument("--long-pace", type=float, default=2.0, help="feed speed for the 120 s answer")
    parser.add_argument("--accuracy", nargs="+", default=["standard", "high"], choices=["standard", "high"])
    parser.add_argument("--sections", nargs="+", default=["latency", "wer"],
                        choices=["latency", "ttfa", "wer"], help="ttfa: time to first audio only")
    parser.add_argument("--in-process", action="store_true",
                        help="models in this process (the design before the voice worker)")
    parser.add_argument("--voices", nargs="+", default=list(VOICES), choices=list(VOICES))
    parser.add_argument("--priming", nargs="+", default=list(PRIMINGS), choices=list(PRIMINGS))
    parser.add_argument("--repeat", type=int, default=3, help="runs of the 60 s answer")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()
    started = time.perf_counter()
    result = asyncio.run(main(args))
    result["bench_wall_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
