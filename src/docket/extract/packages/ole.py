"""Generic OLE2 compound files not claimed by a more specific extractor (.doc, .xls, .msg
have their own). These are mostly embedded objects pulled out of Office files:
``\\x01Ole10Native`` wraps an embedded file (Packager), ``CONTENTS`` or ``Package`` hold
one whole embedded document. Those become children; every stream is listed as metadata.
"""

from __future__ import annotations

import struct
from pathlib import Path

from docket.extract.base import Extractor
from docket.extract.detect import Detection
from docket.extract.olefiles import open_ole
from docket.extract.sink import Sink
from docket.model.errors import Code, EncryptedError, LimitExceeded

_MAX_LISTED = 1000  # a stream list is metadata, not a dump
_EMBEDDED = {"contents", "package"}


class OleExtractor(Extractor):
    name = "ole"
    types = frozenset({"ole"})
    priority = 10  # the fallback for OLE: any specific extractor wins

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        if detection.notes.get("encrypted"):
            raise EncryptedError("encrypted Office package")
        ole = open_ole(path)
        with ole:
            streams = ["/".join(parts) for parts in ole.listdir(streams=True, storages=False)]
            sink.meta("streams", streams[:_MAX_LISTED])
            sink.meta("stream_count", len(streams))
            sink.meta("clsid", ole.root.clsid if ole.root else None)
            for stream in streams:
                leaf = stream.rsplit("/", 1)[-1]
                try:
                    if leaf == "\x01Ole10Native":
                        _native(ole.openstream(stream).read(), stream, sink)
                    elif leaf.lower() in _EMBEDDED:
                        sink.child(stream, ole.openstream(stream), meta={"stream": stream})
                except LimitExceeded:
                    raise
                except Exception as exc:  # a damaged stream costs only that stream
                    sink.child_error(stream, Code.CORRUPT, f"{type(exc).__name__}: {exc}")
                    sink.warn(Code.MEMBER_ERROR, f"stream {stream!r} unreadable: {exc}")


def _native(data: bytes, stream: str, sink: Sink) -> None:
    """Unwrap an Ole10Native stream: size, flags, label, path, then the file's bytes.

    The layout is undocumented but stable (Packager, [MS-OLEDS] 2.3.6 for the outer
    size). When it does not parse, the whole stream is kept rather than dropped.
    """
    parsed = _parse_native(data)
    if parsed is None:
        sink.child(stream, data[4:], meta={"stream": stream, "ole10native": "unparsed"})
        sink.warn(
            Code.MEMBER_ERROR, f"{stream!r}: Ole10Native layout not recognised; stream kept whole"
        )
        return
    label, source, payload = parsed
    name = (source or label).replace("\\", "/").rsplit("/", 1)[-1] or "Ole10Native"
    meta = {"stream": stream, "label": label, "source_path": source}
    sink.child(name, payload, meta={k: v for k, v in meta.items() if v})


def _parse_native(data: bytes) -> tuple[str, str, bytes] | None:
    try:
        at = 4 + 2  # total size, then a flags word
        label, at = _cstr(data, at)
        source, at = _cstr(data, at)
        at += 4  # unknown, usually 00 00 03 00
        (tmp_len,) = struct.unpack_from("<I", data, at)
        at += 4 + tmp_len
        (size,) = struct.unpack_from("<I", data, at)
        at += 4
    except (struct.error, ValueError):
        return None
    if at + size > len(data):
        return None
    return label, source, data[at : at + size]


def _cstr(data: bytes, at: int) -> tuple[str, int]:
    end = data.index(b"\x00", at, at + 4096)
    return data[at:end].decode("cp1252", "replace"), end + 1
