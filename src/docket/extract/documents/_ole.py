"""OLE2 helpers shared by the legacy Office extractors: property-set metadata and the
files embedded as OLE objects (Word's ObjectPool)."""

from __future__ import annotations

import re
import struct
from datetime import datetime
from typing import Any

import olefile

from docket.extract.sink import Sink
from docket.model.errors import Code, EncryptedError, LimitExceeded

_STRINGS = {
    "title": "title",
    "subject": "subject",
    "author": "author",
    "keywords": "keywords",
    "comments": "description",
    "last_saved_by": "last_modified_by",
    "template": "template",
    "creating_application": "application",
    "company": "company",
    "manager": "manager",
    "category": "category",
}
_DATES = {"create_time": "created", "last_saved_time": "modified", "last_printed": "printed"}
_NUMBERS = {"num_pages": "pages", "num_words": "words", "revision_number": "revision"}
_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
_EPOCH = datetime(1601, 1, 1)


def _text(value: Any, codepage: int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        codec = (
            "utf-16-le"
            if codepage == 1200
            else f"cp{codepage}"
            if codepage and codepage > 0
            else "cp1252"
        )
        try:
            value = value.decode(codec, errors="replace")
        except LookupError:
            value = value.decode("cp1252", errors="replace")
    text = str(value).strip("\x00 ").strip()
    # A mis-declared code page yields control bytes and replacement marks: drop, don't store junk.
    return None if not text or _JUNK.search(text) else text


def read_metadata(ole: olefile.OleFileIO, sink: Sink) -> None:
    """SummaryInformation and DocumentSummaryInformation into the shared vocabulary."""
    try:
        meta = ole.get_metadata()
    except Exception as exc:  # damaged property sets are common and not fatal
        sink.warn(Code.PAGE_ERROR, f"document properties unreadable: {type(exc).__name__}: {exc}")
        return
    codepage = meta.codepage if isinstance(meta.codepage, int) else None
    for attr, key in _STRINGS.items():
        sink.meta(key, _text(getattr(meta, attr, None), codepage))
    for attr, key in _DATES.items():
        value = getattr(meta, attr, None)
        if isinstance(value, datetime) and value > _EPOCH and value.year > 1970:
            sink.meta(key, value.isoformat())
    for attr, key in _NUMBERS.items():
        value = getattr(meta, attr, None)
        if isinstance(value, bytes):
            value = _text(value, codepage)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            sink.meta(key, int(value))


def refuse_rights_managed(ole: olefile.OleFileIO) -> None:
    """IRM/DRM-protected Office files keep the real content in an encrypted stream."""
    if ole.exists("\tDRMContent") or ole.exists("EncryptedPackage"):
        raise EncryptedError("rights-managed (IRM/DRM) document; the content is encrypted")


def ole10_native(data: bytes) -> tuple[str, bytes]:
    """(file name, bytes) from an \\x01Ole10Native stream (an OLE 'Package' object)."""
    try:
        (size,) = struct.unpack_from("<I", data, 0)
        pos = 6  # size, then a 2-byte flag
        label_end = data.index(b"\0", pos)
        label = data[pos:label_end].decode("cp1252", "replace")
        pos = data.index(b"\0", label_end + 1) + 1 + 4  # original path, then 4 reserved bytes
        (n,) = struct.unpack_from("<I", data, pos)
        pos += 4 + n  # temporary path
        (length,) = struct.unpack_from("<I", data, pos)
        body = data[pos + 4 : pos + 4 + length]
        if len(body) == length and size:
            return label or "package.bin", body
    except (ValueError, struct.error):
        pass
    return "Ole10Native.bin", data[4:]


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
                name, data = ole10_native(ole.openstream(f"{base}/\x01Ole10Native").read())
                sink.child(name, data, meta={"source": "ole-object", "storage": base})
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
