"""Plain text out of a resume file (PDF, DOCX or TXT), or a clear reason why not.

Every failure is a :class:`DocumentError` whose message tells the candidate what to
do; nothing here ever raises anything else for bad input. The type is decided by
the file's content, not its name, so a PDF named ``resume.txt`` still works and a
PNG named ``resume.pdf`` is refused for what it is.
"""

from __future__ import annotations

import io
import re
import zipfile

MAX_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 30
MAX_DOCX_UNCOMPRESSED = 40 * 1024 * 1024   # all parts of the package together
MAX_DOCX_RATIO = 100                        # uncompressed / compressed, per part
MAX_TEXT_CHARS = 200_000
MIN_WORDS = 15

_IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"RIFF": "an image or audio file",
}
_WHAT_TO_DO = "Upload your resume as a PDF with selectable text, a Word .docx file, or a .txt file."
PASSWORD_PROTECTED = "This PDF is password-protected. Save a copy without a password and upload that."


class DocumentError(ValueError):
    """The file cannot be used; the message says why and what to do."""

    def __init__(self, message: str, status_code: int = 400):
        super().__init__(message)
        self.status_code = status_code


def extract_text(data: bytes, filename: str = "") -> str:
    """Readable text of a resume file, normalised; raises DocumentError otherwise."""
    if not data:
        raise DocumentError(f"The file is empty. {_WHAT_TO_DO}")
    if len(data) > MAX_BYTES:
        raise DocumentError(
            f"The file is {len(data) / 1e6:.1f} MB; resumes up to 10 MB are accepted. "
            "Save it without embedded images or as plain text.", status_code=413)
    kind = sniff(data, filename)
    if kind == "pdf":
        text = _pdf_text(data)
    elif kind == "docx":
        text = _docx_text(data)
    else:
        text = _plain_text(data)
    return _check_enough_text(normalise(text), kind)


def sniff(data: bytes, filename: str = "") -> str:
    """'pdf', 'docx' or 'txt' from the content; DocumentError for anything else."""
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "docx"
    for magic, what in _IMAGE_MAGIC.items():
        if data.startswith(magic):
            raise DocumentError(f"This file is {what}, not a resume document. {_WHAT_TO_DO}")
    name = filename.lower()
    if name.endswith(".pdf"):
        raise DocumentError(f"This file is named .pdf but is not a PDF (it may be damaged). {_WHAT_TO_DO}")
    if name.endswith((".docx", ".doc")):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise DocumentError("This is an old Word .doc file. Save it as .docx or PDF and upload that.")
        raise DocumentError(f"This file is named .docx but is not a Word document (it may be damaged). {_WHAT_TO_DO}")
    return "txt"


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError(PASSWORD_PROTECTED)
            except DocumentError:
                raise
            except Exception as e:  # noqa: BLE001 - pypdf raises many kinds here
                raise DocumentError(PASSWORD_PROTECTED) from e
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise DocumentError(
                f"This PDF has {len(pages)} pages; a resume of up to {MAX_PDF_PAGES} pages is accepted.")
        return "\n".join(page.extract_text() or "" for page in pages)
    except DocumentError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError,
            IndexError, RecursionError, OSError, zipfile.BadZipFile) as e:
        raise DocumentError(f"This PDF could not be read (it looks damaged or incomplete). {_WHAT_TO_DO}") from e


def _check_docx_package(zf: zipfile.ZipFile) -> None:
    """Refuse zip bombs before anything is decompressed."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_DOCX_RATIO and info.file_size > 1024 * 1024:
            raise DocumentError(
                "This .docx file expands to far more data than a resume holds, so it was "
                "refused for safety. Save it again from your word processor or upload a PDF.")
    if total > MAX_DOCX_UNCOMPRESSED:
        raise DocumentError(
            f"This .docx file expands to {total / 1e6:.0f} MB, far more than a resume holds, so it "
            "was refused for safety. Save it without embedded media or upload a PDF.")
    if "word/document.xml" not in zf.namelist():
        raise DocumentError(f"This file is a zip archive but not a Word document. {_WHAT_TO_DO}")


def _docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_docx_package(zf)
    except zipfile.BadZipFile as e:
        raise DocumentError(f"This .docx file is damaged and could not be opened. {_WHAT_TO_DO}") from e
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as e:
        raise DocumentError(f"This .docx file could not be read. {_WHAT_TO_DO}") from e
    except MemoryError:  # the reader's memory limit (documents/isolated.py) says so itself
        raise
    except Exception as e:  # noqa: BLE001 - lxml and python-docx raise many kinds
        raise DocumentError(f"This .docx file could not be read. {_WHAT_TO_DO}") from e
    return "\n".join(_docx_blocks(document))


def _docx_blocks(document) -> list[str]:
    """Paragraphs and table rows in document order (tables hold many resumes' layout)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                lines.append("  |  ".join(cells))
    for section in document.sections:  # contact details often sit in the header
        lines.extend(p.text for p in section.header.paragraphs)
    return lines


def _plain_text(data: bytes) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"This file is binary data, not text. {_WHAT_TO_DO}")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None:
        raise DocumentError(f"This file is not readable text. {_WHAT_TO_DO}")
    text = str(best)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(10, len(text) // 100):
        raise DocumentError(f"This file is binary data, not text. {_WHAT_TO_DO}")
    return text


_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()[:MAX_TEXT_CHARS]


def _check_enough_text(text: str, kind: str) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z+#.\-]*", text)
    if len(words) >= MIN_WORDS:
        return text
    if kind == "pdf":
        raise DocumentError(
            "This PDF has no selectable text: it is probably a scan or an image. Export your "
            "resume from your editor as a PDF with text, or upload a .docx or .txt file.")
    if not text:
        raise DocumentError(f"The file has no text in it. {_WHAT_TO_DO}")
    raise DocumentError(
        f"The file has only {len(words)} words; that is too little to be a resume. {_WHAT_TO_DO}")
