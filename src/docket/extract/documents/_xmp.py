"""A PDF's XMP metadata (ISO 16684-1): the packet of the metadata stream its catalog names.

pdfium reads only the Info dictionary; many PDFs (PDF 2.0 deprecates Info, and tools
that write PDF/A) keep their title, authors and times only in XMP. The catalog's
``/Metadata N G R`` is followed to object N and the packet read from its stream, which
writers leave unfiltered so that tools can find it. When the catalog cannot be read
(inside a compressed object stream) a lone ``/Type /Metadata`` stream is taken, never
one of several (images carry packets of their own). A compressed or damaged packet
gives nothing. Entities are never expanded (``SAFE_XML``)."""

from __future__ import annotations

import mmap
import re
from pathlib import Path

from lxml import etree

from docket.extract.documents._common import SAFE_XML, iso_date

_CATALOG = re.compile(rb"/Type\s*/Catalog\b")
_META_REF = re.compile(rb"/Metadata\s+(\d+)\s+(\d+)\s+R")
_META_DICT = re.compile(rb"/Type\s*/Metadata\b")
_PACKET = re.compile(rb"<x:xmpmeta\b.*?</x:xmpmeta\s*>", re.S)
_PACKET_MAX = 4 << 20

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
}
# (namespace, property) -> Docket's key; dc properties hold lists (rdf:Alt, rdf:Seq, rdf:Bag)
_SIMPLE = {
    ("xmp", "CreateDate"): "created",
    ("xmp", "ModifyDate"): "modified",
    ("xmp", "CreatorTool"): "application",
    ("pdf", "Producer"): "producer",
    ("pdf", "Keywords"): "keywords",
    ("xmpMM", "DocumentID"): "document_id",
    ("xmpMM", "InstanceID"): "instance_id",
}
_LISTS = {("dc", "title"): "title", ("dc", "creator"): "author", ("dc", "description"): "subject"}
_DATES = ("created", "modified")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read(path: Path) -> dict[str, str]:
    """The document's XMP properties under Docket's keys (``document_id`` and
    ``instance_id`` from xmpMM); empty when there is no readable packet."""
    try:
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            packet = _packet(data)
    except (OSError, ValueError):  # empty or unreadable file: pdfium has said why
        return {}
    return _properties(packet) if packet else {}


def _packet(data: mmap.mmap) -> bytes | None:
    for at in reversed([m.start() for m in _CATALOG.finditer(data)]):  # newest update first
        start = data.rfind(b"obj", 0, at)
        end = data.find(b"endobj", at)
        ref = _META_REF.search(data[max(start, 0) : end if end > 0 else at + 4096])
        if ref:
            return _stream_packet(data, int(ref[1]), int(ref[2]))
    streams = [m.start() for m in _META_DICT.finditer(data)]
    if len(streams) == 1:
        return _packet_after(data, streams[0])
    return None


def _stream_packet(data: mmap.mmap, number: int, generation: int) -> bytes | None:
    heads = list(re.finditer(rb"(?<!\d)%d\s+%d\s+obj\b" % (number, generation), data))
    return _packet_after(data, heads[-1].end()) if heads else None


def _packet_after(data: mmap.mmap, at: int) -> bytes | None:
    begin = data.find(b"stream", at)
    end = data.find(b"endstream", begin)
    if begin < 0 or end < 0 or end - begin > _PACKET_MAX:
        return None
    found = _PACKET.search(data[begin:end])
    return found[0] if found else None


def _text(node: etree._Element) -> str:
    return " ".join("".join(node.itertext()).split())


def _properties(packet: bytes) -> dict[str, str]:
    try:
        root = etree.fromstring(packet, parser=etree.XMLParser(**SAFE_XML))
    except etree.XMLSyntaxError:
        return {}
    out: dict[str, str] = {}
    for desc in root.iter(f"{{{NS['rdf']}}}Description"):
        for (prefix, name), key in _SIMPLE.items():
            value = desc.get(f"{{{NS[prefix]}}}{name}")
            found = desc.find(f"{prefix}:{name}", NS)
            value = value or (_text(found) if found is not None else None)
            if value and key not in out:
                out[key] = value
        for (prefix, name), key in _LISTS.items():
            found = desc.find(f"{prefix}:{name}", NS)
            if found is None or key in out:
                continue
            items = list(found.iter(f"{{{NS['rdf']}}}li"))
            if found.find("rdf:Alt", NS) is not None:  # one text in several languages
                default = [li for li in items if li.get(XML_LANG) == "x-default"]
                items = (default or items)[:1]
            value = "; ".join(t for t in map(_text, items) if t) or _text(found)
            if value:
                out[key] = value
    for key in _DATES:
        if key in out:
            date = iso_date(out[key])
            if date:
                out[key] = date
            else:
                del out[key]
    return out
