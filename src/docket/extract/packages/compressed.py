"""Single-stream compression: gzip, bzip2, xz. One child, the decompressed stream.

A ``.tar.gz`` becomes a gzip item with one ``.tar`` child, so lineage shows both layers.
Multi-member gzip and multi-stream bzip2/xz are read to the end; a stream cut short keeps
what was decompressed before the cut and ends ``partial``. Bombs are stopped by the sink.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import struct
import zlib
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from docket.extract.base import Extractor
from docket.extract.packages._common import CHUNK, iso
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

_OPENERS: dict[str, Any] = {
    "gzip": lambda f: gzip.GzipFile(fileobj=f),
    "bzip2": bz2.BZ2File,
    "xz": lzma.LZMAFile,
}
_SUFFIXES = {".gz": "", ".gzip": "", ".z": "", ".bz2": "", ".bz": "", ".xz": "", ".lzma": ""}
_SUFFIXES |= {".tgz": ".tar", ".taz": ".tar", ".tbz": ".tar", ".tbz2": ".tar", ".txz": ".tar"}
_FEXTRA, _FNAME, _FCOMMENT = 4, 8, 16


GZIP = FileType(
    "gzip",
    "application/gzip",
    "archive",
    ("gz", "tgz", "gzip"),
    magic=((0, b"\x1f\x8b"),),
    order=10,
)

BZIP2 = FileType(
    "bzip2",
    "application/x-bzip2",
    "archive",
    ("bz2", "tbz", "tbz2"),
    magic=((0, b"BZh"),),
    order=10,
)

XZ = FileType(
    "xz",
    "application/x-xz",
    "archive",
    ("xz", "txz"),
    magic=((0, b"\xfd7zXZ\x00"),),
    order=10,
)


class CompressedExtractor(Extractor):
    name = "compressed"
    file_types = (GZIP, BZIP2, XZ)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        header = _gzip_header(path) if detection.type == "gzip" else {}
        for key in ("original_name", "comment"):
            sink.meta(key, header.get(key))
        sink.meta("modified", iso(header.get("mtime")) if header.get("mtime") else None)
        name = _child_name(header.get("original_name"), sink.name)
        problems: list[str] = []
        with open(path, "rb") as raw, _OPENERS[detection.type](raw) as stream:
            chunks = _read(stream, problems)
            first = next(chunks, None)
            if first is None and problems:
                # Not one byte came out: there is no child to keep, only the reason.
                code = Code.TRUNCATED if "ended" in problems[0] else Code.CORRUPT
                raise ExtractError(code, f"nothing could be decompressed: {problems[0]}")
            sink.child(
                name, chain([first] if first else [], chunks), meta={"compression": detection.type}
            )
        for problem in problems:
            cut = "end-of-stream" in problem or "ended" in problem
            sink.warn(
                Code.TRUNCATED if cut else Code.CORRUPT,
                f"{problem}; what was decompressed before it is kept",
            )


def _read(stream: BinaryIO, problems: list[str]) -> Iterator[bytes]:
    """Decompressed chunks; a truncated or damaged stream ends the iteration, noted."""
    # read1 returns each decompressed step as it comes: read(n) would lose everything
    # gathered towards n when the stream then turns out to be cut short.
    read = getattr(stream, "read1", stream.read)
    try:
        while chunk := read(CHUNK):
            yield chunk
    except EOFError as exc:
        problems.append(f"stream ended early ({exc})")
    except (OSError, zlib.error, lzma.LZMAError, ValueError) as exc:
        problems.append(f"stream damaged ({type(exc).__name__}: {exc})")


def _child_name(original: str | None, container: str) -> str:
    if original:
        # FNAME is a bare file name by spec, but writers have put paths in it.
        base = original.replace("\\", "/").rsplit("/", 1)[-1]
        if base and base not in (".", ".."):
            return base
    base = container.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if dot and stem and f".{suffix.lower()}" in _SUFFIXES:
        return stem + _SUFFIXES[f".{suffix.lower()}"]
    return f"{base}.out" if base else "decompressed"


def _gzip_header(path: Path) -> dict[str, Any]:
    """FNAME, FCOMMENT and MTIME from the first gzip member header (RFC 1952)."""
    with open(path, "rb") as f:
        head = f.read(64 * 1024)
    if len(head) < 10 or head[:2] != b"\x1f\x8b":
        return {}
    flags, mtime = head[3], struct.unpack_from("<I", head, 4)[0]
    found: dict[str, Any] = {"mtime": mtime or None}
    at = 10
    if flags & _FEXTRA and at + 2 <= len(head):
        at += 2 + struct.unpack_from("<H", head, at)[0]
    for flag, key in ((_FNAME, "original_name"), (_FCOMMENT, "comment")):
        if flags & flag:
            end = head.find(b"\x00", at)
            if end < 0:
                break
            found[key] = head[at:end].decode("latin-1")  # RFC 1952: ISO 8859-1
            at = end + 1
    return found
