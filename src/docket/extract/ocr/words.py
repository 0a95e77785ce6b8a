"""Where each word is on a page image, for burning redactions into scans: Tesseract's
word boxes (its TSV output), in reading order within each line."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from docket.extract.ocr import tesseract


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    box: tuple[int, int, int, int]  # left, top, right, bottom in the image's pixels
    line: tuple[int, int, int]  # block, paragraph, line


def words(image: Image.Image, langs: str, timeout: float = 120) -> list[Word]:
    """Every word Tesseract reads on ``image`` with its box; ``OcrError`` on failure."""
    out = []
    for row in tesseract.tsv(image.convert("L"), langs, 3, timeout).splitlines():
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        line = (int(cols[2]), int(cols[3]), int(cols[4]))
        out.append(Word(cols[11].strip(), (left, top, left + width, top + height), line))
    return out
