"""Generic OLE2 compound files not claimed by a more specific extractor (.doc, .xls, .msg
have their own). These are mostly embedded objects pulled out of Office files:
``\\x01Ole10Native`` wraps an embedded file (Packager), ``CONTENTS`` or ``Package`` hold
one whole embedded document. Those become children; every stream is listed as metadata.
"""

from __future__ import annotations

from pathlib import Path

from docket.extract.base import Extractor
from docket.extract.containers import OLE
from docket.extract.olefiles import open_ole, parse_ole10native
from docket.extract.sink import Sink
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, LimitExceeded

_MAX_LISTED = 1000  # a stream list is metadata, not a dump
_EMBEDDED = {"contents", "package"}


class OleExtractor(Extractor):
    name = "ole"
    file_types = (OLE,)
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
    """Unwrap an Ole10Native stream; when it does not parse, the whole stream is kept
    rather than dropped."""
    parsed = parse_ole10native(data)
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
