"""OpenDocument and RTF."""

from __future__ import annotations

from docket.demo.writers.documents import make_odt, make_rtf
from tests.conftest import text_of

LETTER = ["من: أبو عمار النعيمي", "الموضوع: طلب تحويل", "التاريخ: ١٤٤٠/٦/١٥ هـ"]


def test_odt_text_meta_and_picture(extract):
    meta = {
        "title": "طلب تحويل",
        "author": "أبو عمار",
        "creator": "زيد",
        "created": "2019-02-20T09:30:00",
        "modified": "2019-02-21T10:00:00",
        "generator": "LibreOffice/6.4",
    }
    result = extract(
        make_odt(LETTER, meta, pictures={"stamp.png": b"\x89PNG\r\n\x1a\nstamp"}), "l.odt"
    )
    assert result.status == "ok", result.message
    assert all(line in text_of(result) for line in LETTER)
    m = result.metadata
    assert (m["title"], m["author"], m["last_modified_by"]) == ("طلب تحويل", "أبو عمار", "زيد")
    assert (m["created"], m["modified"]) == ("2019-02-20T09:30:00", "2019-02-21T10:00:00")
    assert m["application"] == "LibreOffice/6.4"
    assert [c.name for c in result.children] == ["Pictures/stamp.png"]


def test_odf_with_dtd_refused(extract):
    import io
    import zipfile

    data = make_odt(["x"])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "content.xml":
                body = (
                    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                    + body.split(b"?>", 1)[1]
                )
            z.writestr(info, body)
    result = extract(out.getvalue(), "bomb.odt")
    assert (result.status, result.code) == ("failed", "xml-entities")


def test_rtf_cp1256_bytes(extract):
    data = make_rtf(LETTER, title="طلب تحويل", author="أبو عمار", codepage=1256)
    assert b"\\'" in data  # Arabic written as code-page bytes, the way older Word did
    result = extract(data, "l.rtf")
    assert result.status == "ok", result.message
    assert all(line in text_of(result) for line in LETTER[:2])
    assert result.metadata["title"] == "طلب تحويل"
    assert result.metadata["author"] == "أبو عمار"
    assert result.metadata["created"] == "2019-02-20T09:30:00"


def test_rtf_unicode_escapes(extract):
    result = extract(make_rtf(LETTER), "u.rtf")
    assert "أبو عمار النعيمي" in text_of(result)
    assert "١٤٤٠/٦/١٥" in text_of(result)


def test_rtf_objdata_becomes_child(extract):
    native = b"%PDF-1.4 embedded"
    ole1 = b"\x01\x05\x00\x00\x02\x00\x00\x00" + b"\x08\x00\x00\x00Package\x00" + b"\x00" * 8
    ole1 += len(native).to_bytes(4, "little") + native
    rtf = (
        b"{\\rtf1\\ansi Before {\\object\\objemb{\\*\\objdata "
        + ole1.hex().encode()
        + b"}} after\\par}"
    )
    result = extract(rtf, "o.rtf")
    assert "Before" in text_of(result) and "after" in text_of(result)
    assert [extract.child_bytes(c) for c in result.children] == [native]
    assert result.children[0].meta["class"] == "Package"


def test_samples(extract, samples):
    folder = samples / "formats"
    assert "This document has bold and italic text." in text_of(
        extract(folder / "testODTEmbedded.odt")
    )
    assert extract(folder / "testODTEncrypted.odt").status == "encrypted"
    assert "Master footer is here" in text_of(extract(folder / "testMasterFooter.odp"))
    assert "𐌲𐌿𐍄𐌹𐍃𐌺" in text_of(extract(folder / "testRTFUnicodeGothic.rtf"))
    assert "Apples are fun!" in text_of(extract(folder / "testRTFCorruptListOverride.rtf"))
    for path in [*folder.glob("*.od[tp]"), *folder.glob("*.rtf")]:
        assert extract(path).status in ("ok", "partial", "failed", "encrypted")
