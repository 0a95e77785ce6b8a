"""Images: metadata recorded, bombs refused from the header, then kept for OCR."""

from __future__ import annotations

import io
import shutil
import time

import pytest
from PIL import Image

from docket.extract.sink import Limits
from tests.conftest import text_of
from tests.fixtures import hostile as h
from tests.fixtures import scans


def encoded(fmt: str, size=(40, 30), **kwargs) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buf, fmt, **kwargs)
    return buf.getvalue()


def test_formats_read_with_dimensions_then_ocr(extract):
    for fmt, key in (
        ("PNG", "png"),
        ("JPEG", "jpeg"),
        ("GIF", "gif"),
        ("TIFF", "tiff"),
        ("BMP", "bmp"),
        ("WEBP", "webp"),
    ):
        result = extract(encoded(fmt), f"x.{key}")
        # With Tesseract installed the (blank) image is OCR'd and ends ok; without it,
        # it is kept for OCR: skipped / no-ocr, the reason in the message.
        expected = ("ok", None) if shutil.which("tesseract") else ("skipped", "no-ocr")
        assert (result.type, result.status, result.code) == (key, *expected), fmt
        assert (result.metadata["width"], result.metadata["height"]) == (40, 30), fmt
        assert result.metadata["format"] == fmt


def test_exif_camera_date_and_gps(extract):
    exif = Image.Exif()
    exif[271], exif[272], exif[305] = "Canon", "EOS 5D", "Darktable"
    exif.get_ifd(0x8769)[36867] = "2019:03:14 09:26:53"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (33.0, 18.0, 54.0), "E", (44.0, 21.0, 36.0)
    result = extract(encoded("JPEG", exif=exif, dpi=(300, 300)), "photo.jpg")
    m = result.metadata
    assert (m["camera_make"], m["camera_model"], m["software"]) == ("Canon", "EOS 5D", "Darktable")
    assert m["taken"] == "2019-03-14T09:26:53"
    assert m["gps"] is True
    assert abs(m["gps_latitude"] - 33.315) < 1e-3 and abs(m["gps_longitude"] - 44.36) < 1e-3
    assert m["dpi"] == [300.0, 300.0]


def test_multipage_tiff_frames(extract):
    buf = io.BytesIO()
    pages = [Image.new("L", (20, 20), v) for v in (0, 128, 255)]
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:])
    result = extract(buf.getvalue(), "scan.tif")
    assert (result.metadata["frames"], result.metadata["pages"]) == (3, 3)


def test_png_bomb_refused_from_header(extract):
    saved = Image.MAX_IMAGE_PIXELS
    start = time.perf_counter()
    result = extract(h.png_bomb(), "bomb.png")
    assert time.perf_counter() - start < 2
    assert (result.status, result.code) == ("failed", "image-bomb")
    assert result.metadata["width"] == 100_000
    small_cap = extract(encoded("PNG", (100, 100)), "x.png", limits=Limits(max_image_pixels=5000))
    assert small_cap.code == "image-bomb"
    assert saved == Image.MAX_IMAGE_PIXELS  # the process-wide setting is restored


def test_truncated_and_corrupt_images_fail(extract):
    jpeg = encoded("JPEG", (200, 200))
    cut = extract(jpeg[: len(jpeg) // 2], "cut.jpg")
    assert (cut.status, cut.code) == ("failed", "corrupt")
    png = bytearray(h.png(50, 50))
    png[40:50] = b"\x00" * 10  # inside IDAT: bad CRC / bad stream
    assert extract(bytes(png), "bad.png").code == "corrupt"
    assert extract(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "junk.png").code == "corrupt"


def test_real_samples(extract, samples):
    f = samples / "formats"
    png = extract(f / "testPNG.png")
    ocr = bool(shutil.which("tesseract"))
    expected = "ok" if ocr else "skipped"
    assert (png.status, png.metadata["width"], png.metadata["height"]) == (expected, 100, 75)
    tiff = extract(f / "testTIFF_multipage.tif")
    assert tiff.metadata["frames"] == 2
    jpg = extract(f / "testOCR.jpg")
    assert jpg.metadata["width"] == 136
    if ocr:
        assert "OCR Testing" in "\n".join(s.text for s in jpg.segments)
    else:
        assert jpg.code == "no-ocr"


def test_jpeg2000_is_typed_and_read(extract):
    for kw, name in (({}, "scan.jp2"), ({"no_jp2": True}, "scan.j2k")):
        result = extract(encoded("JPEG2000", **kw), name)
        expected = ("ok", None) if shutil.which("tesseract") else ("skipped", "no-ocr")
        assert (result.type, result.mime, result.status, result.code) == (
            "jp2",
            "image/jp2",
            *expected,
        ), name
        assert (result.metadata["width"], result.metadata["height"]) == (40, 30)
        assert result.metadata["format"] == "JPEG2000"


def test_corrupt_jpeg2000_fails_with_a_reason(extract):
    data = encoded("JPEG2000", (200, 200))
    cut = extract(data[: len(data) // 3], "cut.jp2")
    assert (cut.type, cut.status, cut.code) == ("jp2", "failed", "corrupt"), cut.message
    junk = extract(b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00" * 64, "junk.jp2")
    assert (junk.status, junk.code) == ("failed", "corrupt")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
def test_jpeg2000_and_multipage_tiff_are_ocrd_page_by_page(extract):
    english = scans.page(["Debian Packages", "Payment list, 15 February 2019"])
    arabic = scans.page(["من: أبو عمار النعيمي", "الموضوع: طلب تحويل الرواتب"])
    jp2 = extract(scans.encode(english, "JPEG2000"), "letter.jp2")
    assert jp2.status == "ok", jp2.message
    assert "Debian Packages" in text_of(jp2)
    tiff = extract(scans.tiff_pages([english, arabic, english]), "batch.tif")
    assert tiff.status == "ok", tiff.message
    assert tiff.metadata["pages"] == 3
    by_page = {s.page: s.text for s in tiff.segments}
    assert sorted(by_page) == [1, 2, 3]
    assert "February" in by_page[1] and "النعيمي" in by_page[2] and "Debian" in by_page[3]
