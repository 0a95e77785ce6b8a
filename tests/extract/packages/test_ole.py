"""Generic OLE2 objects: Ole10Native packages and CONTENTS streams become children.

No OLE2 writer exists in the stdlib or olefile, so these use embedded objects taken out
of real Office samples (skipped when the samples are absent) plus a damaged one.
"""

from __future__ import annotations

import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def embedded(path, member: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(member)


def test_ole10native_package(extract, samples):
    data = embedded(
        samples / "formats" / "test_recursive_embedded.docx", "word/embeddings/oleObject1.bin"
    )
    result = extract(data, "oleObject1.bin")
    assert (result.type, result.extractor, result.status) == ("ole", "ole", "ok")
    assert "\x01Ole10Native" in result.metadata["streams"]
    (child,) = result.children
    assert child.blob and child.blob.size > 0 and child.meta["stream"] == "\x01Ole10Native"


def test_contents_stream_pdf(extract, samples):
    data = embedded(
        samples / "formats" / "testExcel_embeddedPDF.xlsx", "xl/embeddings/oleObject1.bin"
    )
    result = extract(data, "oleObject1.bin")
    (child,) = result.children
    assert child.name == "CONTENTS"
    assert extract.child_bytes(child).startswith(b"%PDF")


def test_damaged_ole(extract):
    result = extract(OLE_MAGIC + b"\x00" * 600, "broken.bin")
    assert result.status in ("failed", "unsupported")
