"""OLE2 compound files (DOC, XLS, PPT, MSG, embedded objects): the one module that opens
them and unwraps what they embed, shared by the legacy Office extractors, the e-mail
extractor and the generic OLE extractor (``packages/ole.py``). Their document
properties are read by :func:`docket.extract.properties.ole`."""

from __future__ import annotations

import struct
from pathlib import Path

import olefile

from docket.extract.sink import Sink
from docket.model.errors import Code, EncryptedError, ExtractError, LimitExceeded


def open_ole(path: Path) -> olefile.OleFileIO:
    """The compound file at ``path``; a damaged one is ``ExtractError(corrupt)``."""
    try:
        return olefile.OleFileIO(str(path))
    except Exception as exc:  # olefile raises many types on damaged files
        raise ExtractError(Code.CORRUPT, f"not a readable OLE2 compound file: {exc}") from exc


def refuse_rights_managed(ole: olefile.OleFileIO) -> None:
    """IRM/DRM-protected Office files keep the real content in an encrypted stream."""
    if ole.exists("\tDRMContent") or ole.exists("EncryptedPackage"):
        raise EncryptedError("rights-managed (IRM/DRM) document; the content is encrypted")


def parse_ole10native(data: bytes) -> tuple[str, str, bytes] | None:
    """(label, source path, file bytes) from an ``\\x01Ole10Native`` stream (an OLE
    'Package' object); None when the layout does not parse.

    The layout is undocumented but stable (Packager; [MS-OLEDS] 2.3.6 for the outer
    size): total size, a flags word, label, source path, 4 unknown bytes (usually
    00 00 03 00), the temporary path with its length, then the file's length and bytes.
    """
    try:
        at = 4 + 2
        label, at = _cstr(data, at)
        source, at = _cstr(data, at)
        at += 4
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


def object_pool_children(ole: olefile.OleFileIO, sink: Sink, storage: str = "ObjectPool") -> None:
    """Embedded objects: packaged files and raw contents become children; an embedded
    OLE document kept as a storage cannot be re-serialised here and is recorded as such."""
    if not ole.exists(storage):
        return
    for entry in ole.listdir(streams=False, storages=True):
        if len(entry) != 2 or entry[0] != storage:
            continue
        base = "/".join(entry)
        try:
            if ole.exists(f"{base}/\x01Ole10Native"):
                data = ole.openstream(f"{base}/\x01Ole10Native").read()
                parsed = parse_ole10native(data)
                if parsed is not None:
                    name, body = parsed[0] or "package.bin", parsed[2]
                else:
                    name, body = "Ole10Native.bin", data[4:]
                sink.child(name, body, meta={"source": "ole-object", "storage": base})
            elif ole.exists(f"{base}/CONTENTS") or ole.exists(f"{base}/Contents"):
                stream = (
                    f"{base}/CONTENTS" if ole.exists(f"{base}/CONTENTS") else f"{base}/Contents"
                )
                sink.child(
                    f"{entry[1]}.bin", ole.openstream(stream).read(), meta={"source": "ole-object"}
                )
            elif ole.exists(f"{base}/Package"):
                sink.child(
                    f"{entry[1]}.bin",
                    ole.openstream(f"{base}/Package").read(),
                    meta={"source": "ole-object"},
                )
            else:
                kids = [k[-1] for k in ole.listdir() if k[:2] == entry and len(k) == 3]
                sink.child_error(
                    base,
                    Code.UNSUPPORTED,
                    "embedded OLE document (streams: " + ", ".join(kids) + ")",
                    status="unsupported",
                )
        except LimitExceeded:
            raise
        except Exception as exc:  # one damaged object, not the document
            sink.child_error(base, Code.MEMBER_ERROR, f"{type(exc).__name__}: {exc}")
