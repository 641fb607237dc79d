"""Storage: the only package that runs SQL."""

from backend.store.db import SessionNotFound, Store, WriteFailed, open_store

__all__ = ["SessionNotFound", "Store", "WriteFailed", "open_store"]
