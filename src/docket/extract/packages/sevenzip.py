"""7z archives (py7zr), streamed member by member into the sink, never onto disk.

py7zr pushes decompressed bytes into writer objects, while the sink pulls chunks; a
decoding thread bridges the two through a small bounded queue, so memory stays bounded
whatever a member's size and the sink's limits apply while bytes are still arriving.
Folders are decoded one at a time in file order (solid blocks cannot be skipped into).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import py7zr
from py7zr.exceptions import PasswordRequired
from py7zr.io import MemIO, Py7zIO, WriterFactory

from docket.extract.base import Extractor
from docket.extract.packages._common import iso
from docket.extract.passwords import DECRYPTED, Password, candidates, unlock
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, ExtractError, LimitExceeded

_QUEUE = 4  # chunks in flight between the decoding thread and the sink
_STEP = 1024 * 1024

# py7zr sizes each decompression step from free memory (up to 128 MB), so one step of a
# bomb can allocate that much at once. Docket reads 7z only here, in worker processes,
# so the step is pinned small for the whole process; it costs no measurable speed.
py7zr.py7zr.get_memory_limit = lambda: _STEP  # type: ignore[attr-defined]
_MAX_LINK = 4096


class _Stop(Exception):
    """Raised in the decoding thread when the reader has gone away."""


class _Failed(Exception):
    """The decoder failed inside the current member."""


class _Bridge(WriterFactory):
    def __init__(self) -> None:
        self.q: queue.Queue[tuple[str, Any]] = queue.Queue(_QUEUE)
        self.stop = threading.Event()

    def put(self, event: tuple[str, Any]) -> None:
        while not self.stop.is_set():
            try:
                self.q.put(event, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Stop

    def create(self, filename: str) -> Py7zIO:
        self.put(("start", int(filename)))
        return _Pipe(self)


class _Pipe(Py7zIO):
    def __init__(self, bridge: _Bridge) -> None:
        self.bridge, self._size = bridge, 0

    def write(self, s: bytes | bytearray) -> int:
        if s:
            self.bridge.put(("data", bytes(s)))
            self._size += len(s)
        return len(s)

    def close(self) -> None:
        self.bridge.put(("end", None))

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def flush(self) -> None:
        pass

    def size(self) -> int:
        return self._size


SEVENZIP = FileType(
    "7z",
    "application/x-7z-compressed",
    "archive",
    ("7z",),
    magic=((0, b"7z\xbc\xaf\x27\x1c"),),
    order=10,
)


class SevenZipExtractor(Extractor):
    name = "7z"
    file_types = (SEVENZIP,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open(path, "rb") as fp:  # a file object keeps py7zr single-threaded, in order
            try:
                archive = py7zr.SevenZipFile(fp)
            except PasswordRequired:
                # Even the names are encrypted: nothing is known without a password.
                archive = _unlock(fp, sink, "7z archive with encrypted headers")
            except (py7zr.Bad7zFile, EOFError, OSError, ValueError, KeyError, IndexError) as exc:
                raise ExtractError(Code.CORRUPT, f"not a readable 7z: {exc}") from exc
            if archive.needs_password() and DECRYPTED not in sink.metadata:
                archive = _members_locked(archive, fp, sink)
            with archive:
                files = [f for f in archive.files if not f.is_directory]
                _stream(archive, files, fp, sink)


def _members_locked(archive: py7zr.SevenZipFile, fp: Any, sink: Sink) -> py7zr.SevenZipFile:
    """The archive reopened with the password that decrypts its members; when none does,
    each member is recorded ``encrypted`` and the archive too."""
    files = [f for f in archive.files if not f.is_directory]
    what = f"7z archive with {len(files)} encrypted members"
    try:
        if candidates(sink.settings):
            archive.close()
            return _unlock(fp, sink, what)
        tried = ""
    except EncryptedError as exc:
        tried = exc.message[len(what) :]
    for f in files:
        sink.child_error(
            f.filename,
            Code.ENCRYPTED,
            f"password-protected member{tried}",
            status="encrypted",
            meta=_meta(f),
        )
    raise EncryptedError(what + tried)


def _unlock(fp: Any, sink: Sink, what: str) -> py7zr.SevenZipFile:
    """The archive opened with the first of the user's passwords under which every
    member decodes and checks out (AES with a wrong key yields garbage that only the
    CRC tells apart); ``decrypted`` records which."""

    def attempt(password: Password) -> py7zr.SevenZipFile | None:
        fp.seek(0)
        archive = None
        try:
            archive = py7zr.SevenZipFile(fp, password=password.value)
            if archive.testzip() is None:
                archive.reset()
                return archive
        except Exception:  # a wrong key: garbage headers, LZMA errors, CRC mismatches
            pass
        if archive is not None:
            archive.close()
        return None

    archive, password = unlock(sink.settings, what, attempt, sink.keepalive)
    sink.meta(DECRYPTED, password.record())
    return archive


def _stream(archive: py7zr.SevenZipFile, files: list[Any], fp: Any, sink: Sink) -> None:
    bridge = _Bridge()
    for i, f in enumerate(archive.files):
        if not f.is_directory:
            # The key is the index, not the name: names may be hostile or repeated.
            archive.worker.register_filelike(f.id, MemIO(str(i), bridge))

    def decode() -> None:
        try:
            archive.worker.extract(fp, None, parallel=False)
            bridge.put(("done", None))
        except _Stop:
            pass
        except Exception as exc:  # reported to the reader, which records it
            try:
                bridge.put(("error", exc))
            except _Stop:
                pass

    worker = threading.Thread(target=decode, name="docket-7z", daemon=True)
    worker.start()
    done: set[int] = set()
    try:
        _consume(archive, bridge, sink, done)
    finally:
        bridge.stop.set()
        worker.join(timeout=5)
    for i, f in enumerate(archive.files):
        if not f.is_directory and i not in done:
            sink.child_error(
                f.filename,
                Code.MEMBER_ERROR,
                "not reached: decoding stopped at an earlier error",
                meta=_meta(f),
            )


def _consume(archive: py7zr.SevenZipFile, bridge: _Bridge, sink: Sink, done: set[int]) -> None:
    while True:
        kind, value = bridge.q.get()
        if kind == "done":
            return
        if kind == "error":
            sink.warn(Code.CORRUPT, f"7z decoding failed: {type(value).__name__}: {value}")
            return
        f = archive.files[value]
        done.add(value)
        try:
            if f.is_symlink:
                target = b"".join(_member(bridge))[:_MAX_LINK].decode("utf-8", "replace")
                sink.child_error(
                    f.filename,
                    Code.LINK,
                    "symbolic link: recorded, not followed",
                    status="skipped",
                    meta=_meta(f) | {"target": target},
                )
            else:
                sink.child(f.filename, _member(bridge), meta=_meta(f))
        except LimitExceeded:
            raise
        except _Failed as exc:
            sink.child_error(f.filename, Code.CORRUPT, str(exc), meta=_meta(f))
            sink.warn(Code.CORRUPT, f"member {f.filename!r} unreadable: {exc}")
            return


def _member(bridge: _Bridge) -> Iterator[bytes]:
    while True:
        kind, value = bridge.q.get()
        if kind == "data":
            yield value
        elif kind == "end":
            return
        else:  # "error" inside this member (CRC, bad data); "done" cannot come mid-member
            raise _Failed(f"{type(value).__name__}: {value}")


def _meta(f: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"size": f.uncompressed}
    if f.compressed:
        meta["compressed_size"] = f.compressed
    if f.crc32 is not None:
        meta["crc"] = f"{f.crc32:08x}"
    try:
        meta["modified"] = iso(f.lastwritetime.totimestamp()) if f.lastwritetime else None
    except (AttributeError, ValueError, OverflowError):
        pass
    return {k: v for k, v in meta.items() if v is not None}
