"""The search API used by the CLI and the web desk."""

from __future__ import annotations

from typing import Any

from docket.case import Case
from docket.index.query import Builder, parse
from docket.index.snippets import snippet_match

SNIPPET_SOURCE_CHARS = 200_000  # how much of a long item is scanned for the best window


def search(case: Case, q: str, limit: int = 10, offset: int = 0) -> dict[str, Any]:
    """``{"total", "hits": [{"id", "path", "type", "score", "snippet", "match"}]}``.

    ``match`` is ``exact`` (the words as typed, after normalisation), ``stem`` (only a
    light stem matched) or ``cross-script`` (only the name in the other script matched);
    loose matches rank below exact ones."""
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
        snip, match = snippet_match(text, builder.terms) if text else ("", "exact")
        out.append(
            {
                "id": item["id"],
                "path": item["path"],
                "type": item["type"],
                "status": item["status"],
                "score": round(hit.score, 4),
                "snippet": snip,
                "match": match,
            }
        )
    return {"total": total, "hits": out}
