"""Facet counts for a search's whole hit set, in one pass.

Every facet is a tantivy terms aggregation over fast fields (``docket.store.fulltext``),
run in Rust over all the hits with the query itself: the keywords (type, language,
status, deleted, duplicate), the year of each date, and the people, organisations and
places by their normalised names. Counts are of items: an item that names a person ten
times counts once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docket.case import Case
from docket.store.fulltext import FAST_FIELDS, NAME_FACETS
from docket.views.search import Spellings, compile_query, facet_entities, spelling_owners

if TYPE_CHECKING:
    from docket.serve.app import Desk

NAMES_SHOWN = 8  # per kind of name: resolved entities, each with its spellings beneath
NAMES_ASKED = 40  # spellings counted to find them: a name may have several in the top
# Each index segment proposes its own top names and the proposals are summed, as in any
# sharded terms count; asking each segment for many more than are shown keeps the top
# counts exact on any realistic case.
SEGMENT_NAMES = 500


def desk_facets(desk: Desk, case: Case, q: str) -> dict[str, Any]:
    """``facets`` as the desk serves them: kept until the case changes, with the owners of
    every spelling read once for all searches (not per search, over every mention of its
    top names: a second on a 100,000-item case)."""

    def owners() -> Spellings:
        return desk.reading(("spelling-owners",), lambda: spelling_owners(case))

    return desk.cached(("facets", q), lambda: facets(case, q, owners()))


def facets(case: Case, q: str, owners: Spellings | None = None) -> dict[str, Any]:
    """``{"type": [(value, n)], …, "date": [(year, n)], "person": [(name, n)], …,
    "entities": {"person": [entry], …}}``: names as spellings, and as resolved entities
    with their spellings beneath (``resolved``: what the search page shows). ``owners``:
    the case's ``views.search.spelling_owners``, when the caller keeps them."""
    query = compile_query(q)[0]
    agg: dict[str, Any] = {f: {"terms": {"field": f, "size": 1000}} for f in FAST_FIELDS}
    agg["date"] = {"terms": {"field": "year", "size": 10_000}}
    for kind, field in NAME_FACETS.items():
        agg[kind] = {"terms": {"field": field, "size": NAMES_ASKED, "segment_size": SEGMENT_NAMES}}
    case.fulltext.index.reload()
    counted = case.fulltext.index.searcher().aggregate(query, agg)
    out: dict[str, Any] = {"entities": {}}
    for name in agg:
        buckets = [(b["key"], b["doc_count"]) for b in counted.get(name, {}).get("buckets", [])]
        # Ties are broken by name, so the same search always shows the same facets.
        buckets.sort(key=lambda kv: (-kv[1], kv[0]))
        if name not in NAME_FACETS:
            out[name] = buckets
    out["date"].sort()
    for kind in NAME_FACETS:
        buckets = [(b["key"], b["doc_count"]) for b in counted.get(kind, {}).get("buckets", [])]
        buckets.sort(key=lambda kv: (-kv[1], kv[0]))
        out[kind] = buckets[:NAMES_SHOWN]  # spellings: what /api/search gives
        out["entities"][kind] = resolved(case, q, kind, buckets, owners)
    return out


def resolved(
    case: Case, q: str, kind: str, buckets: list[tuple[str, int]], owners: Spellings | None = None
) -> list[Any]:
    """Name facet entries, one per resolved entity with its spellings beneath (one per
    spelling for names not resolved yet): ``[(label, n, query, spellings, entity id)]``
    where ``spellings`` is ``[(value, n, query)]``. An entity's ``n`` counts items naming
    any of its spellings, each once (a second count, not a sum)."""
    by_value = facet_entities(case, kind, [v for v, _ in buckets], owners)
    groups: dict[str, list[tuple[str, int]]] = {}
    for value, n in buckets:
        key = by_value[value]["id"] if value in by_value else "value:" + value
        groups.setdefault(key, []).append((value, n))
    out: list[Any] = []
    for key, spellings in groups.items():
        if len(spellings) == 1:
            value, n = spellings[0]
            label = by_value[value]["name"] if value in by_value else value
            out.append(
                (label, n, add_filter(q, kind, value), [], by_value.get(value, {}).get("id"))
            )
            continue
        either = " OR ".join(f'{kind}:"{v}"' for v, _ in spellings)
        narrowed = f"{q} ({either})".strip()
        n = case.fulltext.search(compile_query(narrowed)[0], limit=1)[0]
        shown = [(v, c, add_filter(q, kind, v)) for v, c in spellings]
        out.append((by_value[spellings[0][0]]["name"], n, narrowed, shown, key))
    out.sort(key=lambda e: (-e[1], e[0]))
    return out[:NAMES_SHOWN]


def add_filter(q: str, field: str, value: str) -> str:
    """The query narrowed by one facet value, as the analyst would type it."""
    quoted = f'"{value}"' if any(c.isspace() for c in value) else value
    clause = f"{field}:{quoted}"
    return q if clause in q else f"{q} {clause}".strip()
