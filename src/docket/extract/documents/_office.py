"""Office Open XML packages: relationships and embedded files, shared by DOCX and PPTX
(their properties are read by :mod:`docket.extract.properties`)."""

from __future__ import annotations

import posixpath
import zipfile

from docket.extract.documents._common import parse_xml, read_member
from docket.extract.sink import Sink
from docket.model.errors import Code, LimitExceeded

_EMBEDDED = ("embeddings/", "media/")


def rels(z: zipfile.ZipFile, part: str, kind: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (type suffix, target path inside the package)."""
    folder, name = posixpath.split(part)
    rel_name = posixpath.join(folder, "_rels", name + ".rels")
    if rel_name not in z.namelist():
        return {}
    root = parse_xml(read_member(z, rel_name, kind), rel_name)
    out: dict[str, tuple[str, str]] = {}
    for el in root:
        target = el.get("Target") or ""
        if el.get("TargetMode") == "External":
            continue  # links to the outside world are never followed
        path = (
            posixpath.normpath(posixpath.join(folder, target))
            if not target.startswith("/")
            else target[1:]
        )
        out[el.get("Id") or ""] = ((el.get("Type") or "").rsplit("/", 1)[-1], path)
    return out


def embedded_children(z: zipfile.ZipFile, sink: Sink, prefix: str) -> None:
    """Files under <prefix>embeddings/ and <prefix>media/ become children."""
    for info in z.infolist():
        name = info.filename
        if info.is_dir() or not any(name.startswith(prefix + sub) for sub in _EMBEDDED):
            continue
        try:
            with z.open(info) as f:
                sink.child(name, f, meta={"source": "embedded"})
        except LimitExceeded:
            raise
        except Exception as exc:  # a damaged member (bad CRC, zlib error) is one child lost
            sink.child_error(name, Code.MEMBER_ERROR, f"{type(exc).__name__}: {exc}")
