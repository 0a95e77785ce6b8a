"""The document page: text beside the original, and everything known about the item."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from docket.serve import custody, document, queries, render
from docket.serve.app import Desk, DeskDep
from docket.views import anchors
from docket.views import findings as findings_view

EMAIL_HEADERS = ("from", "to", "cc", "bcc", "date", "subject", "message_id")

router = APIRouter()


@router.get("/item/{item_id}", response_class=HTMLResponse)
def item_page(
    desk: DeskDep, request: Request, item_id: str, q: str = "", seg: int = 0, at: str = ""
) -> HTMLResponse:
    case = desk.case()
    item = case.catalogue.item(item_id)
    if item is None:
        return desk.page(request, "error.html", status_code=404, message_key="not_found")
    return desk.page(request, "item.html", **item_context(desk, item, q, seg, at))


@router.get("/item/{item_id}/page/{page}.png")
def page_image(desk: DeskDep, item_id: str, page: int) -> Response:
    case = desk.case()
    item = case.catalogue.item(item_id)
    data = render.page_png(case, item, page) if item else None
    if data is None:
        raise HTTPException(404)
    return Response(
        data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"}
    )


@router.get("/item/{item_id}/download")
def download(desk: DeskDep, item_id: str) -> Response:
    case = desk.case()
    item = case.catalogue.item(item_id)
    if not item or not item.get("sha256") or not case.blobs.exists(item["sha256"]):
        raise HTTPException(404)
    name = "".join(c if c.isalnum() or c in "._-" else "_" for c in item["name"])[:120] or item_id
    sha = item["sha256"]

    def chunks() -> Iterator[bytes]:
        with case.blobs.open(sha) as stream:
            yield from iter(lambda: stream.read(1 << 16), b"")

    # Always an attachment of opaque bytes: an original is evidence, never a web page.
    return StreamingResponse(
        chunks(),
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{item_id}-{name}"'},
    )


def item_context(
    desk: Desk, item: dict[str, Any], q: str, seg: int = 0, at: str = ""
) -> dict[str, Any]:
    """The page's data; only one window of the text (``document.window``) is read: the
    one from segment ``seg``, or the one that holds anchor ``at`` (see ``anchors``)."""
    case = desk.case()
    item_id = item["id"]
    terms = render.query_terms(case, q)
    target = anchors.segment(case, item_id, at) if at else None
    if target is not None:
        seg = document.window_start(case, item_id, target)
    win = document.window(case, item_id, seg)
    segs = win["segments"]
    mentions = (
        document.window_mentions(case, item_id, segs[0]["seq"], segs[-1]["seq"]) if segs else []
    )
    by_segment: dict[int, list[dict[str, Any]]] = {}
    for m in mentions:
        by_segment.setdefault(m["segment"], []).append(m)
    segments = [
        {
            **s,
            "html": render.mark_segment(s["text"], terms, by_segment.get(s["seq"], []))
            if s.get("row") is None
            else "",
            "dir": render.direction(s["text"]),
        }
        for s in segs
    ]
    # A page's anchor is its first text in the window, else its image.
    text_pages: set[int] = set()
    for s in segments:
        if s.get("page") and s.get("row") is None and s["page"] not in text_pages:
            s["page_anchor"] = True
            text_pages.add(s["page"])
    meta = item.get("metadata") or {}
    email = (
        {k: meta[k] for k in EMAIL_HEADERS if k in meta}
        if item["type"] in ("eml", "emlx", "msg", "email")
        else {}
    )
    children, n_children = document.children(case, item_id)
    duplicates, duplicates_total = queries.exact_duplicates(case, item_id, item.get("sha256"))
    entities, entities_total = document.item_entities(case, item_id)
    detail = {
        "metadata": meta,
        "fs": item.get("fs") or {},
        "warnings": case.catalogue.warnings(item_id),
    }
    return {
        "item": item,
        "detail": detail,
        "q": q,
        "segments": segments,
        "window": win,
        "sheets": document.sheet_rows(segs, terms, by_segment),
        "email": email,
        "children": children,
        "n_children": n_children,
        "pages": document.page_images(
            case, item_id, win, render.page_count(case, item), anchors.page(at)
        ),
        "text_pages": text_pages,
        "lineage": queries.lineage(case, item_id),
        "custody": custody.events(case.root, item_id),
        "duplicates": duplicates,
        "duplicates_total": duplicates_total,
        "near": queries.near_duplicates(case, item_id),
        "signals": findings_view.signals(case, item_id),
        "mentions": mentions,
        "entities": entities,
        "entities_total": entities_total,
        "is_markup": item.get("type") in ("html", "xml", "svg", "xhtml"),
    }
