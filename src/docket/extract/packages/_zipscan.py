"""Recover zip members from their local headers when the central directory is lost.

Truncated downloads and carved files keep their local headers; each one says how the
member's data is compressed and, unless a data descriptor follows the data, how long it
is. Stored and deflated members are recovered (deflate marks its own end, so even a
member with a data descriptor can be read); other methods are recorded as unsupported.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from docket.extract.packages._common import CHUNK, decode_name
from docket.extract.sink import Sink
from docket.model.errors import Code, ExtractError, LimitExceeded

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_SIG = b"PK\x03\x04"


class _Bad(Exception):
    """This member's data could not be read."""


def recover(path: Path, sink: Sink, reason: str) -> None:
    """Expand what the local headers describe, or raise ``ExtractError`` when none do."""
    size = path.stat().st_size
    found = 0
    with open(path, "rb") as f:
        offset = _next_header(f, 0)
        while offset is not None:
            f.seek(offset)
            head = f.read(_LOCAL.size)
            if len(head) < _LOCAL.size:
                break
            _, _, flags, method, _, _, _, csize, _, name_len, extra_len = _LOCAL.unpack(head)
            raw = f.read(name_len)
            data_start = offset + _LOCAL.size + name_len + extra_len
            if len(raw) < name_len or data_start > size:
                break
            if not found:
                sink.warn(Code.CORRUPT, f"{reason}; members recovered from local headers")
            found += 1
            name, meta = decode_name(raw, utf8=bool(flags & 0x800))
            meta["recovered"] = True
            if name.endswith("/") and not csize:  # a folder; one holding bytes is kept
                offset = _next_header(f, data_start)
                continue
            end = _member(f, sink, name, meta, flags, method, csize, data_start, size)
            offset = _next_header(f, max(end, offset + 4))
    if not found:
        raise ExtractError(Code.CORRUPT, f"not a readable zip: {reason}; no local headers found")


def _member(
    f: IO[bytes],
    sink: Sink,
    name: str,
    meta: dict,
    flags: int,
    method: int,
    csize: int,
    start: int,
    size: int,
) -> int:
    """Store one member; return the offset where its data ends (as far as is known)."""
    known = not flags & 0x8 or csize > 0
    if flags & 0x1:
        sink.child_error(
            name, Code.ENCRYPTED, "password-protected member", status="encrypted", meta=meta
        )
        return start + csize if known else start
    if method not in (0, 8) or (method == 0 and not known):
        sink.child_error(
            name,
            Code.UNSUPPORTED,
            f"cannot recover method {method} without a directory",
            status="unsupported",
            meta=meta,
        )
        sink.warn(Code.MEMBER_ERROR, f"member {name!r} not recovered (method {method})")
        return start + csize if known else start
    end = [start + csize]
    f.seek(start)
    limit = min(csize, size - start) if known else size - start
    source = _stored(f, limit) if method == 0 else _inflate(f, limit, start, end)
    try:
        sink.child(name, source, meta=meta)
    except LimitExceeded:
        raise
    except (_Bad, zlib.error, OSError) as exc:
        sink.child_error(name, Code.CORRUPT, f"unreadable: {exc}", meta=meta)
        sink.warn(Code.CORRUPT, f"member {name!r} unreadable: {exc}")
    if known and csize > size - start:
        sink.warn(Code.TRUNCATED, f"member {name!r} is cut short by the end of the file")
    return end[0]


def _stored(f: IO[bytes], limit: int) -> Iterator[bytes]:
    while limit > 0 and (chunk := f.read(min(CHUNK, limit))):
        limit -= len(chunk)
        yield chunk


def _inflate(f: IO[bytes], limit: int, start: int, end: list[int]) -> Iterator[bytes]:
    d = zlib.decompressobj(-15)
    used = 0
    while not d.eof:
        data = d.unconsumed_tail or f.read(min(64 * 1024, limit - used))
        if not data:
            raise _Bad("deflate stream ends early")
        if not d.unconsumed_tail:
            used += len(data)
        # max_length keeps one small input from inflating into gigabytes at once.
        out = d.decompress(data, CHUNK)
        if out:
            yield out
    end[0] = start + used - len(d.unused_data)


def local_headers(f: IO[bytes]) -> dict[bytes, list[int]]:
    """Every local header in the file: raw name -> offsets."""
    found: dict[bytes, list[int]] = {}
    offset = _next_header(f, 0)
    while offset is not None:
        f.seek(offset)
        head = f.read(_LOCAL.size)
        if len(head) < _LOCAL.size:
            break
        name = f.read(_LOCAL.unpack(head)[9])
        found.setdefault(name, []).append(offset)
        offset = _next_header(f, offset + 4)
    return found


def _next_header(f: IO[bytes], offset: int) -> int | None:
    """Offset of the next local header at or after ``offset``, scanning in chunks."""
    f.seek(offset)
    carry = b""
    while chunk := f.read(CHUNK):
        block = carry + chunk
        at = block.find(_SIG)
        if at >= 0:
            return offset - len(carry) + at
        carry = block[-3:]
        offset += len(chunk)
    return None
