"""The failures page and the analyst's findings (notes and tags citing sources)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from docket.serve import queries
from docket.serve.app import DeskDep, check_nonce
from docket.views import anchors
from docket.views import findings as findings_view

router = APIRouter()


@router.get("/failures", response_class=HTMLResponse)
def failures_page(desk: DeskDep, request: Request) -> HTMLResponse:
    return desk.page(request, "failures.html", groups=queries.failures(desk.case()))


@router.get("/findings", response_class=HTMLResponse)
def findings_page(desk: DeskDep, request: Request) -> HTMLResponse:
    case = desk.case()
    rows = findings_view.findings(case)
    ids = sorted({c["item"] for f in rows for c in f["cites"] if c.get("item")})
    for f in rows:
        for c in f["cites"]:
            c["at"] = anchors.for_cite(case, c)  # the link opens the cited row or page
    return desk.page(
        request,
        "findings.html",
        rows=rows,
        items=findings_view.items_brief(case, ids),
        saved=request.query_params.get("saved"),
    )


# The form's nonce is checked first (``check_nonce``): another site cannot post.
@router.post("/findings", dependencies=[Depends(check_nonce)])
def add_finding(
    desk: DeskDep,
    item: str = Form(...),
    title: str = Form(...),
    note: str = Form(""),
    tags: str = Form(""),
    page: str = Form(""),
    sheet: str = Form(""),
    row: str = Form(""),
    entity: str = Form(""),
    quote: str = Form(""),
) -> RedirectResponse:
    case = desk.case()
    if case.catalogue.item(item) is None or not title.strip():
        raise HTTPException(400, "a finding needs a title and an existing item")
    fid = queries.add_finding(
        case,
        time=datetime.now(UTC).isoformat(timespec="seconds"),
        title=title.strip()[:500],
        note=note.strip()[:20_000],
        tags=[t.strip() for t in tags.split(",") if t.strip()][:20],
        cites=[cite(item, page, sheet, row, entity, quote)],
    )
    return RedirectResponse(f"/findings?saved={fid}#finding-{fid}", status_code=303)


def cite(item: str, page: str, sheet: str, row: str, entity: str, quote: str) -> dict[str, Any]:
    """One citation as stored in ``findings.cites``; empty parts are left out."""
    out: dict[str, Any] = {"item": item}
    if page.strip().isdigit():
        out["page"] = int(page)
    if sheet.strip():
        out["sheet"] = sheet.strip()
    if row.strip().isdigit():
        out["row"] = int(row)
    if entity.strip():
        out["entity"] = entity.strip()
    if quote.strip():
        out["quote"] = quote.strip()[:2_000]
    return out
