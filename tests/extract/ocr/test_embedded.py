"""Images embedded in office documents and PDFs are child items that OCR reads, end to
end through the CLI: ``docket search`` finds a recognised word in the child image."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fixtures import scans
from tests.helpers import docket, docket_json

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")


def test_docx_picture_of_arabic_text_is_searchable(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    picture = scans.page(["من: أبو عمار النعيمي", "الموضوع: طلب تحويل الرواتب"])
    (src / "annex.docx").write_bytes(
        scans.docx_with_image(["Cover note for the ministry"], picture)
    )
    case = tmp_path / "case"
    docket("ingest", src, "--jobs", "1", case=case)
    hits = docket_json("search", "الرواتب", case=case)["hits"]
    assert [h["path"] for h in hits] == [["src/annex.docx", "word/media/image1.png"]]
    child = docket_json("show", hits[0]["id"], case=case)
    assert (child["type"], child["status"]) == ("png", "ok")
    assert "النعيمي" in child["text"]
    assert child["segments"][0]["part"] == "ocr"
    # the document's own text stays on the document
    own = docket_json("search", "ministry", case=case)["hits"]
    assert [h["path"] for h in own] == [["src/annex.docx"]]


def test_pdf_image_on_a_text_page_is_a_child_with_its_page(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    receipt = scans.page(["Receipt for Jabouri", "Paid 1500 USD"])
    pages = [["Quarterly report, page one"], ["Page two carries the receipt"]]
    (src / "report.pdf").write_bytes(scans.pdf_with_image(pages, receipt, on_page=2))
    case = tmp_path / "case"
    docket("ingest", src, "--jobs", "1", case=case)
    hits = docket_json("search", "Jabouri", case=case)["hits"]
    assert [h["path"] for h in hits] == [["src/report.pdf", "page-2-image-1.png"]]
    child = docket_json("show", hits[0]["id"], case=case)
    assert child["fs"] == {"source": "pdf-image", "page": 2}
    assert child["metadata"]["ocr"]["pages"][0]["langs"] == "eng"
    parent = docket_json("show", child["parent_id"], case=case)
    assert "Quarterly report" in parent["text"]  # the text layer, not OCR
    assert not parent["metadata"].get("pages_without_text")


def test_pdf_images_are_left_alone_with_ocr_off(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    receipt = scans.page(["Receipt for Jabouri", "Paid 1500 USD"])
    (src / "report.pdf").write_bytes(scans.pdf_with_image([["Report"]], receipt, on_page=1))
    case = tmp_path / "case"
    docket("ingest", src, "--no-ocr", case=case)
    status = docket_json("status", case=case)
    assert status["by_type"].get("png", 0) == 0
