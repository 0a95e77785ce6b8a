"""Turning catalogue text into safe HTML, and originals into images.

Document text is escaped here, character by character, before any mark is added: the only
tags in the output are the ``<mark>`` and ``<a>`` this module writes, with hrefs it builds.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from docket.case import Case
from docket.store.query import QueryError, Terms
from docket.views.search import compile_query
from docket.views.snippets import spans as token_spans

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
PAGE_WIDTH = 1100  # pixels of a rendered page image: legible, small enough to cache
CACHE_DIR = "cache/desk"


def query_terms(case: Case, q: str) -> Terms:
    if not q.strip():
        return Terms()
    try:
        return compile_query(q)[1]
    except QueryError:
        return Terms()


def direction(text: str) -> str:
    """``rtl`` when most letters are Arabic script: the segment is laid out that way."""
    letters = sum(1 for c in text[:400] if c.isalpha())
    arabic = len(_ARABIC.findall(text[:400]))
    return "rtl" if letters and arabic * 2 >= letters else "ltr"


def entity_href(m: dict[str, Any]) -> str:
    ent = m.get("entity")
    if ent:
        return f"/person/{quote(ent['id'])}"
    value = m.get("value") or m.get("text") or ""
    field = m["kind"] if m["kind"] in ("person", "org", "place") else "text"
    if field == "text":
        return "/search?q=" + quote(f'"{m.get("text") or value}"')
    return "/search?q=" + quote(f'{field}:"{value}"')


def mark_segment(text: str, terms: Terms, mentions: list[dict[str, Any]]) -> Markup:
    """The segment's text, escaped, with query hits in ``<mark>`` and mentions as links."""
    spans: list[tuple[int, int, str]] = []
    for m in mentions:
        s, e = int(m["start"]), int(m["end"])
        if 0 <= s < e <= len(text):
            cls = "ent ent-" + re.sub(r"[^a-z]", "", m["kind"])
            title = html.escape(m.get("value") or m["kind"], quote=True)
            spans.append(
                (
                    s,
                    e,
                    f'<a class="{cls}" href="{html.escape(entity_href(m), quote=True)}" title="{title}">',
                )
            )
    taken = sorted(spans)
    if terms.words or terms.prefixes:
        for s, e, tok in token_spans(text):
            if tok in terms.words or any(tok.startswith(p) for p in terms.prefixes):
                spans.append((s, e, '<mark class="hit">'))
    out, pos = [], 0
    for s, e, tag in _non_overlapping(spans, taken):
        out.append(html.escape(text[pos:s]))
        close = "</a>" if tag.startswith("<a") else "</mark>"
        out.append(tag + html.escape(text[s:e]) + close)
        pos = e
    out.append(html.escape(text[pos:]))
    return Markup("".join(out))


def _non_overlapping(
    spans: list[tuple[int, int, str]], mentions: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    # Mentions win over hits: a hit inside a linked name is already visible as the name.
    chosen: list[tuple[int, int, str]] = []
    for s, e, tag in sorted(spans, key=lambda x: (x[0], not x[2].startswith("<a"))):
        if chosen and s < chosen[-1][1]:
            continue
        chosen.append((s, e, tag))
    return chosen


# -- originals as images ----------------------------------------------------------------
def _cache_path(case: Case, sha256: str, page: int) -> Path:
    return case.root / CACHE_DIR / sha256[:2] / f"{sha256}-{page}.png"


def page_count(case: Case, item: dict[str, Any]) -> int:
    if item["type"] != "pdf" or not item.get("sha256") or not case.blobs.exists(item["sha256"]):
        return 1 if is_image(item) else 0
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(str(case.blobs.path(item["sha256"])))
    except pypdfium2.PdfiumError:
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


def is_image(item: dict[str, Any]) -> bool:
    return (item.get("mime") or "").startswith("image/") or item.get("type") in (
        "jpeg",
        "png",
        "gif",
        "tiff",
        "bmp",
        "webp",
        "image",
    )


def page_png(case: Case, item: dict[str, Any], page: int) -> bytes | None:
    """PNG of one page of a PDF (1-based) or of an image; cached under the case folder."""
    sha = item.get("sha256")
    if not sha or not case.blobs.exists(sha):
        return None
    cached = _cache_path(case, sha, page)
    if cached.exists():
        return cached.read_bytes()
    try:
        data = _render_pdf(case, sha, page) if item["type"] == "pdf" else _render_image(case, sha)
    except Exception:  # a broken original: the page shows no image, the text still shows
        return None
    if data is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(cached)
    return data


def _render_pdf(case: Case, sha: str, page: int) -> bytes | None:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(case.blobs.path(sha)))
    try:
        if not 1 <= page <= len(doc):
            return None
        pg = doc[page - 1]
        width = pg.get_width() or 1
        image = pg.render(scale=min(4.0, PAGE_WIDTH / width)).to_pil()
        buf = io.BytesIO()
        image.save(buf, "PNG", optimize=False)
        return buf.getvalue()
    finally:
        doc.close()


def _render_image(case: Case, sha: str) -> bytes | None:
    from PIL import Image

    with case.blobs.open(sha) as f, Image.open(f) as im:
        im.thumbnail((PAGE_WIDTH * 2, PAGE_WIDTH * 2))
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "PNG")
        return buf.getvalue()


def histogram(years: list[tuple[str, int]], height: int = 60) -> list[dict[str, Any]]:
    """Bars for a count by period (the search's years, a person's months), sized here
    (not in the template) as SVG attributes: the CSP forbids inline styles."""
    if not years:
        return []
    top = max(n for _, n in years)
    width = 24
    return [
        {
            "year": y,
            "n": n,
            "x": i * (width + 4),
            "w": width,
            "h": max(2, round(height * n / top)),
            "y": height - max(2, round(height * n / top)),
        }
        for i, (y, n) in enumerate(years)
    ]
