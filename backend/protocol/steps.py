"""Where an interview is: its phase, and what it waits for from the client (`awaiting`).

The server sends `awaiting` with `connected` and with every event after which it changes
(prompts, scores, the report), so a client never works out the next step itself.
"""

from __future__ import annotations

from typing import Literal

Phase = Literal["setup", "intro", "questioning", "evaluation", "completed"]

# What the interview waits for:
#   "start"    - nothing asked yet: send `start`
#   "answer"   - the current question is unanswered: `answer` (or `skip`)
#   "followup" - the last follow-up is unanswered: `answer` (or `skip`)
#   "next"     - an answer was scored; `ready` brings the next question
#   "end"      - the last answer was scored; `ready` brings the report
#   "done"     - the report was delivered
Awaiting = Literal["start", "answer", "followup", "next", "end", "done"]

# Waiting for the candidate's answer (a question or a follow-up is on screen).
ANSWERING: frozenset[str] = frozenset({"answer", "followup"})
