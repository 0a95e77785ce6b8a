"""Analyst decisions from the desk: merge entities, split a mention out, undo either.

Each goes through ``docket.resolve.decisions`` exactly as ``docket merge``, ``docket
split`` and ``docket undo`` do: the same ``decisions`` row, the same re-run resolution.
Every form carries the desk's nonce (``check_nonce``), and the origin check applies."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from docket.serve.actor import current_actor
from docket.serve.app import DeskDep, check_nonce
from docket.views.decisions import decide, decisions
from docket.views.paging import paged

PAGE = 100
SIMILAR = 20  # candidates listed to merge with

router = APIRouter()


def _refused(desk: DeskDep, request: Request, message: str) -> HTMLResponse:
    return desk.page(request, "error.html", status_code=400, message=message)


@router.get("/decisions", response_class=HTMLResponse)
def decisions_page(desk: DeskDep, request: Request, page: int = 1) -> HTMLResponse:
    rows = list(reversed(decisions(desk.case())))  # the newest first: what to undo
    return desk.page(
        request, "decisions.html", rows=paged(rows, page, PAGE), done=request.query_params
    )


@router.get("/person/{entity_id}/similar", response_class=HTMLResponse)
def similar_page(desk: DeskDep, request: Request, entity_id: str) -> HTMLResponse:
    """Entities whose names match this one's spellings, scored and explained as ``docket
    xref`` scores a watchlist entry: candidates to merge, each with its own button."""
    from docket.resolve.watchlist import Entry, xref

    cat = desk.case().catalogue
    entity = cat.entity(entity_id)
    if entity is None:
        return desk.page(request, "error.html", status_code=404, message_key="not_found")
    others = desk.cached(("entities", entity["type"]), lambda: cat.entities(entity["type"]))
    schema = "Person" if entity["type"] == "person" else "Organization"
    entry = Entry(entity_id, list(entity["variants"]) or [entity["name"]], schema=schema)
    found = xref([entry], [e for e in others if e["id"] != entity_id], limit=SIMILAR)
    return desk.page(
        request, "similar.html", entity=entity, matches=found[0]["matches"], limit=SIMILAR
    )


@router.post("/decisions/merge", dependencies=[Depends(check_nonce)], response_model=None)
def merge(
    desk: DeskDep, request: Request, ids: Annotated[list[str], Form()]
) -> HTMLResponse | RedirectResponse:
    from docket.resolve.decisions import DecisionError

    cat = desk.case().catalogue
    wanted = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    missing = [i for i in wanted if cat.entity(i) is None]
    if missing or len(wanted) < 2:
        return _refused(
            desk, request, f"merge needs two entities that exist: {', '.join(missing) or wanted}"
        )
    try:
        merged = decide(desk.case(), "merge", wanted, actor=current_actor.get())
    except DecisionError as exc:
        return _refused(desk, request, str(exc))
    request.state.audit = {"entities": wanted, "merged": merged["id"]}
    return RedirectResponse(f"/person/{quote(merged['id'])}?decided=merge", status_code=303)


@router.post("/decisions/split", dependencies=[Depends(check_nonce)], response_model=None)
def split(
    desk: DeskDep,
    request: Request,
    entity: Annotated[str, Form()],
    member: Annotated[str, Form()],
) -> HTMLResponse | RedirectResponse:
    from docket.resolve.decisions import DecisionError

    try:
        alone = decide(desk.case(), "split", entity, member, actor=current_actor.get())
    except (DecisionError, KeyError) as exc:
        return _refused(desk, request, str(exc))
    request.state.audit = {"entity": entity, "member": member, "alone": alone["id"]}
    return RedirectResponse(f"/person/{quote(alone['id'])}?decided=split", status_code=303)


@router.post(
    "/decisions/{decision_id}/undo", dependencies=[Depends(check_nonce)], response_model=None
)
def undo(desk: DeskDep, request: Request, decision_id: int) -> HTMLResponse | RedirectResponse:
    from docket.resolve.decisions import DecisionError

    try:
        done = decide(desk.case(), "undo", decision_id, actor=current_actor.get())
    except DecisionError as exc:
        return _refused(desk, request, str(exc))
    # To the decisions, not back: an undone merge's entity id may be gone; the list says
    # where each spelling is now.
    return RedirectResponse(f"/decisions?undone={done['payload']['decision']}", status_code=303)
