"""An item's pages as images with its accepted marks burned in.

- PDF: each page rendered by pdfium; a span mark is found among the page's characters
  (every spelling the mark stands for) and each character's box is painted black, so a
  black rectangle drawn over live text in the original hides nothing twice over: the
  output has no text layer at all;
- images (every frame of a multi-page TIFF): the pixels, re-drawn;
- everything else with text: the item's text, with each span replaced by a black bar,
  printed by Chromium (which shapes Arabic and lays out right-to-left and mixed lines
  properly) and rasterised.

Region marks (faces, boxes the analyst drew) are fractions of the page and burn into
PDF pages and images alike. What a page could not find of its span marks is returned,
so ``publish`` reports it and the check that follows decides."""

from __future__ import annotations

import html
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from docket.extract import types
from docket.extract.documents._common import fold_arabic
from docket.text.normalize import find_phrases

DPI = 200  # dense enough for the check's OCR to read what a mark missed
FILL = 0
PAD_PT = 1.5  # grow each character box by this many points: no antialiased fringe


@dataclass
class Rendered:
    pages: list[Image.Image] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # "page N: text" of spans not found


def _draw_regions(image: Image.Image, regions: list[dict[str, Any]]) -> None:
    draw = ImageDraw.Draw(image)
    w, h = image.size
    for m in regions:
        x0, y0, x1, y1 = m["box"]
        draw.rectangle((x0 * w, y0 * h, x1 * w, y1 * h), fill=FILL)


def render_item(
    item: dict[str, Any],
    path: Path,
    segments: list[dict[str, Any]],
    marks: list[dict[str, Any]],
    spellings: dict[int, list[str]],
) -> Rendered:
    """``marks``: the item's accepted marks; ``spellings``: for each span mark's id, every
    way of writing what it hides (its text first)."""
    family = types.get(item.get("type") or "").family
    regions = [m for m in marks if m.get("box")]
    spans = [m for m in marks if m.get("segment") is not None]
    if item.get("type") == "pdf":
        return _pdf(path, segments, regions, spans, spellings)
    if family == "image":
        return _image(path, regions)
    return _text(segments, spans)


def _image(path: Path, regions: list[dict[str, Any]]) -> Rendered:
    out = Rendered()
    with Image.open(path) as im:
        for n in range(getattr(im, "n_frames", 1)):
            im.seek(n)
            page = im.convert("RGB")
            _draw_regions(page, [r for r in regions if (r.get("page") or 1) == n + 1])
            out.pages.append(page)
    return out


def _page_chars(textpage: Any) -> tuple[str, list[int]]:
    """The page's text folded like the extractor folds it, and for each of its
    characters the pdfium character it came from."""
    text, owner = [], []
    for i in range(textpage.count_chars()):
        folded = fold_arabic(textpage.get_text_range(i, 1))
        text.append(folded)
        owner.extend([i] * len(folded))
    return "".join(text), owner


def _pdf(
    path: Path,
    segments: list[dict[str, Any]],
    regions: list[dict[str, Any]],
    spans: list[dict[str, Any]],
    spellings: dict[int, list[str]],
) -> Rendered:
    import pypdfium2 as pdfium

    page_of = {s["seq"]: s.get("page") for s in segments}
    out = Rendered()
    doc = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(doc)):
            number = index + 1
            page = doc[index]
            scale = DPI / 72
            image = page.render(scale=scale).to_pil().convert("RGB")
            _, height = page.get_size()
            # A span is looked for on its own page; one without a page (a whole-document
            # segment) on every page.
            mine = [m for m in spans if page_of.get(m["segment"]) in (number, None)]
            if mine:
                textpage = page.get_textpage()
                text, owner = _page_chars(textpage)
                draw = ImageDraw.Draw(image)
                for m in mine:
                    hits = find_phrases(text, spellings.get(m["id"]) or [m["text"]])
                    if not hits and page_of.get(m["segment"]) == number:
                        out.missed.append(f"page {number}: {m['text']}")
                    for start, end, _ in hits:
                        for ci in sorted(set(owner[start:end])):
                            left, bottom, right, top = textpage.get_charbox(ci, loose=True)
                            draw.rectangle(
                                ((left - PAD_PT) * scale, (height - top - PAD_PT) * scale,
                                 (right + PAD_PT) * scale, (height - bottom + PAD_PT) * scale),
                                fill=FILL,
                            )  # fmt: skip
                textpage.close()
            _draw_regions(image, [r for r in regions if (r.get("page") or 1) == number])
            page.close()
            out.pages.append(image)
    finally:
        doc.close()
    return out


_PAGE_CSS = """
@page { size: A4; margin: 18mm; }
body { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", sans-serif;
       font-size: 12pt; line-height: 1.6; }
.seg { white-space: pre-wrap; margin: 0 0 0.8em; unicode-bidi: plaintext; }
.x { background: #000; color: #000; }
"""


def redacted_html(segments: list[dict[str, Any]], spans: list[dict[str, Any]]) -> str:
    """The item's text as an HTML page, each span replaced by a black bar as long as it
    (the hidden characters are not in the page at all)."""
    by_segment: dict[int, list[tuple[int, int]]] = {}
    for m in spans:
        by_segment.setdefault(m["segment"], []).append((m["start"], m["end"]))
    parts = []
    for s in segments:
        text, pos, chunks = s["text"], 0, []
        for start, end in sorted(by_segment.get(s["seq"], [])):
            start = max(start, pos)
            if end <= start:
                continue
            chunks.append(html.escape(text[pos:start]))
            chunks.append(f'<span class="x">{"█" * max(3, end - start)}</span>')
            pos = end
        chunks.append(html.escape(text[pos:]))
        parts.append(f'<div class="seg" dir="auto">{"".join(chunks)}</div>')
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><style>{_PAGE_CSS}</style>'
        f"</head><body>{''.join(parts)}</body></html>"
    )


def _text(segments: list[dict[str, Any]], spans: list[dict[str, Any]]) -> Rendered:
    import pypdfium2 as pdfium

    from docket.export.report import print_pdf

    out = Rendered()
    with tempfile.TemporaryDirectory(prefix="docket-publish-") as tmp:
        target = Path(tmp) / "page.pdf"
        print_pdf(redacted_html(segments, spans), target)
        doc = pdfium.PdfDocument(str(target))
        try:
            out.pages.extend(page_images(doc))
        finally:
            doc.close()
    return out


def page_images(doc: Any) -> Iterator[Image.Image]:
    for index in range(len(doc)):
        page = doc[index]
        yield page.render(scale=DPI / 72).to_pil().convert("RGB")
        page.close()
