"""Questions about the candidate's own work, built from a line of their resume.

The first question of an interview is one of these (a warm, open question on the project
most relevant to the job), and so is a question on a must-have the bank has no question
on but the resume shows. Their model answer is the structure a strong answer follows,
never an invented story: the story is the candidate's.
"""

from __future__ import annotations

import hashlib
import re

from backend.interviewer.domain import KeyPoint, Question

PERSONAL_TOPIC = "experience"

_ACTION_VERBS = frozenset(
    "led built designed owned ran mentored introduced migrated created wrote developed added "
    "implemented launched reduced improved managed architected delivered drove scaled "
    "automated optimized optimised shipped founded rebuilt refactored replaced cut "
    "repartitioned moved fixed published".split())

_PERSONAL_POINTS = (
    KeyPoint("the context: the problem, its scale and why it mattered",
             ("the situation", "the problem was", "we had", "users", "traffic", "because"),
             "What was the situation before you started, and why did it matter?", 1,
             example="Before this, X kept going wrong for about Y users, and it mattered "
                     "because Z."),
    KeyPoint("what you personally decided or did, not only what the team did",
             ("i decided", "i designed", "i built", "i led", "my role", "i proposed", "i chose"),
             "What was your own part in it, as opposed to the team's?", 2,
             example="I decided X and built Y myself, while the team took care of Z."),
    KeyPoint("a real tradeoff and the alternative you rejected",
             ("tradeoff", "trade-off", "instead of", "alternative", "we considered", "downside",
              "at the cost of"),
             "What alternative did you consider, and why did you reject it?", 2,
             example="We considered X instead, but I rejected it because Y; the downside we "
                     "accepted was Z."),
    KeyPoint("a concrete, ideally measured, result",
             ("as a result", "reduced", "improved", "percent", "%", "faster", "cut", "saved"),
             "How did you know it worked? What changed, in numbers if you have them?", 2,
             example="As a result, X went from Y to Z, and we saw it in W."),
    KeyPoint("what you learned or would do differently",
             ("learned", "in hindsight", "looking back", "next time", "differently", "would have"),
             "Looking back, what would you do differently?", 1,
             example="Looking back, I learned X, so next time I would Y."),
)
# What a strong answer covers: a structure to follow with the candidate's own facts, never
# an invented story.
PERSONAL_MODEL_ANSWER = (
    "A strong answer is your own story told in five steps. 1. The situation, in two or three "
    "sentences: what the system did, its scale (users, traffic, data) and the problem that "
    "made the work matter. 2. Your part, said with \"I\": what you decided, designed or "
    "built yourself, as distinct from the team's work. 3. One real tradeoff: the alternative "
    "you considered, why you rejected it, and the downside you accepted. 4. The result, "
    "measured if you can: what changed in latency, cost, incidents or time saved, and how "
    "you knew it worked. 5. What you learned or would do differently next time. Keep it to "
    "about two minutes and let the interviewer ask for detail.")


def line_key(line: str) -> str:
    """What a personal question's id ends with for a resume line."""
    line = re.sub(r"^[\s\-•*·–]+", "", line).strip().rstrip(".")
    return hashlib.sha1(line.encode()).hexdigest()[:8]


def personal_question(highlight: str, number: int, *, opener: bool = False) -> Question:
    """A question about one of the candidate's own resume lines (``opener``: the warm,
    open first question of the interview)."""
    line = re.sub(r"^[\s\-•*·–]+", "", highlight).strip().rstrip(".")
    first = line.split()[0] if line else ""
    said_line = line.rstrip(",;:")
    said = first.lower() + said_line[len(first):] if first.lower() in _ACTION_VERBS else ""
    if opener and not line:
        text = ("To start, tell me about the project you are proudest of that is closest to "
                "this role: what problem it solved, what your part was, the hardest decision "
                "you made, and how it turned out.")
    elif opener:
        mention = f"you {said}" if said else f"\"{said_line}\""
        text = (f"Let's start with your own work. Your resume mentions that {mention}. "
                "Tell me about that project: what problem it solved, what your part was, "
                "the hardest decision you made, and how it turned out.")
    elif said:
        text = (f"Your resume says you {said}. Walk me through it: what was the situation, "
                "what did you decide, what was the hardest tradeoff, and how did it turn out?")
    else:
        text = (f"On your resume: \"{said_line}\". Walk me through it: what was the situation, what "
                "was your part, the hardest tradeoff, and how did it turn out?")
    return Question(
        id=f"experience-resume-{number}-{hashlib.sha1(line.encode()).hexdigest()[:8]}",
        topic=PERSONAL_TOPIC, topic_title="Your experience", text=text,
        explanation="This tests whether you can explain your own work: your decisions, the "
                    "tradeoffs you weighed and the results, as you would to a hiring manager.",
        difficulty="medium", kind="experience", key_points=_PERSONAL_POINTS,
        model_answer=PERSONAL_MODEL_ANSWER, roles=("general",), seniority=("junior", "senior"))
