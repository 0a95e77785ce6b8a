"""Person, network and timeline pages: the case seen through its people and its dates."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse

from docket.serve import anchors, network, people, queries
from docket.serve.app import Desk
from docket.serve.render import histogram
from docket.text.calendars import hijri_iso

EVIDENCE_SHOWN = 500  # items listed behind one link; the rest are counted


def register(app: FastAPI, desk: Desk) -> None:
    @app.get("/person/{entity_id}", response_class=HTMLResponse)
    def person_page(request: Request, entity_id: str) -> HTMLResponse:
        case = desk.case()
        ent = queries.entity(case, entity_id)
        if ent is None:
            return desk.page(request, "error.html", status_code=404, message_key="not_found")
        # A much-mentioned person's documents are counted over tens of thousands of rows.
        documents, n_documents = desk.cached(
            ("documents", entity_id), lambda: people.documents(case, entity_id)
        )
        members = queries.entity_members(case, entity_id, people.MEMBERS_SHOWN)
        people.in_context(case, members["mention"])
        events = people.timeline(members)
        return desk.page(
            request,
            "person.html",
            entity=ent,
            members=members,
            counts=people.counts(case, entity_id),
            documents=documents,
            n_documents=n_documents,
            payments=people.payments(members),
            events=[{**e, "hijri": to_hijri(e["date"])} for e in events],
            months=histogram(_months(events)),
            correspondents=people.correspondents(case, entity_id),
            named_with=desk.cached(
                ("named_with", entity_id), lambda: people.named_with(case, entity_id)
            ),
            record_fields=people.record_fields,
        )

    @app.get("/entities", response_class=HTMLResponse)
    def entities_page(request: Request, type: str = "") -> HTMLResponse:
        return desk.page(
            request,
            "entities.html",
            rows=queries.entities(desk.case(), type or None, 500),
            kind=type,
        )

    @app.get("/network", response_class=HTMLResponse)
    def network_page(
        request: Request, filters: Annotated[network.Filters, Depends()]
    ) -> HTMLResponse:
        f = filters.clean()
        case = desk.case()
        g = network.desk_graph(desk, case, f)
        centre = queries.entity(case, f.person) if f.person else None
        return desk.page(
            request,
            "network.html",
            graph=g,
            kinds=network.LINK_KINDS,
            centre=centre,
            **asdict(f),
        )

    @app.get("/network/evidence", response_class=HTMLResponse)
    def evidence_page(request: Request, a: str, b: str) -> HTMLResponse:
        case = desk.case()
        names = queries.entity_names(case, [a, b])
        label = {x: names.get(x, {}).get("name") or x.removeprefix("name:") for x in (a, b)}
        rows, total = network.evidence(case, a, b, EVIDENCE_SHOWN)
        return desk.page(request, "evidence.html", rows=rows, total=total, a=label[a], b=label[b])

    @app.get("/timeline", response_class=HTMLResponse)
    def timeline_page(request: Request, date_from: str = "", date_to: str = "") -> HTMLResponse:
        return desk.page(
            request,
            "timeline.html",
            rows=timeline(desk, date_from, date_to),
            date_from=date_from,
            date_to=date_to,
        )


def timeline(desk: Desk, date_from: str = "", date_to: str = "") -> list[dict[str, Any]]:
    """Dated events (date mentions, Hijri beside Gregorian) and dated documents, in order."""
    case = desk.case()
    rows: list[dict[str, Any]] = []
    for m in queries.dated_mentions(case, date_from, date_to):
        attrs = m["attrs"] or {}
        rows.append(
            {
                "date": m["value"],
                "hijri": attrs.get("hijri") or to_hijri(m["value"]),
                "text": m["text"],
                "item_id": m["item_id"],
                "at": anchors.anchor(seg=m["segment"]),
                "path": m["path"],
                "kind": "event",
            }
        )
    for d in queries.dated_items(case):
        day = str(d["date"])[:10]
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        rows.append(
            {
                "date": day,
                "hijri": to_hijri(day),
                "text": d["name"],
                "item_id": d["id"],
                "at": None,
                "path": d["path"],
                "kind": "item",
            }
        )
    rows.sort(key=lambda r: (r["date"] or "", r["item_id"]))
    return rows


def _months(events: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Events per month, for the timeline's bars."""
    counted: dict[str, int] = {}
    for e in events:
        if len(e["date"]) >= 7:
            counted[e["date"][:7]] = counted.get(e["date"][:7], 0) + 1
    return sorted(counted.items())


def to_hijri(iso: str | None) -> str | None:
    """The Umm al-Qura date of an ISO day (``docket.text.calendars``), None out of range."""
    return hijri_iso(iso)
