"""PDF with pdfium: text per page, document information, attachments as children.

pdfium returns text in logical order (Arabic included) but keeps the glyphs a PDF was
written with, often Arabic presentation forms; those are folded to base letters so search
and entity matching see ordinary text.

OCR (``docket.extract.ocr``) reads pages rendered at 300 dpi when they have no text layer,
and also when the text layer is only a scrap (under ``SCRAP_CHARS`` letters: a Bates
number, a stamp, a scanner's header) on a page mostly covered by images: that is a scan
with a label, not a digital page. A page with a real text layer is not OCR'd whole: the
text layer is what the author wrote. The images placed on it (a pasted scan, a receipt,
a screenshot) become child items that OCR reads like any image, each with the page it
sits on (``_pdfimages.py``; only while OCR is on). Pages still without text are listed
in ``pages_without_text``.

A text layer can also be garbage: Type 3 fonts and fonts with a missing or wrong
ToUnicode map give glyph codes, not words (``_garbled.py``). Such pages are listed in
``garbled_pages`` and OCR'd whole; the OCR text replaces the layer (``ocr_instead``)
only when it reads as words itself, else the layer is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from docket.extract import ocr
from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.documents import _xmp
from docket.extract.documents._common import fold_arabic, iso_date
from docket.extract.documents._garbled import garbled
from docket.extract.documents._pdfimages import image_children
from docket.extract.passwords import DECRYPTED, Password, unlock
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, ExtractError

_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_IMAGE_OBJECT = 3  # FPDF_PAGEOBJ_IMAGE
OCR_DPI = 300  # Tesseract's accuracy drops below ~250 dpi on small Arabic print
SCRAP_CHARS = 40
SCANNED_COVER = 0.5  # share of the page's area under images
_INFO = {
    "Title": "title",
    "Author": "author",
    "Subject": "subject",
    "Keywords": "keywords",
    "Creator": "application",
    "Producer": "producer",
}


def open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PASSWORD_ERROR:
            raise EncryptedError("PDF needs a user password to open") from exc
        raise ExtractError(Code.CORRUPT, f"unreadable PDF: {exc}") from exc


def _open_with_passwords(path: Path, sink: Sink) -> pdfium.PdfDocument:
    """The PDF, opened with the user's passwords (``docket.extract.passwords``) when it
    needs one; ``decrypted`` records which opened it."""
    try:
        return open_pdf(path)
    except EncryptedError as exc:
        locked = exc

    def attempt(password: Password) -> pdfium.PdfDocument | None:
        try:
            return pdfium.PdfDocument(str(path), password=password.value)
        except pdfium.PdfiumError:
            return None

    doc, password = unlock(sink.settings, locked.message, attempt, sink.keepalive)
    sink.meta(DECRYPTED, password.record())
    return doc


def page_text(doc: pdfium.PdfDocument, index: int) -> str:
    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()
        finally:
            textpage.close()
    finally:
        page.close()
    # pdfium ends lines with CRLF and marks soft hyphens / unmapped glyphs with controls.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "").replace("\ufffe", "")
    return fold_arabic(text)


def _is_pdf(probe: Probe) -> bool:
    """A PDF header at the start, or within the first KiB after bytes a reader skips —
    unless those bytes open another declared format (the magic of a tar, rar, 7z or
    stored zip that holds a small PDF as its first member): that file is the container."""
    at = probe.head.find(b"%PDF-", 0, 1024)
    if at <= 0:
        return at == 0
    from docket.extract.registry import default

    head = probe.head
    return not any(
        offset + len(magic) <= at and head[offset : offset + len(magic)] == magic
        for ftype in default().types.values()
        if ftype.key != "pdf"
        for offset, magic in ftype.magic
    )


PDF = FileType(
    "pdf",
    "application/pdf",
    "document",
    ("pdf",),
    # A PDF may carry bytes before its header; readers accept it within 1 KiB.
    sniff=_is_pdf,
    order=1,
)


class PdfExtractor(Extractor):
    name = "pdf"
    file_types = (PDF,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        doc = _open_with_passwords(path, sink)
        try:
            self._metadata(doc, path, sink)
            pages = len(doc)
            sink.meta("pages", pages)
            empty: list[int] = []
            layers: dict[int, str] = {}  # garbled text layers, by page
            for i in range(pages):
                try:
                    text = page_text(doc, i)
                except Exception as exc:  # one bad page must not lose the others
                    sink.warn(Code.PAGE_ERROR, f"page {i + 1}: {type(exc).__name__}: {exc}")
                    continue
                if garbled(text):
                    layers[i + 1] = text
                elif text.strip():
                    sink.text(text, page=i + 1)
                if _wants_ocr(doc, i, text):
                    empty.append(i + 1)
            sink.meta("garbled_pages", sorted(layers))
            if sink.settings.ocr:  # pages OCR reads whole keep their images
                whole = set(empty) | set(layers)
                image_children(doc, [p for p in range(1, pages + 1) if p not in whole], sink)
            empty = self._ocr(doc, sink, empty, layers)
            sink.meta("pages_without_text", empty)
            self._attachments(doc, sink)
        finally:
            doc.close()

    def _ocr(
        self, doc: pdfium.PdfDocument, sink: Sink, pages: list[int], layers: dict[int, str]
    ) -> list[int]:
        """OCR the listed pages and those with a garbled text layer; returns the pages
        that still have no text."""
        if not pages and not layers:
            return pages
        opts = ocr.options(sink.settings, ocr.case_root(sink))
        if isinstance(opts, ocr.NoOcr):
            self._keep_layers(sink, layers, {})
            sink.meta("ocr_skipped", opts.message)
            if opts.code == Code.OCR_LANGUAGE_MISSING:  # wanted, but cannot run: say so
                sink.warn(opts.code, f"{len(pages)} page(s) not OCR'd: {opts.message}")
            return pages
        before = {s.page for s in sink.segments}
        read = _OcrPages(sink)
        ocr.ocr_into(read, _rendered(doc, sorted(set(pages) | set(layers)), sink), opts)
        for number in pages:
            if number not in layers and read.texts.get(number):
                sink.text(read.texts[number], page=number, part="ocr")
        self._keep_layers(sink, layers, read.texts)
        after = {s.page for s in sink.segments}
        return [p for p in pages if p not in before and p not in after]

    def _keep_layers(self, sink: Sink, layers: dict[int, str], read: dict[int, str]) -> None:
        """Each garbled page's OCR text when it reads as words, else its text layer."""
        instead = []
        for number, layer in sorted(layers.items()):
            text = read.get(number, "")
            if text.strip() and not garbled(text):
                sink.text(text, page=number, part="ocr")
                instead.append(number)
            elif layer.strip():
                sink.text(layer, page=number)
        sink.meta("ocr_instead", instead)

    def _metadata(self, doc: pdfium.PdfDocument, path: Path, sink: Sink) -> None:
        """The Info dictionary's properties; what it lacks, from the XMP packet (``_xmp``),
        with XMP's document and instance ids."""
        try:
            info = doc.get_metadata_dict(skip_empty=True)
        except Exception as exc:  # a damaged Info dictionary is not worth failing over
            sink.warn(Code.CORRUPT, f"document information unreadable: {exc}")
            info = {}
        props: dict[str, str | None] = {}
        for key, ours in _INFO.items():
            value = (info.get(key) or "").strip()
            props[ours] = fold_arabic(value) if value else None
        props["created"] = iso_date(info.get("CreationDate"))
        props["modified"] = iso_date(info.get("ModDate"))
        for key, value in _xmp.read(path).items():
            if not props.get(key):
                props[key] = fold_arabic(value)
        for key, value in props.items():
            sink.meta(key, value)
        version = doc.get_version()
        if version:
            sink.meta("pdf_version", f"{version // 10}.{version % 10}")

    def _attachments(self, doc: pdfium.PdfDocument, sink: Sink) -> None:
        for i in range(doc.count_attachments()):
            try:
                attachment = doc.get_attachment(i)
                name = attachment.get_name() or f"attachment-{i + 1}"
                data = bytes(attachment.get_data())
            except Exception as exc:
                sink.child_error(
                    f"attachment-{i + 1}", Code.MEMBER_ERROR, f"{type(exc).__name__}: {exc}"
                )
                continue
            sink.child(name, data, meta={"source": "pdf-attachment"})


class _OcrPages:
    """Where OCR writes while the pages are judged: the text of each page, kept apart
    until it is chosen; warnings, metadata and keepalives go to the item's sink."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.texts: dict[int, str] = {}

    def text(self, text: str, *, page: int, part: str | None = None) -> None:
        self.texts[page] = text

    def warn(self, code: str, message: str) -> None:
        self.sink.warn(code, message)

    def meta(self, key: str, value: Any) -> None:
        self.sink.meta(key, value)

    def keepalive(self, seconds: float) -> None:
        self.sink.keepalive(seconds)


def _wants_ocr(doc: pdfium.PdfDocument, index: int, text: str) -> bool:
    letters = sum(map(str.isalnum, text))
    if letters == 0:
        return True
    if letters >= SCRAP_CHARS:
        return False
    try:
        page = doc[index]
        try:
            width, height = page.get_size()
            covered = 0.0
            for obj in page.get_objects(filter=[_IMAGE_OBJECT], max_depth=2):
                left, bottom, right, top = obj.get_bounds()
                covered += max(0.0, right - left) * max(0.0, top - bottom)
        finally:
            page.close()
    except Exception:  # geometry is only a hint; keep the text layer
        return False
    return width * height > 0 and covered / (width * height) >= SCANNED_COVER


def _scan_dpi(page: Any) -> float:
    """``OCR_DPI``, or the page's own scan resolution when that is lower: upsampling a
    200 dpi scan to 300 blurs the strokes, and Tesseract then loses whole lines."""
    best = 0.0
    try:
        for obj in page.get_objects(filter=[_IMAGE_OBJECT], max_depth=2):
            left, _bottom, right, _top = obj.get_bounds()
            px_width, _ = obj.get_px_size()
            if right - left > 0:
                best = max(best, px_width / ((right - left) / 72))
    except Exception:
        return OCR_DPI
    return OCR_DPI if best <= 0 else min(OCR_DPI, max(best, 150.0))


def _rendered(doc: pdfium.PdfDocument, pages: list[int], sink: Sink) -> Iterator[tuple[int, Any]]:
    """Each page as a grayscale image at ``OCR_DPI``, rendered only when OCR reaches it."""
    cap = sink.limits.max_image_pixels
    for number in pages:
        try:
            page = doc[number - 1]
            try:
                width, height = page.get_size()
                scale = _scan_dpi(page) / 72
                if width * height * scale * scale > cap:  # a poster-sized page: fit the cap
                    scale = (cap / max(1.0, width * height)) ** 0.5
                bitmap = page.render(scale=scale, grayscale=True)
                image = bitmap.to_pil()
                # Tesseract sizes its layout analysis by the resolution: tell it the real one
                image.info["dpi"] = (72 * scale, 72 * scale)
            finally:
                page.close()
        except Exception as exc:
            sink.warn(Code.PAGE_ERROR, f"page {number}: cannot render for OCR: {exc}")
            continue
        yield number, image
