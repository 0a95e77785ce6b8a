"""The search API used by the CLI and the web desk."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import tantivy

from docket.case import Case
from docket.store.fulltext import build_schema
from docket.store.query import Builder, Terms, parse
from docket.views.aliases import alias_hits
from docket.views.snippets import best_window

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
    """``{"total", "hits": [{"id", "path", "type", "status", "score", "snippet", "match",
    "segment"}]}``; each snippet is the best window in the first ``snippet_chars`` of the
    item's text, and ``segment`` the segment (page, row, part) where it starts, if any.

    ``match`` is ``exact`` (the words as typed, after normalisation), ``stem`` (only a
    light stem matched) or ``cross-script`` (only the name in the other script matched);
    loose matches rank below exact ones. When ``q`` is a confirmed alias, the documents
    of the person it names that the query does not find itself follow all its hits,
    ``match`` ``alias`` and ``via_alias`` saying through which link
    (``docket.views.aliases``); ``total`` counts them, and they page like any hit."""
    query, terms = compile_query(q)
    total, hits = case.fulltext.search(query, limit=limit, offset=offset)
    db = case.catalogue.db
    marks = ",".join("?" * len(hits))
    items = {
        r["id"]: r
        for r in db.execute(
            f"SELECT id, path, type, status FROM items WHERE id IN ({marks})",
            [h.id for h in hits],
        )
    }
    texts_of = case.catalogue.segments_of(list(items), snippet_chars)
    out = []
    for hit in hits:
        item = items.get(hit.id)
        if item is None:
            continue  # gone from the catalogue since the index was read
        segments = texts_of[hit.id]
        texts = [s["text"] for s in segments]
        text = "\n".join(texts)
        best = best_window(text, terms) if text else None
        at = best.at if best else None
        out.append(
            {
                "id": item["id"],
                "path": json.loads(item["path"]) if item["path"] else [],
                "type": item["type"],
                "status": item["status"],
                "score": round(hit.score, 4),
                "snippet": best.html if best else "",
                "match": best.match if best else "exact",
                "segment": None if at is None else segments[_segment_of(texts, at)]["seq"],
            }
        )
    # The person's other documents when the query is a confirmed alias: listed after
    # every hit of the query itself, paged with them (``total`` counts both).
    via = _not_found(case, query, alias_hits(db, q))
    if via:
        start = max(0, offset - total)
        out += via[start : max(start, offset + limit - total)]
        total += len(via)
    return {"total": total, "hits": out}


def _not_found(case: Case, query: tantivy.Query, via: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents of ``via`` that ``query`` does not find itself (those it finds are
    among its own hits, on whichever page)."""
    if not via:
        return via
    ids = [v["id"] for v in via]
    among = tantivy.Query.term_set_query(build_schema(), "id", ids)
    both = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, among)])
    _, found = case.fulltext.search(both, limit=len(ids))
    matched = {h.id for h in found}
    return [v for v in via if v["id"] not in matched]


def _segment_of(texts: list[str], offset: int) -> int:
    """Which of ``texts``, joined by newlines, holds ``offset``."""
    end = 0
    for i, text in enumerate(texts):
        end += len(text) + 1
        if offset < end:
            return i
    return len(texts) - 1


def facet_entities(
    case: Case, kind: str, values: list[str], owners: Spellings | None = None
) -> dict[str, dict[str, Any]]:
    """The resolved entity each name facet value (a mention's ``value``) belongs to:
    ``{value: {"id", "name"}}``; a spelling shared by two entities goes to the one more
    mentioned. Values resolution has not placed yet are left out. ``owners``: the case's
    ``spelling_owners``, when the caller keeps them; without, read for ``values`` only."""
    out: dict[str, dict[str, Any]] = {}
    if not values:
        return out
    db = case.catalogue.db
    if owners is not None:
        ids = {v: owners[kind][v] for v in values if v in owners.get(kind, {})}
        names = dict(
            db.execute(
                "SELECT id, name FROM entities WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(set(ids.values()))),),
            ).fetchall()
        )
        return {v: {"id": e, "name": names[e]} for v, e in ids.items() if e in names}
    marks = ",".join("?" * len(values))
    sql = (
        "SELECT m.value, e.id, e.name, e.mentions FROM mentions m "
        "JOIN entity_members em ON em.member = 'mention:' || m.id "
        f"JOIN entities e ON e.id = em.entity_id WHERE m.kind = ? AND m.value IN ({marks}) "
        "GROUP BY m.value, e.id ORDER BY e.mentions DESC, e.id"
    )
    try:
        found = db.execute(sql, (kind, *values)).fetchall()
    except Exception:  # entity tables not there yet: no grouping
        return out
    for value, eid, name, _n in found:
        out.setdefault(value, {"id": eid, "name": name})
    return out


# ``{kind: {value: entity id}}``: the entity that owns each spelling of a resolved mention
Spellings = dict[str, dict[str, str]]


def spelling_owners(case: Case) -> Spellings:
    """The owner of every spelling resolution placed (as ``facet_entities`` picks it),
    over the whole case in one pass, about half a second per million resolved mentions:
    what a caller keeps until the case changes, after which each search's name facets
    cost a dictionary lookup, not a walk over every mention of its top names."""
    db = case.catalogue.db
    try:
        ranks = {e: (-n, e) for e, n in db.execute("SELECT id, mentions FROM entities").fetchall()}
        found = db.execute(
            "SELECT DISTINCT em.entity_id, m.kind, m.value FROM entity_members em "
            "CROSS JOIN mentions m ON m.id = CAST(substr(em.member, 9) AS INTEGER) "
            "WHERE em.member >= 'mention:' AND em.member < 'mention;'"
        ).fetchall()
    except Exception:  # entity tables not there yet: no grouping
        return {}
    out: Spellings = {}
    for eid, kind, value in found:
        if eid not in ranks:
            continue  # a membership left by an entity since removed
        held = out.setdefault(kind, {})
        if value not in held or ranks[eid] < ranks[held[value]]:
            held[value] = eid
    return out
