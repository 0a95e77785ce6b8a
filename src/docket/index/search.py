"""The search API used by the CLI and the web desk."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import tantivy

from docket.case import Case
from docket.index.fulltext import build_schema
from docket.index.query import Builder, Terms, parse
from docket.index.snippets import snippet_match

SNIPPET_SOURCE_CHARS = 200_000  # how much of a long item is scanned for the best window


@lru_cache(maxsize=256)
def compile_query(q: str) -> tuple[tantivy.Query, Terms]:
    """The tantivy query for ``q`` and the terms to mark, built once per distinct query:
    building looks up cross-script spellings of every Arabic word, which costs more than
    the search itself. (Queries are immutable; fields are the same in every index.)"""
    builder = Builder(build_schema())
    return builder.build(parse(q)), builder.terms


def search(
    case: Case,
    q: str,
    limit: int = 10,
    offset: int = 0,
    snippet_chars: int = SNIPPET_SOURCE_CHARS,
) -> dict[str, Any]:
    """``{"total", "hits": [{"id", "path", "type", "score", "snippet", "match"}]}``;
    each snippet is the best window in the first ``snippet_chars`` of the item's text.

    ``match`` is ``exact`` (the words as typed, after normalisation), ``stem`` (only a
    light stem matched) or ``cross-script`` (only the name in the other script matched);
    loose matches rank below exact ones."""
    ft = case.fulltext
    query, terms = compile_query(q)
    total, hits = ft.search(query, limit=limit, offset=offset)
    out = []
    for hit in hits:
        item = case.catalogue.item(hit.id)
        if item is None:
            continue
        text = case.catalogue.text(hit.id, snippet_chars)
        snip, match = snippet_match(text, terms) if text else ("", "exact")
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
