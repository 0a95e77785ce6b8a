"""The search API used by the CLI and the web desk."""

from __future__ import annotations

from typing import Any

from docket.case import Case
from docket.index.query import Builder, parse
from docket.index.snippets import snippet

SNIPPET_SOURCE_CHARS = 200_000  # how much of a long item is scanned for the best window


def search(case: Case, q: str, limit: int = 10, offset: int = 0) -> dict[str, Any]:
    """``{"total", "hits": [{"id", "path", "type", "score", "snippet"}]}`` for a query."""
    ft = case.fulltext
    builder = Builder(ft.schema)
    query = builder.build(parse(q))
    total, hits = ft.search(query, limit=limit, offset=offset)
    out = []
    for hit in hits:
        item = case.catalogue.item(hit.id)
        if item is None:
            continue
        text = case.catalogue.text(hit.id, SNIPPET_SOURCE_CHARS)
        out.append(
            {
                "id": item["id"],
                "path": item["path"],
                "type": item["type"],
                "status": item["status"],
                "score": round(hit.score, 4),
                "snippet": snippet(text, builder.terms) if text else "",
            }
        )
    return {"total": total, "hits": out}
