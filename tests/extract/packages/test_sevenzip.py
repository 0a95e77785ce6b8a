"""7z through py7zr, streamed through a bounded queue; encryption recorded, never guessed."""

from __future__ import annotations

import io
import tracemalloc

import py7zr

from docket.extract.sink import Limits
from tests.fixtures import hostile as h


def seven(members: dict[str, bytes], **kwargs) -> bytes:
    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w", **kwargs) as z:
        for name, data in members.items():
            z.writef(io.BytesIO(data), name)
    return buf.getvalue()


def test_members_streamed_to_children(extract):
    members = {"a.txt": b"alpha\n" * 100, "dir/b.bin": bytes(range(256)) * 40, "empty.txt": b""}
    result = extract(seven(members), "x.7z")
    assert (result.type, result.status) == ("7z", "ok")
    kids = {c.name: c for c in result.children}
    assert set(kids) == set(members)
    for name, data in members.items():
        assert extract.child_bytes(kids[name]) == data


def test_hostile_names_are_kept_not_refused(extract):
    # py7zr's own extract() refuses the whole archive; here the member is kept by hash.
    result = extract(h.sevenzip_slip(), "slip.7z")
    assert (result.status, result.code) == ("partial", "path-traversal")
    assert {c.name for c in result.children} == {"../../evil.txt", "ok.txt"}


def test_encrypted_members_and_encrypted_headers(extract):
    members = {"secret.txt": b"classified"}
    body = extract(seven(members, password="pw"), "enc.7z")
    assert (body.status, body.code) == ("encrypted", "encrypted")
    assert [(c.name, c.status) for c in body.children] == [("secret.txt", "encrypted")]
    headers = seven(members, password="pw", header_encryption=True)
    whole = extract(headers, "henc.7z")
    assert (whole.status, whole.code) == ("encrypted", "encrypted") and whole.children == []


def test_large_member_memory_bounded_and_bomb_capped(extract):
    data = seven({"zeros.bin": bytes(48 * 1024 * 1024)})
    extract(seven({"warm.txt": b"w"}), "warm.7z")  # import every extractor before measuring
    tracemalloc.start()
    try:
        result = extract(data, "big.7z")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "ok" and result.children[0].blob.size == 48 * 1024 * 1024
    # LZMA's 16 MiB dictionary plus a few 1 MiB chunks in flight: the member is streamed
    assert peak < 32 * 1024 * 1024
    capped = extract(data, "big.7z", limits=Limits(max_expanded=4 * 1024 * 1024))
    assert (capped.status, capped.code) == ("partial", "zip-bomb")


def test_corrupt_7z(extract):
    data = bytearray(seven({"a.txt": b"alpha " * 5000, "b.txt": b"beta " * 5000}))
    assert extract(bytes(data[:40]), "cut.7z").status == "failed"
    data[40:200] = b"\x00" * 160
    result = extract(bytes(data), "bad.7z")
    assert result.status in ("failed", "partial")
    assert all(c.blob is None or c.status is None for c in result.children)


def test_real_samples(extract, samples):
    f = samples / "formats"
    docs = extract(f / "test-documents.7z")
    assert docs.status == "ok" and len(docs.children) == 9
    assert docs.children[0].name == "test-documents/testEXCEL.xls"
    assert docs.children[0].blob.size == 13824
    assert extract(f / "full_encrypted.7z").status == "encrypted"
    tika = extract(f / "test7Z_protected_passTika.7z")
    assert tika.status == "encrypted" and tika.children[0].name == "text.txt"
