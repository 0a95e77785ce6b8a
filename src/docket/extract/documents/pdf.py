"""PDF with pdfium: text per page, document information, attachments as children.

pdfium returns text in logical order (Arabic included) but keeps the glyphs a PDF was
written with, often Arabic presentation forms; those are folded to base letters so search
and entity matching see ordinary text. Pages with no text are listed for OCR.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pypdfium2 as pdfium

from docket.extract.base import Extractor
from docket.extract.detect import Detection
from docket.extract.documents._common import fold_arabic, iso_date
from docket.extract.sink import Sink
from docket.model.errors import Code, EncryptedError, ExtractError

_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
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


class PdfExtractor(Extractor):
    name = "pdf"
    types: ClassVar[frozenset[str]] = frozenset({"pdf"})

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        doc = open_pdf(path)
        try:
            self._metadata(doc, sink)
            pages = len(doc)
            sink.meta("pages", pages)
            empty: list[int] = []
            for i in range(pages):
                try:
                    text = page_text(doc, i)
                except Exception as exc:  # one bad page must not lose the others
                    sink.warn(Code.PAGE_ERROR, f"page {i + 1}: {type(exc).__name__}: {exc}")
                    continue
                if text.strip():
                    sink.text(text, page=i + 1)
                else:
                    empty.append(i + 1)
            sink.meta("pages_without_text", empty)
            self._attachments(doc, sink)
        finally:
            doc.close()

    def _metadata(self, doc: pdfium.PdfDocument, sink: Sink) -> None:
        try:
            info = doc.get_metadata_dict(skip_empty=True)
        except Exception as exc:  # a damaged Info dictionary is not worth failing over
            sink.warn(Code.CORRUPT, f"document information unreadable: {exc}")
            info = {}
        for key, ours in _INFO.items():
            value = (info.get(key) or "").strip()
            sink.meta(ours, fold_arabic(value) if value else None)
        sink.meta("created", iso_date(info.get("CreationDate")))
        sink.meta("modified", iso_date(info.get("ModDate")))
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
