"""Spoken answers with a known number of fillers ("um", "uh"): for counting them (issue 17).

An answer with four "um"/"uh" was counted as one: Whisper writes what people mean unless its
prompt shows disfluencies. bench/voice.py ("fillers") speaks these in the test voices, runs
them through the app's streaming transcriber and compares the delivery metrics' count with
``fillers``; tests/voice/test_fillers.py checks a few with the real models.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FillerAnswer:
    text: str
    fillers: int  # how many one-word fillers the text says


FILLER_ANSWERS: tuple[FillerAnswer, ...] = (
    FillerAnswer("So, um, I would put a cache in front of the database. Uh, the tradeoff is "
                 "stale data, um, so we set short expiry times, uh, and invalidate entries on "
                 "every update.", 4),
    FillerAnswer("Um, we used Kafka with, uh, one partition per customer. And, um, consumers "
                 "commit offsets only after the write succeeds.", 3),
    FillerAnswer("I think, uh, the main risk was, um, the migration. We, uh, ran both schemas "
                 "side by side for a week.", 3),
    FillerAnswer("Uh, for rate limiting I would use a token bucket per client, and, um, keep "
                 "the counters in Redis so every region sees them.", 2),
    FillerAnswer("The incident started with a bad deploy. Um, we rolled back within ten "
                 "minutes, and, uh, afterwards we added a canary stage.", 2),
    FillerAnswer("I would start by measuring where the time goes, then add an index on the "
                 "customer column, because most queries filter by customer.", 0),
)
