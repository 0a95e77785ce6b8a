"""Person, network and timeline pages: the case seen through its people and its dates.
Each page shows a read model of ``docket.views`` (person, network, timeline), the one the
CLI and the JSON API give."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from docket.serve import network, queries
from docket.serve.app import Desk, DeskDep
from docket.serve.i18n import translator
from docket.serve.render import histogram
from docket.views import findings as findings_view
from docket.views.decisions import decisions, joins
from docket.views.paging import Page
from docket.views.person import ItemPlaces, person, record_fields
from docket.views.timeline import case_timeline, months

EVIDENCE_SHOWN = 500  # items listed behind one link; the rest are counted
MEMBERS_SHOWN = 100  # mentions, records and relations listed on a person's page, of each kind
ENTITIES_PAGE = 200
TIMELINE_PAGE = 500

router = APIRouter()


@router.get("/person/{entity_id}", response_class=HTMLResponse)
def person_page(desk: DeskDep, request: Request, entity_id: str) -> HTMLResponse:
    db = desk.case().catalogue.db
    # A much-mentioned person's documents are counted over tens of thousands of rows:
    # kept until the case changes.
    p = desk.cached(
        ("person", entity_id, MEMBERS_SHOWN),
        lambda: person(db, entity_id, MEMBERS_SHOWN, item_places(desk, db)),
    )
    if p is None:
        return desk.page(request, "error.html", status_code=404, message_key="not_found")
    return desk.page(
        request,
        "person.html",
        entity=p,
        months=histogram(months(p["timeline"])),
        record_fields=record_fields,
        joins=joins(p["explain"]),
        entity_decisions=decisions(desk.case(), entity_id),
        decided=request.query_params.get("decided", "")
        if request.query_params.get("decided") in ("merge", "split")
        else "",
    )


def item_places(desk: Desk, db: sqlite3.Connection) -> ItemPlaces:
    """Each item's distinct places, read once until the case changes (a person page
    counts the places named with its entity from them)."""
    return desk.reading(("item-places",), lambda: ItemPlaces(db))


@router.get("/entities", response_class=HTMLResponse)
def entities_page(desk: DeskDep, request: Request, type: str = "", page: int = 1) -> HTMLResponse:
    case = desk.case()
    kind = type if type in queries.ENTITY_KINDS else None
    total = queries.count_entities(case, kind)
    page = min(max(1, page), max(1, -(-total // ENTITIES_PAGE)))
    rows = queries.entities(case, kind, ENTITIES_PAGE, (page - 1) * ENTITIES_PAGE)
    return desk.page(
        request, "entities.html", rows=Page(rows, page, ENTITIES_PAGE, total), kind=kind or ""
    )


@router.get("/network", response_class=HTMLResponse)
def network_page(
    desk: DeskDep,
    request: Request,
    filters: Annotated[network.Filters, Depends()],
    find: str = "",
) -> HTMLResponse:
    f = filters.clean()
    case = desk.case()
    g = network.desk_graph(desk, case, f)
    centre = queries.entity(case, f.person) if f.person else None
    needle = find.strip().casefold()
    found = [n for n in g["nodes"] if needle and needle in n["name"].casefold()]
    return desk.page(
        request,
        "network.html",
        graph=g,
        kinds=network.LINK_KINDS,
        centre=centre,
        find=find,
        found=found,
        # Hundreds of links and nodes, each with a dozen values: written in Python, not
        # by the template (half of a new ego network's time was its drawing's template).
        drawing=network.drawing(
            g,
            translator(request.state.lang),
            {n["id"] for n in found},
            desk.cached(("network-evidence", f), lambda: network.evidence_links(g)),
            {n["id"]: n["name"] for n in g["nodes"]},
        ),
        communities=len({n["community"] for n in g["nodes"]}),
        truncated=g.get("truncated", False),
        **asdict(f),
    )


@router.get("/network/evidence", response_class=HTMLResponse)
def evidence_page(desk: DeskDep, request: Request, a: str, b: str) -> HTMLResponse:
    case = desk.case()
    names = findings_view.entity_names(case, [a, b])
    label = {x: names.get(x, {}).get("name") or x.removeprefix("name:") for x in (a, b)}
    rows, total = network.evidence(case, a, b, EVIDENCE_SHOWN)
    return desk.page(request, "evidence.html", rows=rows, total=total, a=label[a], b=label[b])


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(
    desk: DeskDep, request: Request, date_from: str = "", date_to: str = "", page: int = 1
) -> HTMLResponse:
    db = desk.case().catalogue.db
    page = max(1, page)
    found = case_timeline(db, date_from, date_to, TIMELINE_PAGE, (page - 1) * TIMELINE_PAGE)
    return desk.page(
        request,
        "timeline.html",
        rows=Page(found.events, page, TIMELINE_PAGE, found.total),
        date_from=date_from,
        date_to=date_to,
    )
