"""Pure text helpers: pronunciation, sentence splitting, WER, model discovery."""

from pathlib import Path

from backend.voice.models import VoiceModelPaths
from backend.voice.pronunciation import apply_pronunciations, split_sentences
from backend.voice.wer import word_error_rate


def test_terms_are_respelled_as_whole_words_longest_first():
    out = apply_pronunciations("PostgreSQL and SQL; nginx, kubectl; PKCE with OAuth. Idempotent APIs.")
    assert "postgres Q L" in out and "S Q L;" in out
    assert "engine X" in out and "cube control" in out and "pixie" in out
    assert "eye-dem-potent" in out.lower()
    assert "SQLite" in apply_pronunciations("SQLite")  # not a whole-word match


def test_redis_uses_inline_phonemes():
    assert apply_pronunciations("Redis is fast") == "[[ɹˈɛdɪs]] is fast"


def test_sentences_split_on_terminators_not_abbreviations():
    text = 'First one. Use a cache, e.g. Redis! Why? "Quoted." Last, and ok. lower'
    assert split_sentences(text) == ["First one.", "Use a cache, e.g. Redis!", "Why?", '"Quoted."',
                                     "Last, and ok. lower"]
    assert split_sentences("  \n ") == []


def test_word_error_rate():
    assert word_error_rate("the cache is warm", "the cache is warm.") == 0.0
    assert word_error_rate("the cache is warm", "a cache is") == 0.5
    assert word_error_rate("read-through cache", "read through cache") == 0.0


def test_word_error_rate_with_the_standard_english_normaliser():
    """bench/voice.py also counts WER the standard way (Whisper's English normaliser):
    digits vs spoken numbers, contractions and British spellings are not errors there,
    while a misheard word still is."""
    from whisper_normalizer.english import EnglishTextNormalizer

    normaliser = EnglishTextNormalizer()

    def standard(text: str) -> list[str]:
        return normaliser(text).split()

    reference = "It's a 204 with no body; the colour of the cache doesn't matter."
    heard = "It is a two hundred four with no body, the color of the cache does not matter."
    assert word_error_rate(reference, heard) > 0.2
    assert word_error_rate(reference, heard, standard) == 0.0
    assert word_error_rate(reference, heard.replace("cache", "cash"), standard) > 0.0


def test_override_dir_wins_and_missing_models_explain_themselves(tmp_path: Path):
    empty = VoiceModelPaths(whisper_dir=tmp_path / "nope", piper_model=tmp_path / "x.onnx")
    assert "not found at" in empty.whisper_reason() and str(tmp_path) in empty.whisper_reason()
    assert "not found at" in empty.piper_reason()
    (tmp_path / "whisper").mkdir()
    for name in ("model.bin", "config.json"):
        (tmp_path / "whisper" / name).write_text("{}")
    (tmp_path / "v.onnx").write_bytes(b"")
    (tmp_path / "v.onnx.json").write_text("{}")
    found = VoiceModelPaths.discover(tmp_path)
    assert found.whisper_dir == tmp_path / "whisper"
    assert found.piper_model == tmp_path / "v.onnx" and found.piper_reason() == ""
    bundled = VoiceModelPaths.discover()
    assert bundled.whisper_reason() == "" and bundled.piper_reason() == ""
