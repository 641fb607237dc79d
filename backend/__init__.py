"""Rehearse backend: the FastAPI app, the interview engine, the interviewer, voice and storage."""

__version__ = "0.1.0"
