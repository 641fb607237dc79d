"""The grader's judgment in interview conditions, against tests/data/judgment (issue 11).

Every case is a realistic answer (or a follow-up answer after earlier ones) with the
technical-score band and the key points a careful human interviewer gave it. Printed per
split (dev is for tuning, test is not) and for the grader of a baseline commit measured in
the same run:

    band agreement    technical score inside the case's band (skip requests: recognised)
    false credit      points marked covered that the answer does not state / points marked
    missed credit     points the answer states that were marked missing / points it states
    unclear           points the answer states that were marked unclear (half credit, the
                      feedback says it may have been said) / points it states
    stale feedback    follow-up feedback identical to the previous one, or listing as
                      missing a point the follow-up answer states
    off-topic         off-topic answers called off-topic; other answers called off-topic
    ms per answer     p50 / p95 of one grading call

    python bench/judgment.py                     # this tree and the baseline (c477d3b)
    python bench/judgment.py --baseline-ref ''   # this tree only
    python bench/judgment.py --no-encoder        # the lexical fallback
    python bench/judgment.py --refit-coverage    # refit the key-point coverage model on the
                                                 # dev split only (both variants), then measure
    python bench/judgment.py --refit-technical   # choose share_weight, _gain, _power on dev only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "judgment"
BASELINE = "c477d3b"  # the grader before issue 11
COVERAGE_L2 = 3.0
# P at which a point is covered / unclear, per coverage model; chosen on the dev split: the
# least false credit within half a point of the best band agreement. Semantic, with the
# ``answer_lean`` signal, on the 866 dev cases: 0.75 band 79.7% / false credit 9.3%, 0.8
# 79.6% / 9.0%, 0.85 79.4% / 8.7%, 0.9 79.0% / 8.7%. Lexical (graded with
# REHEARSE_NO_ENCODER=1): 0.6 72.9% / 11.0%, 0.65 72.4% / 10.8%, 0.7 72.2% / 10.2%, 0.75
# 71.9% / 9.7%, 0.8 71.7% / 9.4%.
COVERED_AT = {"semantic": 0.85, "lexical": 0.65, "semantic_no_says": 0.75,
              "lexical_no_says": 0.75}
UNCLEAR_AT = 0.35
# Rounds written after the grader had been tuned, by authors who never ran it: how it
# generalises to unseen questions and wording (rounds 6 and 9 are dev; rounds 7, 8 and
# bank-new-10 of round 9 are held out).
ROUNDS = {"round 6 (dev)": ("bank-new-2.toml", "bank-new-3.toml", "personal-9.toml"),
          "round 7 (held out)": ("bank-new-4.toml", "bank-new-5.toml", "personal-10.toml"),
          "round 8 (held out)": ("bank-new-6.toml", "bank-new-7.toml", "personal-11.toml"),
          "round 9 (dev)": ("bank-new-8.toml", "bank-new-9.toml", "personal-12.toml"),
          "round 9 (held out)": ("bank-new-10.toml",)}


def _adapter():
    """(grade(question, answers, followup_points) -> list of result dicts, classify) for
    whichever grader the imported ``backend`` tree has."""
    try:
        from backend.interviewer.domain import FollowUp
        from backend.interviewer.grading import classify_non_answer, grade_turn
    except ImportError:  # the baseline: one answer at a time, earlier answers prepended
        from backend.interviewer.grading import grade_answer

        def grade_old(question: Any, answers: list[str], points: list[int | None]) -> list[dict]:
            out = []
            for i, a in enumerate(answers):
                g = grade_answer(question, a, prior_answers=answers[:i])
                out.append(_result(g))
            return out

        return grade_old, lambda text: None
    try:  # the bank's questions, as the interviewer gives them (off-topic answers)
        from backend.interviewer.bank import default_bank
        from backend.interviewer.grading.neighbours import OtherQuestions
        bank_questions: dict[str, Any] = {"others": OtherQuestions(default_bank().questions)}
    except ImportError:  # a tree from before them
        bank_questions = {}

    def grade_new(question: Any, answers: list[str], points: list[int | None]) -> list[dict]:
        grades: list[Any] = []
        followups: list[Any] = []
        out = []
        for i in range(len(answers)):
            if i > 0:
                n = points[i - 1]
                if n is not None:
                    kp = question.key_points[n - 1]
                    followups.append(FollowUp(kp.followup, "asked", kp.point))
                elif grades[-1].followup is not None:
                    followups.append(grades[-1].followup)
                else:
                    followups.append(FollowUp("Can you say more?", "asked", ""))
            g = grade_turn(question, answers[: i + 1], followups, grades, **bank_questions)
            grades.append(g)
            out.append(_result(g))
        return out

    return grade_new, classify_non_answer


def _result(g: Any) -> dict:
    return {"technical": g.scores.technical, "covered": list(g.covered),
            "missing": list(g.missing), "unclear": list(getattr(g, "unclear", [])),
            "feedback": g.feedback,
            "status": getattr(g, "status", "answered")}


def measure(data: Path, split: str | None = None, heard: dict[str, str] | None = None,
            known_only: bool = False) -> dict[str, Any]:
    """Grade every case (of one split); per-case results (JSON-friendly). ``heard`` maps an
    answer's text to its transcript, to grade the answers as spoken (bench/judgment_spoken.py).
    ``known_only``: skip the cases whose question this tree's bank lacks (a baseline from
    before the question was written) instead of refusing the set."""
    sys.path.insert(0, str(data))
    from validate import load_cases, question_for, read_files  # type: ignore[import-not-found]

    grade, classify = _adapter()
    results = []
    cases = [c for c in read_files(data)[0] if question_for(c) is not None] if known_only \
        else load_cases(data)
    for case in cases:
        if split is not None and case["split"] != split:
            continue
        q = question_for(case)
        points = [k.point for k in q.key_points]
        earlier = list(case.get("earlier", []))
        answers = [*earlier, case["answer"]]
        if heard is not None:
            answers = [heard.get(a, a) for a in answers]
        fpoints: list[int | None] = [None] * len(earlier)
        if earlier:
            fpoints[-1] = case.get("followup_point")
        t0 = time.perf_counter()
        non_answer = classify(answers[-1])
        graded = grade(q, answers, fpoints) if non_answer is None else []
        ms = (time.perf_counter() - t0) * 1000
        last = graded[-1] if graded else None
        results.append({
            "id": case["id"], "split": case["split"], "category": case["category"],
            "file": Path(case.get("file", "")).name,
            "points": points, "expected": [points[i - 1] for i in case.get("covered", [])],
            "states": [points[i - 1] for i in case.get("states", [])],
            "band": case.get("band"), "non_answer": non_answer, "ms": ms,
            "last": last, "before": graded[-2] if len(graded) > 1 else None})
    return {"results": results}


def summarise(results: list[dict]) -> dict[str, float]:
    band_ok = band_n = 0
    fp = tp = fn = unsure = 0
    stale = followups = 0
    off_hit = off_n = off_false = others = 0
    for r in results:
        last = r["last"]
        if r["category"] == "skip":
            band_n += 1
            band_ok += r["non_answer"] == "skip"
            continue
        if last is None:  # recognised as gibberish (or wrongly as a skip request)
            band_n += 1
            band_ok += r["category"] == "gibberish" and r["non_answer"] == "gibberish"
            fn += len(r["expected"])
            continue
        lo, hi = r["band"]
        band_n += 1
        band_ok += lo - 1e-9 <= last["technical"] <= hi + 1e-9
        got, want = set(last["covered"]), set(r["expected"])
        maybe = set(last["unclear"])
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got - maybe)
        unsure += len(want & maybe)
        if r["category"] == "followup":
            followups += 1
            before = r["before"]
            repeated = before is not None and before["feedback"] == last["feedback"]
            ignored = bool(set(r["states"]) & set(last["missing"]))
            stale += repeated or ignored
        if r["category"] == "off_topic":
            off_n += 1
            off_hit += last["status"] == "off_topic"
        else:
            others += 1
            off_false += last["status"] == "off_topic"
    ms = sorted(r["ms"] for r in results)
    return {
        "cases": len(results), "band": band_ok / band_n if band_n else 0.0,
        "false_credit": fp / (tp + fp) if tp + fp else 0.0,
        "missed_credit": fn / (tp + fn + unsure) if tp + fn + unsure else 0.0,
        "unclear": unsure / (tp + fn + unsure) if tp + fn + unsure else 0.0,
        "stale": stale, "followups": followups,
        "off_topic_found": off_hit / off_n if off_n else 0.0, "off_topic_false": off_false,
        "ms_p50": statistics.median(ms) if ms else 0.0,
        "ms_p95": ms[int(0.95 * (len(ms) - 1))] if ms else 0.0,
    }


def _labelled_answers(data: Path, split: str):
    """(question, answers, followups, index, stated points) for every answer whose stated
    points the set gives: a main answer's ``covered``; a follow-up's ``states`` (and its
    single earlier answer's ``covered`` minus ``states``)."""
    sys.path.insert(0, str(data))
    from validate import load_cases, question_for  # type: ignore[import-not-found]

    from backend.interviewer.domain import FollowUp

    for case in load_cases(data):
        if case["split"] != split or case["category"] in ("skip", "gibberish"):
            continue
        q = question_for(case)
        earlier = list(case.get("earlier", []))
        answers = [*earlier, case["answer"]]
        followups = []
        if earlier:
            n = case["followup_point"]
            kp = q.key_points[n - 1]
            followups = [FollowUp("", "", "")] * (len(earlier) - 1) + \
                [FollowUp(kp.followup, "asked", kp.point)]
            stated = set(case["states"])
            yield q, answers, followups, len(answers) - 1, stated
            if len(earlier) == 1:
                yield q, answers, followups, 0, set(case["covered"]) - stated
        else:
            yield q, answers, followups, 0, set(case["covered"])


def refit_coverage(data: Path) -> None:
    """Fit both coverage models (with and without the encoder) on the dev split only and
    save them with their thresholds to assets/grader/coverage.json."""
    import numpy as np

    from backend.interviewer.grading import evidence as ev_mod
    from backend.interviewer.grading import grader
    from backend.interviewer.grading.encoder import get_encoder
    from backend.interviewer.grading.model import fit_logistic
    from backend.interviewer.grading.story import is_story_point

    path = ev_mod.coverage_path()
    saved = json.loads(path.read_text(encoding="utf-8"))
    rows: list[tuple[dict[str, float], bool]] = []
    heard: list[bool] = []  # per row: did the encoder read it (not a behavioural question)?
    for q, answers, followups, i, stated in _labelled_answers(data, "dev"):
        points = grader._key_points(q)
        encoded = grader._encoded(q, points)
        asked = None
        if i > 0:
            asked = next((k for k in points if k.point == followups[i - 1].key_point), None)
        _, found, _, _ = grader._evidence_of(q, points, answers[i], encoded, asked)
        # Parts of a personal story are heard by their markers (story.py), never by this
        # model: their rows would only teach it about points it does not judge.
        judged = [(e.signals, n + 1 in stated) for n, e in enumerate(found)
                  if not is_story_point(points[n].point)]
        rows += judged
        heard += [encoded is not None] * len(judged)
    # The variants with ``says_words`` judge only points that have ``says``: they are
    # fitted on those points' rows; the others on every row. The semantic variants judge
    # only what the encoder reads: a behavioural question's rows (lexical model, its encoder
    # signals all 0) would teach them that meaning matters less than it does.
    for name, feats in ev_mod.COVERAGE_VARIANTS.items():
        semantic = name.startswith("semantic")
        if semantic and get_encoder() is None:
            print("sentence encoder not installed: the semantic coverage model is not refitted")
            continue
        fit_rows = [r for r, read in zip(rows, heard, strict=True)
                    if ("says_words" in r[0] or "says_words" not in feats)
                    and (read or not semantic)]
        # A signal a point cannot have (no ``mistakes`` sentences) takes the mean of those
        # that have it, as CoverageModel.probability does.
        fill = {f: float(np.mean([s[f] for s, _ in fit_rows if f in s] or [0.0]))
                for f in feats}
        x = np.array([[s.get(f, fill[f]) for f in feats] for s, _ in fit_rows])
        y = np.array([lab for _, lab in fit_rows], dtype=float)
        mean, scale, weights, bias = fit_logistic(x, y, l2=COVERAGE_L2)
        saved[name] = {
            "features": list(feats), "mean": [round(float(v), 6) for v in mean],
            "scale": [round(float(v), 6) for v in scale],
            "weights": [round(float(v), 6) for v in weights], "bias": round(float(bias), 6),
            "covered_at": COVERED_AT[name], "unclear_at": UNCLEAR_AT}
        print(f"coverage model ({name}): refit on {len(fit_rows)} dev (answer, key point) "
              "pairs")
    saved["about"] = {
        "what": "Logistic regression: P(a careful interviewer says the answer states the key "
                "point), from lexical and (semantic) sentence-encoder signals; see "
                "backend/interviewer/grading/evidence.py",
        "fitted_on": "tests/data/judgment, dev split only (the test split is never used)",
        "thresholds": f"covered at P >= {COVERED_AT} (per model), unclear at P >= {UNCLEAR_AT}; "
                      "chosen on dev: the least false credit within half a point of the best band "
                      "agreement",
        "l2": COVERAGE_L2, "refit_with": "python bench/judgment.py --refit-coverage"}
    path.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    ev_mod.load_coverage_model.cache_clear()


def refit_technical(data: Path) -> None:
    """Choose ``share_weight``, ``share_gain`` and ``share_power`` (how the share of the
    bank's key points made becomes the technical score, against the answer-quality model)
    for the best band agreement on the dev split only; saved into the active model's file.

    The dev split is graded once with every ``technical_score`` call recorded; each
    candidate setting then replays those calls, which the setting alone changes."""
    import itertools
    from dataclasses import replace

    import backend.interviewer.grading as grading
    from backend.interviewer.grading import grader
    from backend.interviewer.grading.model import load_model, model_path, semantic_model_path

    model = grader.active_model()
    path = semantic_model_path() if model.semantic else model_path()
    chains: list[list[tuple[tuple, dict]]] = []
    original_score, original_turn = grader.technical_score, grading.grade_turn

    def recording_turn(question: Any, answers: Any, *args: Any, **kwargs: Any) -> Any:
        if len(answers) == 1:
            chains.append([])
        return original_turn(question, answers, *args, **kwargs)

    def recording_score(*args: Any, **kwargs: Any) -> float:
        chains[-1].append((args, kwargs))
        return original_score(*args, **kwargs)

    grader.technical_score, grading.grade_turn = recording_score, recording_turn
    try:
        graded = [r for r in measure(data, split="dev")["results"] if r["last"] is not None]
    finally:
        grader.technical_score, grading.grade_turn = original_score, original_turn
    assert len(graded) == len(chains), "every graded case starts with its first answer"
    cases = [(r["band"], chain) for r, chain in zip(graded, chains, strict=True) if r["band"]]
    original_model = grader.active_model

    def agreement(weight: float, gain: float, power: float) -> int:
        def tuned(q: Any = None) -> Any:
            m = original_model(q)
            return replace(m, share_weight=weight, share_gain=gain, share_power=power) \
                if m.semantic == model.semantic else m
        grader.active_model = tuned
        try:
            ok = 0
            for (lo, hi), chain in cases:  # scores never go down within a question
                technical = max(original_score(*a, **k) for a, k in chain)
                ok += lo - 1e-9 <= technical <= hi + 1e-9
            return ok
        finally:
            grader.active_model = original_model

    grid = itertools.product((0.6, 0.7, 0.8, 0.9, 1.0), (1.0, 1.1, 1.2, 1.3, 1.4),
                             (0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0))
    # 175 settings against ~170 answers: the best on dev is partly luck. Take the setting
    # nearest the plain rule (weight 0.8, no gain, power 1) among those within one standard
    # error of the best agreement (the "one-standard-error rule").
    scored = [(agreement(w, g, p), (w, g, p)) for w, g, p in grid]
    best = max(ok for ok, _ in scored)
    share = best / len(cases)
    se = (share * (1 - share) / len(cases)) ** 0.5 * len(cases)
    ok, (weight, gain, power) = max(
        ((ok, s) for ok, s in scored if ok >= best - se),
        key=lambda c: (-abs(c[1][0] - 0.8) - abs(c[1][1] - 1.0) - abs(c[1][2] - 1.0), c[0]))
    saved = json.loads(path.read_text(encoding="utf-8"))
    saved.setdefault("technical", {}).update(share_weight=weight, share_gain=gain,
                                             share_power=power)
    saved["technical"]["fitted_on"] = ("tests/data/judgment dev split: band agreement "
                                       f"{ok}/{len(cases)} graded answers (one-SE rule; the "
                                       f"best setting {best})")
    path.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    load_model.cache_clear()
    print(f"share_weight {weight:.2f}, share_gain {gain:.2f}, share_power {power:.2f} "
          f"(dev band agreement {ok}/{len(cases)} graded answers, the best {best}); "
          f"saved {path.name}")


def _baseline(ref: str, env: dict[str, str]) -> dict[str, Any]:
    """Run this file's measurement on the grader of commit ``ref`` (its backend and assets,
    today's test data), in a subprocess."""
    with tempfile.TemporaryDirectory(prefix="rehearse-baseline-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "backend", "assets"],
                                 check=True, capture_output=True).stdout
        with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        out = subprocess.run([sys.executable, __file__, "--raw", "--root", tmp],
                             check=True, capture_output=True, text=True, env=env, cwd=tmp)
        return json.loads(out.stdout)


def _row(name: str, s: dict[str, float]) -> str:
    return (f"{name:28s} {s['cases']:5d}  {s['band']:6.1%}  {s['false_credit']:6.1%}  "
            f"{s['missed_credit']:6.1%} {s['unclear']:6.1%}  {s['stale']:2d}/{s['followups']:<3d} "
            f"{s['off_topic_found']:6.1%} {s['off_topic_false']:4d}  "
            f"{s['ms_p50']:6.1f} {s['ms_p95']:6.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-ref", default=BASELINE, help="'' for none")
    parser.add_argument("--no-encoder", action="store_true", help="grade with the lexical fallback")
    parser.add_argument("--refit-coverage", action="store_true",
                        help="refit the coverage model on the dev split, then measure")
    parser.add_argument("--refit-technical", action="store_true",
                        help="choose share_weight on the dev split, then measure")
    parser.add_argument("--raw", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    parser.add_argument("--show", default="", help="print the cases of this category (or 'all')")
    args = parser.parse_args(argv)
    if args.no_encoder:  # this process grades too, not only the baseline's
        os.environ["REHEARSE_NO_ENCODER"] = "1"
    env = dict(os.environ)
    sys.path.insert(0, args.root)
    if args.raw:
        print(json.dumps(measure(DATA, known_only=True)))
        return 0
    if args.refit_coverage:
        refit_coverage(DATA)
    if args.refit_technical:
        refit_technical(DATA)
    mine = measure(DATA)
    base = _baseline(args.baseline_ref, env) if args.baseline_ref else None
    print(f"interview-judgment set: {DATA.relative_to(ROOT)}; load {os.getloadavg()[0]:.1f}\n")
    print(f"{'grader / split':28s} {'cases':>5s}  {'band':>6s}  {'false':>6s}  {'missed':>6s}  "
          f"{'unclr':>6s}  {'stale':6s} {'offtop':>6s} {'fals':>4s}  {'p50ms':>6s} {'p95ms':>6s}")
    for name, run in (("this tree", mine), (f"baseline {args.baseline_ref}", base)):
        if run is None:
            continue
        for split in ("dev", "test", "all"):
            rs = [r for r in run["results"] if split == "all" or r["split"] == split]
            print(_row(f"{name} / {split}", summarise(rs)))
        for label, files in ROUNDS.items():
            rs = [r for r in run["results"] if r.get("file") in files]
            if rs:
                print(_row(f"  {label}", summarise(rs)))
    print("\ntargets: band >= 85%, false credit <= 3%, missed credit <= 10%, stale 0; "
          "offtop = off-topic answers recognised, fals = other answers called off-topic")
    if args.show:
        for r in mine["results"]:
            if args.show in ("all", r["category"]) or args.show == r["id"]:
                _show(r)
    return 0


def _show(r: dict) -> None:
    last = r["last"] or {}
    got, want = set(last.get("covered", [])), set(r["expected"])
    print(f"\n[{r['split']}] {r['id']} ({r['category']}) band {r['band']} -> "
          f"{last.get('technical')} {last.get('status', r['non_answer'])}")
    for p in r["points"]:
        mark = {(True, True): "ok ", (True, False): "FP ", (False, True): "FN ",
                (False, False): "   "}[(p in got, p in want)]
        print(f"   {mark} {p}")
    if last:
        print(f"   feedback: {last['feedback']}")


if __name__ == "__main__":
    sys.exit(main())
