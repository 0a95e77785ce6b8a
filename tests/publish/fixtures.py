"""Sources for the publishing tests, made here: an Arabic letter as a right-to-left PDF,
a PDF with a black box drawn over live text (the classic failed redaction), an e-mail
naming the same man in English, a photograph carrying GPS coordinates in its EXIF, and a
scan with a face on it."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from docket.demo.writers.documents import make_pdf

ARABIC_NAME = "محمد عبد الكريم الحسن"
ENGLISH_NAME = "Mohammed Abdul Karim al-Hassan"
HIDDEN = "Walter Pemberton-Smythe"
AUTHOR = "Khalid Secretary Author"
CAMERA = "Kestrel Z9 Field"


def black_box_pdf() -> bytes:
    """Text whose last words sit under a filled black rectangle: invisible on screen,
    still in the text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    _, height = A4
    c.setFont("Helvetica", 14)
    c.drawString(72, height - 100, "Field report on the northern checkpoint.")
    c.drawString(72, height - 130, f"Source: {HIDDEN}")
    c.setFillColorRGB(0, 0, 0)
    c.rect(128, height - 136, 230, 22, fill=1, stroke=0)
    c.showPage()
    c.save()
    return buf.getvalue()


def gps_jpeg() -> bytes:
    im = Image.new("RGB", (640, 480), (120, 160, 200))
    ImageDraw.Draw(im).rectangle((100, 300, 540, 420), fill=(90, 110, 60))
    exif = Image.Exif()
    exif[0x010F] = "Kestrel"  # Make
    exif[0x0110] = CAMERA  # Model
    exif[0x8825] = {1: "N", 2: (33.0, 30.0, 15.0), 3: "E", 4: (36.0, 17.0, 40.0)}
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def face_scan() -> bytes:
    """A grey 'photograph' of a face on a form: dark hair, eyes and brows, a light nose
    bridge, a mouth — what a frontal-face detector keys on."""
    im = Image.new("L", (800, 600), 235)
    d = ImageDraw.Draw(im)
    d.text((40, 40), "Personnel form", fill=0)
    cx, cy, w = 400, 330, 160
    h = int(w * 1.3)
    d.ellipse((cx - w // 2 - 10, cy - h // 2 - 25, cx + w // 2 + 10, cy + h // 2 - 40), fill=60)
    d.ellipse((cx - w // 2, cy - h // 2, cx + w // 2, cy + h // 2), fill=170)
    ey, ew, eh = cy - h * 0.12, w * 0.16, w * 0.07
    for ex in (cx - w * 0.22, cx + w * 0.22):
        d.ellipse((ex - ew, ey - eh, ex + ew, ey + eh), fill=40)
        d.rectangle((ex - ew * 1.2, ey - eh * 3, ex + ew * 1.2, ey - eh * 2), fill=70)
    d.rectangle((cx - w * 0.05, ey, cx + w * 0.05, cy + h * 0.12), fill=190)
    d.ellipse((cx - w * 0.1, cy + h * 0.1, cx + w * 0.1, cy + h * 0.16), fill=110)
    d.ellipse((cx - w * 0.2, cy + h * 0.24, cx + w * 0.2, cy + h * 0.31), fill=90)
    buf = io.BytesIO()
    im.filter(ImageFilter.GaussianBlur(2)).save(buf, "PNG")
    return buf.getvalue()


SCANNED_NAME = "Walter Pemberton"


def scanned_note() -> bytes:
    """A scanned note (no text layer: OCR reads it) naming a man in English and Arabic."""
    from tests.fixtures.scans import encode, page

    return encode(page(["Checkpoint note", f"Informant: {SCANNED_NAME}", "الموضوع: نقطة التفتيش"]))


def email() -> bytes:
    return (
        "From: Field Office <office@example.org>\n"
        "To: Archive <archive@example.org>\n"
        "Subject: Transfer of the northern file\n"
        "Date: Tue, 5 Mar 2019 10:00:00 +0000\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"The file was handed over by {ENGLISH_NAME} at the northern checkpoint.\n"
        f"Ask {ENGLISH_NAME} for the second copy.\n"
        "He came in the car with plate no. 45123 DH from 12 Baghdad Street.\n"
    ).encode()


def cache(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "letter.pdf").write_bytes(
        make_pdf(
            [["تقرير عن نقطة التفتيش", f"من: {ARABIC_NAME}", "إلى: مكتب الأرشيف",
              f"سلّم {ARABIC_NAME} الملف إلى المكتب"]],
            author=AUTHOR, title="Checkpoint report", created=datetime(2019, 3, 5, 9, 0),
        )
    )  # fmt: skip
    (root / "blackbox.pdf").write_bytes(black_box_pdf())
    (root / "transfer.eml").write_bytes(email())
    (root / "photo.jpg").write_bytes(gps_jpeg())
    (root / "form.png").write_bytes(face_scan())
    (root / "note.png").write_bytes(scanned_note())
    return root
