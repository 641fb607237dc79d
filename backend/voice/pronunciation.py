"""Say technical terms the way engineers say them.

Piper phonemises with espeak-ng, which reads many tech terms as ordinary English
("Redis" as re-DEEZ, "PKCE" letter by letter, "idempotent" with a vowel missing,
"AWS" as "awes"). Each entry maps a term to either a respelling espeak reads
correctly or a block of inline IPA phonemes (``[[ ... ]]``, supported by
piper-tts 1.8). Entries were checked by phonemising them with the bundled voice.
Only the audio changes: the text shown to the candidate keeps the original term.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Case-sensitive keys match as whole words; lower-case keys match any case.
PRONUNCIATIONS: dict[str, str] = {
    "Redis": "[[ɹˈɛdɪs]]",
    "idempotent": "eye-dem-potent",
    "idempotency": "eye-dem-potency",
    "PKCE": "pixie",
    "nginx": "engine X",
    "kubectl": "cube control",
    "k8s": "kubernetes",
    "PostgreSQL": "postgres Q L",
    "MySQL": "my S Q L",
    "NoSQL": "no S Q L",
    "GraphQL": "graph Q L",
    "JSON": "Jason",
    "OAuth": "oh auth",
    "OAuth2": "oh auth two",
    "gRPC": "G R P C",
    "AWS": "A W S",
    "GCP": "G C P",
    "OLTP": "O L T P",
    "OLAP": "oh lap",
    "ETL": "E T L",
    "SLO": "S L O",
    "SLA": "S L A",
    "SaaS": "sass",
    "etcd": "et C D",
    "ONNX": "on ix",
    "Jupyter": "Jupiter",
    "enum": "ee num",
    "Gunicorn": "green unicorn",
    "uWSGI": "you whiskey",
    "asyncio": "async I O",
    "memcached": "mem cash D",
    "CI/CD": "C I C D",
    "Vite": "veet",
    "YAML": "yammel",
    "SQL": "S Q L",
    "stdout": "standard out",
    "stderr": "standard error",
    "sudo": "sue doo",
    "Django": "jango",
    "FastAPI": "fast A P I",
    "PyPI": "pie P I",
    "TypeScript": "type script",
    "WebSocket": "web socket",
    "WebSockets": "web sockets",
    "Node.js": "node J S",
    "Next.js": "next J S",
    "HTTP/2": "H T T P two",
    "p99": "P ninety nine",
    "p95": "P ninety five",
}

_SPLIT_SENTENCES = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")
# Abbreviations that end with a dot but do not end a sentence.
_NO_BREAK_AFTER = ("e.g.", "i.e.", "etc.", "vs.", "Mr.", "Ms.", "Dr.", "approx.")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    keys = sorted(PRONUNCIATIONS, key=len, reverse=True)  # longest first: PostgreSQL before SQL
    alternatives = "|".join(
        f"(?i:{re.escape(k)})" if k.islower() else re.escape(k) for k in keys
    )
    return re.compile(rf"(?<![\w/.])({alternatives})(?![\w/])")


def apply_pronunciations(text: str) -> str:
    """Replace each known term in ``text`` with what Piper should say."""
    def say(match: re.Match[str]) -> str:
        term = match.group(1)
        return PRONUNCIATIONS.get(term) or PRONUNCIATIONS[term.lower()]

    return _pattern().sub(say, text)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences so each can be synthesised and played on its own."""
    text = " ".join(text.split())
    if not text:
        return []
    pieces = _SPLIT_SENTENCES.split(text)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and sentences[-1].endswith(_NO_BREAK_AFTER):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return [s.strip() for s in sentences if s.strip()]
