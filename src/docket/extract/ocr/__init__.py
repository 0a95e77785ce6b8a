"""OCR for images and image-only PDF pages: Tesseract 5, per page, cached by image hash.

Per page (``page.py``): orientation and script first, the page turned upright, then
recognition with the configured languages that fit the script (Arabic script: the
Arabic-script languages, then the lines Tesseract is unsure of again with English too,
since Arabic pages carry Latin names and references; Latin script: the Latin-script
languages). Orientation and script are guessed (upright, in the previous page's script,
or for a first page the script of the first configured language) and kept when Tesseract
reads the page surely that way, else Tesseract's OSD decides. One-line images are read
as a raw line (``lines.py``). Digits are post-corrected (``digits.py``).
Results are cached in ``CASE/ocr-cache`` (``cache.py``). A failure is recorded on the
item with ``sink.warn`` (code ``ocr-failed`` or ``timeout``), never dropped. A configured
language without Tesseract data leaves the items that need OCR ``skipped`` with code
``ocr-language-missing`` and the package to install (``docket doctor`` checks it first).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from docket.extract.ocr import tesseract
from docket.extract.ocr.cache import OcrCache
from docket.extract.ocr.correct import correct
from docket.extract.ocr.digits import fix_digits
from docket.extract.ocr.lines import single_line
from docket.extract.ocr.page import Guess, Outcome, langs_for, read_line, read_page
from docket.model.errors import Code
from docket.settings import Settings

OCR_FAILED = "ocr-failed"


# Preparation and correction steps, each on by default; bench/accuracy/ocr.py prints
# the error rate without each one. recover: lines the layout analysis dropped
# (segment.py); punct: Arabic punctuation; lexicon: commas read as a final hamza
# (correct.py); digits: one script per number (digits.py).
STEPS = frozenset({"recover", "punct", "lexicon", "digits"})


@dataclass(slots=True)
class Options:
    langs: str  # "ara+eng": the configured languages, every one installed
    timeout: float  # per page, per Tesseract call
    cache: OcrCache
    steps: frozenset[str] = STEPS


@dataclass(slots=True)
class PageText:
    text: str
    rotate: int
    script: str | None
    langs: str
    cached: bool
    seconds: float


@dataclass(slots=True, frozen=True)
class NoOcr:
    """Why OCR cannot run for a case: the item's code and a message naming the fix."""

    code: str
    message: str


def debian_package(lang: str) -> str:
    """The Debian package holding Tesseract's data for ``lang`` (``chi_sim`` is in
    ``tesseract-ocr-chi-sim``)."""
    return "tesseract-ocr-" + lang.lower().replace("_", "-")


def wanted_languages(settings: Settings) -> list[str]:
    """The configured OCR languages (setting ``ocr_lang``, joined with '+')."""
    return [x for x in (settings.ocr_lang or "ara+eng").replace(",", "+").split("+") if x]


def options(settings: Settings, case_root: Path | None) -> Options | NoOcr:
    """The OCR options for a run, or why OCR cannot run (a code and a message for the item).

    Every configured language must be installed: a page read without one of them comes out
    as confident-looking garbage, which is worse than a page marked as not read."""
    if not settings.ocr:
        return NoOcr(Code.NO_OCR, "OCR is turned off for this case (--no-ocr / setting 'ocr')")
    wanted = wanted_languages(settings)
    if not tesseract.engine().name:
        fix = " ".join(["tesseract-ocr", *map(debian_package, wanted)])
        return NoOcr(Code.NO_OCR, f"tesseract is not installed: apt-get install {fix}")
    have = tesseract.installed_languages()
    missing = [x for x in wanted if x not in have]
    if missing:
        return NoOcr(
            Code.OCR_LANGUAGE_MISSING,
            f"no Tesseract language data for {'+'.join(missing)}: "
            f"apt-get install {' '.join(map(debian_package, missing))} "
            f"(or leave it out of the ocr_lang setting; installed: {' '.join(sorted(have))})",
        )
    cache = OcrCache(case_root / "ocr-cache" if case_root is not None else None)
    return Options("+".join(wanted), settings.ocr_timeout, cache)


def image_key(image: Image.Image) -> str:
    """SHA-256 of the decoded pixels: the same page inside a PDF, a TIFF or a PNG is one
    cache entry, whatever encoder wrote it."""
    h = hashlib.sha256(f"{image.mode}:{image.width}x{image.height}:".encode())
    h.update(image.tobytes())
    return h.hexdigest()


def prepare(image: Image.Image) -> Image.Image:
    """Grayscale, flattened on white."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, "white")
        flat.alpha_composite(rgba)
        image = flat
    return image.convert("L")


_MARKS = str.maketrans("", "", "\u200e\u200f\u202a\u202b\u202c\u202d\u202e")


def ocr_image(image: Image.Image, opts: Options, guess: Guess | None = None) -> PageText:
    """Recognise one page; ``guess``: the previous page's orientation and languages, when
    the page belongs to a document (see ``page.py``). Raises ``tesseract.OcrError`` when
    Tesseract fails."""
    page = prepare(image)
    key = image_key(page) if opts.cache.root is not None else ""  # no cache: no hashing
    hit = opts.cache.get(key, opts.langs)
    if hit is not None:
        return PageText(hit["text"], hit["rotate"], hit["script"], hit["langs"], True, 0.0)
    started = time.monotonic()
    line = single_line(page)
    if line is not None:
        got = Outcome(read_line(line, opts.langs, opts.timeout), 0, None, "")
        got.langs = got.reading.langs
    else:
        got = read_page(page, opts.langs, opts.timeout, guess, recover="recover" in opts.steps)
    # Tesseract wraps Latin runs inside Arabic lines in LRM/RLM marks for display; the
    # stored text is logical order and the terminal applies the bidi algorithm itself.
    text = correct(got.reading.text.translate(_MARKS).strip(), opts.steps)
    if "digits" in opts.steps:
        text = fix_digits(text)
    entry = {"text": text, "rotate": got.rotate, "script": got.script, "langs": got.langs}
    opts.cache.put(key, opts.langs, entry)
    return PageText(text, got.rotate, got.script, got.langs, False, time.monotonic() - started)


def ocr_into(sink: Any, pages: Any, opts: Options, *, label: str = "page") -> dict[str, Any]:
    """OCR ``pages`` (``(number, image)`` pairs, produced lazily) into ``sink`` as
    segments with ``part="ocr"``; failures become warnings. Returns the summary also
    stored as the item's ``ocr`` metadata."""
    engine = tesseract.engine()
    summary: dict[str, Any] = {
        "engine": engine.version,
        # "tesserocr" (in-process) or "cli" (one process per call), and why not in-process
        "ocr_engine": engine.name,
        "engine_note": engine.note,
        "langs": opts.langs,
        "ran": 0,
        "cached": 0,
        "failed": 0,
        "pages": [],
    }
    guess: Guess | None = None
    for number, image in pages:
        # A page may take up to five Tesseract calls; ask the pool for that much time.
        sink.keepalive(5 * opts.timeout + 10)
        try:
            got = ocr_image(image, opts, guess)
        except tesseract.OcrError as exc:
            summary["failed"] += 1
            sink.warn(exc.code, f"{label} {number}: OCR {exc.message}")
            continue
        # the next page is guessed to lie and be written like this one
        guess = (
            Guess(got.rotate, langs_for(got.script, opts.langs), got.script) if got.script else None
        )
        summary["cached" if got.cached else "ran"] += 1
        summary["pages"].append(
            {"page": number, "rotate": got.rotate, "script": got.script, "langs": got.langs}
        )
        sink.text(got.text, page=number, part="ocr")
    if not summary["engine_note"]:
        del summary["engine_note"]
    sink.meta("ocr", summary)
    return summary


def case_root(sink: Any) -> Path | None:
    """The case folder is the blob store's parent (``CASE/blobs``)."""
    root = getattr(getattr(sink, "blobs", None), "root", None)
    return Path(root).parent if root is not None else None
