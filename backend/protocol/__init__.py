"""The REST + WebSocket protocol, typed: the single source of truth for what the backend
and any client (the desktop among them) exchange (docs/protocol.md describes it).

- ``codes``: close codes, the socket's `error` codes, the REST error `code`s
- ``steps``: the phases and what the interview waits for (`awaiting`)
- ``events`` / ``messages``: every WebSocket event and client message
- ``rest`` / ``practice_rest``: the REST bodies

A pure module: pydantic and the standard library, no FastAPI, no Qt, no I/O, nothing done
at import time, so the desktop may import it. Import the submodule you need.
"""
