"""The question bank: loading and validating the human-authored TOML files in assets/."""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from backend.assets import assets_dir
from backend.interviewer.analysis.taxonomy import Taxonomy, load_taxonomy
from backend.interviewer.domain import DIFFICULTIES, SENIORITIES, KeyPoint, Question

KINDS = ("theory", "design", "tradeoff", "behavioral", "experience")
ROLES = ("backend", "frontend", "fullstack", "mobile", "data", "ml", "devops", "general")
NEAR_DUPLICATE_SIMILARITY = 0.8


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class QuestionBank:
    topics: dict[str, Topic]
    questions: tuple[Question, ...]

    def by_id(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def by_text(self, text: str) -> Question | None:
        """The bank question asked with exactly this text (None for a personal question)."""
        return next((q for q in self.questions if q.text == text), None)

    def in_topic(self, topic: str) -> list[Question]:
        return [q for q in self.questions if q.topic == topic]


class BankError(ValueError):
    """A question file breaks the schema in assets/questions/README.md."""


def load_topics(path: Path) -> dict[str, Topic]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {t["id"]: Topic(t["id"], t["title"], tuple(t.get("roles", ()))) for t in data["topics"]}


def _skills_from_toml(q: dict, where: str) -> tuple[str, ...]:
    skills = q.get("skills", [])
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        raise BankError(f"{where}: question {q.get('id', '?')!r}: skills must be a list of "
                        f"skill names, got {skills!r}")
    return tuple(s.strip() for s in skills)


def _question_from_toml(q: dict, topic: Topic, where: str) -> Question:
    try:
        key_points = tuple(
            KeyPoint(point=k["point"].strip(),
                     phrasings=tuple(p.strip().lower() for p in k["phrasings"]),
                     followup=k["followup"].strip(), weight=float(k.get("weight", 1)),
                     says=tuple(x.strip() for x in k.get("says", ())),
                     mistakes=tuple(x.strip() for x in k.get("mistakes", ())))
            for k in q["key_points"])
        return Question(
            id=q["id"], topic=topic.id, topic_title=topic.title, text=q["text"].strip(),
            explanation=q["explanation"].strip(), difficulty=q["difficulty"], kind=q["kind"],
            key_points=key_points, model_answer=q["model_answer"].strip(),
            roles=tuple(q["roles"]), seniority=(q["seniority"][0], q["seniority"][-1]),
            skills=_skills_from_toml(q, where),
        )
    except (KeyError, TypeError, IndexError, AttributeError) as e:
        raise BankError(f"{where}: question {q.get('id', '?')!r} lacks or mistypes {e}") from e


def load_bank(directory: Path | None = None) -> QuestionBank:
    directory = directory or assets_dir()
    topics = load_topics(directory / "topics.toml")
    questions: list[Question] = []
    for path in sorted((directory / "questions").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        topic_id = data.get("topic", path.stem)
        if topic_id not in topics:
            raise BankError(f"{path.name}: unknown topic {topic_id!r}")
        for q in data.get("questions", []):
            questions.append(_question_from_toml(q, topics[topic_id], path.name))
    return QuestionBank(topics=topics, questions=tuple(questions))


@lru_cache(maxsize=1)
def default_bank() -> QuestionBank:
    """The bundled bank, parsed once per process on first use."""
    return load_bank()


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def phrasing_present(phrasing: str, text: str) -> bool:
    """Whether a phrasing appears in text as whole words (case-insensitive); a plural
    counts ("collision" matches "collisions") but a longer word does not ("wal", "walk")."""
    words = _WORD.findall(phrasing.lower())
    if not words:
        return False
    pattern = r"\b" + r"\W+".join(map(re.escape, words)) + r"(?:s|es)?\b"
    return re.search(pattern, text.lower()) is not None


def _skill_problems(q: Question, taxonomy: Taxonomy, where: str) -> list[str]:
    """Each skill tag must be a canonical name in the taxonomy, listed once."""
    problems = []
    for name in q.skills:
        if name in taxonomy.skills:
            continue
        canonical = taxonomy.canonical(name)
        hint = f" (use the canonical name {canonical!r})" if canonical else \
            " (add it to assets/skills.toml or use an existing skill)"
        problems.append(f"{where}: skill {name!r} is not a canonical skill name{hint}")
    if len(set(q.skills)) != len(q.skills):
        problems.append(f"{where}: a skill is listed twice in {list(q.skills)!r}")
    return problems


def validate(bank: QuestionBank, taxonomy: Taxonomy | None = None) -> list[str]:
    """Every problem in the bank, as one line each (empty when it is sound).

    Skill tags are checked against ``taxonomy`` (default: the bundled skills.toml)."""
    taxonomy = taxonomy or load_taxonomy()
    problems: list[str] = []
    seen: dict[str, str] = {}
    for q in bank.questions:
        where = f"{q.topic}/{q.id}"
        if q.id in seen:
            problems.append(f"{where}: duplicate id (also in {seen[q.id]})")
        seen[q.id] = q.topic
        if not q.id.startswith(q.topic + "-"):
            problems.append(f"{where}: id should start with '{q.topic}-'")
        if q.difficulty not in DIFFICULTIES:
            problems.append(f"{where}: difficulty {q.difficulty!r}")
        if q.kind not in KINDS:
            problems.append(f"{where}: kind {q.kind!r}")
        if not q.roles or any(r not in ROLES for r in q.roles):
            problems.append(f"{where}: roles {q.roles!r}")
        lo, hi = q.seniority
        if lo not in SENIORITIES or hi not in SENIORITIES or \
                SENIORITIES.index(lo) > SENIORITIES.index(hi):
            problems.append(f"{where}: seniority {q.seniority!r}")
        if not q.text.endswith(("?", ".")) or len(q.text) < 20:
            problems.append(f"{where}: question text looks unfinished")
        if not q.explanation.lower().startswith("this tests"):
            problems.append(f"{where}: explanation should start 'This tests'")
        problems.extend(_skill_problems(q, taxonomy, where))
        if not 3 <= len(q.key_points) <= 6:
            problems.append(f"{where}: {len(q.key_points)} key points (want 3-6)")
        if len(q.model_answer.split()) < 40:
            problems.append(f"{where}: model answer under 40 words")
        for i, k in enumerate(q.key_points, 1):
            if len(k.phrasings) < 3:
                problems.append(f"{where}: key point {i} has {len(k.phrasings)} phrasings (want 3+)")
            if not k.followup.endswith("?"):
                problems.append(f"{where}: key point {i} follow-up is not a question")
            if not 1 <= k.weight <= 3:
                problems.append(f"{where}: key point {i} weight {k.weight}")
            problems.extend(_says_problems(k, q.model_answer, f"{where}: key point {i}"))
            if not any(phrasing_present(p, q.model_answer) for p in k.phrasings):
                problems.append(f"{where}: model answer does not show key point {i} "
                                f"({k.point[:50]!r}) by any of its phrasings")
    problems.extend(_near_duplicates(bank.questions))
    return problems


SAYS_WORDS = (6, 35)  # words in each of a key point's example sentences


def _says_problems(k: KeyPoint, model_answer: str, where: str) -> list[str]:
    """A key point's ``says`` and ``mistakes`` (both optional): two to five distinct sentences
    each, of 6-35 words, none copied from the model answer."""
    problems = []
    for name, sentences in (("says", k.says), ("mistakes", k.mistakes)):
        if not sentences:
            continue
        if not 2 <= len(sentences) <= 5 or len(set(sentences)) != len(sentences):
            problems.append(f"{where}: {len(sentences)} {name} sentences (want 2-5, distinct)")
        for s in sentences:
            n = len(s.split())
            if not SAYS_WORDS[0] <= n <= SAYS_WORDS[1]:
                problems.append(f"{where}: {name} sentence of {n} words ({s[:40]!r})")
            if s.lower().rstrip(".") in model_answer.lower():
                problems.append(f"{where}: {name} sentence copied from the model answer "
                                f"({s[:40]!r})")
    return problems


def _near_duplicates(questions: tuple[Question, ...]) -> list[str]:
    from rapidfuzz import fuzz

    found = []
    texts = [(q.id, q.text.lower()) for q in questions]
    for i, (a_id, a) in enumerate(texts):
        for b_id, b in texts[i + 1:]:
            if fuzz.token_set_ratio(a, b) >= NEAR_DUPLICATE_SIMILARITY * 100 and \
                    fuzz.ratio(a, b) >= 70:
                found.append(f"{a_id} and {b_id} are near-duplicates")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the question bank.")
    parser.add_argument("--check", action="store_true", help="validate and print problems")
    parser.add_argument("--dir", type=Path, default=None, help="assets directory")
    args = parser.parse_args(argv)
    bank = load_bank(args.dir)
    counts: dict[str, int] = {}
    for q in bank.questions:
        counts[q.topic] = counts.get(q.topic, 0) + 1
    print(f"{len(bank.questions)} questions in {len(counts)} topics")
    for topic, n in sorted(counts.items()):
        print(f"  {topic:22s} {n}")
    skills_file = args.dir / "skills.toml" if args.dir else None
    taxonomy = load_taxonomy(skills_file) if skills_file and skills_file.exists() else None
    problems = validate(bank, taxonomy) if args.check else []
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
