"""EPUB: the spine's XHTML chapters in reading order, OPF metadata, images as children.

A book whose content is encrypted (DRM listed in META-INF/encryption.xml, beyond the
font obfuscation EPUB allows) ends ``encrypted``.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from docket.extract.base import Extractor
from docket.extract.containers import odf
from docket.extract.documents._common import (
    emit_blocks,
    iso_date,
    local,
    open_zip,
    parse_xml,
    read_member,
)
from docket.extract.documents.html import parse_html
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, LimitExceeded

_OPF_META = {
    "title": "title",
    "creator": "author",
    "language": "language",
    "publisher": "publisher",
    "description": "description",
    "subject": "subject",
    "identifier": "identifier",
    "contributor": "contributor",
    "rights": "rights",
}
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")


EPUB = FileType(
    "epub",
    "application/epub+zip",
    "document",
    ("epub",),
    container="zip",
    sniff=odf("epub+zip"),
    order=13,
)


class EpubExtractor(Extractor):
    name = "epub"
    file_types = (EPUB,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open_zip(path, "EPUB") as z:
            names = set(z.namelist())
            if "META-INF/encryption.xml" in names:
                enc = parse_xml(read_member(z, "META-INF/encryption.xml", "EPUB"), "encryption.xml")
                methods = [el.get("Algorithm") or "" for el in enc.iter("{*}EncryptionMethod")]
                if any(m not in _FONT_OBFUSCATION for m in methods):
                    raise EncryptedError("EPUB content is encrypted (DRM)")
            opf_path = self._opf_path(z, names)
            if opf_path is None:
                sink.warn(Code.CORRUPT, "no OPF package document; chapters read in file order")
                spine = sorted(n for n in names if n.endswith((".xhtml", ".html", ".htm")))
                images: list[str] = []
            else:
                spine, images = self._package(z, opf_path, names, sink)
            sink.meta("chapters", len(spine))
            for n, name in enumerate(spine, 1):
                lines, _meta, _codec, _doc = parse_html(read_member(z, name, "EPUB"))
                emit_blocks(sink, lines, part=f"chapter {n}")
            for name in images:
                try:
                    with z.open(name) as f:
                        sink.child(name, f, meta={"source": "epub-image"})
                except LimitExceeded:
                    raise
                except Exception as exc:  # one damaged image, not the book
                    sink.child_error(name, Code.MEMBER_ERROR, f"{type(exc).__name__}: {exc}")

    def _opf_path(self, z, names: set[str]) -> str | None:  # type: ignore[no-untyped-def]
        if "META-INF/container.xml" in names:
            container = parse_xml(read_member(z, "META-INF/container.xml", "EPUB"), "container.xml")
            for rootfile in container.iter("{*}rootfile"):
                full = rootfile.get("full-path")
                if full in names:
                    return full
        return next((n for n in sorted(names) if n.endswith(".opf")), None)

    def _package(
        self, z, opf_path: str, names: set[str], sink: Sink
    ) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
        opf = parse_xml(read_member(z, opf_path, "EPUB"), opf_path)
        folder = posixpath.dirname(opf_path)
        for el in opf.iter():
            key = local(el.tag)
            text = (el.text or "").strip()
            if (
                key in _OPF_META
                and text
                and el.getparent() is not None
                and local(el.getparent().tag) == "metadata"
            ):
                sink.meta(_OPF_META[key], text)
            elif key == "date" and text:
                sink.meta("created", iso_date(text))
        manifest: dict[str, tuple[str, str]] = {}
        for item in opf.iter("{*}item"):
            href = posixpath.normpath(posixpath.join(folder, item.get("href") or ""))
            manifest[item.get("id") or ""] = (href, item.get("media-type") or "")
        spine = [
            manifest[ref.get("idref") or ""][0]
            for ref in opf.iter("{*}itemref")
            if ref.get("idref") in manifest
        ]
        spine = [s for s in spine if s in names]
        images = [
            href for href, mt in manifest.values() if mt.startswith("image/") and href in names
        ]
        return spine, images
