"""Storage: the only package that runs SQL."""

from backend.store.db import SessionNotFound, Store, open_store

__all__ = ["SessionNotFound", "Store", "open_store"]
