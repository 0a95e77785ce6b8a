"""Zip: normal archives, hostile ones (see tests/fixtures/hostile.py) and real samples."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from docket.extract.sink import Limits
from tests.fixtures import hostile as h


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def by_name(result):
    return {c.name: c for c in result.children}


def test_members_become_children_with_their_bytes(extract):
    members = {"a.txt": b"alpha\n", "dir/b.bin": bytes(range(256)), "empty.txt": b""}
    result = extract(h.zip_of(members), "x.zip")
    assert (result.type, result.status, result.extractor) == ("zip", "ok", "zip")
    kids = by_name(result)
    assert set(kids) == set(members)
    for name, data in members.items():
        assert kids[name].blob.sha256 == sha(data)
    assert kids["a.txt"].meta["modified"] == "2020-05-17T12:00:00"
    assert kids["a.txt"].meta["crc"] and kids["a.txt"].meta["method"] == "deflate"


def test_directory_entries_are_not_items(extract):
    result = extract(h.zip_of({"folder/": b"", "folder/x.txt": b"x"}), "d.zip")
    assert [c.name for c in result.children] == ["folder/x.txt"]


def test_zip64_structures(extract):
    result = extract(h.zip64_full(), "z.zip")
    (child,) = result.children
    assert result.status == "ok" and child.meta["zip64"] is True
    assert extract.child_bytes(child) == b"zip64 member\n" * 20
    forced = extract(h.zip64(), "f.zip")
    assert forced.status == "ok" and len(forced.children) == 2


def test_data_descriptors(extract):
    result = extract(h.data_descriptor_zip(), "dd.zip")
    assert result.status == "ok"
    kids = by_name(result)
    assert kids["one.txt"].meta["data_descriptor"] is True
    assert extract.child_bytes(kids["two.txt"]) == b"second\n" * 100


def test_thousand_members_all_present(extract):
    result = extract(h.many_members(1000), "many.zip")
    assert result.status == "ok"
    assert len(result.children) == 1000
    assert len({c.name for c in result.children}) == 1000
    assert extract.child_bytes(by_name(result)["dir7/file0517.txt"]) == b"member 517\n"


def test_member_count_cap(extract):
    result = extract(h.many_members(50), "many.zip", limits=Limits(max_members=10))
    assert (result.status, result.code) == ("partial", "too-many-members")
    assert len(result.children) == 10


def test_corrupt_member_among_good_ones(extract):
    result = extract(h.corrupt_member_zip(), "c.zip")
    assert (result.status, result.code) == ("partial", "corrupt")
    kids = by_name(result)
    assert extract.child_bytes(kids["good1.txt"]) == b"first good member\n" * 50
    assert extract.child_bytes(kids["good2.txt"]) == b"second good member\n" * 50
    for bad in ("bad-crc.txt", "bad-deflate.bin"):
        assert (kids[bad].status, kids[bad].code, kids[bad].blob) == ("failed", "corrupt", None)
    assert "CRC" in kids["bad-crc.txt"].message


def test_encrypted_members(extract):
    mixed = extract(h.zipcrypto({"secret.txt": b"s3cr3t"}, plain={"open.txt": b"open"}), "m.zip")
    assert mixed.status == "ok"
    kids = by_name(mixed)
    assert (kids["secret.txt"].status, kids["secret.txt"].code) == ("encrypted", "encrypted")
    assert extract.child_bytes(kids["open.txt"]) == b"open"
    locked = extract(h.zipcrypto({"a.txt": b"a", "b.txt": b"b"}), "e.zip")
    assert (locked.status, locked.code) == ("encrypted", "encrypted")
    assert [c.status for c in locked.children] == ["encrypted", "encrypted"]


def test_symlink_recorded_not_followed(extract):
    result = extract(h.symlink_zip(), "l.zip")
    kids = by_name(result)
    link = kids["link-to-shadow"]
    assert (link.status, link.code, link.blob) == ("skipped", "link", None)
    assert link.meta["target"] == "/etc/shadow"
    assert extract.child_bytes(kids["real.txt"]) == b"real"


def test_overlapping_entries_detected_before_expansion(extract):
    result = extract(h.overlapping_zip(50), "o.zip")
    assert (result.status, result.code) == ("partial", "overlapping-entries")
    assert len(result.children) == 50
    assert all(c.blob is None and c.code == "overlapping-entries" for c in result.children)
    quoted = extract(h.quoted_overlap_zip(), "q.zip")
    assert quoted.code == "overlapping-entries"
    assert all(c.blob is None for c in quoted.children)


def test_truncated_zip_recovered_from_local_headers(extract):
    result = extract(h.truncated_zip(), "t.zip")
    assert (result.status, result.code) == ("partial", "corrupt")
    kids = by_name(result)
    assert extract.child_bytes(kids["first.txt"]) == b"first member\n" * 100
    assert extract.child_bytes(kids["second.txt"]) == b"second member\n" * 100
    assert kids["first.txt"].meta["recovered"] is True


def test_garbage_that_looks_like_zip_fails_cleanly(extract):
    result = extract(b"PK\x03\x04\x14\x00garbage", "junk.zip")
    assert (result.status, result.code) == ("failed", "corrupt")


def test_zip_bomb_stopped_quickly(extract):
    bomb = h.zip_bomb(100)
    assert len(bomb) < 200_000
    start = time.perf_counter()
    result = extract(bomb, "bomb.zip", limits=Limits(max_expanded=8 * 1024 * 1024))
    assert time.perf_counter() - start < 10
    assert (result.status, result.code) == ("partial", "zip-bomb")
    assert result.children == []  # the member was cut off, nothing half-stored
    assert not list((extract.tmp / "blobs" / "tmp").glob("*"))  # no temp file left behind


def test_zip_slip_names_kept_by_hash_only(extract, tmp_path: Path):
    before = set(tmp_path.parent.iterdir())
    result = extract(h.zip_slip(), "slip.zip")
    assert (result.status, result.code) == ("partial", "path-traversal")
    kids = by_name(result)
    assert set(kids) == {"../../evil.txt", "/etc/passwd", "..\\..\\win.txt", "safe/ok.txt"}
    assert extract.child_bytes(kids["../../evil.txt"]) == b"climbed out\n"
    assert sum(code == "path-traversal" for code, _ in result.warnings) == 3
    assert set(tmp_path.parent.iterdir()) == before
    written = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert not {"evil.txt", "passwd", "win.txt", "ok.txt"} & set(written)
    assert not list(Path.cwd().rglob("evil.txt"))
    assert not Path("/tmp/evil.txt").exists() and not Path("/evil.txt").exists()


def test_nested_twenty_levels(extract):
    data = h.nested_zip(20)
    depth = 0
    result = extract(data, "outer.zip")
    while result.children and result.children[0].name.endswith(".zip"):
        child = result.children[0]
        result = extract(extract.child_bytes(child), child.name, depth=depth + 1)
        depth += 1
        if result.status == "skipped":
            break
    # the pipeline's depth cap (12) stops it before the bottom, with a recorded reason
    assert (result.status, result.code) == ("skipped", "too-deep")
    assert depth == 12


def test_real_samples(extract, samples):
    f = samples / "formats"
    zz = extract(f / "test-zip-of-zip.zip")
    assert [c.name for c in zz.children] == ["html-within-zip.zip"]
    inner = extract.child(zz.children[0])
    assert inner.type == "zip" and inner.children
    enc = by_name(extract(f / "testZipEncrypted.zip"))
    assert enc["encrypted.txt"].status == "encrypted" and enc["unencrypted.txt"].blob
    dd = extract(f / "testZip_with_DataDescriptor.zip")
    assert dd.status == "ok" and [c.name for c in dd.children] == [f"en{i}" for i in range(5)]
    assert all(c.blob and c.blob.size == 4 for c in dd.children)
    oom = extract(f / "testZIP_corrupted_oom.zip")
    assert oom.status == "partial" and [c.name for c in oom.children] == ["hello.txt"]
    sjis = extract(f / "testZipEntryNameCharsetShiftSJIS.zip")
    assert [c.name for c in sjis.children] == ["文章1.txt", "文章2.txt"]
    assert sjis.children[0].meta["raw_name"] == "95b68fcd312e747874"
    gbk = extract(f / "gbk.zip")
    assert gbk.children[0].name.startswith("审计压缩包文件检索测试/")
