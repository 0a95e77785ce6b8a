"""JSON endpoints over the same queries as the pages, for scripts and tests."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException

from docket.serve import facets, network, queries
from docket.serve.app import Desk
from docket.serve.routes_search import SNIPPET_CHARS
from docket.store.query import QueryError
from docket.views.item import item_detail
from docket.views.search import search


def register(app: FastAPI, desk: Desk) -> None:
    @app.get("/api/search")
    def api_search(
        q: str, limit: int = 20, offset: int = 0, with_facets: bool = False
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
                out["facets"] = facets.facets(case, q)
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from exc
        return out

    @app.get("/api/item/{item_id}")
    def api_item(item_id: str) -> dict[str, Any]:
        case = desk.case()
        try:
            detail = item_detail(case, item_id)
        except KeyError as exc:
            raise HTTPException(404, "no such item") from exc
        detail["mentions"] = queries.item_mentions(case, item_id)
        detail["signals"] = queries.signals(case, item_id)
        return detail

    @app.get("/api/person/{entity_id}")
    def api_person(entity_id: str) -> dict[str, Any]:
        case = desk.case()
        ent = queries.entity(case, entity_id)
        if ent is None:
            raise HTTPException(404, "no such entity")
        return {**ent, "members": queries.entity_members(case, entity_id)}

    @app.get("/api/failures")
    def api_failures() -> dict[str, Any]:
        return queries.failures(desk.case())

    @app.get("/api/findings")
    def api_findings() -> list[dict[str, Any]]:
        return queries.findings(desk.case())

    @app.get("/api/network")
    def api_network(filters: Annotated[network.Filters, Depends()]) -> dict[str, Any]:
        f = filters.clean()
        return network.desk_graph(desk, desk.case(), f)
