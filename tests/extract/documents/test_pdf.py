"""PDF: English and Arabic text by page, metadata, encryption, damage."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from docket.demo.writers.documents import make_pdf
from tests.conftest import text_of
from tests.fixtures import pdfs

pytest.importorskip("reportlab")


@pytest.fixture(scope="module")
def letter_pdf() -> bytes:
    return make_pdf(
        [
            ["Transfer request", "من: أبو عمار النعيمي", "الموضوع: طلب تحويل"],
            ["Second page in English", "التاريخ ١٤٤٠/٦/١٥ هـ"],
            [],
        ],
        author="أبو عمار",
        title="Transfer request",
        creator="Docket writer",
        producer="Docket tests",
        created=datetime(2019, 2, 20, 9, 30),
        modified=datetime(2019, 3, 1, 8, 0),
    )


def test_pages_and_arabic_in_logical_order(extract, letter_pdf):
    result = extract(letter_pdf, "letter.pdf")
    assert result.status == "ok", result.message
    pages = {s.page: s.text for s in result.segments}
    assert "Transfer request" in pages[1]
    # Logical order and base letters, not reversed glyph runs or presentation forms.
    assert "من: أبو عمار النعيمي" in pages[1]
    assert "الموضوع: طلب تحويل" in pages[1]
    assert "Second page in English" in pages[2]
    assert "١٤٤٠/٦/١٥" in pages[2]
    assert not any("\ufb50" <= ch <= "\ufeff" for ch in text_of(result))
    assert result.metadata["pages"] == 3
    assert result.metadata["pages_without_text"] == [3]


def test_metadata(extract, letter_pdf):
    meta = extract(letter_pdf, "letter.pdf").metadata
    assert meta["author"] == "أبو عمار"
    assert meta["title"] == "Transfer request"
    assert meta["application"] == "Docket writer"
    assert meta["created"] == "2019-02-20T09:30:00+00:00"
    assert meta["modified"].startswith("2019-03-01T08:00:00")


def test_user_password_is_encrypted(extract):
    data = make_pdf([["secret list"]], user_password="s3cret")
    result = extract(data, "locked.pdf")
    assert (result.status, result.code) == ("encrypted", "encrypted")


def test_truncated_pdf_fails_with_code(extract, letter_pdf):
    result = extract(letter_pdf[:300], "cut.pdf")
    assert result.status in ("failed", "partial")
    assert result.code in ("corrupt", "page-error", "truncated")


def test_garbage_after_header_fails_cleanly(extract):
    result = extract(b"%PDF-1.4\n" + bytes(range(256)) * 20, "junk.pdf")
    assert (result.status, result.code) == ("failed", "corrupt")


def test_samples(extract, samples):
    folder = samples / "formats"
    protected = extract(folder / "testPDF_protected.pdf")  # owner password only: readable
    assert "RETHINKING THE FINANCIAL NETWORK" in text_of(protected)
    assert protected.metadata["author"] == "The Bank of England"
    for name in ("testPassword4Spaces.pdf", "testUnicodePassword.pdf"):
        assert extract(folder / name).status == "encrypted"
    attachments = extract(folder / "testPDF_deeplyEmbeddedAttachments.pdf")
    assert attachments.children
    scanned = extract(folder / "testOCR.pdf")  # one image-only page: OCR reads it
    if shutil.which("tesseract"):
        assert "Happy New Year 2003" in text_of(scanned)
        assert scanned.segments[0].part == "ocr"
    else:
        assert scanned.metadata["pages_without_text"] == [1]
    for path in folder.glob("*.pdf"):
        assert extract(path).status in ("ok", "partial", "failed", "encrypted")


def test_one_bad_page_is_a_warning(extract, letter_pdf, monkeypatch):
    from docket.extract.documents import pdf

    real = pdf.page_text

    def flaky(doc, index):
        if index == 1:
            raise RuntimeError("damaged content stream")
        return real(doc, index)

    monkeypatch.setattr(pdf, "page_text", flaky)
    result = extract(letter_pdf, "flaky.pdf")
    assert (result.status, result.code) == ("partial", "page-error")
    assert "page 2" in result.message
    assert {s.page for s in result.segments} == {1}


LINES = [
    "Ingestors extract useful information",
    "in a structured standard format.",
    "Payment list, 15 February 2019",
    "Ahmed Jabouri paid 1500 USD to the",
    "northern office on Monday morning.",
]
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")


@needs_tesseract
@pytest.mark.parametrize("mapping", [pdfs.private_use, pdfs.shifted])
def test_garbled_text_layer_is_ocrd_instead(extract, mapping):
    result = extract(pdfs.garbled_pdf([LINES, LINES[:2]], mapping), "type3.pdf")
    assert result.status == "ok", result.message
    assert result.metadata["garbled_pages"] == [1, 2]
    assert result.metadata["ocr_instead"] == [1, 2]
    by_page = {s.page: s for s in result.segments}
    assert by_page[1].part == "ocr" and "Jabouri" in by_page[1].text
    assert "useful information" in by_page[2].text
    assert "\ue049" not in text_of(result) and "Lqjhvwruv" not in text_of(result)


def test_garbled_layer_kept_when_ocr_is_off(tmp_path):
    from docket.acquire.blobstore import BlobStore
    from docket.extract.run import extract_file
    from docket.settings import DEFAULTS

    path = tmp_path / "type3.pdf"
    path.write_bytes(pdfs.garbled_pdf([LINES], pdfs.shifted))
    result = extract_file(
        path,
        BlobStore(tmp_path / "blobs"),
        extension="pdf",
        size=path.stat().st_size,
        name=path.name,
        settings=DEFAULTS.replace(ocr=False),
    )
    assert result.metadata["garbled_pages"] == [1]
    assert "ocr_instead" not in result.metadata
    assert "Lqjhvwruv" in text_of(result)  # the layer as it is: better than nothing


def test_good_text_layers_are_not_ocrd(extract, letter_pdf):
    faithful = extract(pdfs.garbled_pdf([LINES], pdfs.faithful), "fine.pdf")
    assert "garbled_pages" not in faithful.metadata
    assert faithful.segments[0].part is None and "Jabouri" in faithful.segments[0].text
    arabic = extract(letter_pdf, "letter.pdf")  # Arabic and English pages
    assert "garbled_pages" not in arabic.metadata
    assert all(s.part != "ocr" for s in arabic.segments)


def test_a_pdf_stored_first_in_an_archive_leaves_the_archive_an_archive(tmp_path) -> None:
    """A tar, rar or 7z holding a small PDF first has "%PDF-" within its first KiB: it is
    still the archive, with the PDF a member; junk before a PDF's header is still a PDF."""
    from docket.extract.detect import detect
    from tests.fixtures.hostile import tar_of
    from tests.fixtures.parity import seven_zip
    from tests.fixtures.rar import rar4

    pdf = make_pdf([["Quarterly report"]])
    files = {
        "a.tar": (tar_of({"report.pdf": pdf}), "tar"),
        "a.rar": (rar4([("report.pdf", pdf)]), "rar"),
        "a.7z": (seven_zip({"report.pdf": pdf[:200]}), "7z"),
        "prefixed.pdf": (b"HTTP/1.1 200 OK\r\n\r\n" + pdf, "pdf"),
    }
    for name, (data, kind) in files.items():
        (tmp_path / name).write_bytes(data)
        assert detect(tmp_path / name).type == kind, name


def test_properties_only_in_xmp_are_read(extract) -> None:
    """A PDF with no Info dictionary keeps its title, authors, times and document id in
    the XMP packet its catalog names; the x-default title of several languages is taken."""
    from tests.fixtures.parity import xmp_pdf

    result = extract(xmp_pdf("تقرير الفرع الشمالي"), "xmp.pdf")
    assert result.status == "ok"
    meta = result.metadata
    assert meta["title"] == "تقرير الفرع الشمالي"
    assert meta["author"] == "Adobe Systems Incorporated"
    assert meta["created"].startswith("2022-02-21T11:04:24")
    assert meta["document_id"] == "uuid:2787bba1-e336-4796-830c-a96ae8465299"


def test_no_xmp_gives_no_document_id_and_a_packet_with_entities_gives_nothing(extract) -> None:
    from tests.fixtures.parity import xmp_pdf

    data = make_pdf([["Ledger"]], title="Ledger of March", author="Abu Ammar")
    assert "document_id" not in extract(data, "plain.pdf").metadata
    laughs = xmp_pdf("&lol9;").replace(
        b"<x:xmpmeta",
        b'<!DOCTYPE x [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;&lol;">]><x:xmpmeta',
    )
    result = extract(laughs, "laughs.pdf")
    assert result.status == "ok"
    assert "lol" not in str(result.metadata.get("title", ""))
