"""Tesseract 5: orientation and script detection (OSD), then recognition with the
languages that script calls for, through one of two engines:

- ``tesserocr``: the C API in-process (``capi.py``), one loaded model per worker and
  language set: the default;
- ``cli``: the ``tesseract`` executable, one process per call (``cli.py``): used when
  ``tesserocr`` cannot be imported or finds no language data, and the reason is kept
  (``Engine.note``: in every OCR'd item's ``ocr`` metadata and in ``docket doctor``).
  ``DOCKET_OCR_ENGINE=cli`` forces it (to compare the two).

Both return Tesseract's TSV rendering, parsed here into lines of words with their
confidences, so the rest of OCR does not know which engine ran.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

from PIL import Image

from docket.extract.ocr import capi, cli
from docket.extract.ocr.errors import OcrError

__all__ = ["Engine", "Line", "OcrError", "Osd", "Reading", "detect_osd", "engine", "read", "tsv"]

# OSD classifies characters in all four orientations until it has seen this many (up to
# five times as many); its cost grows with the count. Tesseract's default of 50 made OSD
# dearer than recognising the page with ``ara``; 20 still turned all of 24 stacked book
# pages (Arabic and English, 0/90/180/270 degrees) the right way, at under half the cost.
OSD_CHARACTERS = 20


@dataclass(slots=True, frozen=True)
class Engine:
    name: str  # "tesserocr", "cli", or "" when no Tesseract at all
    version: str
    tessdata: str | None
    languages: frozenset[str] = field(default_factory=frozenset)
    note: str = ""  # why the executable is used and not the C API


@cache
def engine() -> Engine:
    """The engine OCR runs with in this process, and the languages it can read."""
    folder, langs = cli.languages()
    wanted = os.environ.get("DOCKET_OCR_ENGINE", "").strip().lower()
    note = ""
    if wanted == "cli":
        note = "DOCKET_OCR_ENGINE=cli"
    elif not capi.available():
        note = capi.IMPORT_ERROR or "tesserocr cannot be imported"
    else:
        data = capi.tessdata(folder)
        if data is not None:
            return Engine("tesserocr", capi.version(), data, capi.languages(data))
        note = "tesserocr found no Tesseract language data (set TESSDATA_PREFIX)"
    if cli.binary() is None:
        return Engine("", "", None, frozenset(), note)
    return Engine("cli", cli.version(), folder, langs, note)


def binary() -> str | None:
    """Path of the ``tesseract`` executable, or None when it is not installed."""
    return cli.binary()


def installed_languages() -> frozenset[str]:
    return engine().languages


def version() -> str:
    return engine().version


@dataclass(slots=True)
class Osd:
    rotate: int = 0  # degrees clockwise that make the page upright
    script: str | None = None  # "Arabic", "Latin"… as Tesseract names them
    confidence: float = 0.0


def detect_osd(image: Image.Image, timeout: float) -> Osd:
    """Orientation and script of a page. Pages with too little text for OSD (a short
    line, a stamp) come back as upright with no script: the caller then uses every
    configured language."""
    eng = engine()
    if "osd" not in eng.languages:
        return Osd()
    if eng.name == "tesserocr":
        assert eng.tessdata is not None
        return Osd(*capi.osd(eng.tessdata, image, OSD_CHARACTERS, timeout))
    return Osd(*cli.osd(image, OSD_CHARACTERS, timeout))


@dataclass(slots=True)
class Line:
    key: tuple[int, int, int]  # block, paragraph, line as Tesseract numbers them
    box: tuple[int, int, int, int]  # left, top, right, bottom
    words: list[tuple[str, float]]  # in reading (logical) order, with their confidence

    @property
    def text(self) -> str:
        return " ".join(w for w, _ in self.words)

    @property
    def chars(self) -> int:
        return sum(len(w) for w, _ in self.words)

    @property
    def conf(self) -> float:
        """Mean word confidence (0-100) weighted by word length; 0 with no words."""
        n = self.chars
        return sum(len(w) * c for w, c in self.words) / n if n else 0.0


@dataclass(slots=True)
class Reading:
    langs: str
    lines: list[Line]

    @property
    def conf(self) -> float:
        n = sum(x.chars for x in self.lines)
        return sum(x.conf * x.chars for x in self.lines) / n if n else 0.0

    @property
    def text(self) -> str:
        """Lines one to a row, a blank row between paragraphs, as the text renderer."""
        out: list[str] = []
        for i, line in enumerate(self.lines):
            if i and line.key[:2] != self.lines[i - 1].key[:2]:
                out.append("")
            out.append(line.text)
        return "\n".join(out)


def read(
    image: Image.Image,
    langs: str,
    psm: int,
    timeout: float,
    variables: dict[str, str] | None = None,
) -> Reading:
    """The page's words, line by line in reading order, with Tesseract's confidences:
    its TSV rendering, so text and confidences come from one run."""
    return parse_tsv(tsv(image, langs, psm, timeout, variables), langs)


def tsv(
    image: Image.Image,
    langs: str,
    psm: int,
    timeout: float,
    variables: dict[str, str] | None = None,
) -> str:
    """Tesseract's TSV rendering of ``image`` (word boxes and confidences), from
    whichever engine runs."""
    eng = engine()
    if eng.name == "tesserocr":
        assert eng.tessdata is not None
        return capi.tsv(eng.tessdata, image, langs, psm, variables or {}, timeout)
    if eng.name == "cli":
        return cli.tsv(image, langs, psm, variables or {}, timeout)
    raise OcrError("ocr-failed", "tesseract is not installed")


def parse_tsv(text: str, langs: str) -> Reading:
    lines: dict[tuple[int, int, int], Line] = {}
    for row in text.splitlines():
        cols = row.split("\t")
        if len(cols) != 12 or cols[0] not in ("4", "5"):
            continue  # the header, pages, blocks, paragraphs
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
            left, top, width, height = (int(x) for x in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        if cols[0] == "4":
            lines[key] = Line(key, (left, top, left + width, top + height), [])
        elif cols[11].strip() and key in lines:
            lines[key].words.append((cols[11].strip(), conf))
    return Reading(langs, [x for x in lines.values() if x.words])
