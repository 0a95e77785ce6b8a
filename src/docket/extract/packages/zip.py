"""Zip archives (stdlib ``zipfile``): zip64, data descriptors, legacy name encodings.

Hostile zips are normal input here. Before any byte is expanded, the central directory is
checked for entries whose local data overlap (the "better zip bomb" reuses one compressed
stream for many entries); encrypted members and links are recorded, never decrypted or
followed; a corrupt member is recorded and the rest still expanded; an unreadable central
directory falls back to a scan of local headers (``_zipscan``).
"""

from __future__ import annotations

import stat
import struct
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from docket.extract.base import Extractor
from docket.extract.containers import ZIP
from docket.extract.packages import _zipscan
from docket.extract.packages._common import decode_name, legacy_codec, read_chunks
from docket.extract.packages._zipcrypt import ZipPasswords
from docket.extract.passwords import tried_message
from docket.extract.sink import Sink
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, LimitExceeded

_UTF8_FLAG = 0x800
_LOCAL = struct.Struct("<4s22xHH")  # signature, then name and extra lengths at offset 26
_METHODS = {
    0: "stored",
    8: "deflate",
    9: "deflate64",
    12: "bzip2",
    14: "lzma",
    93: "zstd",
    99: "aes",
}
_MAX_LINK = 4096  # a symlink's target is a path, never megabytes


class ZipExtractor(Extractor):
    name = "zip"
    file_types = (ZIP,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, UnicodeDecodeError, EOFError) as exc:
            # Truncated downloads and carved files lose the central directory first;
            # the local headers before it usually still hold every member.
            _zipscan.recover(path, sink, f"central directory unreadable ({exc})")
            return
        with archive:
            _expand(archive, path, sink)


def _expand(archive: zipfile.ZipFile, path: Path, sink: Sink) -> None:
    infos = archive.infolist()
    _fix_offsets(archive, infos)
    sink.meta("comment", archive.comment.decode("utf-8", "replace").strip("\x00 \r\n"))
    sink.meta("entries", len(infos))
    skip = _overlapping(archive, infos, path.stat().st_size)
    if skip:
        sink.warn(
            Code.OVERLAPPING,
            f"{len(skip)} of {len(infos)} entries share compressed bytes with another entry "
            "(a zip-bomb technique); those entries were not expanded",
        )
    codec = legacy_codec(
        i.orig_filename.encode("cp437") for i in infos if not i.flag_bits & _UTF8_FLAG
    )
    files = encrypted = 0
    unlock = ZipPasswords(path, sink)
    try:
        for index, info in enumerate(infos):
            if info.is_dir() and not info.file_size:
                continue
            files += 1
            encrypted += _entry(archive, index, info, codec, skip, unlock, sink)
    finally:
        unlock.close()
    if files and encrypted == files:
        tried = f": {tried_message(len(unlock.passwords))}" if unlock else ""
        raise EncryptedError(f"all {files} members are password-protected{tried}")


def _entry(
    archive: zipfile.ZipFile,
    index: int,
    info: zipfile.ZipInfo,
    codec: str | None,
    skip: set[zipfile.ZipInfo],
    unlock: ZipPasswords,
    sink: Sink,
) -> int:
    """Record one entry; 1 when it stayed encrypted."""
    name, meta = _name(info, codec)
    meta |= _meta(info)
    if info.is_dir():  # a name ending in "/" that holds bytes: hidden data, never dropped
        meta["folder_entry"] = True
        sink.warn(
            Code.MEMBER_ERROR,
            f"{name!r} is named as a folder but holds {info.file_size} bytes; kept as an item",
        )
    if info in skip:
        sink.child_error(
            name,
            Code.OVERLAPPING,
            "entry overlaps another; not expanded",
            status="skipped",
            meta=meta,
        )
    elif info.flag_bits & 0x1:
        if unlock:
            return 0 if unlock.member(index, info, name, meta) else 1
        sink.child_error(
            name, Code.ENCRYPTED, "password-protected member", status="encrypted", meta=meta
        )
        return 1
    elif _is_link(info):
        _link(archive, info, name, meta, sink)
    else:
        _member(archive, info, name, meta, sink)
    return 0


def _member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, meta: dict[str, Any], sink: Sink
) -> None:
    try:
        with archive.open(info) as stream:
            sink.child(name, read_chunks(stream), meta=meta)
    except LimitExceeded:
        raise
    except NotImplementedError as exc:  # deflate64, zstd, PKWARE strong encryption...
        sink.child_error(name, Code.UNSUPPORTED, str(exc), status="unsupported", meta=meta)
        sink.warn(Code.MEMBER_ERROR, f"{name!r}: {exc}")
    except Exception as exc:  # bad CRC, bad deflate data, bad local header: this member only
        message = f"{type(exc).__name__}: {exc}"
        sink.child_error(name, Code.CORRUPT, message, meta=meta)
        sink.warn(Code.CORRUPT, f"member {name!r} unreadable: {message}")


def _link(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, meta: dict[str, Any], sink: Sink
) -> None:
    try:
        with archive.open(info) as stream:
            meta["target"] = stream.read(_MAX_LINK).decode("utf-8", "replace")
    except Exception as exc:  # the link is still recorded, just without its target
        meta["target_error"] = f"{type(exc).__name__}: {exc}"
    sink.child_error(
        name, Code.LINK, "symbolic link: recorded, not followed", status="skipped", meta=meta
    )


def _is_link(info: zipfile.ZipInfo) -> bool:
    # Only Unix-made zips (create_system 3) carry a file type in the high 16 bits.
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _name(info: zipfile.ZipInfo, codec: str | None) -> tuple[str, dict[str, Any]]:
    if info.flag_bits & _UTF8_FLAG:
        return info.orig_filename, {}
    # zipfile decoded these bytes as cp437, which maps all 256 bytes, so this is lossless.
    return decode_name(info.orig_filename.encode("cp437"), codec=codec)


def _meta(info: zipfile.ZipInfo) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "size": info.file_size,
        "compressed_size": info.compress_size,
        "crc": f"{info.CRC:08x}",
        "method": _METHODS.get(info.compress_type, str(info.compress_type)),
    }
    try:
        meta["modified"] = datetime(*info.date_time).isoformat()  # local time, no zone in zip
    except ValueError:
        pass  # a zeroed or garbage DOS date is common; absence beats an invented date
    if info.comment:
        meta["comment"] = info.comment.decode("utf-8", "replace")
    if info.flag_bits & 0x8:
        meta["data_descriptor"] = True
    if info.flag_bits & 0x1:
        meta["encrypted"] = True
    if max(info.file_size, info.compress_size, info.header_offset) >= 0xFFFFFFFF or _has_zip64(
        info.extra
    ):
        meta["zip64"] = True
    if info.create_system == 3 and info.external_attr >> 16:
        meta["mode"] = oct(stat.S_IMODE(info.external_attr >> 16))
    return meta


def _has_zip64(extra: bytes) -> bool:
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        if tag == 0x0001:
            return True
        i += 4 + size
    return False


def _fix_offsets(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Point members whose recorded offset holds no local header at the header that does.

    Some writers forget to count data descriptors in the offsets they record, and zipfile
    shifts every offset when the directory is not where the end record says (it assumes
    a self-extractor stub). The local header with the member's own name is the truth.
    """
    fp = archive.fp
    assert fp is not None
    lost = []
    for info in infos:
        fp.seek(info.header_offset)
        if fp.read(4) != b"PK\x03\x04":
            lost.append(info)
    if not lost:
        return
    found = _zipscan.local_headers(fp)
    for info in lost:
        raw = info.orig_filename.encode("utf-8" if info.flag_bits & _UTF8_FLAG else "cp437")
        places = found.get(raw)
        if places:
            info.header_offset = min(places, key=lambda at: abs(at - info.header_offset))


def _overlapping(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], file_size: int
) -> set[zipfile.ZipInfo]:
    """Entries whose local header + data range overlaps another entry's, from the offsets
    and sizes in the central directory, before anything is decompressed."""
    fp = archive.fp
    assert fp is not None
    spans: list[tuple[int, int, zipfile.ZipInfo]] = []
    for info in infos:
        start = info.header_offset
        fp.seek(start)
        head = fp.read(_LOCAL.size)
        extra = 0
        if len(head) == _LOCAL.size and head[:4] == b"PK\x03\x04":
            _, name_len, extra_len = _LOCAL.unpack(head)
            extra = name_len + extra_len
        end = min(start + _LOCAL.size + extra + info.compress_size, max(file_size, start + 1))
        spans.append((start, end, info))
    spans.sort(key=lambda s: (s[0], s[1]))
    bad: set[zipfile.ZipInfo] = set()
    reach, owner = -1, None
    for start, end, info in spans:
        if start < reach and owner is not None:
            bad.update((info, owner))
        if end > reach:
            reach, owner = end, info
    return bad
