"""Resume text extraction and its refusals, on files built in the test."""

from __future__ import annotations

import io
import zipfile

import pytest

from backend.documents import DocumentError, extract_text
from tests.data.documents import SENIOR_RESUME


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.rows[r].cells[c].text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables_in_order():
    data = docx_bytes(["Jordan Avery, Staff Engineer"] + SENIOR_RESUME.splitlines(),
                      [["Skills", "Python, Kafka"], ["Languages", "English, French"]])
    text = extract_text(data, "cv.docx")
    assert text.startswith("Jordan Avery")
    assert "Skills | Python, Kafka" in text


def test_type_comes_from_content_not_name():
    data = docx_bytes(SENIOR_RESUME.splitlines())
    assert "Kafka" in extract_text(data, "resume.txt")


@pytest.mark.parametrize("data,words", [
    ("Ingénieur logiciel à Paris. ".encode("utf-16") * 10, "Ingénieur"),
    (("Müller Straße " * 20).encode("cp1252"), "Müller"),
])
def test_text_encodings(data, words):
    assert words in extract_text(data, "cv.txt")


def test_zip_bomb_is_refused_before_decompression():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document/>" + b" " * (60 * 1024 * 1024))
    with pytest.raises(DocumentError, match="refused for safety"):
        extract_text(buf.getvalue(), "cv.docx")


@pytest.mark.parametrize("data,name,expected", [
    (b"", "cv.txt", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "cv.pdf", "PNG image"),
    (b"GIF89a" + b"\x00" * 64, "cv.txt", "GIF image"),
    (b"not a pdf at all", "cv.pdf", "not a PDF"),
    (bytes(range(256)) * 8, "cv.txt", "binary"),
])
def test_refusals_say_what_is_wrong(data, name, expected):
    with pytest.raises(DocumentError) as e:
        extract_text(data, name)
    assert expected.lower() in str(e.value).lower()
    assert e.value.status_code == 400


def test_oversized_is_413():
    with pytest.raises(DocumentError) as e:
        extract_text(b"a" * (10 * 1024 * 1024 + 1), "cv.txt")
    assert e.value.status_code == 413
