"""The interview's domain model: questions, answers' grades, turns, the resume analysis
and the final report, as plain data.

These are what the engine and any interviewer (``interface.Interviewer``) exchange.
Every type here is JSON-friendly (``to_dict`` / ``from_dict``) because the engine
persists them in SQLite and resumes from them after a crash.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

Seniority = Literal["junior", "mid", "senior"]
Difficulty = Literal["easy", "medium", "hard"]
QuestionKind = Literal["theory", "design", "tradeoff", "behavioral", "experience"]
Recommendation = Literal["Hire", "Borderline", "No-Hire"]
# "rule": the recommendation is the report's rule applied to the scores; "too_few_answers":
# too little was answered to estimate anything (the wire keeps the seed's three values).
RecommendationBasis = Literal["rule", "too_few_answers"]

SENIORITIES: tuple[Seniority, ...] = ("junior", "mid", "senior")
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
DIMENSIONS: tuple[str, ...] = ("technical", "design", "communication")


@dataclass(frozen=True)
class KeyPoint:
    """One thing a good answer says, with the words that show it was said."""

    point: str
    phrasings: tuple[str, ...]
    followup: str
    weight: float = 1.0
    # Whole sentences a candidate might say that make the point in plain spoken words: what
    # the sentence encoder compares the answer's sentences with, beside the point's own text.
    says: tuple[str, ...] = ()
    # Typical wrong beliefs about the point, as candidates say them: an answer closer to one of
    # these than to the point does not make it.
    mistakes: tuple[str, ...] = ()
    # The sentence the feedback offers as an example of making the point ("" for the model
    # answer's sentence that makes it): a frame to fill in, where the answer is the
    # candidate's own story.
    example: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"point": self.point, "phrasings": list(self.phrasings),
                             "followup": self.followup, "weight": self.weight}
        if self.says:
            d["says"] = list(self.says)
        if self.mistakes:
            d["mistakes"] = list(self.mistakes)
        if self.example:
            d["example"] = self.example
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> KeyPoint:
        return cls(point=d["point"], phrasings=tuple(d.get("phrasings", ())),
                   followup=d.get("followup", ""), weight=float(d.get("weight", 1.0)),
                   says=tuple(d.get("says", ())), mistakes=tuple(d.get("mistakes", ())),
                   example=str(d.get("example", "")))


@dataclass(frozen=True)
class Question:
    """A question as asked: from the bank, or built from the resume or by an LLM."""

    id: str
    topic: str
    text: str
    explanation: str
    difficulty: Difficulty
    kind: QuestionKind
    key_points: tuple[KeyPoint, ...] = ()
    model_answer: str = ""
    roles: tuple[str, ...] = ()
    seniority: tuple[Seniority, Seniority] = ("junior", "senior")
    topic_title: str = ""
    skills: tuple[str, ...] = ()  # canonical names from assets/skills.toml it tests

    def to_dict(self) -> dict[str, Any]:
        # Frozen, so its dict never changes: built once (the engine saves it at every turn).
        cached = self.__dict__.get("_as_dict")
        if cached is None:
            cached = self._build_dict()
            object.__setattr__(self, "_as_dict", cached)
        return cached

    def _build_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "topic": self.topic, "topic_title": self.topic_title,
            "text": self.text, "explanation": self.explanation,
            "difficulty": self.difficulty, "kind": self.kind,
            "key_points": [k.to_dict() for k in self.key_points],
            "model_answer": self.model_answer, "roles": list(self.roles),
            "seniority": list(self.seniority), "skills": list(self.skills),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Question:
        return cls(
            id=d["id"], topic=d["topic"], topic_title=d.get("topic_title", ""),
            text=d["text"], explanation=d.get("explanation", ""),
            difficulty=d.get("difficulty", "medium"), kind=d.get("kind", "theory"),
            key_points=tuple(KeyPoint.from_dict(k) for k in d.get("key_points", ())),
            model_answer=d.get("model_answer", ""), roles=tuple(d.get("roles", ())),
            seniority=tuple(d.get("seniority", ("junior", "senior"))),
            skills=tuple(d.get("skills", ())),
        )


@dataclass
class SkillEvidence:
    """A canonical skill found in a document and the line that shows it."""

    skill: str
    category: str = ""
    evidence: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


@dataclass
class ResumeAnalysis:
    seniority: Seniority
    years_experience: float | None
    skills: list[SkillEvidence]
    strengths: list[str]
    gaps: list[str]
    focus_areas: list[str]
    highlights: list[str] = field(default_factory=list)  # resume lines worth asking about
    # The interview plan for the job (plan.InterviewPlan.to_dict()): what will be asked and
    # why, and which must-haves cannot be; empty before a job description is known.
    plan: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ResumeAnalysis:
        return cls(
            seniority=d["seniority"], years_experience=d.get("years_experience"),
            skills=[SkillEvidence(**s) for s in d.get("skills", [])],
            strengths=list(d.get("strengths", [])), gaps=list(d.get("gaps", [])),
            focus_areas=list(d.get("focus_areas", [])),
            highlights=list(d.get("highlights", [])),
            plan=dict(d.get("plan") or {}),
        )

    def evidence_for(self, skill: str) -> list[str]:
        """The resume lines that show a skill (for a strength's tooltip)."""
        return next((list(s.evidence) for s in self.skills if s.skill == skill), [])


@dataclass(frozen=True)
class Scores:
    technical: float
    design: float
    communication: float

    def to_dict(self) -> dict[str, float]:
        return {"technical": self.technical, "design": self.design,
                "communication": self.communication}


@dataclass(frozen=True)
class FollowUp:
    question: str
    reason: str
    key_point: str = ""  # the point it probes, so the grader can credit it later


# How an answer was taken: graded as an answer, found to be about something else, an
# honest "I don't know", or skipped at the candidate's request (never graded).
AnswerStatus = Literal["answered", "off_topic", "dont_know", "skipped"]


@dataclass(frozen=True)
class Evidence:
    """A key point the candidate made, in their own words."""

    point: str
    quote: str
    answer: int = 0  # which answer of the question said it: 0 main, 1.. follow-ups
    certain: bool = True  # False: the words may make the point, but not clearly

    def to_dict(self) -> dict[str, Any]:
        return {"point": self.point, "quote": self.quote, "answer": self.answer,
                "certain": self.certain}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evidence:
        return cls(point=d["point"], quote=d.get("quote", ""), answer=int(d.get("answer", 0)),
                   certain=bool(d.get("certain", True)))


@dataclass
class Grade:
    """The verdict on one answer, with the evidence behind it.

    ``scores`` are the question's scores after this answer (a follow-up can only add);
    ``covered``/``missing``/``evidence`` are the question's, the union over its answers.
    """

    scores: Scores
    feedback: str
    strengths: list[str]
    improvements: list[str]
    covered: list[str] = field(default_factory=list)  # key points the answer made
    missing: list[str] = field(default_factory=list)  # key points it did not
    unclear: list[str] = field(default_factory=list)  # key points it may have made
    vague: bool = False
    followup: FollowUp | None = None  # what to ask if a follow-up is allowed
    evidence: list[Evidence] = field(default_factory=list)  # one per covered point
    status: AnswerStatus = "answered"
    # P(the answers so far state it) per key point: what the next follow-up's grade builds on
    point_probabilities: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        f = self.followup
        return {"scores": self.scores.to_dict(), "feedback": self.feedback,
                "strengths": list(self.strengths), "improvements": list(self.improvements),
                "covered": list(self.covered), "missing": list(self.missing),
                "unclear": list(self.unclear), "vague": self.vague,
                "followup": {"question": f.question, "reason": f.reason,
                             "key_point": f.key_point} if f else None,
                "evidence": [e.to_dict() for e in self.evidence], "status": self.status,
                "point_probabilities": dict(self.point_probabilities)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Grade:
        f = d.get("followup")
        return cls(scores=Scores(**d["scores"]), feedback=d["feedback"],
                   strengths=list(d.get("strengths", [])),
                   improvements=list(d.get("improvements", [])),
                   covered=list(d.get("covered", [])), missing=list(d.get("missing", [])),
                   unclear=list(d.get("unclear", [])), vague=bool(d.get("vague", False)),
                   followup=FollowUp(**f) if f else None,
                   evidence=[Evidence.from_dict(e) for e in d.get("evidence", [])],
                   status=d.get("status", "answered"),
                   point_probabilities=dict(d.get("point_probabilities", {})))


@dataclass
class Correction:
    """The candidate's own words for a spoken answer whose transcript was wrong ("This isn't
    what I said"), graded as one more answer to the question (so its score never goes down)."""

    followup_number: int  # which answer of the turn: 0 the main answer, then follow-ups
    heard: str  # the transcript that was graded first
    text: str  # what the candidate says they said
    grade: Grade
    after: int  # how many answers the turn had when it was made (orders it among grades)

    def to_dict(self) -> dict[str, Any]:
        return {"followup_number": self.followup_number, "heard": self.heard, "text": self.text,
                "grade": self.grade.to_dict(), "after": self.after}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Correction:
        return cls(followup_number=int(d["followup_number"]), heard=str(d["heard"]),
                   text=str(d["text"]), grade=Grade.from_dict(d["grade"]), after=int(d["after"]))


@dataclass
class Turn:
    """One question and everything said about it (the answer, then follow-ups)."""

    number: int
    question: Question
    answers: list[str] = field(default_factory=list)
    grades: list[Grade] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)  # voice delivery metrics
    corrections: list[Correction] = field(default_factory=list)

    def as_said(self, upto: int | None = None) -> Turn:
        """A copy with each corrected answer replaced by the candidate's own words (and
        its correction's grade), for grading what comes after. ``upto``: keep only the
        first ``upto`` answers, as if answer ``upto`` were the one being given now (its
        follow-up, if any, stays as the pending one)."""
        answers, grades = list(self.answers), list(self.grades)
        for c in self.corrections:
            if c.followup_number < len(answers):
                answers[c.followup_number] = c.text
                grades[c.followup_number] = c.grade
        n = len(answers) if upto is None else upto
        return replace(self, answers=answers[:n], grades=grades[:n],
                       followups=list(self.followups[:n] if upto is not None else self.followups),
                       metrics=list(self.metrics[:n]), corrections=[])

    def all_grades(self) -> list[Grade]:
        """The answers' grades and the corrections', in the order they were given."""
        order = [(i + 1, 0, g) for i, g in enumerate(self.grades)]
        order += [(c.after, 1, c.grade) for c in self.corrections]
        return [g for _at, _kind, g in sorted(order, key=lambda x: (x[0], x[1]))]

    def correction_for(self, followup_number: int) -> Correction | None:
        return next((c for c in self.corrections if c.followup_number == followup_number), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number, "question": self.question.to_dict(),
            "answers": list(self.answers), "grades": [g.to_dict() for g in self.grades],
            "followups": [{"question": f.question, "reason": f.reason, "key_point": f.key_point}
                          for f in self.followups],
            "metrics": list(self.metrics),
            "corrections": [c.to_dict() for c in self.corrections],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Turn:
        return cls(number=d["number"], question=Question.from_dict(d["question"]),
                   answers=list(d.get("answers", [])),
                   grades=[Grade.from_dict(g) for g in d.get("grades", [])],
                   followups=[FollowUp(**f) for f in d.get("followups", [])],
                   metrics=list(d.get("metrics", [])),
                   corrections=[Correction.from_dict(c) for c in d.get("corrections", [])])


@dataclass
class CandidateProfile:
    """What opted-in past sessions say about the candidate (empty otherwise)."""

    asked_question_ids: set[str] = field(default_factory=set)
    weak_topics: list[str] = field(default_factory=list)
    sessions: int = 0


@dataclass
class InterviewContext:
    """Everything an interviewer may look at to plan, grade and report."""

    role: str
    job_description: str
    resume_text: str
    analysis: ResumeAnalysis
    turns: list[Turn]
    max_questions: int
    time_remaining_s: int
    profile: CandidateProfile = field(default_factory=CandidateProfile)


@dataclass
class RoadmapItem:
    skill: str
    why: str
    actions: list[str]
    priority: Literal["high", "medium", "low"]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FinalReport:
    narrative: str
    recommendation: Recommendation
    final_scores: Scores
    skill_roadmap: list[RoadmapItem]
    strengths: list[str]
    gaps: list[str]
    basis: RecommendationBasis = "rule"

    def to_dict(self) -> dict[str, Any]:
        return {"narrative": self.narrative, "recommendation": self.recommendation,
                "recommendation_basis": self.basis,
                "final_scores": self.final_scores.to_dict(),
                "skill_roadmap": [r.to_dict() for r in self.skill_roadmap],
                "strengths": list(self.strengths), "gaps": list(self.gaps)}
