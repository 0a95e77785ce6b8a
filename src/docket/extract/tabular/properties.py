"""Workbook document properties, read straight from the container: who made it, when.

OOXML keeps them in docProps/core.xml and app.xml, ODF in meta.xml, legacy Excel in the
OLE SummaryInformation streams. XML is parsed with defusedxml: a workbook from a seized
cache may carry an entity bomb aimed at whoever opens it.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

MAX_PART = 1024 * 1024  # property parts are tiny; a huge one is not worth reading
_DC = "{http://purl.org/dc/elements/1.1/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DCT = "{http://purl.org/dc/terms/}"
_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"

_OOXML_CORE = {
    f"{_DC}title": "title",
    f"{_DC}subject": "subject",
    f"{_DC}creator": "author",
    f"{_CP}lastModifiedBy": "last_modified_by",
    f"{_DCT}created": "created",
    f"{_DCT}modified": "modified",
    f"{_CP}lastPrinted": "last_printed",
}
_ODF_META = {
    f"{_DC}title": "title",
    f"{_DC}subject": "subject",
    f"{_META}initial-creator": "author",
    f"{_DC}creator": "last_modified_by",
    f"{_META}creation-date": "created",
    f"{_DC}date": "modified",
    f"{_META}generator": "application",
}


def properties(path: Path, kind: str) -> dict[str, Any]:
    """The shared metadata keys (author, created, ...) of a workbook; {} if unreadable."""
    try:
        if kind in ("xlsx", "xlsb"):
            return _ooxml(path)
        if kind == "ods":
            return _odf(path)
        if kind == "xls":
            return _ole(path)
    except Exception:  # properties are a bonus: a damaged part must not cost the text
        return {}
    return {}


def _read(z: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        return None
    return z.read(info)


def _fields(data: bytes | None, table: dict[str, str]) -> dict[str, Any]:
    if not data:
        return {}
    root = SafeET.fromstring(data)
    out: dict[str, Any] = {}
    for el in root.iter():
        key = table.get(el.tag)
        if key and el.text and el.text.strip() and key not in out:
            out[key] = el.text.strip()
    return out


def _ooxml(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as z:
        out = _fields(_read(z, "docProps/core.xml"), _OOXML_CORE)
        app = _fields(_read(z, "docProps/app.xml"), {f"{_APP}Application": "application"})
    return out | app


def _odf(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as z:
        return _fields(_read(z, "meta.xml"), _ODF_META)


def _ole(path: Path) -> dict[str, Any]:
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        meta = ole.get_metadata()
    wanted = {
        "title": "title",
        "subject": "subject",
        "author": "author",
        "last_saved_by": "last_modified_by",
        "create_time": "created",
        "last_saved_time": "modified",
        "creating_application": "application",
    }
    out: dict[str, Any] = {}
    for attr, key in wanted.items():
        value = getattr(meta, attr, None)
        if meta.codepage == 1200 and isinstance(value, str | bytes) and attr != "author":
            # olefile mis-reads UTF-16 (codepage 1200) strings: only the first one
            # decodes right; the rest would be wrong evidence, so they are left out.
            continue
        if isinstance(value, bytes):
            value = value.decode("cp1252", "replace")
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        if isinstance(value, str):
            # In codepage 1200 olefile runs on past the terminator: keep what precedes it.
            value = value.split("\x00", 1)[0].strip()
        if value:
            out[key] = value
    return out
