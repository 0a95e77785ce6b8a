"""Writers for document fixtures: real DOCX, PPTX, ODT, RTF, PDF, HTML, EPUB and ICS files.

The Office and ODF packages are minimal hand-written XML in a zip: small, deterministic
and enough for Word, PowerPoint and LibreOffice to open.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

FONT_PLACES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/local/share/fonts/DejaVuSans.ttf"),
    Path("/Library/Fonts/DejaVuSans.ttf"),
)
_FIXED = (2020, 1, 1, 0, 0, 0)  # zip timestamps: same input, same bytes


def _iso(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(value, datetime) else value


def _zip(parts: dict[str, bytes | str], *, stored_first: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if stored_first:  # ODF and EPUB need "mimetype" first and uncompressed
            info = zipfile.ZipInfo(stored_first, _FIXED)
            z.writestr(info, parts[stored_first], zipfile.ZIP_STORED)
        for name, data in parts.items():
            if name != stored_first:
                z.writestr(zipfile.ZipInfo(name, _FIXED), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _core(
    title: str | None, author: str | None, created, modified, last_by: str | None = None
) -> str:
    fields = []
    if title:
        fields.append(f"<dc:title>{escape(title)}</dc:title>")
    if author:
        fields.append(f"<dc:creator>{escape(author)}</dc:creator>")
    if last_by or author:
        fields.append(f"<cp:lastModifiedBy>{escape(last_by or author or '')}</cp:lastModifiedBy>")
    fields.append("<cp:revision>3</cp:revision>")
    for tag, value in (("created", created), ("modified", modified)):
        if value:
            fields.append(f'<dcterms:{tag} xsi:type="dcterms:W3CDTF">{_iso(value)}</dcterms:{tag}>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        + "".join(fields)
        + "</cp:coreProperties>"
    )


def _app(application: str, company: str | None) -> str:
    company_xml = f"<Company>{escape(company)}</Company>" if company else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>{escape(application)}</Application>{company_xml}</Properties>"
    )


_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _root_rels(main: str, main_type: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS_NS}">'
        f'<Relationship Id="rId1" Type="{_R}/{main_type}" Target="{main}"/>'
        f'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{_R}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )


def _w_para(text: str, rtl: bool) -> str:
    ppr = "<w:pPr><w:bidi/></w:pPr>" if rtl else ""
    rpr = "<w:rPr><w:rtl/></w:rPr>" if rtl else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def make_docx(
    paragraphs: list[str],
    *,
    rtl: bool = False,
    title: str | None = None,
    author: str | None = None,
    created: datetime | str | None = None,
    modified: datetime | str | None = None,
    tables: list[list[list[str]]] | None = None,
    embedded: dict[str, bytes] | None = None,
    company: str | None = None,
    last_modified_by: str | None = None,
) -> bytes:
    """A Word document: paragraphs, then tables (rows of cells); ``embedded`` files are
    stored under word/embeddings/ (as Word does for attached objects)."""
    body = [_w_para(p, rtl) for p in paragraphs]
    for table in tables or []:
        rows = "".join(
            "<w:tr>" + "".join(f"<w:tc>{_w_para(c, rtl)}</w:tc>" for c in row) + "</w:tr>"
            for row in table
        )
        body.append(f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>{rows}</w:tbl>')
        body.append("<w:p/>")  # Word requires a paragraph after a table
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}" xmlns:r="{_R}">'
        f"<w:body>{''.join(body)}<w:sectPr/></w:body></w:document>"
    )
    overrides = (
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
        f"{overrides}</Types>"
    )
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": _root_rels("word/document.xml", "officeDocument"),
        "word/document.xml": document,
        "docProps/core.xml": _core(title, author, created, modified, last_modified_by),
        "docProps/app.xml": _app("Microsoft Office Word", company),
    }
    for name, data in (embedded or {}).items():
        parts[f"word/embeddings/{name}"] = data
    return _zip(parts)


def make_pptx(
    slides: list[list[str]],
    *,
    notes: list[str] | None = None,
    title: str | None = None,
    author: str | None = None,
) -> bytes:
    """A PowerPoint deck: one text box per slide holding its lines; optional speaker notes."""
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    parts: dict[str, bytes | str] = {}
    ids, rels, overrides = [], [], []
    for n, lines in enumerate(slides, 1):
        paras = "".join(f"<a:p><a:r><a:t>{escape(line)}</a:t></a:r></a:p>" for line in lines)
        parts[f"ppt/slides/slide{n}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sld xmlns:p="{p}" xmlns:a="{a}" xmlns:r="{_R}">'
            '<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
            '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Text"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr/>'
            f"<p:txBody><a:bodyPr/><a:lstStyle/>{paras}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )
        slide_rels = []
        if notes and n <= len(notes) and notes[n - 1]:
            parts[f"ppt/notesSlides/notesSlide{n}.xml"] = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:notes xmlns:p="{p}" xmlns:a="{a}">'
                f"<p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{escape(notes[n - 1])}</a:t></a:r></a:p>"
                "</p:txBody></p:sp></p:spTree></p:cSld></p:notes>"
            )
            slide_rels.append(
                f'<Relationship Id="rId2" Type="{_R}/notesSlide" Target="../notesSlides/notesSlide{n}.xml"/>'
            )
        parts[f"ppt/slides/_rels/slide{n}.xml.rels"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS_NS}">{"".join(slide_rels)}</Relationships>'
        )
        ids.append(f'<p:sldId id="{255 + n}" r:id="rId{n + 10}"/>')
        rels.append(
            f'<Relationship Id="rId{n + 10}" Type="{_R}/slide" Target="slides/slide{n}.xml"/>'
        )
        overrides.append(
            f'<Override PartName="/ppt/slides/slide{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>'
        )
    parts["ppt/presentation.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:presentation xmlns:p="{p}" xmlns:r="{_R}">'
        f'<p:sldIdLst>{"".join(ids)}</p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>'
    )
    parts["ppt/_rels/presentation.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS_NS}">{"".join(rels)}</Relationships>'
    )
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
        f"{''.join(overrides)}</Types>"
    )
    parts["_rels/.rels"] = _root_rels("ppt/presentation.xml", "officeDocument")
    parts["docProps/core.xml"] = _core(title, author, None, None)
    parts["docProps/app.xml"] = _app("Microsoft Office PowerPoint", None)
    return _zip(parts)


def make_odt(
    paragraphs: list[str],
    meta: dict[str, str] | None = None,
    *,
    pictures: dict[str, bytes] | None = None,
) -> bytes:
    """An OpenDocument text. ``meta`` keys: title, author (initial creator), creator (last
    modifier), created, modified, generator."""
    meta = meta or {}
    office = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2"'
    body = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {office} '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    fields = {
        "title": "dc:title",
        "author": "meta:initial-creator",
        "creator": "dc:creator",
        "created": "meta:creation-date",
        "modified": "dc:date",
        "generator": "meta:generator",
    }
    meta_xml = "".join(
        f"<{tag}>{escape(meta[k])}</{tag}>" for k, tag in fields.items() if meta.get(k)
    )
    meta_doc = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {office} '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<office:meta>{meta_xml}</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    parts: dict[str, bytes | str] = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": content,
        "meta.xml": meta_doc,
        "META-INF/manifest.xml": manifest,
    }
    for name, data in (pictures or {}).items():
        parts[f"Pictures/{name}"] = data
    return _zip(parts, stored_first="mimetype")


def _rtf_escape(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif code < 128:
            out.append(ch)
        else:  # \uN takes a signed 16-bit number, then one fallback character
            out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def make_rtf(
    paragraphs: list[str],
    *,
    title: str | None = None,
    author: str | None = None,
    codepage: int | None = None,
) -> bytes:
    """An RTF document. Non-ASCII is written as \\uN, or as \\'hh bytes of ``codepage``
    (e.g. 1256 for Arabic, the way older Arabic Word wrote it) when one is given."""

    def enc(text: str) -> str:
        if codepage is None:
            return _rtf_escape(text)
        out = []
        for ch in text:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) < 128:
                out.append(ch)
            else:
                try:
                    out.extend(f"\\'{b:02x}" for b in ch.encode(f"cp{codepage}"))
                except UnicodeEncodeError:  # not in the code page: \uN, as Word does
                    out.append(_rtf_escape(ch))
        return "".join(out)

    info = ""
    if title or author:
        info = (
            "{\\info"
            + (f"{{\\title {enc(title)}}}" if title else "")
            + (f"{{\\author {enc(author)}}}" if author else "")
        )
        info += "{\\creatim\\yr2019\\mo2\\dy20\\hr9\\min30}}"
    cp = f"\\ansicpg{codepage}" if codepage else "\\ansicpg1252"
    body = "".join(f"{enc(p)}\\par\n" for p in paragraphs)
    return f"{{\\rtf1\\ansi{cp}\\deff0{{\\fonttbl{{\\f0\\fnil\\fcharset178 Arial;}}}}{info}\n{body}}}".encode(
        "ascii"
    )


def font_path() -> Path:
    for place in FONT_PLACES:
        if place.exists():
            return place
    raise FileNotFoundError(
        "DejaVuSans.ttf not found (looked in " + ", ".join(map(str, FONT_PLACES)) + "); "
        "install the Debian package fonts-dejavu-core"
    )


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def make_pdf(
    pages: list[list[str]],
    *,
    author: str | None = None,
    title: str | None = None,
    creator: str | None = None,
    producer: str | None = None,
    created: datetime | None = None,
    modified: datetime | None = None,
    user_password: str | None = None,
) -> bytes:
    """A PDF with one list of lines per page; Arabic lines shaped and right-aligned.
    An empty page list entry makes a page with no text (as a scan would be)."""
    import arabic_reshaper
    from bidi.algorithm import get_display
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(font_path())))
    buf = io.BytesIO()
    encrypt = None
    if user_password is not None:
        from reportlab.lib import pdfencrypt

        encrypt = pdfencrypt.StandardEncryption(
            user_password, ownerPassword="owner-" + user_password, strength=128
        )
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, encrypt=encrypt)
    c.setAuthor(author or "")
    c.setTitle(title or "")
    c.setCreator(creator or "")
    if producer:
        c.setProducer(producer)
    width, height = A4
    for lines in pages:
        y = height - 72
        c.setFont("DejaVuSans", 13)
        for line in lines:
            if _has_arabic(line):
                c.drawRightString(width - 72, y, get_display(arabic_reshaper.reshape(line)))
            else:
                c.drawString(72, y, line)
            y -= 22
        c.showPage()
    c.save()
    data = buf.getvalue()
    # reportlab writes fixed dates with invariant=1; put ours in the Info dictionary.
    for key, value in (("CreationDate", created), ("ModDate", modified)):
        if value and user_password is None:
            old = data.find(f"/{key} (".encode())
            if old >= 0:
                end = data.index(b")", old)
                new = f"/{key} (D:{value:%Y%m%d%H%M%S}+00'00'".encode()
                if len(new) <= end - old:  # same length keeps the xref offsets valid
                    data = data[:old] + new.ljust(end - old) + data[end:]
    return data


def make_html(
    title: str,
    paragraphs: list[str],
    *,
    lang: str = "ar",
    author: str | None = None,
    script: str | None = None,
) -> bytes:
    """An HTML page in UTF-8; ``script`` adds an inline script (which must never be read as text)."""
    meta = f'<meta name="author" content="{escape(author)}">' if author else ""
    js = f"<script>{script}</script>" if script else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    direction = ' dir="rtl"' if lang == "ar" else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"{direction}><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"{meta}{js}<style>p {{ color: red }}</style></head><body>{body}</body></html>"
    ).encode()


def make_epub(
    chapters: list[tuple[str, list[str]]], *, title: str, author: str, language: str = "en"
) -> bytes:
    """An EPUB 3 book: one XHTML file per (heading, paragraphs) chapter."""
    items, spine, parts = [], [], {}
    for n, (heading, paras) in enumerate(chapters, 1):
        body = f"<h1>{escape(heading)}</h1>" + "".join(f"<p>{escape(p)}</p>" for p in paras)
        parts[f"OEBPS/ch{n}.xhtml"] = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>{escape(heading)}</title></head><body>{body}</body></html>"
        )
        items.append(f'<item id="ch{n}" href="ch{n}.xhtml" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="ch{n}"/>')
    parts["OEBPS/content.opf"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="id">urn:uuid:docket-fixture</dc:identifier><dc:title>{escape(title)}</dc:title>'
        f"<dc:creator>{escape(author)}</dc:creator><dc:language>{language}</dc:language></metadata>"
        f"<manifest>{''.join(items)}</manifest><spine>{''.join(spine)}</spine></package>"
    )
    parts["META-INF/container.xml"] = (
        '<?xml version="1.0"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'
    )
    return _zip({"mimetype": "application/epub+zip", **parts}, stored_first="mimetype")


def make_ics(events: list[dict[str, str]], *, prodid: str = "-//Docket//Fixture//EN") -> bytes:
    """An iCalendar file; each event dict holds ICS property names (SUMMARY, DTSTART, ...)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}"]
    for n, event in enumerate(events, 1):
        lines += ["BEGIN:VEVENT", f"UID:event-{n}@docket"]
        for key, value in event.items():
            value = (
                value.replace("\\", "\\\\")
                .replace("\n", "\\n")
                .replace(",", "\\,")
                .replace(";", "\\;")
                if ":" not in key and key in ("SUMMARY", "DESCRIPTION", "LOCATION")
                else value
            )
            lines.append(f"{key}:{value}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
