"""Office document properties — who made a file and when — read the same way for every
format family: OOXML (docProps/core.xml and app.xml), ODF (meta.xml) and OLE2 (the
SummaryInformation streams). Documents, presentations and workbooks all use this one
reader, so they all write the keys of :mod:`docket.model.metadata` (``printed``, not
``last_printed``) and the time signals see every format's dates.

Each reader returns a dict; :func:`write` puts one into a sink. XML parts go through the
shared safe parser: a part that declares a DTD is refused, never expanded.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import olefile
from lxml import etree

from docket.extract.documents._common import iso_date, local, parse_xml, read_member
from docket.extract.sink import Sink
from docket.model import metadata as K
from docket.model.errors import Code

_OOXML_CORE = {
    "title": K.TITLE,
    "subject": K.SUBJECT,
    "creator": K.AUTHOR,
    "keywords": K.KEYWORDS,
    "description": K.DESCRIPTION,
    "lastModifiedBy": K.LAST_MODIFIED_BY,
    "revision": K.REVISION,
    "category": K.CATEGORY,
    "language": K.LANGUAGE,
}
_OOXML_DATES = {"created": K.CREATED, "modified": K.MODIFIED, "lastPrinted": K.PRINTED}
_OOXML_APP = {
    "Application": K.APPLICATION,
    "AppVersion": K.APPLICATION_VERSION,
    "Company": K.COMPANY,
    "Manager": K.MANAGER,
    "Template": K.TEMPLATE,
    "TotalTime": K.EDITING_MINUTES,
    "Pages": K.PAGES,
    "Words": K.WORDS,
    "Slides": K.PAGES,
}
_ODF = {
    "title": K.TITLE,
    "subject": K.SUBJECT,
    "description": K.DESCRIPTION,
    "keyword": K.KEYWORDS,
    "initial-creator": K.AUTHOR,
    "creator": K.LAST_MODIFIED_BY,
    "language": K.LANGUAGE,
    "generator": K.APPLICATION,
    "editing-cycles": K.REVISION,
    "printed-by": K.PRINTED_BY,
}
_ODF_DATES = {"creation-date": K.CREATED, "date": K.MODIFIED, "print-date": K.PRINTED}
_ODF_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_OLE_STRINGS = {
    "title": K.TITLE,
    "subject": K.SUBJECT,
    "author": K.AUTHOR,
    "keywords": K.KEYWORDS,
    "comments": K.DESCRIPTION,
    "last_saved_by": K.LAST_MODIFIED_BY,
    "template": K.TEMPLATE,
    "creating_application": K.APPLICATION,
    "company": K.COMPANY,
    "manager": K.MANAGER,
    "category": K.CATEGORY,
}
_OLE_DATES = {"create_time": K.CREATED, "last_saved_time": K.MODIFIED, "last_printed": K.PRINTED}
_OLE_NUMBERS = {
    "num_pages": K.PAGES,
    "slides": K.PAGES,  # a presentation's DocumentSummaryInformation slide count
    "num_words": K.WORDS,
    "revision_number": K.REVISION,
}
_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
_FILETIME_EPOCH = datetime(1601, 1, 1)
_UTF16 = 1200


def write(sink: Sink, props: Mapping[str, Any]) -> None:
    for key, value in props.items():
        sink.meta(key, value)


def ooxml(z: zipfile.ZipFile, kind: str) -> dict[str, Any]:
    """docProps/core.xml and app.xml of a DOCX, XLSX, XLSB or PPTX package."""
    names = set(z.namelist())
    out: dict[str, Any] = {}
    if "docProps/core.xml" in names:
        root = parse_xml(read_member(z, "docProps/core.xml", kind), "docProps/core.xml")
        for el in root:
            key, text = local(el.tag), (el.text or "").strip()
            if key in _OOXML_CORE and text:
                out[_OOXML_CORE[key]] = text
            elif key in _OOXML_DATES and text:
                out[_OOXML_DATES[key]] = iso_date(text)
    if "docProps/app.xml" in names:
        root = parse_xml(read_member(z, "docProps/app.xml", kind), "docProps/app.xml")
        for el in root:
            key, text = local(el.tag), (el.text or "").strip()
            if key in _OOXML_APP and text:
                number = text.isdigit() and key != "AppVersion"
                out[_OOXML_APP[key]] = int(text) if number else text
    return out


def odf(root: etree._Element) -> dict[str, Any]:
    """meta.xml of an ODF text, presentation or spreadsheet, already parsed."""
    out: dict[str, Any] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name, text = local(el.tag), (el.text or "").strip()
        if name in _ODF and text:
            out[_ODF[name]] = int(text) if name == "editing-cycles" and text.isdigit() else text
        elif name in _ODF_DATES and text:
            out[_ODF_DATES[name]] = iso_date(text)
        elif name == "document-statistic":
            count = el.get(f"{_ODF_META}page-count")
            if count and count.isdigit():
                out[K.PAGES] = int(count)
    return out


def odf_package(z: zipfile.ZipFile, kind: str) -> dict[str, Any]:
    """meta.xml read from an ODF package; {} when there is none."""
    if "meta.xml" not in z.namelist():
        return {}
    return odf(parse_xml(read_member(z, "meta.xml", kind), "meta.xml"))


def ole(doc: olefile.OleFileIO) -> dict[str, Any]:
    """SummaryInformation and DocumentSummaryInformation of a DOC, XLS or PPT.

    Raises whatever olefile raises on a damaged property set; callers decide whether
    that is a warning (documents) or nothing (workbooks, whose text is what matters).
    """
    meta = doc.get_metadata()
    codepage = meta.codepage if isinstance(meta.codepage, int) else None
    out: dict[str, Any] = {}
    for attr, key in _OLE_STRINGS.items():
        if codepage == _UTF16 and attr != "author":
            # olefile mis-reads UTF-16 (code page 1200) property sets: only the first
            # string decodes right; the rest would be wrong evidence, so they are left out.
            continue
        text = _ole_text(getattr(meta, attr, None), codepage)
        if text:
            out[key] = text
    for attr, key in _OLE_DATES.items():
        value = getattr(meta, attr, None)
        if isinstance(value, datetime) and value > _FILETIME_EPOCH and value.year > 1970:
            out[key] = value.isoformat()
    for attr, key in _OLE_NUMBERS.items():
        value = getattr(meta, attr, None)
        if isinstance(value, bytes):
            value = _ole_text(value, codepage)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            out[key] = int(value)
    return out


def write_ole(doc: olefile.OleFileIO, sink: Sink) -> None:
    """A legacy Office document's properties into ``sink``; a damaged set is a warning."""
    try:
        props = ole(doc)
    except Exception as exc:  # damaged property sets are common and not fatal
        sink.warn(Code.PAGE_ERROR, f"document properties unreadable: {type(exc).__name__}: {exc}")
        return
    write(sink, props)


def _ole_text(value: Any, codepage: int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        codec = (
            "utf-16-le"
            if codepage == _UTF16
            else f"cp{codepage}"
            if codepage and codepage > 0
            else "cp1252"
        )
        try:
            value = value.decode(codec, errors="replace")
        except LookupError:
            value = value.decode("cp1252", errors="replace")
    text = str(value)
    if codepage == _UTF16:
        text = text.split("\x00", 1)[0]  # olefile runs on past the terminator
    text = text.strip("\x00 ").strip()
    # A mis-declared code page yields control bytes and replacement marks: drop, don't store junk.
    return None if not text or _JUNK.search(text) else text
