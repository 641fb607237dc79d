"""Decoding and priming choices on the speech set (issue 16): WER and time per answer.

    .venv/bin/python bench/voice_decoding.py [--accuracy standard] [--half tune|confirm|all]
        [--variants app greedy ...] [--voices piper espeak-en-us ...]

Every variant goes through the app's streaming transcriber (the clip fed at once, then
0.6 s of silence, as bench/voice.py does) with question-aware priming, beside the app's
own choices ("app") measured in the same run. Choose on the tune half (even-numbered
answers of tests/data/spoken_answers.py), then check the choice on the confirm half (odd):
24 answers are ~1,000 words, so one word is 0.1-0.2 points of WER on a half.
WER is printed raw (lower case, no punctuation) and normalised (Whisper's standard
English normaliser, bench/voice.py ``standard_words``). Models run in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.voice.engines import LocalWhisper  # noqa: E402
from backend.voice.service import VoiceService  # noqa: E402
from backend.voice.streaming import StreamingConfig, StreamingTranscriber  # noqa: E402
from backend.voice.stt import DecodeOptions, allow_single_window  # noqa: E402
from backend.voice.wer import normalize_words, word_error_rate  # noqa: E402
from bench.voice import (BANK, load_average, priming_for, speech_set_clips,  # noqa: E402
                         standard_words)
from tests.data.speech_voices import VOICES  # noqa: E402
from tests.data.spoken_answers import SPOKEN_ANSWERS  # noqa: E402


@dataclass(frozen=True)
class Variant:
    """One departure from the app's choices."""

    what: str
    decode: DecodeOptions = field(default_factory=DecodeOptions)
    keep_fillers: bool = True  # the disfluent prompt (issue 17)
    compute_type: str = "int8"
    priming: str = "question"  # "question" (the app's) | "model-answer"


VARIANTS: dict[str, Variant] = {
    "app": Variant("the app's choices: beam 5, temperature fallback, glossary in the prompt"),
    "greedy": Variant("beam 1 instead of 5", DecodeOptions(beam_size=1)),
    "beam-8": Variant("beam 8", DecodeOptions(beam_size=8)),
    "no-fallback": Variant("temperature 0 only (no hotter retry)", DecodeOptions(temperature=0.0)),
    "hotwords": Variant("the glossary as faster-whisper hotwords, not in the prompt",
                        DecodeOptions(glossary_as_hotwords=True)),
    "no-previous-text": Variant("no earlier-chunk text in the prompt", DecodeOptions(previous_text=False)),
    "no-disfluent-prompt": Variant("without the um/uh opening of the prompt", keep_fillers=False),
    "float32": Variant("float32 weights instead of int8", compute_type="float32"),
    "model-answer-priming": Variant("+ the question's skills and its model answer's jargon",
                                    priming="model-answer"),
}


def model_answer_terms(answer, skills: list[str]) -> list[str]:
    """Question-aware priming plus the bank question's own skill tags and the jargon and
    multi-token words of its model answer, before the resume's skills."""
    from backend.voice.priming import jargon_in, priming_terms

    question = BANK[answer.question_id]
    text = question.model_answer
    extra = jargon_in(text) + [w for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", text)]
    points = [(k.point, k.phrasings) for k in question.key_points]
    return priming_terms([question.text], points, [*question.skills, *extra, *skills])


class _Models:
    """The models a transcriber uses: the service's VAD and a Whisper with ``decode``."""

    def __init__(self, voice: VoiceService, whisper: LocalWhisper, decode: DecodeOptions) -> None:
        self.voice, self.whisper, self.decode = voice, whisper, decode
        self.calls = 0

    def whisper_engine(self) -> Any:
        return self

    def vad_model(self) -> Any:
        return self.voice.vad_model()

    def glossary(self, terms: Iterable[str]) -> str | None:
        return self.whisper.glossary(terms)

    def transcribe(self, audio: Any, **options: Any) -> Any:
        self.calls += 1
        return self.whisper.transcribe(audio, decode=self.decode, **options)


def whisper_for(voice: VoiceService, compute_type: str, cache: dict[str, LocalWhisper]) -> LocalWhisper:
    if compute_type not in cache:
        from faster_whisper import WhisperModel

        model = WhisperModel(str(voice.models.whisper_dir), device="cpu", compute_type=compute_type,
                             local_files_only=True)
        cache[compute_type] = LocalWhisper(allow_single_window(model))
    return cache[compute_type]


def run_variant(voice: VoiceService, whisper: LocalWhisper, variant: Variant, clips: dict[str, list[bytes]],
                indices: list[int], skills: list[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, pcms in clips.items():
        raw = std = raw_n = std_n = 0.0
        wall: list[float] = []
        for i in indices:
            answer = SPOKEN_ANSWERS[i]
            terms = (model_answer_terms(answer, skills) if variant.priming == "model-answer"
                     else priming_for(answer, skills)["question"])
            stt = StreamingTranscriber(_Models(voice, whisper, variant.decode), terms,
                                       config=StreamingConfig(keep_fillers=variant.keep_fillers))
            t = time.perf_counter()
            for k in range(0, len(pcms[i]), 3200):
                stt.feed(pcms[i][k : k + 3200])
            stt.feed(b"\x00\x00" * int(0.6 * 16000))
            text = stt.finish_blocking(300).text
            wall.append(time.perf_counter() - t)
            n, m = len(normalize_words(answer.text)), len(standard_words(answer.text))
            raw += word_error_rate(answer.text, text) * n
            std += word_error_rate(answer.text, text, standard_words) * m
            raw_n, std_n = raw_n + n, std_n + m
        out[name] = {"raw": raw / raw_n, "normalised": std / std_n, "s_per_answer": statistics.median(wall)}
        print(f"  {name}: raw {raw / raw_n:.1%}, normalised {std / std_n:.1%}, "
              f"{statistics.median(wall):.2f} s/answer (load {load_average()})", flush=True)
    return out


def main(args: argparse.Namespace) -> None:
    from backend.interviewer.analysis.resume import analyse_resume
    from tests.data.documents import BACKEND_JD, SENIOR_RESUME

    analysis = analyse_resume(SENIOR_RESUME, BACKEND_JD, "Senior Backend Engineer")
    skills = list(dict.fromkeys([s.skill for s in analysis.skills] + list(analysis.gaps)))
    indices = [i for i in range(len(SPOKEN_ANSWERS))
               if args.half == "all" or (i % 2 == 0) == (args.half == "tune")][: args.limit]
    clips = speech_set_clips(args.voices)
    voice = VoiceService.from_dir(None, accuracy=args.accuracy, process=False)
    asyncio.run(voice.warm_up())
    whispers: dict[str, LocalWhisper] = {"int8": voice.whisper_engine()}  # type: ignore[dict-item]
    results = {}
    for name in args.variants:
        variant = VARIANTS[name]
        print(f"{voice.models.whisper_name} {name}: {variant.what}", flush=True)
        results[name] = run_variant(voice, whisper_for(voice, variant.compute_type, whispers), variant,
                                    clips, indices, skills)
    voice.close()
    print(f"\n{voice.models.whisper_name}, {args.half} half ({len(indices)} answers), question-aware "
          "priming; WER raw / normalised, s/answer (clip fed at once; not the end-of-answer latency)")
    print(f"{'variant':<22}" + "".join(f"{v:>26}" for v in clips))
    for name, row in results.items():
        print(f"{name:<22}" + "".join(
            f"{row[v]['raw']:>9.1%} /{row[v]['normalised']:>6.1%} {row[v]['s_per_answer']:>6.2f}s" for v in clips))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accuracy", default="standard", choices=["standard", "high"])
    parser.add_argument("--half", default="tune", choices=["tune", "confirm", "all"])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--voices", nargs="+", default=list(VOICES), choices=list(VOICES))
    parser.add_argument("--limit", type=int, default=None, help="only the first N answers of the half")
    main(parser.parse_args())
