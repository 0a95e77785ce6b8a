"""Where each word is on a page image, for burning redactions into scans: Tesseract's
word boxes (its TSV output), in reading order within each line."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from docket.extract.ocr import tesseract
from docket.extract.ocr.page import encode


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    box: tuple[int, int, int, int]  # left, top, right, bottom in the image's pixels
    line: tuple[int, int, int]  # block, paragraph, line


def words(image: Image.Image, langs: str, timeout: float = 120) -> list[Word]:
    """Every word Tesseract reads on ``image`` with its box; ``OcrError`` on failure."""
    proc = tesseract._run(["-l", langs, "--psm", "3", "tsv"], encode(image.convert("L")), timeout)
    if proc.returncode != 0:
        raise tesseract.OcrError("ocr-failed", proc.stderr.decode("utf-8", "replace")[-300:])
    out = []
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        line = (int(cols[2]), int(cols[3]), int(cols[4]))
        out.append(Word(cols[11].strip(), (left, top, left + width, top + height), line))
    return out
