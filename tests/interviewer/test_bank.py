"""The question bank as shipped: schema, counts, uniqueness, self-consistency."""

from __future__ import annotations

from backend.interviewer.bank import KINDS, default_bank, load_bank, phrasing_present, validate


def test_bank_is_sound():
    problems = validate(default_bank())
    assert problems == [], "\n".join(problems[:20])


def test_bank_meets_the_counts():
    bank = default_bank()
    assert len(bank.questions) >= 300
    topics = {q.topic for q in bank.questions}
    assert len(topics) >= 20 and topics <= set(bank.topics)
    assert {q.kind for q in bank.questions} == set(KINDS)
    for topic in topics:
        levels = {q.difficulty for q in bank.in_topic(topic)}
        assert levels == {"easy", "medium", "hard"}, topic


def test_the_validator_catches_broken_questions(tmp_path):
    (tmp_path / "questions").mkdir()
    (tmp_path / "topics.toml").write_text('[[topics]]\nid = "caching"\ntitle = "Caching"\n')
    (tmp_path / "questions" / "caching.toml").write_text('''
topic = "caching"
[[questions]]
id = "caching-a"
roles = ["backend"]
seniority = ["senior", "junior"]
difficulty = "medium"
kind = "theory"
text = "What is a cache and why would you use one?"
explanation = "Checks caching."
model_answer = "A cache keeps data close."
  [[questions.key_points]]
  point = "Eviction"
  phrasings = ["lru"]
  followup = "Tell me about eviction."
[[questions]]
id = "caching-a"
roles = ["backend"]
seniority = ["junior", "senior"]
difficulty = "medium"
kind = "theory"
text = "What is a cache and why would you use one at all?"
explanation = "This tests caching."
model_answer = "A cache keeps data close."
  [[questions.key_points]]
  point = "Eviction"
  phrasings = ["lru", "lfu", "evict"]
  followup = "What happens when it is full?"
''')
    problems = "\n".join(validate(load_bank(tmp_path)))
    for expected in ("duplicate id", "seniority", "This tests", "key points", "under 40 words",
                     "phrasings", "not a question", "does not show key point", "near-duplicates"):
        assert expected in problems, expected


def test_phrasing_matching_is_whole_word():
    assert phrasing_present("collision", "hash collisions happen")
    assert phrasing_present("write-ahead log", "the write ahead log is fsynced")
    assert not phrasing_present("wal", "walk the tree")


def test_a_question_without_key_points_is_a_load_error(tmp_path):
    import pytest

    from backend.interviewer.bank import BankError

    (tmp_path / "questions").mkdir()
    (tmp_path / "topics.toml").write_text('[[topics]]\nid = "caching"\ntitle = "Caching"\n')
    (tmp_path / "questions" / "caching.toml").write_text(
        'topic = "caching"\n[[questions]]\nid = "caching-x"\ntext = "Why?"\n')
    with pytest.raises(BankError, match="caching-x"):
        load_bank(tmp_path)
