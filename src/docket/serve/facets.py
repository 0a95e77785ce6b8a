"""Facet counts for a search's whole hit set.

Keyword fields (type, language, status, deleted, duplicate, date) are counted by tantivy
itself: ``terms_with_prefix`` walks a field's term dictionary restricted to the query's
hits, in Rust, so the cost does not grow with the number of hits fetched. Names (person,
organisation, place) are tokenised words in the index, so they are counted from the
catalogue's mentions of the best hits instead, and labelled as such.
"""

from __future__ import annotations

from typing import Any

import tantivy

from docket.case import Case
from docket.index.search import compile_query
from docket.serve import queries

KEYWORD_FACETS = ("type", "lang", "status", "deleted", "duplicate")
NAME_SAMPLE = 200  # hits whose mentions feed the person/org/place facets


def hit_ids(case: Case, query: tantivy.Query, limit: int) -> list[str]:
    searcher = case.fulltext.index.searcher()
    result = searcher.search(query, limit=limit, count=False)
    return [searcher.doc(addr)["id"][0] for _, addr in result.hits]


def facets(case: Case, q: str) -> dict[str, Any]:
    """``{"type": [(value, n)], …, "date": [(year, n)], "person": [(name, n)], …}``."""
    query = compile_query(q)[0]
    searcher = case.fulltext.index.searcher()
    out: dict[str, Any] = {}
    for field in KEYWORD_FACETS:
        out[field] = [
            (t, n) for t, n in searcher.terms_with_prefix(field, "", filter_query=query) if n
        ]
    # Dates are indexed at year, month and day precision; the histogram is by year.
    years = [
        (t, n)
        for t, n in searcher.terms_with_prefix("date", "", filter_query=query)
        if len(t) == 4 and n
    ]
    out["date"] = sorted(years)
    names = queries.top_mentions(case, hit_ids(case, query, NAME_SAMPLE))
    for kind in queries.ENTITY_KINDS:
        out[kind] = names.get(kind, [])
    out["name_sample"] = NAME_SAMPLE
    return out


def add_filter(q: str, field: str, value: str) -> str:
    """The query narrowed by one facet value, as the analyst would type it."""
    quoted = f'"{value}"' if any(c.isspace() for c in value) else value
    clause = f"{field}:{quoted}"
    return q if clause in q else f"{q} {clause}".strip()
