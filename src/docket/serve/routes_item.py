"""The document page: text beside the original, and everything known about the item."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from docket.index.show import item_detail
from docket.serve import custody, queries, render
from docket.serve.app import Desk

MAX_PAGE_IMAGES = 50  # pages shown beside the text; the rest are a download away
EMAIL_HEADERS = ("from", "to", "cc", "bcc", "date", "subject", "message_id")


def register(app: FastAPI, desk: Desk) -> None:
    @app.get("/item/{item_id}", response_class=HTMLResponse)
    def item_page(request: Request, item_id: str, q: str = "") -> HTMLResponse:
        case = desk.case()
        try:
            detail = item_detail(case, item_id)
        except KeyError:
            return desk.page(request, "error.html", status_code=404, message_key="not_found")
        item = case.catalogue.item(item_id) or {}
        return desk.page(request, "item.html", **item_context(desk, item, detail, q))

    @app.get("/item/{item_id}/page/{page}.png")
    def page_image(item_id: str, page: int) -> Response:
        case = desk.case()
        item = case.catalogue.item(item_id)
        data = render.page_png(case, item, page) if item else None
        if data is None:
            raise HTTPException(404)
        return Response(
            data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"}
        )

    @app.get("/item/{item_id}/download")
    def download(item_id: str) -> Response:
        case = desk.case()
        item = case.catalogue.item(item_id)
        if not item or not item.get("sha256") or not case.blobs.exists(item["sha256"]):
            raise HTTPException(404)
        name = (
            "".join(c if c.isalnum() or c in "._-" else "_" for c in item["name"])[:120] or item_id
        )
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
    desk: Desk, item: dict[str, Any], detail: dict[str, Any], q: str
) -> dict[str, Any]:
    case = desk.case()
    item_id = item["id"]
    terms = render.query_terms(case, q)
    mentions = queries.item_mentions(case, item_id)
    ents = queries.mention_entities(case, [m["id"] for m in mentions])
    by_segment: dict[int, list[dict[str, Any]]] = {}
    for m in mentions:
        m["entity"] = ents.get(m["id"])
        by_segment.setdefault(m["segment"], []).append(m)
    segments = []
    for seq, s in enumerate(case.catalogue.segments(item_id, 2_000_000)):
        segments.append(
            {
                **s,
                "html": render.mark_segment(s["text"], terms, by_segment.get(seq, [])),
                "dir": render.direction(s["text"]),
            }
        )
    meta = detail["metadata"]
    email = (
        {k: meta[k] for k in EMAIL_HEADERS if k in meta}
        if item["type"] in ("eml", "msg", "email")
        else {}
    )
    children = queries.items_brief(case, detail["children"])
    pages = min(render.page_count(case, item), MAX_PAGE_IMAGES)
    entities = {}
    for m in mentions:
        if m["entity"]:
            entities[m["entity"]["id"]] = m["entity"]
    return {
        "item": item,
        "detail": detail,
        "q": q,
        "segments": segments,
        "sheets": render.sheet_rows(segments),
        "email": email,
        "children": [children[c] for c in detail["children"] if c in children],
        "pages": pages,
        "lineage": queries.lineage(case, item_id),
        "custody": custody.events(case.root, item_id),
        "duplicates": queries.exact_duplicates(case, item_id, item.get("sha256")),
        "near": queries.near_duplicates(case, item_id),
        "signals": queries.signals(case, item_id),
        "mentions": mentions,
        "entities": list(entities.values()),
        "is_markup": item.get("type") in ("html", "xml", "svg", "xhtml"),
    }
