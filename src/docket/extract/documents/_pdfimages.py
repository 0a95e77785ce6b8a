"""Images placed on PDF pages that have a text layer become child items, so OCR reads
them: a scanned letter pasted into a report, a photographed receipt, a screenshot.
(A page with no text layer is rendered whole and read by OCR instead; see ``pdf.py``.)

Each child is named ``page-N-image-K.EXT`` and carries the page it sits on
(``meta["page"]``). JPEG and JPEG 2000 streams are kept as they are; other encodings are
decoded by pdfium and written as PNG. Images too small to hold a word (rules, bullets,
icons) are left out, and an image repeated on many pages (a letterhead logo) becomes one
child, on the first page it appears.
"""

from __future__ import annotations

import hashlib
import io

import pypdfium2 as pdfium

from docket.extract.sink import Sink
from docket.model.errors import Code

_IMAGE_OBJECT = 3  # FPDF_PAGEOBJ_IMAGE
MIN_SIDE, MIN_PIXELS = 24, 20_000  # smaller than this holds no readable word
_MAGIC = ((b"\xff\xd8", "jpg"), (b"\x00\x00\x00\x0cjP", "jp2"), (b"\xff\x4f\xff\x51", "j2k"))


def _ext(data: bytes) -> str:
    return next((ext for magic, ext in _MAGIC if data.startswith(magic)), "png")


def image_children(doc: pdfium.PdfDocument, pages: list[int], sink: Sink) -> int:
    """Store the images on ``pages`` (1-based) as children; returns how many."""
    seen: set[str] = set()
    for number in pages:
        try:
            page = doc[number - 1]
        except Exception as exc:
            sink.warn(Code.PAGE_ERROR, f"page {number}: cannot open for its images: {exc}")
            continue
        try:
            k = 0
            for obj in page.get_objects(filter=[_IMAGE_OBJECT], max_depth=2):
                k += 1
                try:
                    width, height = obj.get_px_size()
                    if min(width, height) < MIN_SIDE or width * height < MIN_PIXELS:
                        continue
                    if width * height > sink.limits.max_image_pixels:
                        continue  # the image extractor would refuse it as a bomb anyway
                    buf = io.BytesIO()
                    obj.extract(buf)
                    data = buf.getvalue()
                except Exception as exc:  # one unreadable image is one child lost
                    sink.child_error(
                        f"page-{number}-image-{k}",
                        Code.MEMBER_ERROR,
                        f"{type(exc).__name__}: {exc}",
                        meta={"source": "pdf-image", "page": number},
                    )
                    continue
                digest = hashlib.sha256(data).hexdigest()
                if digest in seen:
                    continue
                seen.add(digest)
                name = f"page-{number}-image-{k}.{_ext(data)}"
                sink.child(name, data, meta={"source": "pdf-image", "page": number})
        finally:
            page.close()
    return len(seen)
