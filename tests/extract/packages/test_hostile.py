"""Inputs that lie about themselves: wrong extensions, empty files, entity bombs. Each
gets a recorded outcome and never raises."""

from __future__ import annotations

import time

import pytest

from tests.fixtures import hostile as h


def test_pdf_named_jpg_is_detected_by_content(extract):
    result = extract(h.fake_pdf(), "holiday.jpg")
    assert result.type == "pdf" and result.ext_mismatch
    assert "content is pdf" in result.metadata["extension_mismatch"]


def test_zip_named_docx_is_read_as_zip(extract):
    result = extract(h.zip_of({"notes.txt": b"not a word document"}), "report.docx")
    assert (result.type, result.extractor, result.status) == ("zip", "zip", "ok")
    assert result.ext_mismatch and result.children[0].name == "notes.txt"


@pytest.mark.parametrize(
    "name", ["empty.zip", "empty.gz", "empty.png", "empty.7z", "empty.rar", "empty.tar"]
)
def test_empty_files(extract, name):
    result = extract(b"", name)
    assert (result.type, result.status) == ("empty", "ok") and result.children == []


def test_billion_laughs_docx_never_expands(extract):
    start = time.perf_counter()
    result = extract(h.billion_laughs_docx(), "laughs.docx")
    assert time.perf_counter() - start < 10
    assert result.type == "docx"
    # whichever extractor reads it, the entities must not come back expanded
    assert all("lol" * 1000 not in s.text for s in result.segments)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cut.gz", b"\x1f\x8b\x08\x00"),
        ("cut.bz2", b"BZh9"),
        ("cut.xz", b"\xfd7zXZ\x00\x00"),
        ("cut.7z", b"7z\xbc\xaf\x27\x1c\x00\x04"),
        ("cut.rar", b"Rar!\x1a\x07\x00"),
        ("cut.tar", b"\x00" * 257 + b"ustar\x0000" + b"\xff" * 100),
        ("cut.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("cut.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("cut.zip", b"PK\x03\x04"),
    ],
)
def test_headers_alone_never_crash(extract, name, data):
    result = extract(data, name)
    assert result.status in ("failed", "partial", "ok", "skipped")
    if result.status == "failed":
        assert result.code and result.message
