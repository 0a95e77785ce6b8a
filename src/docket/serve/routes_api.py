"""JSON endpoints over the same queries as the pages, for scripts and tests."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException

from docket.serve import facets, network, queries
from docket.serve.app import DeskDep
from docket.serve.routes_search import SNIPPET_CHARS
from docket.store.query import QueryError
from docket.views import findings as findings_view
from docket.views.item import item_detail
from docket.views.person import Person, person
from docket.views.search import search

router = APIRouter()


@router.get("/api/search")
def api_search(
    desk: DeskDep, q: str, limit: int = 20, offset: int = 0, with_facets: bool = False
) -> dict[str, Any]:
    case = desk.case()
    try:
        out = search(
            case,
            q,
            limit=max(1, min(limit, 200)),
            offset=max(0, offset),
            snippet_chars=SNIPPET_CHARS,
        )
        if with_facets:
            out["facets"] = facets.desk_facets(desk, case, q)
    except QueryError as exc:
        raise HTTPException(400, str(exc)) from exc
    return out


@router.get("/api/item/{item_id}")
def api_item(desk: DeskDep, item_id: str) -> dict[str, Any]:
    case = desk.case()
    try:
        detail = item_detail(case, item_id)
    except KeyError as exc:
        raise HTTPException(404, "no such item") from exc
    detail["signals"] = findings_view.signals(case, item_id)
    return detail


@router.get("/api/person/{entity_id}", response_model=None)
def api_person(desk: DeskDep, entity_id: str) -> Person:
    """The person as ``docket person --json`` gives it (``views.person``), every member."""
    db = desk.case().catalogue.db
    found = desk.cached(("person", entity_id, None), lambda: person(db, entity_id))
    if found is None:
        raise HTTPException(404, "no such entity")
    return found


@router.get("/api/failures")
def api_failures(desk: DeskDep) -> dict[str, Any]:
    return queries.failures(desk.case())


@router.get("/api/findings")
def api_findings(desk: DeskDep) -> list[dict[str, Any]]:
    return findings_view.findings(desk.case())


@router.get("/api/network")
def api_network(desk: DeskDep, filters: Annotated[network.Filters, Depends()]) -> dict[str, Any]:
    f = filters.clean()
    return network.desk_graph(desk, desk.case(), f)


@router.get("/api/overview")
def api_overview(desk: DeskDep) -> dict[str, Any]:
    """The case overview the desk's ``/`` shows (``views.overview``), progress read fresh."""
    from docket.views import overview

    case = desk.case()
    data = desk.cached(("overview",), lambda: overview.overview(case))
    return {**data, "progress": overview.progress(case)}


@router.get("/api/decisions")
def api_decisions(desk: DeskDep) -> list[dict[str, Any]]:
    """Analyst decisions as ``docket decisions --json`` gives them (``views.decisions``)."""
    from docket.views.decisions import decisions

    return decisions(desk.case())
