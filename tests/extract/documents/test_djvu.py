"""DjVu: the hidden text layer page by page; pages without one OCR'd; damaged files
recorded with the tools' reason."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import text_of
from tests.fixtures import djvu, scans

pytestmark = pytest.mark.skipif(not djvu.available(), reason="djvulibre-bin is not installed")
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")

LAYER = ["Executive Orders of the Governor", "أوامر تنفيذية صادرة عن المحافظ"]


def _document() -> bytes:
    return djvu.make_djvu(
        [
            (scans.page(["Executive Orders"]), LAYER),
            (scans.page(["Payment list, 15 February 2019", "Ahmed Jabouri 1500 USD"]), None),
            (scans.page(["من: أبو عمار النعيمي", "الموضوع: طلب تحويل الرواتب"]), None),
        ]
    )


@needs_tesseract
def test_text_layer_then_ocr_page_by_page(extract):
    result = extract(_document(), "orders.djvu")
    assert (result.type, result.mime, result.status) == ("djvu", "image/vnd.djvu", "ok")
    assert result.metadata["pages"] == 3
    by_page = {s.page: s for s in result.segments}
    assert sorted(by_page) == [1, 2, 3]
    # page 1 is its text layer, not OCR
    assert by_page[1].part is None
    assert "Executive Orders of the Governor" in by_page[1].text
    assert "أوامر تنفيذية صادرة عن المحافظ" in by_page[1].text
    assert by_page[2].part == "ocr" and "Jabouri" in by_page[2].text
    assert by_page[3].part == "ocr" and "النعيمي" in by_page[3].text
    assert "pages_without_text" not in result.metadata  # every page has text


def test_text_layer_without_ocr(extract, tmp_path):
    data = djvu.make_djvu([(scans.page(["x"]), LAYER)])
    result = extract(data, "one.djvu")
    assert result.status == "ok", result.message
    assert text_of(result).splitlines()[0] == LAYER[0]


def test_detected_by_content(extract):
    data = djvu.make_djvu([(scans.page(["x"]), LAYER)])
    assert extract(data, "scan.bin").type == "djvu"


def test_damaged_djvu_gets_a_reason(extract):
    data = _document()
    cut = extract(data[:200], "cut.djvu")
    assert (cut.type, cut.status, cut.code) == ("djvu", "failed", "corrupt"), cut.message
    assert "djvused" in cut.message
    junk = extract(b"AT&TFORM\x00\x00\x10\x00DJVUINFO" + b"\xff" * 64, "junk.djvu")
    assert (junk.status, junk.code) == ("failed", "corrupt")
