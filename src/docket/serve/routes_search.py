"""The search page: query box, facets over the whole hit set, highlighted results, paging.
Every search is a plain GET URL, so it can be bookmarked and cited."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from docket.serve import facets as facet_mod
from docket.serve.app import DeskDep
from docket.serve.render import histogram
from docket.store.query import QueryError
from docket.views.search import search
from docket.views.stages import stage_progress

PAGE_SIZE = 20
# A page shows twenty snippets: each is looked for in the item's first 20,000 characters
# (the CLI looks further), so a hit on a thousand-page report costs what a letter does.
SNIPPET_CHARS = 20_000

router = APIRouter()


@router.get("/search", response_class=HTMLResponse)
def search_page(desk: DeskDep, request: Request, q: str = "", page: int = 1) -> HTMLResponse:
    page = max(1, page)
    ctx: dict[str, Any] = {
        "q": q,
        "page": page,
        "page_size": PAGE_SIZE,
        "result": None,
        "facets": None,
        "error": None,
    }
    if q.strip():
        case = desk.case()
        try:
            ctx["result"] = desk.cached(
                ("search", q, page),
                lambda: search(
                    case,
                    q,
                    limit=PAGE_SIZE,
                    offset=(page - 1) * PAGE_SIZE,
                    snippet_chars=SNIPPET_CHARS,
                ),
            )
            ctx["facets"] = facet_mod.desk_facets(desk, case, q)
        except QueryError as exc:
            ctx["error"] = str(exc)
        if ctx["result"]:
            ctx["pages"] = max(1, -(-ctx["result"]["total"] // PAGE_SIZE))
            ctx["histogram"] = histogram(ctx["facets"]["date"]) if ctx["facets"] else []
    ctx["add_filter"] = facet_mod.add_filter
    ctx["names_shown"] = facet_mod.NAMES_SHOWN
    # names and dates still landing? (counted once per change of the case, not per page)
    ctx["enrich"] = desk.cached(("progress",), lambda: stage_progress(desk.case()))["enrich"]
    return desk.page(request, "search.html", status_code=400 if ctx["error"] else 200, **ctx)
