"""Plain text: encodings (Arabic code pages included), BOMs, chunking."""

from __future__ import annotations

import codecs

import pytest

from docket.extract.documents.text import BLOCK
from docket.extract.encoding import arabic_score, guess_encoding
from tests.conftest import text_of

LETTER = (
    "من: أبو عمار النعيمي\nالموضوع: طلب تحويل\nالتاريخ: 1440/6/15 هـ\nإلى الأخ المسؤول في الكتيبة\n"
)


@pytest.mark.parametrize(
    ("codec", "expected"),
    [("utf-8", "utf-8"), ("cp1256", "cp1256"), ("iso8859-6", "iso8859-6")],
)
def test_arabic_single_and_multibyte(extract, codec, expected):
    result = extract(LETTER.encode(codec), "letter.txt")
    assert result.status == "ok", result.message
    assert result.metadata["encoding"] == expected
    assert "أبو عمار النعيمي" in text_of(result)
    assert "طلب تحويل" in text_of(result)


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_bom(extract, bom, codec, name):
    result = extract(bom + ("Hijri date ١٤٤٠/٦/١٥ هـ\n" + LETTER).encode(codec), "bom.txt")
    assert result.metadata["encoding"] == name
    text = text_of(result)
    assert "١٤٤٠/٦/١٥" in text and "النعيمي" in text
    assert "\ufeff" not in text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(extract, codec):
    # Mostly Latin, so detection sees it as text; the extractor must still get it right.
    body = "Report of the finance office, third quarter.\nSigned: أبو عمار\n" * 3
    result = extract(body.encode(codec), "nobom.txt")
    assert result.metadata["encoding"] == codec
    assert "Signed: أبو عمار" in text_of(result)


def test_windows_1252(extract):
    result = extract("Café déjà vu — “smart quotes” naïve façade.\n".encode("cp1252"), "w.txt")
    assert result.metadata["encoding"] == "cp1252"
    assert "“smart quotes”" in text_of(result)


def test_scorer_prefers_the_right_arabic_code_page():
    raw = LETTER.encode("cp1256")
    right, wrong = raw.decode("cp1256"), raw.decode("iso8859-6", errors="replace")
    assert arabic_score(right) > arabic_score(wrong)
    iso = LETTER.encode("iso8859-6")
    assert guess_encoding(iso) == "iso8859-6"
    assert guess_encoding(raw) == "cp1256"


def test_large_file_is_split_into_line_blocks(extract):
    line = "سطر عربي طويل نوعا ما للتجربة line\n"
    data = (line * (3 * BLOCK // len(line) + 10)).encode("utf-8")
    result = extract(data, "big.txt")
    assert len(result.segments) >= 3
    assert all(len(s.text) <= BLOCK for s in result.segments)
    assert result.segments[0].part.startswith("lines 1-")
    assert text_of(result).replace("\n\n", "\n").count("line") == data.decode().count("line")


def test_samples(extract, samples):
    folder = samples / "formats"
    assert "“windows”" in text_of(extract(folder / "testTXT_win-1252.txt"))
    utf8 = extract(folder / "testTXTNonASCIIUTF8.txt")
    assert "über den faulen Hund" in text_of(utf8)
    assert "يقفز فوق الكلب" in text_of(utf8)
    assert "c’est comme ci" in text_of(extract(folder / "french.txt"))
