"""Resume documents: plain text from PDF, DOCX and TXT files, with clear errors."""

from backend.documents.extract import DocumentError, extract_text

__all__ = ["DocumentError", "extract_text"]
