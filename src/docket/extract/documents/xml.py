"""Generic XML: the text content, streamed with iterparse. Entities are never expanded:
a document whose DTD declares entities (billion laughs, external entities) is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from docket.extract.base import Extractor
from docket.extract.detect import Probe, looks_like_html, looks_like_xml
from docket.extract.documents._common import BLOCK, SAFE_XML, local
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

# The internal subset of a DTD sits before the root element, so the head is enough.
PROLOG = 1024 * 1024


def _declares_entities(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(PROLOG)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[1:2] == b"\x00" or head[:1] == b"\x00":
        head = head.replace(b"\x00", b"")  # UTF-16: ASCII markup is every other byte
    doctype = head.find(b"<!DOCTYPE")
    return doctype >= 0 and b"<!ENTITY" in head[doctype:]


def _texts(path: Path, roots: list[str]) -> Iterator[tuple[str, str]]:
    """(element name, text) for every text node, in document order, memory kept flat."""
    events = etree.iterparse(
        str(path),
        events=("start", "end"),
        **SAFE_XML,
    )
    for event, el in events:
        if event == "start":
            if not roots:
                roots.append(local(el.tag))
            if el.text and el.text.strip():
                yield local(el.tag), el.text.strip()
        else:
            if el.tail and el.tail.strip():
                parent = el.getparent()
                yield local(parent.tag) if parent is not None else "", el.tail.strip()
            # Free what has been read so a large file does not build a whole tree.
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]


def _sniff(probe: Probe) -> bool:
    return probe.text is not None and not looks_like_html(probe) and looks_like_xml(probe)


XML = FileType(
    "xml",
    "application/xml",
    "data",
    ("xml", "xsd", "xsl", "rss", "kml"),
    sniff=_sniff,
    order=41,
)


def _svg(probe: Probe) -> bool:
    """XML whose root element is ``svg`` (after any prolog, comments and doctype)."""
    if not _sniff(probe):
        return False
    lower = probe.lower
    at = 0
    while True:
        at = lower.find("<", at)
        if at < 0 or not lower.startswith(("<?", "<!"), at):
            break
        at = lower.find(">", at) + 1 or len(lower)
    return at >= 0 and (lower.startswith("<svg", at) or lower.startswith("<svg:svg", at))


SVG = FileType(
    "svg",
    "image/svg+xml",
    "image",
    ("svg",),
    sniff=_svg,
    order=40,
)


class XmlExtractor(Extractor):
    name = "xml"
    file_types = (XML,)
    hidden: frozenset[str] = frozenset()  # elements whose text is not the document's

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        if _declares_entities(path):
            raise ExtractError(Code.XML_ENTITIES, "the DTD declares entities; expansion refused")
        buf: list[str] = []
        size = 0
        roots: list[str] = []
        try:
            for tag, text in _texts(path, roots):
                if tag in self.hidden:
                    continue
                buf.append(text)
                size += len(text) + 1
                if size >= BLOCK:
                    sink.text("\n".join(buf), part="content")
                    buf, size = [], 0
        except etree.XMLSyntaxError as exc:
            if buf:
                sink.text("\n".join(buf), part="content")
            msg = str(exc)
            if "entit" in msg.lower():
                raise ExtractError(Code.XML_ENTITIES, f"entity use refused: {msg}") from exc
            if sink.segments:
                sink.warn(Code.CORRUPT, f"XML damaged after some text: {msg}")
                return
            raise ExtractError(Code.CORRUPT, f"malformed XML: {msg}") from exc
        if buf:
            sink.text("\n".join(buf), part="content")
        sink.meta("root_element", roots[0] if roots else None)


class SvgExtractor(XmlExtractor):
    """SVG drawings: the words they show (``text``, ``tspan``, ``textPath``), their
    ``title`` and ``desc``; style sheets and scripts are not text. Words drawn as
    outlines (paths) are shapes, not text, and are not read."""

    name = "svg"
    file_types = (SVG,)
    hidden = frozenset({"style", "script"})
