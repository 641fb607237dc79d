from backend.voice.metrics import delivery_feedback, delivery_metrics, drop_fillers, is_filler_word
from backend.voice.stt import TimedWord


def words_at(text: str, start: float = 0.0, step: float = 0.4, gaps: dict[int, float] | None = None):
    out, t = [], start
    for i, word in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        out.append(TimedWord(word, round(t, 3), round(t + step * 0.8, 3)))
        t += step
    return out


def test_pace_from_known_timestamps():
    words = words_at(" ".join(["word"] * 50), step=0.4)  # one word per 0.4 s = 150 wpm
    m = delivery_metrics(words)
    assert m["word_count"] == 50
    assert abs(m["speaking_time_s"] - (49 * 0.4 + 0.32)) < 1e-6
    assert 145 < m["wpm"] < 155
    assert m["long_pauses"] == 0


def test_long_pauses_are_counted_and_excluded_from_speaking_time():
    words = words_at(" ".join(["word"] * 20), step=0.5, gaps={5: 3.0, 12: 2.5, 15: 1.0})
    m = delivery_metrics(words)
    assert m["long_pauses"] == 2
    assert abs(m["longest_pause_s"] - 3.1) < 1e-6  # 3.0 + the 0.1 s gap between words
    span = words[-1].end - words[0].start
    assert abs(m["speaking_time_s"] - (span - 3.1 - 2.6)) < 1e-6


def test_fillers_single_phrase_and_like():
    text = "um so I think, like, the cache uh you know keeps reads fast and I'd like to shard it"
    m = delivery_metrics(words_at(text))
    # um, like (set off by commas), uh, you know; not "I'd like to"
    assert m["filler_count"] == 4


def test_feedback_is_encouraging_and_about_delivery_only():
    fast = delivery_metrics(words_at(" ".join(["word"] * 120), step=0.25))  # 240 wpm
    notes = delivery_feedback(fast)
    assert any("slowing" in n for n in notes)
    slow = delivery_metrics(words_at(" ".join(["word"] * 30), step=1.0))  # 60 wpm
    assert any("quicker" in n for n in delivery_feedback(slow))
    good = delivery_metrics(words_at(" ".join(["word"] * 100), step=0.45))
    assert any("Good" in n for n in delivery_feedback(good))
    everything = " ".join(delivery_feedback(fast) + delivery_feedback(slow)).lower()
    for banned in ("accent", "grammar", "nervous"):
        assert banned not in everything


def test_no_words_gives_a_helpful_note():
    m = delivery_metrics([])
    assert m["word_count"] == 0 and m["wpm"] == 0
    assert "microphone" in delivery_feedback(m)[0]


def test_fillers_are_counted_from_the_words_and_dropped_from_the_graded_text():
    heard = "So, um, I would put a cache in front. Uh, the tradeoff is stale data, um, so we expire keys."
    m = delivery_metrics(words_at(heard))
    assert m["filler_count"] == 3
    assert drop_fillers(heard) == ("So, I would put a cache in front. The tradeoff is stale "
                                   "data, so we expire keys.")
    assert drop_fillers("Maximum humming, er... erm, error") == "Maximum humming, error"
    assert drop_fillers("Um.") == ""
    assert is_filler_word("Uh,") and not is_filler_word("umbrella")
