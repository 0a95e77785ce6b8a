"""Facet counts for a search's whole hit set, in one pass.

Every facet is a tantivy terms aggregation over fast fields (``docket.store.fulltext``),
run in Rust over all the hits with the query itself: the keywords (type, language,
status, deleted, duplicate), the year of each date, and the people, organisations and
places by their normalised names. Counts are of items: an item that names a person ten
times counts once.
"""

from __future__ import annotations

from typing import Any

from docket.case import Case
from docket.store.fulltext import FAST_FIELDS, NAME_FACETS
from docket.views.search import compile_query

NAMES_SHOWN = 8  # per kind of name
# Each index segment proposes its own top names and the proposals are summed, as in any
# sharded terms count; asking each segment for many more than are shown keeps the top
# counts exact on any realistic case.
SEGMENT_NAMES = 500


def facets(case: Case, q: str) -> dict[str, Any]:
    """``{"type": [(value, n)], …, "date": [(year, n)], "person": [(name, n)], …}``."""
    query = compile_query(q)[0]
    agg: dict[str, Any] = {f: {"terms": {"field": f, "size": 1000}} for f in FAST_FIELDS}
    agg["date"] = {"terms": {"field": "year", "size": 10_000}}
    for kind, field in NAME_FACETS.items():
        agg[kind] = {
            "terms": {"field": field, "size": NAMES_SHOWN * 2, "segment_size": SEGMENT_NAMES}
        }
    case.fulltext.index.reload()
    counted = case.fulltext.index.searcher().aggregate(query, agg)
    out: dict[str, Any] = {}
    for name in agg:
        buckets = [(b["key"], b["doc_count"]) for b in counted.get(name, {}).get("buckets", [])]
        # Ties are broken by name, so the same search always shows the same facets.
        buckets.sort(key=lambda kv: (-kv[1], kv[0]))
        out[name] = buckets[:NAMES_SHOWN] if name in NAME_FACETS else buckets
    out["date"].sort()
    return out


def add_filter(q: str, field: str, value: str) -> str:
    """The query narrowed by one facet value, as the analyst would type it."""
    quoted = f'"{value}"' if any(c.isspace() for c in value) else value
    clause = f"{field}:{quoted}"
    return q if clause in q else f"{q} {clause}".strip()
