"""Say technical terms and notation the way engineers say them.

Two steps turn written text into what Piper is given (``speech_text``):

1. ``spoken_form`` rewrites written notation into words: "O(log n)" -> "O of log n",
   "HTTP/2" -> "HTTP 2", "3NF" -> "third normal form", "2PC" -> "two-phase commit",
   "p999" -> "P nine nine nine", "50 ms" -> "50 milliseconds", "(sliding)" -> ", sliding,".
   espeak-ng reads "/" as "slash", drops "<", ">", "|" and "->", and reads "O(n)" as
   "oh en"; these rules were checked by phonemising with the bundled voice.
2. ``apply_pronunciations`` respells single terms espeak gets wrong ("Redis" as
   re-DEEZ, "PKCE" letter by letter, "idempotent" with a vowel missing, "AWS" as
   "awes"). Each entry maps a term to either a respelling espeak reads correctly or
   a block of inline IPA phonemes (``[[ ... ]]``, supported by piper-tts 1.8).

Only the audio changes: the text shown to the candidate keeps the written form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    "JSONB": "Jason B",
}

_SPLIT_SENTENCES = re.compile(
    r"(?:(?<=[.!?])(?<!\.\.\.)|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")
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


# ---- written notation -> words (for speech only)

_ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "6": "sixth"}
_UNITS = {"ms": "milliseconds", "µs": "microseconds", "us": "microseconds",
          "ns": "nanoseconds", "s": "seconds", "KB": "kilobytes", "MB": "megabytes",
          "GB": "gigabytes", "TB": "terabytes", "PB": "petabytes", "Kbit": "kilobits",
          "Mbit": "megabits", "Gbit": "gigabits", "Mbps": "megabits per second",
          "Gbps": "gigabits per second", "req": "requests"}
_CURRENCIES = {"EUR": "euros", "USD": "dollars", "GBP": "pounds", "JPY": "yen", "CHF": "francs"}
_SYMBOL_CURRENCIES = {"$": "dollars", "€": "euros", "£": "pounds"}
_OPERATORS = [("<=", " less than or equal to "), (">=", " greater than or equal to "),
              ("!=", " not equal to "), ("==", " equals "), ("->", " to "), ("=>", " to "),
              ("<", " less than "), (">", " greater than "), ("|", ", "), ("~", " about "),
              ("`", ""), ("_", " ")]


def _big_o(match: re.Match[str]) -> str:
    inner = match.group(1).strip()
    inner = re.sub(r"\^2\b", " squared", inner)
    inner = re.sub(r"\^3\b", " cubed", inner)
    inner = re.sub(r"\^(\w+)", r" to the \1", inner)
    inner = re.sub(r"\s*\*\s*", " times ", inner)
    inner = re.sub(r"\s*\+\s*", " plus ", inner)
    return f"O of {inner}"


def _percentile(match: re.Match[str]) -> str:
    number = match.group(1)
    if len(number) >= 3 and set(number) == {"9"}:
        return "P " + " ".join(["nine"] * len(number))
    return f"P {number}"


def _unit(match: re.Match[str]) -> str:
    number, unit, per = match.group(1), match.group(2), match.group(3)
    words = _UNITS[unit]
    if unit == "s" and per:  # "s/s" is not a unit
        return match.group(0)
    return f"{number} {words}" + (" per second" if per else "")


def _parenthesis(match: re.Match[str]) -> str:
    inner = match.group(1).strip()
    return f", {inner}," if inner else " "


_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"\bO\(([^()]*)\)"), _big_o),
    (re.compile(r"\b[pP](\d+(?:\.\d+)?)\b"), _percentile),
    (re.compile(r"\bHTTP/(\d(?:\.\d)?)\b"), r"HTTP \1"),
    (re.compile(r"\bBCNF\b"), "Boyce-Codd normal form"),
    (re.compile(r"\b([1-6])NF\b"), lambda m: f"{_ORDINALS[m.group(1)]} normal form"),
    (re.compile(r"\b2PC\b"), "two-phase commit"),
    (re.compile(r"\b3PC\b"), "three-phase commit"),
    (re.compile(r"\bCAP\b"), "cap"),
    # abbreviations with dots; one that ends a sentence keeps its full stop
    (re.compile(r"\be\.g\.(?=\s+[A-Z]|\s*$)"), "for example."),
    (re.compile(r"\be\.g\.(?=\s)"), "for example"),
    (re.compile(r"\bi\.e\.(?=\s+[A-Z]|\s*$)"), "that is."),
    (re.compile(r"\bi\.e\.(?=\s)"), "that is"),
    (re.compile(r"\b([ap])\.m\.(?=\s+[A-Z]|\s*$)"), lambda m: f"{m.group(1).upper()} M."),
    (re.compile(r"\b([ap])\.m\.(?=\s)"), lambda m: f"{m.group(1).upper()} M"),
    (re.compile(r"\b(\d+)k\b"), r"\1 thousand"),
    (re.compile(r"\b(\d[\d,]*(?:\.\d+)?)\s?(ms|µs|us|ns|s|KB|MB|GB|TB|PB|Kbit|Mbit|Gbit|Mbps|Gbps|req)"
                r"(/s)?(?![\w/])"), _unit),
    (re.compile(r"\breq/s\b"), "requests per second"),
    (re.compile(r"(?<=[A-Za-z])/s\b"), " per second"),
    (re.compile(r"\b(\d[\d,]*)\.00\b"), r"\1"),
    (re.compile(r"\b(\d[\d,]*(?:\.\d+)?)\s?(EUR|USD|GBP|JPY|CHF)\b"),
     lambda m: f"{m.group(1)} {_CURRENCIES[m.group(2)]}"),
    (re.compile(r"([$€£])(\d[\d,]*(?:\.\d+)?)"),
     lambda m: f"{m.group(2)} {_SYMBOL_CURRENCIES[m.group(1)]}"),
    (re.compile(r"\b(\d+(?:\.\d+)?)x\b"), r"\1 times"),
    (re.compile(r"(\d)%"), r"\1 percent"),
    (re.compile(r"\b(\w+)\^2\b"), r"\1 squared"),
    (re.compile(r"\b(\w+)\^(\w+)"), r"\1 to the power of \2"),
    (re.compile(r"\b(\d{1,2}):(\d{2})\b"), r"\1 \2"),  # a time: 2:14
    (re.compile(r"\b(\w{1,3}):(\w{1,3})\b(?!:)"), r"\1 to \2"),  # a ratio: M:N, 250:1
    (re.compile(r"(?<=\w):(?=[\w*])"), " colon "),
    (re.compile(r"#(?=\d)"), "number "),
    (re.compile(r"#"), " "),
    (re.compile(r"\s*\.\.\.\s*"), " "),
    (re.compile(r"\s*\(([^()]*)\)"), _parenthesis),
    (re.compile(r"[\[\]{}]"), ""),
    (re.compile(r"(?<=\w)\s*\*\s*(?=\w)"), " times "),
    (re.compile(r"\*"), " star "),
]
_PLACEHOLDER = 0xE000  # Unicode private use area: never a word character, never in text
_SLASH_WORDS = re.compile(r"(?<![\w/.])([A-Za-z]+)/([A-Za-z]+)(?![\w/])")


def spoken_form(text: str) -> str:
    """Written notation in ``text`` rewritten as words Piper reads well (speech only).

    Terms in ``PRONUNCIATIONS`` ("CI/CD", "Node.js") are left for ``apply_pronunciations``.
    """
    protected: dict[str, str] = {}

    def protect(match: re.Match[str]) -> str:  # one private-use character per term
        key = chr(_PLACEHOLDER + len(protected))
        protected[key] = match.group(0)
        return key

    out = _pattern().sub(protect, text)
    for pattern, replacement in _RULES:
        out = pattern.sub(replacement, out)
    out = _SLASH_WORDS.sub(r"\1 \2", out)  # pub/sub, TCP/IP, I/O: said without "slash"
    out = re.sub(r"/", " slash ", out)
    for symbol, words in _OPERATORS:
        out = out.replace(symbol, words)
    out = re.sub(r"\s+([,.?!;:])", r"\1", out)
    out = re.sub(r",(?:\s*,)+", ",", out)
    out = re.sub(r",(?=[.?!;:])", "", out)
    out = re.sub(r"^\s*,\s*", "", out)
    out = re.sub(r"\s{2,}", " ", out).strip()
    for key, original in protected.items():
        out = out.replace(key, original)
    return out


def speech_text(sentence: str) -> str:
    """What Piper is given for one written sentence: notation in words, terms respelled."""
    return apply_pronunciations(spoken_form(sentence))


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
