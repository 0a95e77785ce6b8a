"""Tar archives (stdlib ``tarfile``), read member by member as a stream.

Regular files become children; links, devices and FIFOs are recorded, never followed or
created. A tar cut short keeps every member read before the cut: the part of a member
that is present is stored (marked ``truncated``) and the item ends ``partial``.
Compressed tars arrive as gzip/bzip2/xz and reach here as that stream's one child.
"""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

from docket.extract.base import Extractor
from docket.extract.packages._common import CHUNK, decode_name, iso, read_chunks
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError, LimitExceeded

_KINDS = {
    tarfile.CHRTYPE: "character device",
    tarfile.BLKTYPE: "block device",
    tarfile.FIFOTYPE: "fifo",
}


TAR = FileType(
    "tar",
    "application/x-tar",
    "archive",
    ("tar",),
    # POSIX and GNU tar: "ustar" in the first header, after the 257-byte name and modes.
    magic=((257, b"ustar"),),
    order=15,
)


class TarExtractor(Extractor):
    name = "tar"
    file_types = (TAR,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        size = path.stat().st_size
        try:
            # surrogateescape keeps undecodable name bytes so they can be re-decoded below.
            archive = tarfile.open(path, "r:", encoding="utf-8", errors="surrogateescape")  # noqa: SIM115 (closed by the with below)
        except tarfile.TarError as exc:
            raise ExtractError(Code.CORRUPT, f"not a readable tar: {exc}") from exc
        with archive:
            end = 0
            try:
                for member in archive:
                    end = max(end, member.offset_data + _blocks(member.size))
                    _one(archive, member, sink, size)
            except LimitExceeded:
                raise
            except tarfile.TarError as exc:  # a bad header after good ones
                sink.warn(Code.CORRUPT, f"stopped at a bad header: {exc}")
                return
            _check_tail(archive, end, size, sink)


def _one(archive: tarfile.TarFile, member: tarfile.TarInfo, sink: Sink, size: int) -> None:
    if member.isdir():
        return
    name, meta = _name(member.name)
    meta |= _meta(member)
    if member.issym() or member.islnk():
        meta["target"] = _name(member.linkname)[0]
        kind = "symbolic link" if member.issym() else "hard link"
        sink.child_error(
            name, Code.LINK, f"{kind}: recorded, not followed", status="skipped", meta=meta
        )
    elif member.type in _KINDS:
        sink.child_error(
            name,
            Code.UNSUPPORTED,
            f"{_KINDS[member.type]}: no content",
            status="skipped",
            meta=meta,
        )
    elif not member.isreg():
        sink.child_error(
            name, Code.UNSUPPORTED, f"tar member type {member.type!r}", status="skipped", meta=meta
        )
    elif member.offset_data + member.size > size and not member.issparse():
        # Read the present part straight from the file: tarfile refuses short data.
        present = max(0, size - member.offset_data)
        meta |= {"truncated": True, "stored_size": present}
        fileobj = archive.fileobj
        assert fileobj is not None
        fileobj.seek(member.offset_data)
        sink.child(name, read_chunks(fileobj, present), meta=meta)
        sink.warn(
            Code.TRUNCATED, f"archive ends inside {name!r}: {present} of {member.size} bytes kept"
        )
    else:
        try:
            stream = archive.extractfile(member)
            assert stream is not None
            sink.child(name, read_chunks(stream), meta=meta)
        except LimitExceeded:
            raise
        except (tarfile.TarError, OSError, ValueError) as exc:
            sink.child_error(name, Code.CORRUPT, f"{type(exc).__name__}: {exc}", meta=meta)
            sink.warn(Code.CORRUPT, f"member {name!r} unreadable: {exc}")


def _check_tail(archive: tarfile.TarFile, end: int, size: int, sink: Sink) -> None:
    """Warn when bytes after the last member are neither the end marker nor padding."""
    if end >= size:
        return
    fileobj = archive.fileobj
    assert fileobj is not None
    fileobj.seek(end)
    tail = fileobj.read(min(size - end, CHUNK))
    if tail.strip(b"\x00"):
        sink.warn(
            Code.TRUNCATED, f"{size - end} bytes after the last readable member could not be read"
        )


def _blocks(n: int) -> int:
    return (n + 511) // 512 * 512


def _name(text: str) -> tuple[str, dict[str, Any]]:
    return decode_name(text.encode("utf-8", "surrogateescape"))


def _meta(member: tarfile.TarInfo) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "size": member.size,
        "mode": oct(member.mode),
        "uid": member.uid,
        "gid": member.gid,
        "modified": iso(member.mtime),
    }
    if member.uname:
        meta["uname"] = _name(member.uname)[0]
    if member.gname:
        meta["gname"] = _name(member.gname)[0]
    if member.isdev():
        meta["device"] = f"{member.devmajor},{member.devminor}"
    return {k: v for k, v in meta.items() if v is not None}
