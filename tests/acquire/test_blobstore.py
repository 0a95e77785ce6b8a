from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest

from docket.acquire.blobstore import CHUNK, THREADED, BlobStore, Hasher


def test_stores_once_by_sha256_with_md5_and_sha1(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    data = "تقرير مالي".encode() * 1000
    info = store.put_bytes(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.md5 == hashlib.md5(data).hexdigest()
    assert info.sha1 == hashlib.sha1(data).hexdigest()
    path = store.path(info.sha256)
    assert path.read_bytes() == data
    assert path.relative_to(tmp_path / "blobs").parts[:2] == (info.sha256[:2], info.sha256[2:4])
    assert store.put_stream(io.BytesIO(data)) == info
    assert len([p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]) == 1


def test_stream_limit_leaves_nothing_behind(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    with pytest.raises(OverflowError):
        store.put_stream(io.BytesIO(b"x" * 5_000_000), limit=1_000_000)
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []


class _CountingFile(io.FileIO):
    """A real file that counts the bytes read from it."""

    bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        n = super().readinto(buffer)
        self.bytes_read += n or 0
        return n


def test_large_file_is_read_once_and_all_three_hashes_are_right(tmp_path: Path) -> None:
    # Several chunks, of which the last is partial, and large enough for the threaded path.
    data = os.urandom(3 * CHUNK + 12_345)
    source = tmp_path / "large.bin"
    source.write_bytes(data)
    store = BlobStore(tmp_path / "blobs")
    with _CountingFile(source, "r") as f:
        info = store.put_stream(f)  # type: ignore[arg-type]
        assert f.bytes_read == len(data)  # each byte read once: no second pass to hash
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.md5 == hashlib.md5(data).hexdigest()
    assert info.sha1 == hashlib.sha1(data).hexdigest()
    assert info.size == len(data)
    assert store.path(info.sha256).read_bytes() == data
    assert store.rehash(info.sha256) == info
    assert store.put_file(source) == info  # the whole-file path agrees


def test_small_and_large_chunks_hash_alike() -> None:
    # The inline path (small chunks) and the threaded one (large) give the same hashes.
    data = os.urandom(2 * THREADED + 7)
    small, large = Hasher(), Hasher()
    for i in range(0, len(data), 1000):
        small.update(data[i : i + 1000])
    written: list[bytes] = []
    large.update(data, written.append)
    assert small.info() == large.info()
    assert written == [data]
