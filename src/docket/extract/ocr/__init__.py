"""OCR for images and image-only PDF pages: Tesseract 5, per page, cached by image hash.

Per page: orientation and script first (Tesseract OSD), the page turned upright, then
recognition with the configured languages that fit the script (Arabic script: the
Arabic-script languages plus English, since Arabic letters carry Latin names and numbers;
Latin script: the Latin-script languages). Digits are post-corrected (``digits.py``).
Results are cached in ``CASE/ocr-cache`` (``cache.py``). A failure is recorded on the
item with ``sink.warn`` (code ``ocr-failed`` or ``timeout``), never dropped.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from docket.extract.ocr import tesseract
from docket.extract.ocr.cache import OcrCache
from docket.extract.ocr.digits import fix_digits
from docket.extract.ocr.lines import single_line

OCR_FAILED = "ocr-failed"
_ARABIC_SCRIPT = frozenset({"ara", "fas", "urd", "pus", "kur", "uig", "snd"})
_SURE = 50.0  # mean word confidence above which a line's first reading is kept


@dataclass(slots=True)
class Options:
    langs: str  # "ara+eng": the configured languages that are installed
    timeout: float  # per page, per Tesseract call
    cache: OcrCache


@dataclass(slots=True)
class PageText:
    text: str
    rotate: int
    script: str | None
    langs: str
    cached: bool
    seconds: float


def options(settings: dict[str, Any], case_root: Path | None) -> Options | str:
    """The OCR options for a run, or the reason OCR cannot run (a message for the item)."""
    if not settings.get("ocr", True):
        return "OCR is turned off for this case (--no-ocr / setting 'ocr')"
    if tesseract.binary() is None:
        return "tesseract is not installed (Debian: tesseract-ocr, tesseract-ocr-ara)"
    wanted = [
        x for x in str(settings.get("ocr_lang") or "ara+eng").replace(",", "+").split("+") if x
    ]
    have = tesseract.installed_languages()
    langs = [x for x in wanted if x in have]
    if not langs:
        return f"no Tesseract language data for {'+'.join(wanted)} (installed: {' '.join(sorted(have))})"
    cache = OcrCache(case_root / "ocr-cache" if case_root is not None else None)
    return Options("+".join(langs), float(settings.get("ocr_timeout", 120.0)), cache)


def image_key(image: Image.Image) -> str:
    """SHA-256 of the decoded pixels: the same page inside a PDF, a TIFF or a PNG is one
    cache entry, whatever encoder wrote it."""
    h = hashlib.sha256(f"{image.mode}:{image.width}x{image.height}:".encode())
    h.update(image.tobytes())
    return h.hexdigest()


def _langs_for(script: str | None, langs: str) -> str:
    all_ = langs.split("+")
    if script == "Arabic":
        # keep Latin-script languages too: mixed pages (names, references) are the rule
        return langs
    if script in ("Latin", "Cyrillic", "Greek") or script is None:
        picked = [x for x in all_ if x not in _ARABIC_SCRIPT] if script else all_
        return "+".join(picked or all_)
    return langs


def prepare(image: Image.Image) -> Image.Image:
    """Grayscale, flattened on white."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, "white")
        flat.alpha_composite(rgba)
        image = flat
    return image.convert("L")


# Tesseract decodes the file again at once: deflate's cheapest level keeps the write fast.
_PNG_LEVEL = 1
_MARKS = str.maketrans("", "", "\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
_TILES = 4


def _osd(page: Image.Image, path: Path, timeout: float) -> tesseract.Osd:
    """OSD wants a few hundred characters; a short letter or a receipt has fewer and gets
    no answer. Then the page is tiled a few times along its lines' direction (copies of
    the same text, same orientation) and asked again."""
    osd = tesseract.detect_osd(path, timeout)
    if osd.script is not None:
        return osd
    wide = page.width >= page.height
    size = (page.width, page.height * _TILES) if wide else (page.width * _TILES, page.height)
    tiled = Image.new("L", size, 255)
    for i in range(_TILES):
        tiled.paste(page, (0, i * page.height) if wide else (i * page.width, 0))
    tiled_path = path.with_name("tiled.png")
    tiled.save(tiled_path, compress_level=_PNG_LEVEL)
    return tesseract.detect_osd(tiled_path, timeout)


def _read_line(path: Path, opts: Options) -> tuple[str, str]:
    """One line, with no OSD to name its script (it needs more text than a line): read
    it with the Arabic-script languages alone, and when Tesseract is unsure of that
    reading (``_SURE``), with the Latin-script ones too, keeping the Latin reading only
    when Tesseract is sure of it and surer than of the Arabic one. The
    Arabic model has no Latin letters, so a Latin line read with it comes back as Arabic
    letters with a low confidence (under 35 on generated English lines; printed Arabic
    lines in bench/ocr.py score 75 at the median). Measured on those lines: ``ara``
    alone has half the character errors of ``ara+eng``; raw-line mode (psm 13): see
    ``lines.py``."""
    arabic = "+".join(x for x in opts.langs.split("+") if x in _ARABIC_SCRIPT)
    latin = "+".join(x for x in opts.langs.split("+") if x not in _ARABIC_SCRIPT)
    if not arabic or not latin:
        return opts.langs, tesseract.recognise(path, opts.langs, 13, opts.timeout)
    raw, conf = tesseract.recognise_scored(path, arabic, 13, opts.timeout)
    if conf >= _SURE:
        return arabic, raw
    other, other_conf = tesseract.recognise_scored(path, latin, 13, opts.timeout)
    return (latin, other) if other_conf >= _SURE and other_conf > conf else (arabic, raw)


def ocr_image(image: Image.Image, opts: Options) -> PageText:
    """Recognise one page. Raises ``tesseract.OcrError`` when Tesseract fails."""
    page = prepare(image)
    key = image_key(page)
    hit = opts.cache.get(key, opts.langs)
    if hit is not None:
        return PageText(hit["text"], hit["rotate"], hit["script"], hit["langs"], True, 0.0)
    started = time.monotonic()
    line = single_line(page)
    with tempfile.TemporaryDirectory(prefix="docket-ocr-") as tmp:
        path = Path(tmp) / "page.png"
        (page if line is None else line).save(path, compress_level=_PNG_LEVEL)
        osd = _osd(page, path, opts.timeout) if line is None else tesseract.Osd()
        if osd.rotate and osd.confidence >= 1.0:
            # OSD's Rotate is clockwise; Pillow turns counter-clockwise.
            page.rotate(-osd.rotate, expand=True).save(path, compress_level=_PNG_LEVEL)
        if line is not None:
            langs, raw = _read_line(path, opts)
        else:
            langs = _langs_for(osd.script, opts.langs)
            raw = tesseract.recognise(path, langs, 3, opts.timeout)
    # Tesseract wraps Latin runs inside Arabic lines in LRM/RLM marks for display; the
    # stored text is logical order and the terminal applies the bidi algorithm itself.
    text = fix_digits(raw.replace("\f", "").translate(_MARKS).strip())
    entry = {"text": text, "rotate": osd.rotate, "script": osd.script, "langs": langs}
    opts.cache.put(key, opts.langs, entry)
    return PageText(text, osd.rotate, osd.script, langs, False, time.monotonic() - started)


def ocr_into(sink: Any, pages: Any, opts: Options, *, label: str = "page") -> dict[str, Any]:
    """OCR ``pages`` (``(number, image)`` pairs, produced lazily) into ``sink`` as
    segments with ``part="ocr"``; failures become warnings. Returns the summary also
    stored as the item's ``ocr`` metadata."""
    summary: dict[str, Any] = {
        "engine": tesseract.version(),
        "langs": opts.langs,
        "ran": 0,
        "cached": 0,
        "failed": 0,
        "pages": [],
    }
    for number, image in pages:
        # Each page may take up to two Tesseract calls; ask the pool for that much time.
        sink.keepalive(2 * opts.timeout + 10)
        try:
            got = ocr_image(image, opts)
        except tesseract.OcrError as exc:
            summary["failed"] += 1
            sink.warn(exc.code, f"{label} {number}: OCR {exc.message}")
            continue
        summary["cached" if got.cached else "ran"] += 1
        summary["pages"].append(
            {"page": number, "rotate": got.rotate, "script": got.script, "langs": got.langs}
        )
        sink.text(got.text, page=number, part="ocr")
    sink.meta("ocr", summary)
    return summary


def case_root(sink: Any) -> Path | None:
    """The case folder is the blob store's parent (``CASE/blobs``)."""
    root = getattr(getattr(sink, "blobs", None), "root", None)
    return Path(root).parent if root is not None else None
