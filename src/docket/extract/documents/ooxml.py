"""Word (DOCX) and PowerPoint (PPTX) read straight from the package XML.

Every part is parsed with entity expansion off, and a part with a DTD is refused
(``xml-entities``): Office never writes one, so a DTD is an attack. Encrypted packages are
OLE files (detect notes ``encrypted``) and end ``encrypted``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from docket.extract import properties
from docket.extract.base import Extractor
from docket.extract.containers import ooxml
from docket.extract.documents._common import emit_blocks, local, open_zip, parse_xml, read_member
from docket.extract.documents._office import embedded_children, rels
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_WORD_PARTS = (
    (re.compile(r"word/header\d*\.xml$"), "header"),
    (re.compile(r"word/footer\d*\.xml$"), "footer"),
    (re.compile(r"word/footnotes\.xml$"), "footnotes"),
    (re.compile(r"word/endnotes\.xml$"), "endnotes"),
    (re.compile(r"word/comments\.xml$"), "comments"),
)


def _drop_fallbacks(root: etree._Element) -> etree._Element:
    """Word and PowerPoint store text boxes twice (modern + VML fallback): keep one."""
    for fallback in list(root.iter(MC_FALLBACK)):
        parent = fallback.getparent()
        if parent is not None:
            parent.remove(fallback)
    return root


def _refuse_encrypted(detection: Detection) -> None:
    if detection.notes.get("encrypted"):
        raise EncryptedError("encrypted Office package (password needed)")


def word_paragraph(p: etree._Element) -> str:
    """The text of one w:p: runs, tabs and breaks; field codes and deletions left out."""
    out: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
    return "".join(out)


def word_blocks(el: etree._Element) -> Iterator[str]:
    """Paragraph and table-row lines of a body, header, footnote or comment part."""
    for child in el:
        tag = child.tag
        if tag == f"{W}p":
            yield word_paragraph(child)
        elif tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = []
                for cell in row.iterchildren(f"{W}tc"):
                    cells.append(" ".join(word_paragraph(p) for p in cell.iter(f"{W}p")).strip())
                yield "\t".join(cells)
        elif isinstance(tag, str):
            yield from word_blocks(child)  # sdt, customXml, footnote, comment containers


DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "document",
    ("docx", "docm", "dotx", "dotm"),
    container="zip",
    sniff=ooxml("word/"),
    order=20,
)

PPTX = FileType(
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "presentation",
    ("pptx", "pptm", "ppsx", "potx"),
    container="zip",
    sniff=ooxml("ppt/"),
    order=23,
)


class DocxExtractor(Extractor):
    name = "docx"
    file_types = (DOCX,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        _refuse_encrypted(detection)
        with open_zip(path, "DOCX") as z:
            names = z.namelist()
            main = next(
                (n for n in ("word/document.xml", "word/document2.xml") if n in names), None
            )
            properties.write(sink, properties.ooxml(z, "DOCX"))
            if not main:
                sink.warn(Code.CORRUPT, "no word/document.xml part")
            else:
                root = _drop_fallbacks(parse_xml(read_member(z, main, "DOCX"), main))
                emit_blocks(sink, word_blocks(root), part="body")
                self._revisions(root, sink)
            for name in sorted(names):
                for pattern, part in _WORD_PARTS:
                    if pattern.match(name):
                        root = _drop_fallbacks(parse_xml(read_member(z, name, "DOCX"), name))
                        emit_blocks(sink, word_blocks(root), part=part)
                        if part == "comments":
                            authors = {c.get(f"{W}author") for c in root.iter(f"{W}comment")}
                            sink.meta("comment_authors", sorted(a for a in authors if a))
            embedded_children(z, sink, "word/")

    def _revisions(self, root: etree._Element, sink: Sink) -> None:
        """Tracked changes: deleted text and who made changes are evidence in themselves."""
        deleted = [el.text for el in root.iter(f"{W}delText") if el.text]
        if deleted:
            sink.text("\n".join(deleted), part="deleted")
        authors = {el.get(f"{W}author") for el in root.iter(f"{W}ins", f"{W}del")}
        sink.meta("revision_authors", sorted(a for a in authors if a))


def drawing_lines(root: etree._Element) -> Iterator[str]:
    """Paragraph lines of DrawingML text (a:p), tables included, in order."""
    for p in root.iter(f"{A}p"):
        parts = []
        for el in p.iter(f"{A}t", f"{A}br"):
            parts.append("\n" if local(el.tag) == "br" else el.text or "")
        yield "".join(parts)


class PptxExtractor(Extractor):
    name = "pptx"
    file_types = (PPTX,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        _refuse_encrypted(detection)
        with open_zip(path, "PPTX") as z:
            properties.write(sink, properties.ooxml(z, "PPTX"))
            slides = self._slide_order(z)
            sink.meta("pages", len(slides))
            for number, slide in enumerate(slides, 1):
                root = _drop_fallbacks(parse_xml(read_member(z, slide, "PPTX"), slide))
                emit_blocks(sink, drawing_lines(root), page=number, part="slide")
                for rel_type, target in rels(z, slide, "PPTX").values():
                    if rel_type == "notesSlide" and target in z.namelist():
                        notes = parse_xml(read_member(z, target, "PPTX"), target)
                        emit_blocks(sink, drawing_lines(notes), page=number, part="notes")
            embedded_children(z, sink, "ppt/")

    def _slide_order(self, z: zipfile.ZipFile) -> list[str]:
        """Slides in presentation order (sldIdLst), falling back to file-name order."""
        names = set(z.namelist())
        order: list[str] = []
        if "ppt/presentation.xml" in names:
            pres = parse_xml(read_member(z, "ppt/presentation.xml", "PPTX"), "ppt/presentation.xml")
            targets = rels(z, "ppt/presentation.xml", "PPTX")
            for sld in pres.iter("{*}sldId"):
                target = targets.get(sld.get(R_ID) or "", ("", ""))[1]
                if target in names:
                    order.append(target)
        if not order:
            found = [n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
            order = sorted(found, key=lambda n: int(re.sub(r"\D", "", n.rsplit("/", 1)[1])))
        return order
