"""Tesseract in-process through its C API (``tesserocr``): one loaded model per worker
process and language set, kept for the life of the process, so a page costs only its
recognition: no process start and no model load per page (about 50 ms a line image
through the executable, more than reading the line).

``tesserocr`` is built from source against the system's libtesseract (``make install``
passes ``--no-binary tesserocr``; Debian ``libtesseract-dev``), so the in-process engine
is the very Tesseract the executable runs and reads the same. Its PyPI wheel bundles
Tesseract 5.5.4 instead, which read four pages of Kitab al-Hayawan (``bench/ocr.py
--pages``, 60 lines) with 9.5% character errors against Debian 5.3.0's 8.4%; it works,
with those results.
Debian's build uses OpenMP: ``OMP_THREAD_LIMIT=1`` is set before the library loads, so
N workers run N threads. The language data is the system's, found by ``tessdata()``. A
worker's wall-clock timeout and memory cap fence it as they fence any extractor;
``Recognize`` also gets the page's timeout and gives up cleanly.

An image with no resolution of its own gets resolution 0, so Tesseract estimates it
from the text size as the executable does: tesserocr otherwise hands Tesseract a bitmap
stamped 96 dpi, and a book page read that way had 15.7% character errors instead of
the executable's 8.4%.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image

from docket.extract.ocr.errors import OcrError

# before libgomp loads with libtesseract: it reads the limit once, at load time
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

try:
    import tesserocr
except ImportError as exc:  # recorded as the reason the executable is used instead
    tesserocr = None
    IMPORT_ERROR: str | None = f"tesserocr cannot be imported ({exc})"
else:
    IMPORT_ERROR = None

# Where Debian, Fedora/Homebrew-style and source installs keep the language data; the
# wheel's own compiled-in default points into its build tree.
_TESSDATA = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
# Loaded models, by (process, languages): a forked worker must not share its parent's.
_APIS: dict[tuple[int, str], Any] = {}


def available() -> bool:
    return tesserocr is not None


def version() -> str:
    if tesserocr is None:
        return ""
    first = tesserocr.tesseract_version().splitlines()[0].strip()
    return f"{first} (tesserocr {tesserocr.__version__})"


@cache
def tessdata(hint: str | None = None) -> str | None:
    """The language data folder: ``TESSDATA_PREFIX``, the executable's own (``hint``),
    then the usual places; the first that holds any ``.traineddata``."""
    for folder in (os.environ.get("TESSDATA_PREFIX"), hint, *_TESSDATA):
        if folder and any(Path(folder).glob("*.traineddata")):
            return str(folder)
    return None


def languages(folder: str | None) -> frozenset[str]:
    if folder is None:
        return frozenset()
    return frozenset(
        p.name.removesuffix(".traineddata") for p in Path(folder).glob("*.traineddata")
    )


def _api(folder: str, langs: str) -> Any:
    key = (os.getpid(), langs)
    api = _APIS.get(key)
    if api is None:
        assert tesserocr is not None
        try:
            api = tesserocr.PyTessBaseAPI(path=folder.rstrip("/") + "/", lang=langs)
        except RuntimeError as exc:
            raise OcrError("ocr-failed", f"Tesseract could not load {langs}: {exc}") from exc
        _APIS[key] = api
    return api


def _set(api: Any, image: Image.Image, psm: int, variables: dict[str, str]) -> None:
    api.SetPageSegMode(psm)
    for name, value in variables.items():
        api.SetVariable(name, value)
    if image.mode == "L":  # the pixels as they are: no BMP written and read back
        api.SetImageBytes(image.tobytes(), image.width, image.height, 1, image.width)
    else:
        api.SetImage(image)
    dpi = image.info.get("dpi")
    api.SetSourceResolution(round(dpi[0]) if dpi and dpi[0] >= 70 else 0)


def osd(
    folder: str, image: Image.Image, characters: int, timeout: float
) -> tuple[int, str | None, float]:
    """``(rotate, script, confidence)``; upright with no script when OSD finds too little."""
    api = _api(folder, "osd")
    _set(api, image, 0, {"min_characters_to_try": str(characters)})
    try:
        found = api.DetectOrientationScript()
    except RuntimeError:
        found = None
    if not found:
        return 0, None, 0.0
    # tesserocr gives the page's orientation; the executable prints the turn that undoes it
    rotate = (360 - int(found["orient_deg"])) % 360
    return rotate, found.get("script_name") or None, float(found.get("orient_conf", 0.0))


def tsv(
    folder: str,
    image: Image.Image,
    langs: str,
    psm: int,
    variables: dict[str, str],
    timeout: float,
) -> str:
    """Tesseract's TSV rendering of ``image``, as the executable's ``tsv`` output."""
    api = _api(folder, langs)
    _set(api, image, psm, variables)
    try:
        if not api.Recognize(int(timeout * 1000)):
            raise OcrError("timeout", f"Tesseract ran past {timeout:g} s and was stopped")
        return str(api.GetTSVText(0))
    except RuntimeError as exc:
        raise OcrError("ocr-failed", f"Tesseract failed: {exc}") from exc
