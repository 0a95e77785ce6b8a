"""RAR 4 and RAR 5 archives, read through libarchive (``libarchive-c``), streamed.

libarchive reads RAR without decrypting: a header-encrypted archive fails at the first
header and an archive whose members are encrypted fails when their data is read; both
are recorded as ``encrypted``. Features libarchive lacks (some RAR5 filters, multi-volume
sets) fail with its own message, recorded per member when the listing could be read.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import libarchive
from libarchive import ffi
from libarchive.exception import ArchiveError

from docket.extract.base import Extractor
from docket.extract.packages._common import CHUNK, decode_name, iso
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, ExtractError, LimitExceeded


def _encrypted_probe() -> Any:
    # libarchive-c has no wrapper for this; without it, libarchive hands back a stored
    # encrypted member's ciphertext as if it were the file.
    try:
        probe = ffi.libarchive.archive_entry_is_encrypted
    except AttributeError:  # libarchive before 3.2
        return None
    probe.restype, probe.argtypes = ctypes.c_int, [ctypes.c_void_p]
    return probe


_IS_ENCRYPTED = _encrypted_probe()


# What an encrypted RAR needs: Docket has no RAR decryption (libarchive has none), so a
# password list does not help; the message says so.
NEEDS = (
    "Docket does not decrypt RAR, even with --passwords: extract it with unrar or 7-Zip"
    " and its password, then ingest what it holds"
)


class _DataError(Exception):
    """libarchive failed while reading one member's data."""


RAR = FileType(
    "rar",
    "application/vnd.rar",
    "archive",
    ("rar",),
    magic=((0, b"Rar!\x1a\x07"),),
    order=10,
)


class RarExtractor(Extractor):
    name = "rar"
    file_types = (RAR,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        files = encrypted = 0
        try:
            with libarchive.file_reader(str(path), format_name="all", filter_name="all") as archive:
                for entry in archive:
                    if entry.isdir:
                        continue
                    files += 1
                    encrypted += _one(entry, sink)
        except LimitExceeded:
            raise
        except ArchiveError as exc:
            message = _message(exc)
            if "encrypt" in message.lower() and not files:
                raise EncryptedError(
                    f"RAR archive with encrypted headers ({message}); {NEEDS}"
                ) from exc
            if not files:
                raise ExtractError(Code.CORRUPT, f"not a readable RAR: {message}") from exc
            sink.warn(Code.CORRUPT, f"stopped after {files} members: {message}")
        if files and encrypted == files:
            raise EncryptedError(f"all {files} members are password-protected; {NEEDS}")


def _one(entry: Any, sink: Sink) -> int:
    """Record one entry; return 1 when it was encrypted."""
    raw = entry.pathname or ""
    # libarchive-c hands back bytes when the name is not valid in the header's codec.
    name, meta = decode_name(raw) if isinstance(raw, bytes) else (raw, {})
    meta |= _meta(entry)
    if entry.issym or entry.islnk:
        meta["target"] = entry.linkpath
        sink.child_error(
            name, Code.LINK, "link: recorded, not followed", status="skipped", meta=meta
        )
        return 0
    if _IS_ENCRYPTED is not None and _IS_ENCRYPTED(entry._entry_p):
        sink.child_error(
            name,
            Code.ENCRYPTED,
            f"password-protected member; {NEEDS}",
            status="encrypted",
            meta=meta,
        )
        return 1
    if not entry.isreg:
        sink.child_error(
            name, Code.UNSUPPORTED, f"special file ({entry.strmode})", status="skipped", meta=meta
        )
        return 0
    try:
        sink.child(name, _blocks(entry), meta=meta)
    except _DataError as exc:
        message = str(exc)
        if "encrypt" in message.lower() or "passphrase" in message.lower():
            sink.child_error(
                name,
                Code.ENCRYPTED,
                f"password-protected member; {NEEDS}",
                status="encrypted",
                meta=meta,
            )
            return 1
        sink.child_error(name, Code.CORRUPT, message, meta=meta)
        sink.warn(Code.CORRUPT, f"member {name!r} unreadable: {message}")
    return 0


def _blocks(entry: Any) -> Iterator[bytes]:
    try:
        yield from entry.get_blocks(CHUNK)
    except ArchiveError as exc:
        raise _DataError(_message(exc)) from exc


def _message(exc: ArchiveError) -> str:
    # libarchive-c appends errno and pointers to the message; keep the words.
    words = str(getattr(exc, "msg", None) or exc).split(" (errno=")[0]
    return words if words and words != "None" else "libarchive found no readable header"


def _meta(entry: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"size": entry.size, "modified": iso(entry.mtime)}
    if entry.mode:
        meta["mode"] = oct(entry.mode & 0o7777)
    return {k: v for k, v in meta.items() if v is not None}
