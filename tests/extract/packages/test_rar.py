"""RAR through libarchive, on hand-built RAR 4 archives (tests/fixtures/rar.py) and samples."""

from __future__ import annotations

from tests.fixtures.rar import rar4


def test_stored_members(extract):
    members = [("a.txt", b"hello world"), ("dir/b.bin", bytes(range(256)) * 10), ("empty.txt", b"")]
    members.append(("عربي.txt", "نص عربي".encode()))
    result = extract(rar4(members), "x.rar")
    assert (result.type, result.status) == ("rar", "ok")
    kids = {c.name: c for c in result.children}
    assert set(kids) == {name for name, _ in members}
    for name, data in members:
        assert extract.child_bytes(kids[name]) == data
    assert kids["a.txt"].meta["modified"].startswith("2019-03-14")


def test_encrypted_members(extract):
    result = extract(rar4([("a.txt", b"ciphertext!"), ("b.txt", b"more")], encrypted=True), "e.rar")
    assert (result.status, result.code) == ("encrypted", "encrypted")
    assert [c.status for c in result.children] == ["encrypted", "encrypted"]
    assert all(c.blob is None for c in result.children)
    # a password list would not help: the message says what will
    for message in (result.message, *(c.message for c in result.children)):
        assert "Docket does not decrypt RAR" in (message or "") and "7-Zip" in (message or "")


def test_damaged_rar(extract):
    data = rar4([("a.txt", b"hello world" * 100)])
    assert extract(data[:12], "cut.rar").status in ("failed", "ok")
    result = extract(b"Rar!\x1a\x07\x00" + b"\xff" * 64, "junk.rar")
    assert (result.status, result.code) == ("failed", "corrupt")


def test_zip_slip_in_rar(extract):
    result = extract(rar4([("../../evil.txt", b"x")]), "slip.rar")
    assert (result.status, result.code) == ("partial", "path-traversal")


def test_real_samples(extract, samples):
    f = samples / "formats"
    docs = extract(f / "test-documents.rar")
    assert docs.status == "ok" and len(docs.children) == 9
    assert {c.name for c in docs.children} >= {
        "test-documents/testTXT.txt",
        "test-documents/testPDF.pdf",
    }
    assert next(c for c in docs.children if c.name.endswith("testPDF.pdf")).blob.size == 34824
    enc = extract(f / "test-documents-enc.rar")
    assert (enc.status, enc.code) == ("encrypted", "encrypted")
