"""Content-addressed store of original bytes: ``blobs/ab/cd/<sha256>``, written once.

Bytes are streamed through three hashes (SHA-256 for the address; MD5 and SHA-1 for
forensic interchange) into a temporary file, fsynced, then renamed into place and made
read-only. Writing the same content twice is a no-op, so workers may store concurrently.

Each byte is read once: the chunk just read is hashed and written before the next read.
On a large file the three hashes run on two threads while the chunk is written
(hashlib releases the GIL on large updates), so storing is bound by the slowest hash,
MD5, rather than by the sum of the three (issue 16: a 1 GiB file hashed serially took
more than twice ``sha256sum``'s time).
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from docket.model.blobs import BlobInfo
from docket.model.errors import DiskFull

CHUNK = 1024 * 1024
# Below this a chunk is hashed inline: handing it to a thread costs more than it saves.
THREADED = 256 * 1024
_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    # Made on first use, in the process that uses it (workers are forked without threads).
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="docket-hash")
    return _POOL


def _feed(hashes: tuple[hashlib._Hash, ...], chunk: bytes) -> None:
    for h in hashes:
        h.update(chunk)


class Hasher:
    """SHA-256, MD5 and SHA-1 of one stream, fed in chunks."""

    def __init__(self) -> None:
        self._h = (hashlib.sha256(), hashlib.md5(), hashlib.sha1())
        self.size = 0

    def update(self, chunk: bytes, write: Callable[[bytes], object] | None = None) -> None:
        """Hash ``chunk`` (and ``write`` it, when given, while it is hashed)."""
        self.size += len(chunk)
        if len(chunk) < THREADED:
            _feed(self._h, chunk)
            if write is not None:
                write(chunk)
            return
        sha256, md5, sha1 = self._h
        # MD5 is the slowest of the three: it gets a thread of its own.
        jobs = [_pool().submit(_feed, (md5,), chunk), _pool().submit(_feed, (sha256, sha1), chunk)]
        try:
            if write is not None:
                write(chunk)
        finally:
            for job in jobs:
                job.result()

    def info(self) -> BlobInfo:
        sha256, md5, sha1 = (h.hexdigest() for h in self._h)
        return BlobInfo(sha256, md5, sha1, self.size)


class BlobStore:
    """The case's blob folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def put_bytes(self, data: bytes) -> BlobInfo:
        return self.put_chunks([data])

    def put_stream(self, stream: BinaryIO, limit: int | None = None) -> BlobInfo:
        """Store a stream; with ``limit``, raise ``OverflowError`` past that many bytes."""

        def chunks() -> Iterable[bytes]:
            total = 0
            while chunk := stream.read(CHUNK):
                total += len(chunk)
                if limit is not None and total > limit:
                    raise OverflowError(total)
                yield chunk

        return self.put_chunks(chunks())

    def put_file(self, path: Path) -> BlobInfo:
        with open(path, "rb") as f:
            return self.put_stream(f)

    def put_chunks(self, chunks: Iterable[bytes]) -> BlobInfo:
        hasher = Hasher()
        try:
            self.tmp.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="in-")
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise DiskFull(f"no space left to store bytes under {self.root}") from exc
            raise
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    hasher.update(chunk, out.write)
                out.flush()  # to the kernel, so that fsync makes it durable
                os.fsync(out.fileno())
            info = hasher.info()
            final = self.path(info.sha256)
            if final.exists():
                os.unlink(tmp_name)
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(tmp_name, 0o444)
                os.replace(tmp_name, final)
            return info
        except BaseException as exc:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                raise DiskFull(f"no space left to store bytes under {self.root}") from exc
            raise

    def open(self, sha256: str) -> BinaryIO:
        return open(self.path(sha256), "rb")

    def rehash(self, sha256: str) -> BlobInfo:
        hasher = Hasher()
        with self.open(sha256) as f:
            while chunk := f.read(CHUNK):
                hasher.update(chunk)
        return hasher.info()
