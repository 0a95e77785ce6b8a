"""OpenDocument text and presentations (ODT, ODP): content.xml, meta.xml, embedded files.

In ODF, ``dc:creator`` is the *last* person to edit; ``meta:initial-creator`` is the author.
Sub-documents ("Object 1/content.xml": charts, formulas, embedded texts) are read as text
parts; pictures and binary objects become children.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from docket.extract import properties
from docket.extract.base import Extractor
from docket.extract.containers import odf
from docket.extract.documents._common import (
    emit_blocks,
    local,
    open_zip,
    parse_xml,
    read_member,
)
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, LimitExceeded

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
PRES = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
_OBJECT = re.compile(r"(Object \d+)/content\.xml$")


def inline_text(el: etree._Element) -> str:
    """The text of a paragraph or heading, honouring ODF's space, tab and break elements."""
    out = [el.text or ""]
    for child in el:
        name = local(child.tag)
        if name == "s":
            out.append(" " * int(child.get(f"{TEXT}c") or 1))
        elif name == "tab":
            out.append("\t")
        elif name == "line-break":
            out.append("\n")
        elif name not in ("note-citation", "bookmark-ref", "page-number"):
            out.append(inline_text(child))
        out.append(child.tail or "")
    return "".join(out)


def blocks(el: etree._Element) -> Iterator[str]:
    """Lines of an ODF body: paragraphs and headings; table rows joined by tabs."""
    for child in el:
        tag = child.tag
        if tag in (f"{TEXT}p", f"{TEXT}h"):
            yield inline_text(child)
        elif tag == f"{TABLE}table-row":
            cells = [" ".join(blocks(c)) for c in child if local(c.tag) == "table-cell"]
            yield "\t".join(cells).rstrip("\t")
        elif isinstance(tag, str):
            yield from blocks(child)


ODT = FileType(
    "odt",
    "application/vnd.oasis.opendocument.text",
    "document",
    ("odt", "ott"),
    container="zip",
    sniff=odf("opendocument.text"),
    order=10,
)

ODP = FileType(
    "odp",
    "application/vnd.oasis.opendocument.presentation",
    "presentation",
    ("odp",),
    container="zip",
    sniff=odf("opendocument.presentation"),
    order=12,
)


class OdfExtractor(Extractor):
    name = "odf"
    file_types = (ODT, ODP)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open_zip(path, "ODF") as z:
            names = set(z.namelist())
            self._refuse_encrypted(z, names)
            properties.write(sink, properties.odf_package(z, "ODF"))
            if "content.xml" not in names:
                sink.warn(Code.CORRUPT, "content.xml is missing")
            else:
                root = parse_xml(read_member(z, "content.xml", "ODF"), "content.xml")
                if detection.type == "odp":
                    self._slides(root, sink)
                else:
                    emit_blocks(sink, blocks(root), part="body")
            if "styles.xml" in names:
                # Headers, footers and master-slide text live in the master pages.
                styles = parse_xml(read_member(z, "styles.xml", "ODF"), "styles.xml")
                for master in styles.iter(f"{STYLE}master-page"):
                    emit_blocks(sink, blocks(master), part="master")
            for name in sorted(names):
                m = _OBJECT.match(name)
                if m:
                    sub = parse_xml(read_member(z, name, "ODF"), name)
                    emit_blocks(sink, blocks(sub), part=m.group(1).lower())
            self._children(z, sink)

    def _refuse_encrypted(self, z: zipfile.ZipFile, names: set[str]) -> None:
        if "META-INF/manifest.xml" in names:
            manifest = read_member(z, "META-INF/manifest.xml", "ODF")
            if b"encryption-data" in manifest:
                raise EncryptedError("encrypted ODF package (password needed)")

    def _slides(self, root: etree._Element, sink: Sink) -> None:
        pages = list(root.iter(f"{DRAW}page"))
        sink.meta("pages", len(pages))
        for number, page in enumerate(pages, 1):
            notes = [n for n in page if n.tag == f"{PRES}notes"]
            for n in notes:
                page.remove(n)
            emit_blocks(sink, blocks(page), page=number, part="slide")
            for n in notes:
                emit_blocks(sink, blocks(n), page=number, part="notes")

    def _children(self, z: zipfile.ZipFile, sink: Sink) -> None:
        for info in z.infolist():
            name = info.filename
            binary_object = re.fullmatch(r"Object \d+|ObjectReplacements/.+", name)
            if info.is_dir() or not (name.startswith("Pictures/") or binary_object):
                continue
            try:
                with z.open(info) as f:
                    sink.child(name, f, meta={"source": "embedded"})
            except LimitExceeded:
                raise
            except Exception as exc:  # a damaged member is one child lost, not the file
                sink.child_error(name, Code.MEMBER_ERROR, f"{type(exc).__name__}: {exc}")
