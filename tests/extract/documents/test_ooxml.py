"""DOCX and PPTX: text, metadata, embedded files, bombs, damage, encryption."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

from docket.acquire.blobstore import BlobStore
from docket.demo.writers.documents import make_docx, make_pptx
from docket.extract.documents.ooxml import DocxExtractor
from docket.extract.sink import Sink
from docket.model.detection import Detection
from docket.model.errors import ExtractError
from tests.conftest import text_of

LETTER = ["من: أبو عمار النعيمي", "الموضوع: طلب تحويل", "التاريخ: ١٤٤٠/٦/١٥ هـ"]


def _docx(**kw) -> bytes:
    return make_docx(
        LETTER,
        rtl=True,
        title="طلب تحويل",
        author="أبو عمار",
        created="2019-02-20T09:30:00Z",
        modified="2019-02-21T10:00:00Z",
        company="الكتيبة",
        tables=[[["الاسم", "المبلغ"], ["زيد", "500"]]],
        **kw,
    )


def test_docx_arabic_metadata_and_table(extract):
    result = extract(_docx(), "letter.docx")
    assert result.status == "ok", result.message
    text = text_of(result)
    for line in LETTER:
        assert line in text
    assert "زيد\t500" in text
    meta = result.metadata
    assert meta["title"] == "طلب تحويل"
    assert meta["author"] == "أبو عمار"
    assert meta["created"] == "2019-02-20T09:30:00Z"
    assert meta["modified"] == "2019-02-21T10:00:00Z"
    assert meta["company"] == "الكتيبة"
    assert meta["application"] == "Microsoft Office Word"


def test_docx_embedded_child(extract):
    result = extract(_docx(embedded={"report.txt": "ملحق سري".encode()}), "e.docx")
    assert [c.name for c in result.children] == ["word/embeddings/report.txt"]
    assert extract.child_bytes(result.children[0]).decode() == "ملحق سري"


def _replace(data: bytes, member: str, new: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, new if info.filename == member else src.read(info))
    return out.getvalue()


def test_billion_laughs_docx_fails_fast(extract):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&e;&e;&e;&e;&e;&e;&e;&e;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = _replace(_docx(), "word/document.xml", bomb)
    start = time.monotonic()
    result = extract(data, "bomb.docx")
    assert time.monotonic() - start < 1
    assert (result.type, result.status, result.code) == ("docx", "failed", "xml-entities")


def test_damaged_member_fails_corrupt(extract):
    data = bytearray(_docx())
    start = data.index(b"word/document.xml") + 40  # inside the compressed document part
    data[start : start + 60] = b"\xff" * 60
    result = extract(bytes(data), "damaged.docx")
    assert result.type == "docx"
    assert (result.status, result.code) == ("failed", "corrupt")


def test_truncated_docx_is_corrupt(tmp_path: Path):
    path = tmp_path / "cut.docx"
    path.write_bytes(_docx()[:700])
    sink = Sink(BlobStore(tmp_path / "blobs"))
    try:
        DocxExtractor().extract(path, sink, Detection("docx"))
    except ExtractError as exc:
        assert exc.code == "corrupt" and "zip" in exc.message
    else:
        raise AssertionError("a truncated DOCX must fail")


def test_encrypted_flag_from_detection(tmp_path: Path):
    sink = Sink(BlobStore(tmp_path / "blobs"))
    try:
        DocxExtractor().extract(tmp_path, sink, Detection("docx", {"encrypted": True}))
    except ExtractError as exc:
        assert exc.status == "encrypted"
    else:
        raise AssertionError("expected EncryptedError")


def test_pptx_slides_and_notes(extract):
    data = make_pptx(
        [["Monthly payments", "دفعات شهرية"], ["القائمة الثانية"]],
        notes=["ملاحظة المتحدث"],
        title="دفعات",
        author="أبو عمار",
    )
    result = extract(data, "deck.pptx")
    assert result.status == "ok", result.message
    by_part = {(s.page, s.part): s.text for s in result.segments}
    assert "دفعات شهرية" in by_part[(1, "slide")]
    assert by_part[(1, "notes")] == "ملاحظة المتحدث"
    assert "القائمة الثانية" in by_part[(2, "slide")]
    assert result.metadata["pages"] == 2
    assert result.metadata["author"] == "أبو عمار"
    # a slide with no text is still a page of the deck
    assert extract(make_pptx([["one"], [], ["three"]]), "d.pptx").metadata["pages"] == 3


def test_samples(extract, samples):
    folder = samples / "formats"
    for name in (
        "protected_normal_case.docx",
        "protected_upper_case.docx",
        "testWORD_protected_passtika.docx",
        "testPPT_protected_passtika.pptx",
    ):
        assert extract(folder / name).status == "encrypted", name
    pics = extract(folder / "testWORD_embedded_pics.docx")
    assert "This is a paragraph with an image" in text_of(pics)
    assert len(pics.children) == 2
    assert "Let me see what happens if I insert a worksheet" in text_of(
        extract(folder / "EmbeddedDocument.docx")
    )
    assert "This is some text" in text_of(extract(folder / "testOCR.pptx"))
    mp3 = extract(folder / "testPPT_embeddedMP3.pptx")
    assert any(c.name.endswith(".mp3") for c in mp3.children)
    for path in list(folder.glob("*.docx")) + list(folder.glob("*.pptx")):
        assert extract(path).status in ("ok", "partial", "failed", "encrypted")
