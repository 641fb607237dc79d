"""The interview-judgment set spoken: the grader on transcripts beside the typed text.

    .venv/bin/python bench/judgment_spoken.py [--split dev|test|all] [--cache PATH]

Every answer of tests/data/judgment is synthesised by Piper (noise off, so runs repeat),
fed through the app's transcriber (tiny.en) primed for its question, as bench/voice.py does,
and graded from the transcript, follow-ups and all, exactly as bench/judgment.py grades the
text. Printed per split, typed beside spoken: band agreement, false credit and missed
credit; then the points the typed answer covers that its transcript leaves only "unclear"
(blurred: the feedback asks the candidate to say it outright) or "missing" (lost), and the
points only the transcript covers (gained).

Transcripts are cached in ``--cache`` (bench/out/, not committed): the first run takes
about 40 minutes on this machine (one core for Whisper); later runs regrade in about two.
A changed answer text is transcribed again. Tune on dev; report test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import judgment  # noqa: E402  (bench/judgment.py)

DEFAULT_CACHE = ROOT / "bench" / "out" / "judgment_spoken.json"


def _answers(data: Path) -> list[tuple[Any, str]]:
    """(question, answer text) for every answer of every case, earlier answers included."""
    sys.path.insert(0, str(data))
    from validate import load_cases, question_for  # type: ignore[import-not-found]

    out = []
    for case in load_cases(data):
        question = question_for(case)
        out += [(question, text) for text in [*case.get("earlier", []), case["answer"]]]
    return out


def transcribe_all(data: Path, cache: Path) -> dict[str, str]:
    """Every answer's transcript, from the cache or spoken and heard now (the speech set's
    Piper voice and the app's transcriber path, as bench/voice.py measures them)."""
    from piper import SynthesisConfig

    from backend.voice.engines import LocalPiper, load_piper_voice
    from backend.voice.models import VoiceModelPaths
    from backend.voice.priming import priming_terms
    from backend.voice.service import VoiceService
    from tests.data.speech_voices import speaker
    from voice import transcribe_through_pipeline  # bench/voice.py

    heard: dict[str, str] = json.loads(cache.read_text()) if cache.exists() else {}
    todo = [(q, t) for q, t in _answers(data) if t not in heard]
    if not todo:
        return heard
    speak = speaker("piper", LocalPiper(load_piper_voice(VoiceModelPaths.discover()),
                                        SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)))
    voice = VoiceService()
    status = asyncio.run(voice.warm_up())
    if status["stt"] != "ready":
        raise SystemExit(f"the transcriber did not load: {status}")
    cache.parent.mkdir(parents=True, exist_ok=True)
    try:
        for n, (question, text) in enumerate(todo, 1):
            terms = priming_terms([question.text],
                                  [(k.point, k.phrasings) for k in question.key_points], [])
            heard[text] = transcribe_through_pipeline(voice, speak(text), terms)[0].text
            if n % 20 == 0 or n == len(todo):
                cache.write_text(json.dumps(heard))
                print(f"  transcribed {n}/{len(todo)}", flush=True)
    finally:
        cache.write_text(json.dumps(heard))
        voice.close()
    return heard


def compare(typed: list[dict], spoken: list[dict]) -> dict[str, int]:
    """Points covered from the text but only unclear / missing from the transcript."""
    by_id = {r["id"]: r for r in spoken}
    blurred = lost = gained = 0
    for r in typed:
        a, b = r["last"], by_id[r["id"]]["last"]
        if a is None or b is None:
            continue
        for point in a["covered"]:
            if point not in b["covered"]:
                blurred += point in b["unclear"]
                lost += point not in b["unclear"]
        gained += sum(1 for p in b["covered"] if p not in a["covered"])
    return {"blurred": blurred, "lost": lost, "gained": gained}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args(argv)
    heard = transcribe_all(judgment.DATA, args.cache)
    splits = ("dev", "test") if args.split == "all" else (args.split,)
    print(f"{'split':6s} {'cases':>5s}  {'':7s} {'band':>6s} {'false':>6s} {'missed':>6s}   "
          f"typed-covered points the transcript blurs / loses / gains")
    for split in splits:
        typed = judgment.measure(judgment.DATA, split)["results"]
        spoken = judgment.measure(judgment.DATA, split, heard=heard)["results"]
        for name, rs in (("typed", typed), ("spoken", spoken)):
            s = judgment.summarise(rs)
            print(f"{split:6s} {len(rs):5d}  {name:7s} {100 * s['band']:5.1f}% "
                  f"{100 * s['false_credit']:5.1f}% {100 * s['missed_credit']:5.1f}%", end="")
            print("" if name == "typed" else "   {blurred} / {lost} / {gained}".format(
                **compare(typed, spoken)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
