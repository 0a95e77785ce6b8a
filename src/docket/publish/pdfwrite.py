"""Image-only PDFs, written byte by byte so nothing but the pages goes in: no document
information dictionary, no XMP, no producer or dates, no text layer, no fonts. Each page
is one JPEG-compressed image (re-encoded from pixels, so no EXIF survives) filling it."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from PIL import Image

JPEG_QUALITY = 85


def _jpeg(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    # Pixels only: a new image carries no EXIF, ICC profile or comment into the file.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    clean.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


def write_pdf(pages: Iterable[tuple[Image.Image, float]], target: Path) -> int:
    """Write ``(image, dpi)`` pages to ``target``; returns the page count."""
    objects: list[bytes] = []  # object n is objects[n - 1]
    kids: list[int] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    add(b"")  # 1: catalog, filled in last
    add(b"")  # 2: page tree
    for image, dpi in pages:
        image = image.convert("L" if image.mode in ("1", "L", "LA") else "RGB")
        data = _jpeg(image)
        space = b"/DeviceGray" if image.mode == "L" else b"/DeviceRGB"
        width, height = image.size[0] * 72 / dpi, image.size[1] * 72 / dpi
        img = add(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
            % (image.size[0], image.size[1], space, len(data), data)
        )
        draw = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (width, height)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        kids.append(
            add(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                % (width, height, img, content)
            )
        )
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (n, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    target.write_bytes(out.getvalue())
    return len(kids)
