"""HTML: the visible text (no script, style or template), the title and the meta tags.

Nothing referenced by the page is fetched: lxml's HTML parser never loads URLs, and only
inline ``data:`` images are kept, as children.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from lxml import etree, html

from docket.extract.base import Extractor
from docket.extract.detect import Probe, looks_like_html, looks_like_xml
from docket.extract.documents._common import BLOCK_TAGS, emit_blocks
from docket.extract.encoding import bom_encoding, guess_encoding
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

MAX_HTML = 128 * 1024 * 1024  # lxml needs the whole page in memory
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_INVISIBLE = {"script", "style", "template", "head", "title", "object", "embed", "svg"}
_BLOCKS = BLOCK_TAGS
_META = {
    "author": "author",
    "description": "description",
    "generator": "application",
    "keywords": "keywords",
    "subject": "subject",
    "dc.title": "title",
    "dc.creator": "author",
    "dc.date": "created",
    "dc.language": "language",
    "copyright": "copyright",
}


def html_encoding(data: bytes) -> str:
    """BOM first, then a declared charset, then a guess from the bytes."""
    found = bom_encoding(data)
    if found:
        return found[0]
    m = _CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        try:
            # Pages often lie (a declared Latin charset over Arabic bytes): trust the
            # declaration only when the bytes decode under it and the guess agrees or fails.
            data.decode(declared)
            guess = guess_encoding(data)
            return (
                guess
                if guess in ("cp1256", "iso8859-6", "utf-8") and guess != declared
                else declared
            )
        except (LookupError, UnicodeDecodeError):
            pass
    return guess_encoding(data)


def parse_html(data: bytes) -> tuple[list[str], dict[str, Any], str, etree._Element]:
    """Visible text lines, metadata and the codec of an HTML document."""
    codec = html_encoding(data)
    text = data.decode(codec, errors="replace").lstrip("\ufeff")
    # lxml refuses str input that carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        doc = html.document_fromstring(text or "<html></html>", parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(Code.CORRUPT, f"unreadable HTML: {exc}") from exc
    meta: dict[str, Any] = {}
    title = doc.findtext(".//title")
    if title and title.strip():
        meta["title"] = " ".join(title.split())
    for el in doc.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("http-equiv") or "").lower()
        value = (el.get("content") or "").strip()
        if key in _META and value:
            meta.setdefault(_META[key], value)
        elif key == "content-language" and value:
            meta.setdefault("language", value)
    lang = doc.get("lang")
    if lang:
        meta.setdefault("language", lang)
    for el in list(doc.iter(*_INVISIBLE)):
        tail = el.tail
        parent = el.getparent()
        if parent is None:
            continue
        prev = el.getprevious()
        if tail:  # keep the text that follows the removed element
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)
    for el in doc.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        if el.tag == "br":
            continue
        el.text = "\n" + (el.text or "")
    for el in doc.iter("td", "th"):
        el.tail = "\t" + (el.tail or "")
    raw = doc.text_content()
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    return [line for line in lines if line], meta, codec, doc


def _sniff(probe: Probe) -> bool:
    # Text that opens with a tag but is neither HTML nor XML is HTML only by its name.
    if probe.text is None or not probe.markup:
        return False
    return looks_like_html(probe) or (not looks_like_xml(probe) and probe.ext in ("html", "htm"))


HTML = FileType(
    "html",
    "text/html",
    "document",
    ("html", "htm", "xhtml", "mht"),
    sniff=_sniff,
    order=40,
)


class HtmlExtractor(Extractor):
    name = "html"
    file_types = (HTML,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open(path, "rb") as f:
            data = f.read(MAX_HTML + 1)
        if len(data) > MAX_HTML:
            raise ExtractError(Code.TOO_LARGE, f"HTML over {MAX_HTML} bytes", status="skipped")
        lines, meta, codec, doc = parse_html(data)
        sink.meta("encoding", codec.removesuffix("-sig"))
        for key, value in meta.items():
            sink.meta(key, value)
        emit_blocks(sink, lines, part="body")
        for n, el in enumerate(doc.iter("img"), 1):
            src = el.get("src") or ""
            m = re.match(r"data:([\w/+.-]+)?(;[^,]*)?,", src)
            if m and ";base64" in (m.group(2) or ""):
                try:
                    blob = base64.b64decode(src[m.end() :], validate=False)
                except ValueError:
                    continue
                ext = (m.group(1) or "image/bin").rsplit("/", 1)[-1]
                sink.child(f"inline-image-{n}.{ext}", blob, meta={"source": "data-uri"})
