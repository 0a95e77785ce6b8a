"""The redaction review page: an item's original and its redacted pages side by side,
its marks to accept or reject (from the keyboard: ``j``/``k`` to move, ``a``/``r`` to
decide, with ``redact.js``; plain buttons without it), and boxes drawn on the page images.
Decisions go through ``docket.publish.review``, exactly as ``docket redact`` records them."""

from __future__ import annotations

import io
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from docket.model.errors import BadArguments
from docket.publish import review
from docket.publish.render import Rendered, render_item
from docket.publish.suggest import spellings_of
from docket.serve.app import DeskDep, check_nonce

router = APIRouter()
PREVIEW_WIDTH = 900  # pixels across a redacted page preview


def _rendered(desk: Any, item: dict[str, Any]) -> Rendered:
    def compute() -> Rendered:
        case = desk.case()
        cat = case.catalogue
        marks = cat.marks(item["id"], states=("accepted",))
        spellings = {
            m["id"]: spellings_of(case, m.get("entity_id"), m["text"])
            for m in marks
            if m.get("segment") is not None and m.get("text")
        }
        segments = [dict(s) for s in cat.segments(item["id"])]
        path = case.blobs.path(item["sha256"])
        return render_item(item, path, segments, marks, spellings, case.settings.ocr_lang)

    rendered: Rendered = desk.cached(("redact", item["id"]), compute)
    return rendered


def _item(desk: Any, item_id: str) -> dict[str, Any]:
    item = desk.case().catalogue.item(item_id)
    if item is None or not item.get("sha256"):
        raise HTTPException(404)
    return dict(item)


def _highlighted(segments: list[dict[str, Any]], marks: list[dict[str, Any]]) -> list[list[Any]]:
    """Each segment as runs of (text, mark or None), for the text view of the original."""
    out = []
    for s in segments:
        spans = sorted(
            (m for m in marks if m.get("segment") == s["seq"] and m["state"] != "rejected"),
            key=lambda m: m["start"],
        )
        runs: list[Any] = []
        pos = 0
        for m in spans:
            if m["start"] < pos:
                continue
            runs.append((s["text"][pos : m["start"]], None))
            runs.append((s["text"][m["start"] : m["end"]], m))
            pos = m["end"]
        runs.append((s["text"][pos:], None))
        out.append(runs)
    return out


@router.get("/redact/{item_id}", response_class=HTMLResponse)
def review_page(desk: DeskDep, request: Request, item_id: str) -> HTMLResponse:
    item = _item(desk, item_id)
    case = desk.case()
    marks = case.catalogue.marks(item_id)
    rendered = _rendered(desk, item)
    paged = item.get("type") == "pdf" or (item.get("mime") or "").startswith("image/")
    segments = [dict(s) for s in case.catalogue.segments(item_id)]
    return desk.page(
        request,
        "redact.html",
        item=item,
        marks=marks,
        pages=len(rendered.pages),
        paged=paged,
        text=[] if paged else _highlighted(segments, marks),
        missed=rendered.missed,
        counts={
            s: sum(1 for m in marks if m["state"] == s)
            for s in ("proposed", "accepted", "rejected")
        },
    )


@router.get("/redact/{item_id}/page/{page}.png")
def redacted_page(desk: DeskDep, item_id: str, page: int) -> Response:
    rendered = _rendered(desk, _item(desk, item_id))
    if not 1 <= page <= len(rendered.pages):
        raise HTTPException(404)
    image = rendered.pages[page - 1]
    if image.width > PREVIEW_WIDTH:
        image = image.resize((PREVIEW_WIDTH, round(image.height * PREVIEW_WIDTH / image.width)))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return Response(buf.getvalue(), media_type="image/png", headers={"Cache-Control": "no-store"})


@router.post("/redact/{item_id}/decide", dependencies=[Depends(check_nonce)])
def decide(
    desk: DeskDep, item_id: str, state: str = Form(...), mark: str = Form("")
) -> RedirectResponse:
    if state not in ("accepted", "rejected"):
        raise HTTPException(400, "state is accepted or rejected")
    ids = [int(mark)] if mark.isdigit() else []
    try:
        review.decide(desk.case(), ids, state, item=None if ids else item_id)
    except BadArguments as exc:
        raise HTTPException(400, str(exc)) from exc
    return RedirectResponse(f"/redact/{item_id}#mark-{mark}", status_code=303)


@router.post("/redact/{item_id}/draw", dependencies=[Depends(check_nonce)])
def draw(
    desk: DeskDep,
    item_id: str,
    page: int = Form(1),
    x0: str = Form(""),
    y0: str = Form(""),
    x1: str = Form(""),
    y1: str = Form(""),
    text: str = Form(""),
    reason: str = Form("analyst"),
) -> RedirectResponse:
    try:
        box = (float(x0), float(y0), float(x1), float(y1)) if x0 and y0 and x1 and y1 else None
        review.draw(desk.case(), item_id, page=page, box=box, text=text, reason=reason)
    except (ValueError, BadArguments) as exc:
        raise HTTPException(400, str(exc)) from exc
    return RedirectResponse(f"/redact/{item_id}", status_code=303)
