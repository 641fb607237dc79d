"""Rehearse desktop app (PySide6)."""
