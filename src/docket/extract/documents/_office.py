"""Office Open XML packages: property parts and embedded files, shared by DOCX and PPTX."""

from __future__ import annotations

import posixpath
import zipfile

from docket.extract.documents._common import iso_date, local, parse_xml, read_member
from docket.extract.sink import Sink
from docket.model.errors import Code, LimitExceeded

_CORE = {
    "title": "title",
    "subject": "subject",
    "creator": "author",
    "keywords": "keywords",
    "description": "description",
    "lastModifiedBy": "last_modified_by",
    "revision": "revision",
    "category": "category",
    "language": "language",
}
_DATES = {"created": "created", "modified": "modified", "lastPrinted": "printed"}
_APP = {
    "Application": "application",
    "AppVersion": "application_version",
    "Company": "company",
    "Manager": "manager",
    "Template": "template",
    "TotalTime": "editing_minutes",
    "Pages": "pages",
    "Words": "words",
    "Slides": "pages",
}
_EMBEDDED = ("embeddings/", "media/")


def read_properties(z: zipfile.ZipFile, sink: Sink, kind: str) -> None:
    """docProps/core.xml and app.xml into the shared metadata vocabulary."""
    names = set(z.namelist())
    if "docProps/core.xml" in names:
        root = parse_xml(read_member(z, "docProps/core.xml", kind), "docProps/core.xml")
        for el in root:
            key, text = local(el.tag), (el.text or "").strip()
            if key in _CORE:
                sink.meta(_CORE[key], text)
            elif key in _DATES:
                sink.meta(_DATES[key], iso_date(text))
    if "docProps/app.xml" in names:
        root = parse_xml(read_member(z, "docProps/app.xml", kind), "docProps/app.xml")
        for el in root:
            key, text = local(el.tag), (el.text or "").strip()
            if key in _APP and text:
                value: object = int(text) if text.isdigit() and key not in ("AppVersion",) else text
                sink.meta(_APP[key], value)


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
