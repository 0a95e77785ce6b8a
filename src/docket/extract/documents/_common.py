"""Helpers shared by the document extractors: safe XML, dates, text blocks, Arabic folding."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO

from lxml import etree

from docket.extract.sink import Sink
from docket.model.errors import Code, ExtractError, LimitExceeded

BLOCK = 64 * 1024  # characters per text segment: big enough to keep context, small to index
MAX_XML_PART = 256 * 1024 * 1024  # one XML part of an Office file larger than this is a bomb

_DTD = re.compile(
    rb"<!(?:\x00)?(?:D(?:\x00)?O(?:\x00)?C(?:\x00)?T(?:\x00)?Y(?:\x00)?P(?:\x00)?E|E(?:\x00)?N(?:\x00)?T(?:\x00)?I(?:\x00)?T(?:\x00)?Y)"
)
_PRESENTATION_FORMS = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]+")


# lxml options shared by every XML reader: no entity expansion, no DTD, no network.
SAFE_XML: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def parser() -> etree.XMLParser:
    """An lxml parser that never expands entities, loads a DTD or touches the network."""
    return etree.XMLParser(**SAFE_XML, recover=False)


def refuse_dtd(data: bytes, where: str) -> None:
    """Office and ODF XML never carries a DTD; one there is an entity-expansion attack."""
    if _DTD.search(data[:65536]):
        raise ExtractError(Code.XML_ENTITIES, f"{where} declares a DTD or entities; not expanded")


def parse_xml(data: bytes, where: str) -> etree._Element:
    """Parse one XML part that must have no DTD (OOXML, ODF, OPF)."""
    refuse_dtd(data, where)
    try:
        return etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise ExtractError(Code.CORRUPT, f"{where}: malformed XML ({exc})") from exc


def open_zip(path: Path | IO[bytes], kind: str) -> zipfile.ZipFile:
    """Open a zip-based document, turning damage into a clear ``corrupt`` error."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ExtractError(Code.CORRUPT, f"not a readable {kind} package (zip): {exc}") from exc


def read_member(z: zipfile.ZipFile, name: str, kind: str) -> bytes:
    """Read one zip member, bounded, with damage reported as ``corrupt``."""
    try:
        with z.open(name) as f:
            data = f.read(MAX_XML_PART + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        # zlib.error and CRC failures surface as these; a truncated member is common.
        raise ExtractError(Code.CORRUPT, f"{kind} member {name} is damaged: {exc}") from exc
    except Exception as exc:  # zlib.error is not an OSError
        raise ExtractError(Code.CORRUPT, f"{kind} member {name} is damaged: {exc}") from exc
    if len(data) > MAX_XML_PART:
        raise LimitExceeded(Code.ZIP_BOMB, f"{name} expands past {MAX_XML_PART} bytes")
    return data


def iso_date(value: object) -> str | None:
    """A date in any common document form as an ISO 8601 string; None if unparseable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if text.startswith("D:"):  # PDF: D:YYYYMMDDHHmmSS+HH'mm'
        m = re.match(
            r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?", text
        )
        if not m:
            return None
        y, mo, d, h, mi, s, sign, th, tm = m.groups()
        out = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}"
        if sign in ("Z", "z"):
            out += "Z"
        elif sign and th:
            out += f"{sign}{th}:{tm or '00'}"
        return out
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?", text)
    if m:  # iCalendar basic form
        y, mo, d, h, mi, s, z = m.groups()
        if h is None:
            return f"{y}-{mo}-{d}"
        return f"{y}-{mo}-{d}T{h}:{mi}:{s or '00'}{z or ''}"
    if text.endswith(" UTC"):  # MediaInfo's form; older versions put "UTC " first
        text = text[:-4] + "Z"
    elif text.startswith("UTC "):
        text = text[4:] + "Z"
    try:
        return (
            datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat().replace("+00:00", "Z")
        )
    except ValueError:
        return text


def fold_arabic(text: str) -> str:
    """Fold Arabic presentation forms (shaped glyphs from PDFs) to base letters."""
    return _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def emit_blocks(sink: Sink, lines: Iterable[str], **where: object) -> None:
    """Write lines to the sink in segments of about ``BLOCK`` characters."""
    buf: list[str] = []
    size = 0
    for line in lines:
        buf.append(line)
        size += len(line) + 1
        if size >= BLOCK:
            sink.text("\n".join(buf), **where)  # type: ignore[arg-type]
            buf, size = [], 0
    if buf:
        sink.text("\n".join(buf), **where)  # type: ignore[arg-type]


def local(tag: object) -> str:
    """An element's tag without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# Elements that end a line of visible text (HTML pages and HTML mail bodies alike).
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tr",
        "ul",
    ]
)
