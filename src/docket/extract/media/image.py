"""Raster images (Pillow): dimensions, format, frames, DPI and EXIF, then kept for OCR.

Dimensions are read from the header and checked against ``max_image_pixels`` before any
pixel is decoded, so a tiny file declaring a 100,000 x 100,000 canvas fails fast as an
image bomb. The first frame is then decoded (JPEG at 1/8 scale) to prove the file is not
truncated. Text then comes from OCR (``docket.extract.ocr``): every page of a multi-page
TIFF, the first frame of other formats (an animated GIF is not a document). With OCR off
or Tesseract missing, the item ends ``skipped`` / ``no-ocr`` with the reason; with a
configured language's data missing, ``skipped`` / ``ocr-language-missing``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image, UnidentifiedImageError

from docket.extract import ocr
from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

_IFD_EXIF, _IFD_GPS = 0x8769, 0x8825
_TAGS = {"Make": "camera_make", "Model": "camera_model", "Software": "software", "Artist": "artist"}


def _bmp(probe: Probe) -> bool:
    head = probe.head
    return head[:2] == b"BM" and len(head) > 26 and head[6:10] == b"\x00\x00\x00\x00"


PNG = FileType(
    "png",
    "image/png",
    "image",
    ("png",),
    magic=((0, b"\x89PNG\r\n\x1a\n"),),
    order=10,
)

JPEG = FileType(
    "jpeg",
    "image/jpeg",
    "image",
    ("jpg", "jpeg", "jpe", "jfif"),
    magic=((0, b"\xff\xd8\xff"),),
    order=10,
)

GIF = FileType(
    "gif",
    "image/gif",
    "image",
    ("gif",),
    magic=((0, b"GIF87a"), (0, b"GIF89a")),
    order=10,
)

TIFF = FileType(
    "tiff",
    "image/tiff",
    "image",
    ("tif", "tiff"),
    magic=((0, b"II*\x00"), (0, b"MM\x00*")),
    order=10,
)

JP2 = FileType(
    "jp2",
    "image/jp2",
    "image",
    ("jp2", "j2k", "jpf", "jpx", "j2c", "jpc"),
    # the JP2 signature box, or a bare JPEG 2000 codestream (SOC then SIZ)
    magic=((0, b"\x00\x00\x00\x0cjP  \r\n\x87\n"), (0, b"\xff\x4f\xff\x51")),
    order=10,
)

BMP = FileType(
    "bmp",
    "image/bmp",
    "image",
    ("bmp", "dib"),
    sniff=_bmp,
    order=20,
)

WEBP = FileType(
    "webp",
    "image/webp",
    "image",
    ("webp",),
    sniff=lambda probe: probe.head[:4] == b"RIFF" and probe.head[8:12] == b"WEBP",
    order=20,
)


class ImageExtractor(Extractor):
    name = "image"
    file_types = (PNG, JPEG, GIF, TIFF, JP2, BMP, WEBP)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        cap = sink.limits.max_image_pixels
        saved = Image.MAX_IMAGE_PIXELS
        # Our own check below replaces Pillow's; both read the header only.
        Image.MAX_IMAGE_PIXELS = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                _read(path, sink, cap)
                opts = ocr.options(sink.settings, ocr.case_root(sink))
                if isinstance(opts, ocr.NoOcr):
                    raise ExtractError(
                        opts.code, f"image kept for OCR: {opts.message}", status="skipped"
                    )
                with Image.open(path) as im:
                    ocr.ocr_into(sink, _pages(im), opts)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            # Pillow reports truncation and bad chunks as OSError/SyntaxError.
            raise ExtractError(Code.CORRUPT, f"image unreadable: {exc}") from exc
        except Image.DecompressionBombError as exc:
            raise ExtractError(Code.IMAGE_BOMB, str(exc)) from exc
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def _pages(im: Image.Image) -> Iterator[tuple[int, Image.Image]]:
    """``(page number, frame)``, decoded one at a time so a long TIFF stays small."""
    frames = getattr(im, "n_frames", 1) if im.format in ("TIFF", "MPO") else 1
    for i in range(frames):
        im.seek(i)
        yield i + 1, im.copy()


def _read(path: Path, sink: Sink, cap: int) -> None:
    with Image.open(path) as im:
        width, height = im.size
        sink.meta("width", width)
        sink.meta("height", height)
        sink.meta("format", im.format)
        sink.meta("mode", im.mode)
        if width * height > cap:
            raise ExtractError(
                Code.IMAGE_BOMB,
                f"{width}x{height} = {width * height} pixels, over the cap of {cap}",
            )
        frames = getattr(im, "n_frames", 1)
        if frames > 1:
            sink.meta("frames", frames)
        if im.format == "TIFF":
            sink.meta("pages", frames)  # a TIFF's frames are the pages of a scanned document
        dpi = im.info.get("dpi")
        if dpi:
            sink.meta("dpi", [round(float(d), 2) for d in dpi])
        _exif(im, sink)
        if im.format == "JPEG":
            im.draft(im.mode, (max(1, width // 8), max(1, height // 8)))  # decode at 1/8 scale
        im.load()


def _exif(im: Image.Image, sink: Sink) -> None:
    try:
        exif = im.getexif()
    except Exception:  # damaged EXIF must not cost the image; it is only metadata
        sink.warn(Code.PAGE_ERROR, "EXIF block unreadable")
        return
    if not exif:
        return
    names = {ExifTags.TAGS.get(k, k): v for k, v in exif.items()}
    try:
        names |= {ExifTags.TAGS.get(k, k): v for k, v in exif.get_ifd(_IFD_EXIF).items()}
        gps = exif.get_ifd(_IFD_GPS)
    except Exception:
        gps = {}
    for tag, key in _TAGS.items():
        if isinstance(names.get(tag), str):
            sink.meta(key, names[tag].strip("\x00 "))
    for tag, key in (("DateTimeOriginal", "taken"), ("DateTime", "modified")):
        when = _exif_date(names.get(tag))
        if when:
            sink.meta(key, when)
    sink.meta("gps", bool(gps))
    if gps:
        lat, lon = _degrees(gps.get(2), gps.get(1)), _degrees(gps.get(4), gps.get(3))
        if lat is not None and lon is not None:
            sink.meta("gps_latitude", lat)
            sink.meta("gps_longitude", lon)


def _exif_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None


def _degrees(dms: Any, ref: Any) -> float | None:
    """EXIF degrees/minutes/seconds rationals to signed decimal degrees."""
    try:
        d, m, s = (float(x) for x in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if str(ref).strip("\x00 ").upper() in ("S", "W"):
        value = -value
    return round(value, 7)
