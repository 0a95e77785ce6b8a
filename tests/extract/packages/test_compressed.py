"""gzip, bzip2, xz: one child named from the header or the container; damage kept partial."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma

from docket.extract.sink import Limits
from tests.fixtures import hostile as h


def test_gzip_names_child_from_fname_header(extract):
    buf = io.BytesIO()
    with gzip.GzipFile("report.txt", "wb", fileobj=buf, mtime=1_600_000_000) as f:
        f.write(b"quarterly figures\n")
    result = extract(buf.getvalue(), "renamed.gz")
    assert result.status == "ok"
    (child,) = result.children
    assert child.name == "report.txt" and extract.child_bytes(child) == b"quarterly figures\n"
    assert result.metadata["original_name"] == "report.txt"
    assert result.metadata["modified"].startswith("2020-09-13")


def test_name_falls_back_to_container_name(extract):
    assert extract(bz2.compress(b"b"), "notes.txt.bz2").children[0].name == "notes.txt"
    assert extract(lzma.compress(b"x"), "dump.sql.xz").children[0].name == "dump.sql"
    assert extract(gzip.compress(b"t", mtime=0), "bundle.tgz").children[0].name == "bundle.tar"


def test_multi_member_gzip_read_to_the_end(extract):
    data = gzip.compress(b"first,", mtime=0) + gzip.compress(b"second", mtime=0)
    result = extract(data, "two.gz")
    assert extract.child_bytes(result.children[0]) == b"first,second"


def test_truncated_gzip_keeps_decompressed_part(extract):
    full = h.text_payload()
    result = extract(h.truncated_gzip(), "cut.gz")
    assert (result.status, result.code) == ("partial", "truncated")
    kept = extract.child_bytes(result.children[0])
    assert 0 < len(kept) < len(full) and full.startswith(kept)


def test_corrupt_xz_is_partial_not_a_crash(extract):
    data = bytearray(lzma.compress(h.text_payload(50)))
    data[200:260] = b"\x00" * 60
    result = extract(bytes(data), "bad.xz")
    # xz checks whole blocks, so a damaged first block yields nothing: failed, with why
    assert result.status in ("partial", "failed") and result.code in ("corrupt", "truncated")


def test_gzip_header_alone_fails_truncated(extract):
    result = extract(b"\x1f\x8b\x08\x00", "cut.gz")
    assert (result.status, result.code, result.children) == ("failed", "truncated", [])


def test_gzip_bomb_stopped_by_sink(extract):
    bomb = gzip.compress(bytes(40 * 1024 * 1024), 9, mtime=0)
    result = extract(bomb, "bomb.gz", limits=Limits(max_expanded=4 * 1024 * 1024))
    assert (result.status, result.code) == ("partial", "zip-bomb")
    assert result.children == []


def test_real_samples(extract, samples):
    f = samples / "formats"
    bob = extract(f / "bob.gz")
    assert bob.children[0].name == "alice.txt" and bob.children[0].blob.size == 11
    multi = extract(f / "multiple.gz")
    assert extract.child_bytes(multi.children[0]) == b"ab"
    empty = extract(f / "empty-file.txt.bz2")
    assert empty.status == "ok" and empty.children[0].blob.size == 0
    assert extract(f / "lbzip2-8-file.txt.bz2").children[0].name == "lbzip2-8-file.txt"
