"""One reader of Office document properties: the same keys (``docket.model.metadata``)
from OOXML, ODF and OLE, for documents and workbooks alike."""

from __future__ import annotations

import io
import zipfile

from docket.demo.writers.tabular import make_ods
from docket.model import metadata

META_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>'
    "<meta:initial-creator>أمين الصندوق</meta:initial-creator><dc:creator>Abu Omar</dc:creator>"
    "<meta:creation-date>2014-03-01T08:00:00</meta:creation-date>"
    "<dc:date>2014-03-05T08:00:00</dc:date><meta:print-date>2014-03-06T09:30:00</meta:print-date>"
    "<meta:printed-by>Abu Omar</meta:printed-by></office:meta></office:document-meta>"
)


def _with_meta(package: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("meta.xml", META_XML)
    return out.getvalue()


def test_ods_properties_use_the_shared_keys(extract) -> None:
    # Workbooks once skipped ODF's print date and printed-by; documents read them.
    r = extract(_with_meta(make_ods({"الكشف": [["الاسم"], ["عمر"]]})), "roster.ods")
    assert r.status == "ok", r.message
    assert r.metadata["author"] == "أمين الصندوق"
    assert r.metadata["last_modified_by"] == "Abu Omar"
    assert r.metadata["created"] == "2014-03-01T08:00:00"
    assert r.metadata["printed"] == "2014-03-06T09:30:00"
    assert r.metadata["printed_by"] == "Abu Omar"


def test_every_property_key_is_declared() -> None:
    # Property keys the one reader may write: all of them are in docket.model.metadata.
    from docket.extract import properties

    written = (
        set(properties._OOXML_CORE.values())
        | set(properties._OOXML_DATES.values())
        | set(properties._OOXML_APP.values())
        | set(properties._ODF.values())
        | set(properties._ODF_DATES.values())
        | set(properties._OLE_STRINGS.values())
        | set(properties._OLE_DATES.values())
        | set(properties._OLE_NUMBERS.values())
    )
    assert written <= metadata.KEYS.keys()
    assert metadata.PRINTED in metadata.EMBEDDED_TIMES


def test_utf16_property_sets_keep_only_what_reads_right(extract, samples) -> None:
    folder = samples / "formats"
    # UTF-16 (code page 1200) property sets: olefile reads only the first string right,
    # so a Word file and a workbook from the same writer now keep the same author.
    doc = extract(folder / "testWPSAttachment.doc")
    xls = extract(folder / "testWPSAttachment.xls")
    assert doc.metadata.get("author") == xls.metadata.get("author") == "dsx"
    assert "last_modified_by" not in doc.metadata and "last_modified_by" not in xls.metadata
