"""Character error rate on the printed Arabic books of ``../shared/samples/ocr-arabic*``
(skipped where the samples are absent): a guard against regressions, on a few lines of
each book, with a bound well above the figures ``bench/accuracy/ocr.py`` prints."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image
from rigour.text.distance import raw_levenshtein

from docket.extract import ocr
from docket.extract.ocr.cache import OcrCache
from docket.text.normalize import normalize

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"
BOOKS = [
    SAMPLES / "ocr-arabic",
    SAMPLES / "ocr-arabic-more" / "Yacqubi.Tarikh",
    SAMPLES / "ocr-arabic-more" / "Dhahabi.Tarikh",
]


def folded(s: str) -> str:
    return " ".join(normalize(s).split())


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
@pytest.mark.parametrize("book", BOOKS, ids=lambda p: p.name)
def test_printed_arabic_lines_are_read_within_the_error_bound(book: Path) -> None:
    if not book.is_dir():
        pytest.skip(f"no samples at {book}")
    opts = ocr.Options("ara+eng", 120.0, OcrCache(None))
    errors = chars = 0
    for path in sorted(book.glob("*.png"))[:20]:
        with Image.open(path) as im:
            got = folded(ocr.ocr_image(im, opts).text)
        truth = folded(path.with_suffix(".gt.txt").read_text("utf-8"))
        errors += raw_levenshtein(got, truth)
        chars += len(truth)
    assert errors / chars <= 0.12
