"""The failures page and the analyst's findings (notes and tags citing sources)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from docket.model.errors import BadArguments
from docket.serve import queries
from docket.serve.actor import current_actor
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
    rows = findings_view.findings(case, comments=True)
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
        states=findings_view.STATES,
    )


def _audit(request: Request, **detail: Any) -> None:
    """What the server's audit trail records of this request beyond its path."""
    request.state.audit = detail


# The form's nonce is checked first (``check_nonce``): another site cannot post.
@router.post("/findings", dependencies=[Depends(check_nonce)])
def add_finding(
    desk: DeskDep,
    request: Request,
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
    fid = findings_view.add(
        case,
        title=title,
        note=note,
        tags=_tags(tags),
        cites=[cite(item, page, sheet, row, entity, quote)],
        actor=current_actor.get(),
    )
    _audit(request, finding=fid, what="add", title=title.strip()[:500], item=item)
    return RedirectResponse(f"/findings?saved={fid}#finding-{fid}", status_code=303)


def _tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _one(desk: DeskDep, finding_id: int) -> dict[str, Any]:
    try:
        return findings_view.finding(desk.case(), finding_id)
    except findings_view.NoFinding:
        raise HTTPException(404, "no such finding") from None


@router.get("/findings/{finding_id}/edit", response_class=HTMLResponse)
def edit_page(desk: DeskDep, request: Request, finding_id: int) -> HTMLResponse:
    """The edit form; it carries the version it was opened at, so that a save after
    another analyst's is refused rather than overwriting theirs."""
    return desk.page(request, "finding_edit.html", f=_one(desk, finding_id), conflict=None)


@router.post(
    "/findings/{finding_id}/edit", dependencies=[Depends(check_nonce)], response_model=None
)
def edit_finding(
    desk: DeskDep,
    request: Request,
    finding_id: int,
    base: int = Form(...),
    title: str = Form(...),
    note: str = Form(""),
    tags: str = Form(""),
) -> HTMLResponse | RedirectResponse:
    _one(desk, finding_id)
    try:
        saved = findings_view.edit(
            desk.case(), finding_id, base=base, title=title, note=note, tags=_tags(tags),
            actor=current_actor.get(),
        )  # fmt: skip
    except findings_view.FindingConflict as exc:
        # Both versions side by side, the analyst's own in the form again: nothing lost.
        mine = {"title": title, "note": note, "tags": _tags(tags), "base": base}
        return desk.page(
            request, "finding_edit.html", status_code=409, f=exc.current, conflict=mine
        )
    _audit(request, finding=finding_id, what="edit", version=saved["version"], title=saved["title"])
    return RedirectResponse(f"/findings?saved={finding_id}#finding-{finding_id}", status_code=303)


@router.post("/findings/{finding_id}/comment", dependencies=[Depends(check_nonce)])
def comment(
    desk: DeskDep, request: Request, finding_id: int, text: str = Form(...)
) -> RedirectResponse:
    _one(desk, finding_id)
    if not text.strip():
        raise HTTPException(400, "an empty comment")
    cid = findings_view.comment(desk.case(), finding_id, text, actor=current_actor.get())
    _audit(request, finding=finding_id, what="comment", comment=cid, text=text.strip()[:5_000])
    return RedirectResponse(f"/findings#finding-{finding_id}", status_code=303)


@router.post("/findings/{finding_id}/review", dependencies=[Depends(check_nonce)])
def review(
    desk: DeskDep, request: Request, finding_id: int, state: str = Form(...)
) -> RedirectResponse:
    before = _one(desk, finding_id)
    try:
        done = findings_view.review(desk.case(), finding_id, state, actor=current_actor.get())
    except BadArguments as exc:
        raise HTTPException(400, str(exc)) from None
    _audit(request, finding=finding_id, what="review", state=done["state"], was=before["state"])
    return RedirectResponse(f"/findings#finding-{finding_id}", status_code=303)


@router.get("/api/findings/{finding_id}")
def api_finding(desk: DeskDep, finding_id: int) -> dict[str, Any]:
    """One finding with its comments and every version saved (``docket finding show``)."""
    return _one(desk, finding_id)


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
