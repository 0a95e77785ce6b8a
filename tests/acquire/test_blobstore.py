from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from docket.acquire.blobstore import BlobStore


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
