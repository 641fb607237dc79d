"""Question-aware priming, low-confidence words and the bundled model choices (no model runs)."""

from pathlib import Path

import pytest

from backend.interviewer.bank import default_bank
from backend.voice.confidence import for_grading, low_confidence_words
from backend.voice.models import WHISPER_CHOICES, VoiceModelPaths, join_whisper_parts
from backend.voice.priming import jargon_in, priming_terms
from backend.voice.stt import TimedWord, glossary_from_terms, jargon_only


def test_jargon_in_free_text_finds_acronyms_mixed_case_numbers_and_compounds():
    text = ("Use OAuth and PostgreSQL; JSON over HTTP/3 with SHA-256, a read-modify-write "
            "in Dispatchers.IO, not a plain word. A 3NF schema on gVisor.")
    assert jargon_in(text) == ["OAuth", "PostgreSQL", "JSON", "HTTP/3", "SHA-256",
                               "read-modify-write", "Dispatchers.IO", "3NF", "gVisor"]


def test_priming_puts_the_question_first_then_key_points_then_skills():
    question = {q.id: q for q in default_bank().questions}["kubernetes-probes"]
    points = [(k.point, k.phrasings) for k in question.key_points]
    terms = priming_terms(["Why would a readiness probe fail?", question.text], points,
                          ["Kubernetes", "Terraform", "kubelet"])
    lowered = [t.lower() for t in terms]
    # The follow-up's and the question's words lead; every key point phrasing follows.
    assert lowered.index("readiness") < lowered.index("liveness") < lowered.index("kubelet")
    assert all(p.lower() in lowered for _pt, phrasings in points for p in phrasings)
    # Skills come last, and a term already there is not repeated (case-insensitive).
    assert terms[-2:] == ["Kubernetes", "Terraform"] and lowered.count("kubelet") == 1


def test_jargon_only_keeps_technical_spellings_even_as_one_token():
    class OneTokenEach:  # every word one token: only the technical-looking terms stay
        def encode(self, text, add_special_tokens=False):
            return type("E", (), {"ids": [1]})()

    kept = jargon_only(["JSON", "in parallel", "201", "OAuth", "cache"], OneTokenEach())
    assert kept == ["JSON", "201", "OAuth"]
    assert glossary_from_terms(kept) == "Glossary: JSON, 201, OAuth."


def test_low_confidence_words_carry_their_span_in_the_text():
    text = "In Kubernetes, a readiness probe keeps traffic away. The cache is warm."
    words = [TimedWord(w, i, i + 0.5, p) for i, (w, p) in enumerate([
        ("In", 0.99), ("Kubernetes,", 0.31), ("a", 0.9), ("readiness", 0.45), ("probe", 0.8),
        ("keeps", 0.97), ("traffic", 0.95), ("away.", 0.9), ("The", 0.99), ("cache", 0.2),
        ("is", 0.99), ("warm.", 0.49)])]
    marked = low_confidence_words(text, words)
    assert [m["word"] for m in marked] == ["Kubernetes", "readiness", "cache", "warm"]
    for m in marked:
        assert text[m["start_char"]:m["end_char"]] == m["word"]
    assert marked[2]["start_char"] == text.index("cache")
    assert for_grading(marked)[0] == {"word": "Kubernetes", "probability": 0.31}
    assert low_confidence_words(text, words, threshold=0.1) == []


def test_a_repeated_word_is_marked_where_it_was_heard():
    text = "cache then cache"
    words = [TimedWord("cache", 0, 1, 0.9), TimedWord("then", 1, 2, 0.9), TimedWord("cache", 2, 3, 0.1)]
    assert low_confidence_words(text, words) == [
        {"word": "cache", "probability": 0.1, "start_char": 11, "end_char": 16}]


def test_the_high_accuracy_model_is_joined_from_its_parts_once(tmp_path: Path):
    paths = VoiceModelPaths.discover(accuracy="high", join_dir=tmp_path)
    assert paths.whisper_name == "base" and len(paths.whisper_parts) == 2
    assert paths.whisper_reason() == ""
    folder = join_whisper_parts(paths)
    model = folder / "model.bin"
    assert model.stat().st_size == sum(p.stat().st_size for p in paths.whisper_parts)
    with open(model, "rb") as joined, open(paths.whisper_parts[1], "rb") as second:
        joined.seek(paths.whisper_parts[0].stat().st_size)
        assert joined.read(1 << 16) == second.read(1 << 16)
    assert {"config.json", "tokenizer.json", "vocabulary.txt"} <= {p.name for p in folder.iterdir()}
    stamp = model.stat().st_mtime_ns
    join_whisper_parts(paths)
    assert model.stat().st_mtime_ns == stamp  # reused, not written again
    assert set(WHISPER_CHOICES) == {"standard", "high"}
    with pytest.raises(ValueError, match="accuracy must be one of"):
        VoiceModelPaths.discover(accuracy="best")


def test_a_missing_part_makes_high_accuracy_unavailable_with_a_reason(tmp_path: Path):
    paths = VoiceModelPaths.discover(accuracy="high", join_dir=tmp_path)
    broken = VoiceModelPaths(whisper_dir=paths.whisper_dir, piper_model=paths.piper_model,
                             whisper_parts=(paths.whisper_parts[0], tmp_path / "model.bin.part2"),
                             whisper_name="base")
    assert broken.whisper_reason() == "Whisper base lacks model.bin.part2."
