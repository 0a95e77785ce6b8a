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
    # What is still readable by page, as Docket laid it out: the text layer's characters
    # outside every black box, the OCR'd words not burned, a text item's words not
    # replaced. The check searches it as well as its own OCR of the output.
    visible: dict[int | None, str] = field(default_factory=dict)


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
    ocr_langs: str = "ara+eng",
) -> Rendered:
    """``marks``: the item's accepted marks; ``spellings``: for each span mark's id, every
    way of writing what it hides (its text first); ``ocr_langs``: to find the words of
    span marks on scanned pages."""
    family = types.get(item.get("type") or "").family
    regions = [m for m in marks if m.get("box")]
    spans = [m for m in marks if m.get("segment") is not None]
    scans = Scans({s["seq"]: s for s in segments}, spellings, ocr_langs)
    if item.get("type") == "pdf":
        return _pdf(path, segments, regions, spans, scans)
    if family == "image":
        return _image(path, regions, spans, scans)
    return _text(segments, spans)


@dataclass
class Scans:
    """Span marks on pages read by OCR: their words found again on the page image."""

    segments: dict[int, dict[str, Any]]
    spellings: dict[int, list[str]]
    langs: str

    def scanned(self, mark: dict[str, Any]) -> bool:
        return (self.segments.get(mark["segment"]) or {}).get("part") == "ocr"

    def burn(self, image: Image.Image, number: int, marks: list[dict[str, Any]],
             out: Rendered) -> None:  # fmt: skip
        """Black out the words of ``marks`` on ``image``; note in ``out`` what was not
        found and the words left readable."""
        from docket.extract.ocr.tesseract import OcrError
        from docket.extract.ocr.words import words

        if not marks:
            return
        try:
            found = words(image, self.langs)
        except OcrError as exc:
            out.missed.append(f"page {number}: OCR failed ({exc.message})")
            return
        text, owner, line = "", [], None
        for i, w in enumerate(found):
            gap = "\n" if line is not None and w.line != line else " "
            text += gap + w.text
            owner.extend([-1] * len(gap) + [i] * len(w.text))
            line = w.line
        draw = ImageDraw.Draw(image)
        burned: set[int] = set()
        for m in marks:
            hits = find_phrases(text, self.spellings.get(m["id"]) or [m["text"]])
            if not hits:
                out.missed.append(f"page {number}: {m['text']}")
            for start, end, _ in hits:
                for wi in {owner[k] for k in range(start, end) if owner[k] >= 0}:
                    burned.add(wi)
                    left, top, right, bottom = found[wi].box
                    draw.rectangle((left - 3, top - 3, right + 3, bottom + 3), fill=FILL)
        kept = " ".join(w.text for i, w in enumerate(found) if i not in burned)
        out.visible[number] = (out.visible.get(number, "") + "\n" + kept).strip()


def _image(
    path: Path, regions: list[dict[str, Any]], spans: list[dict[str, Any]], scans: Scans
) -> Rendered:
    out = Rendered()
    with Image.open(path) as im:
        for n in range(getattr(im, "n_frames", 1)):
            im.seek(n)
            page = im.convert("RGB")
            number = n + 1
            mine = [m for m in spans if (scans.segments.get(m["segment"]) or {}).get("page")
                    in (number, None)]  # fmt: skip
            scans.burn(page, number, mine, out)
            _draw_regions(page, [r for r in regions if (r.get("page") or 1) == number])
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


def _under(textpage: Any, ci: int, boxes: list[dict[str, Any]], width: float,
           height: float) -> bool:  # fmt: skip
    """Whether character ``ci``'s centre lies under one of the region marks ``boxes``."""
    if not boxes:
        return False
    left, bottom, right, top = textpage.get_charbox(ci, loose=True)
    x, y = (left + right) / 2 / width, (height - (top + bottom) / 2) / height
    return any(b["box"][0] <= x <= b["box"][2] and b["box"][1] <= y <= b["box"][3] for b in boxes)


def _pdf(
    path: Path,
    segments: list[dict[str, Any]],
    regions: list[dict[str, Any]],
    spans: list[dict[str, Any]],
    scans: Scans,
) -> Rendered:
    import pypdfium2 as pdfium

    page_of = {s["seq"]: s.get("page") for s in segments}
    spellings = scans.spellings
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
            here = [m for m in spans if page_of.get(m["segment"]) in (number, None)]
            scans.burn(image, number, [m for m in here if scans.scanned(m)], out)
            mine = [m for m in here if not scans.scanned(m)]
            textpage = page.get_textpage()
            text, owner = _page_chars(textpage)
            draw = ImageDraw.Draw(image)
            burned: set[int] = set()
            for m in mine:
                hits = find_phrases(text, spellings.get(m["id"]) or [m["text"]])
                if not hits and page_of.get(m["segment"]) == number:
                    out.missed.append(f"page {number}: {m['text']}")
                for start, end, _ in hits:
                    for ci in sorted(set(owner[start:end])):
                        burned.add(ci)
                        left, bottom, right, top = textpage.get_charbox(ci, loose=True)
                        draw.rectangle(
                            ((left - PAD_PT) * scale, (height - top - PAD_PT) * scale,
                             (right + PAD_PT) * scale, (height - bottom + PAD_PT) * scale),
                            fill=FILL,
                        )  # fmt: skip
            boxes = [r for r in regions if (r.get("page") or 1) == number]
            _draw_regions(image, boxes)
            width = page.get_size()[0]
            kept = [
                text[k]
                for k, ci in enumerate(owner)
                if ci not in burned and not _under(textpage, ci, boxes, width, height)
            ]
            out.visible[number] = "".join(kept)
            textpage.close()
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


def _kept(segment: dict[str, Any], spans: list[dict[str, Any]]) -> str:
    text = list(segment["text"])
    for m in spans:
        if m["segment"] == segment["seq"]:
            text[m["start"] : m["end"]] = [" "] * (m["end"] - m["start"])
    return "".join(text)


def _text(segments: list[dict[str, Any]], spans: list[dict[str, Any]]) -> Rendered:
    import pypdfium2 as pdfium

    from docket.export.report import print_pdf

    out = Rendered()
    with tempfile.TemporaryDirectory(prefix="docket-publish-") as tmp:
        target = Path(tmp) / "page.pdf"
        print_pdf(redacted_html(segments, spans), target)
        out.visible[None] = "\n".join(_kept(s, spans) for s in segments)
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
