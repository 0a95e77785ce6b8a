"""OCR with the real Tesseract on generated scans: rotation, scripts, TIFF pages,
image-only PDFs, the cache, and OCR turned off."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from docket.acquire.blobstore import BlobStore
from docket.extract.ocr import page as ocr_page
from docket.extract.ocr import segment
from docket.extract.ocr.digits import fix_digits
from docket.extract.run import extract_file
from docket.settings import DEFAULTS
from tests.conftest import text_of
from tests.fixtures import scans

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
LETTER = ["من: أبو عمار النعيمي", "الموضوع: طلب تحويل الرواتب", "بتاريخ 20 شباط 2019"]


def run(tmp: Path, data: bytes, name: str, **settings: Any):
    path = tmp / name
    path.write_bytes(data)
    blobs = BlobStore(tmp / "case" / "blobs")
    return extract_file(
        path,
        blobs,
        extension=name.rsplit(".", 1)[1],
        size=len(data),
        name=name,
        settings=DEFAULTS.replace(**settings),
    )


def test_digit_runs_are_made_one_script() -> None:
    assert fix_digits("التاريخ ١٤4٠/٦/١٥") == "التاريخ ١٤٤٠/٦/١٥"
    assert fix_digits("total 15٠0 USD") == "total 1500 USD"
    assert fix_digits("٢٠١٩ and 2019") == "٢٠١٩ and 2019"  # consistent runs are kept


def test_pages_with_large_print_are_scaled_to_the_text_height_tesseract_reads_best() -> None:
    """Line height from the page's ink, along the rows or (a page lying sideways) the
    columns; a page of big print is scaled down to about ``TEXT_HEIGHT``; a page with
    too few lines to tell, or print already that size, is left alone."""
    big = scans.page(LETTER + LETTER, size=90, width=2400)
    height = segment.line_height(big)
    assert height is not None and 90 <= height <= 140
    assert segment.line_height(big.rotate(90, expand=True)) == height
    small = ocr_page.shrink(big)
    assert abs(segment.line_height(small) - ocr_page.TEXT_HEIGHT) <= 6  # type: ignore[operator]
    assert small.width < big.width
    normal = scans.page(LETTER + LETTER, size=30)
    assert ocr_page.shrink(normal) is normal
    two_lines = scans.page(LETTER[:2], size=90, width=2400)
    assert segment.line_height(two_lines) is None and ocr_page.shrink(two_lines) is two_lines


@needs_tesseract
def test_a_page_of_big_arabic_print_is_read(tmp_path: Path) -> None:
    result = run(tmp_path, scans.encode(scans.page(LETTER, size=110, width=2600)), "big.png")
    assert result.status == "ok", result.message
    text = text_of(result)
    assert "النعيمي" in text and "الرواتب" in text and "شباط" in text


@needs_tesseract
def test_upside_down_arabic_scan_is_turned_and_read(tmp_path: Path) -> None:
    result = run(tmp_path, scans.encode(scans.page(LETTER, rotate=180)), "letter.png")
    assert result.status == "ok", result.message
    text = text_of(result)
    assert "النعيمي" in text and "الرواتب" in text
    seg = result.segments[0]
    assert (seg.page, seg.part) == (1, "ocr")
    page = result.metadata["ocr"]["pages"][0]
    assert page["rotate"] == 180 and page["script"] == "Arabic"


@needs_tesseract
def test_multipage_tiff_keeps_page_numbers(tmp_path: Path) -> None:
    pages = [
        scans.page(["Payment list, 15 February 2019", "Ahmed Jabouri 1500 USD"], blur=0.6),
        scans.page(LETTER, rotate=90),
    ]
    result = run(tmp_path, scans.tiff_pages(pages), "batch.tif")
    assert result.status == "ok", result.message
    by_page = {s.page: s.text for s in result.segments}
    assert "Jabouri" in by_page[1] and "February" in by_page[1]
    assert "النعيمي" in by_page[2]
    # an Arabic page is read with the Arabic model alone: English would swap its unsure
    # words for Latin letters
    assert [p["langs"] for p in result.metadata["ocr"]["pages"]] == ["eng", "ara"]
    assert [p["rotate"] for p in result.metadata["ocr"]["pages"]] == [0, 90]


@needs_tesseract
def test_one_line_latin_scans_with_digits_are_read_as_latin(tmp_path: Path) -> None:
    """The Arabic model read the digits of these lines confidently enough (conf 50-54)
    to keep its reading, "3 5630 ع5 01 2 06م", for pages 2, 4, 6 and 10 of a batch."""
    pages = [scans.page([f"Page {n} of the scanned batch"]) for n in (2, 4, 6, 10)]
    result = run(tmp_path, scans.tiff_pages(pages), "batch.tif")
    by_page = {s.page: s.text.strip() for s in result.segments}
    assert by_page == {i: f"Page {n} of the scanned batch" for i, n in enumerate((2, 4, 6, 10), 1)}


@needs_tesseract
@pytest.mark.parametrize("first", ["arabic", "english"])
def test_mixed_page_reads_both_scripts(tmp_path: Path, first: str) -> None:
    arabic = [*LETTER, "اجتمعت اللجنة يوم الاثنين لمراجعة التحويلات"]
    english = [
        "Payment list, 15 February 2019",
        "Ahmed Jabouri 1500 USD to the northern office",
        "The committee met on Monday to review the transfers",
    ]
    lines = arabic + english if first == "arabic" else english + arabic
    result = run(tmp_path, scans.encode(scans.page(lines)), "mixed.png")
    assert result.status == "ok", result.message
    text = text_of(result)
    for word in ("النعيمي", "الرواتب", "شباط", "اللجنة", "Jabouri", "February", "committee"):
        assert word in text, word
    assert result.metadata["ocr"]["pages"][0]["langs"] == "ara+eng"


@needs_tesseract
def test_a_line_of_latin_names_on_an_arabic_page_keeps_both_scripts(tmp_path: Path) -> None:
    """An Arabic page is read with ``ara``; a line mostly in Latin letters comes out
    unsure and is read again with ``ara+eng``, which keeps its Arabic words too."""
    lines = [
        *LETTER,
        "تحويل إلى Ahmed Jabouri في Mosul office",
        "اجتمعت اللجنة يوم الاثنين لمراجعة التحويلات",
        "وقررت اللجنة صرف الرواتب في موعدها",
    ]
    result = run(tmp_path, scans.encode(scans.page(lines)), "mixed-line.png")
    assert result.status == "ok", result.message
    text = text_of(result)
    for word in ("النعيمي", "اللجنة", "Jabouri", "Mosul", "تحويل"):
        assert word in text, word
    assert result.metadata["ocr"]["pages"][0]["langs"] == "ara+eng"


@needs_tesseract
@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_english_page_in_any_orientation(tmp_path: Path, rotate: int) -> None:
    lines = ["Payment list, 15 February 2019", "Ahmed Jabouri 1500 USD", "Signed by Nuaimi"]
    result = run(tmp_path, scans.encode(scans.page(lines, rotate=rotate)), "list.png")
    assert result.status == "ok", result.message
    text = text_of(result)
    assert "Jabouri" in text and "February" in text and "Nuaimi" in text
    assert result.metadata["ocr"]["pages"][0]["langs"] == "eng"


@needs_tesseract
def test_image_only_pdf_pages_are_ocrd_and_cached(tmp_path: Path) -> None:
    pdf = scans.image_pdf([scans.page(LETTER), scans.page(["Signed by Nuaimi", "Annex"])])
    first = run(tmp_path, pdf, "scan.pdf")
    assert first.status == "ok", first.message
    assert {s.page for s in first.segments} == {1, 2}
    assert "النعيمي" in first.segments[0].text and "Nuaimi" in first.segments[1].text
    assert first.metadata["ocr"]["ran"] == 2
    cache = tmp_path / "case" / "ocr-cache"
    entries = sorted(cache.glob("*.json"))
    assert len(entries) == 2
    stamps = [e.stat().st_mtime_ns for e in entries]
    again = run(tmp_path, pdf, "copy.pdf")
    assert again.metadata["ocr"]["ran"] == 0 and again.metadata["ocr"]["cached"] == 2
    assert text_of(again) == text_of(first)
    assert [e.stat().st_mtime_ns for e in entries] == stamps  # no second Tesseract run


def test_ocr_off_leaves_images_skipped_with_the_reason(tmp_path: Path) -> None:
    result = run(tmp_path, scans.encode(scans.page(["hello"])), "a.png", ocr=False)
    assert (result.status, result.code) == ("skipped", "no-ocr")
    assert "turned off" in (result.message or "")


@needs_tesseract
def test_missing_language_data_is_reported(tmp_path: Path) -> None:
    result = run(tmp_path, scans.encode(scans.page(["hello"])), "a.png", ocr_lang="xyz")
    assert (result.status, result.code) == ("skipped", "ocr-language-missing")
    assert "no Tesseract language data for xyz" in (result.message or "")


@needs_tesseract
def test_one_missing_language_skips_the_image_naming_the_package(tmp_path: Path) -> None:
    # ara is installed, xyz_old is not: the image is not read with ara alone
    png = scans.encode(scans.page(LETTER))
    result = run(tmp_path, png, "a.png", ocr_lang="ara+xyz_old")
    assert (result.status, result.code) == ("skipped", "ocr-language-missing")
    assert "apt-get install tesseract-ocr-xyz-old" in (result.message or "")
    assert not result.segments


@needs_tesseract
def test_a_scanned_pdf_with_a_missing_language_says_which_package(tmp_path: Path) -> None:
    pdf = scans.image_pdf([scans.page(["hello"])])
    result = run(tmp_path, pdf, "scan.pdf", ocr_lang="eng+xyz")
    assert (result.status, result.code) == ("partial", "ocr-language-missing")
    assert "apt-get install tesseract-ocr-xyz" in (result.message or "")


def test_first_page_guess_follows_the_order_of_the_configured_languages() -> None:
    from docket.extract.ocr.page import first_guess

    assert (first_guess("ara+eng").langs, first_guess("ara+eng").script) == ("ara", "Arabic")
    assert (first_guess("eng+ara").langs, first_guess("eng+ara").script) == ("eng", "Latin")
    assert first_guess("fra").langs == "fra"
