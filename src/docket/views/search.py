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
    of the person it names follow the hits, ``match`` ``alias`` and ``via_alias`` saying
    through which link (``docket.views.aliases``)."""
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
    out = []
    for hit in hits:
        item = items.get(hit.id)
        if item is None:
            continue  # gone from the catalogue since the index was read
        segments = case.catalogue.segments(hit.id, snippet_chars)
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
    if offset == 0:  # the person's other documents when the query is a confirmed alias
        via = alias_hits(db, q, {h["id"] for h in out}, limit)
        out, total = out + via, total + len(via)
    return {"total": total, "hits": out}


def _segment_of(texts: list[str], offset: int) -> int:
    """Which of ``texts``, joined by newlines, holds ``offset``."""
    end = 0
    for i, text in enumerate(texts):
        end += len(text) + 1
        if offset < end:
            return i
    return len(texts) - 1


def facet_entities(case: Case, kind: str, values: list[str]) -> dict[str, dict[str, Any]]:
    """The resolved entity each name facet value (a mention's ``value``) belongs to:
    ``{value: {"id", "name"}}``; a spelling shared by two entities goes to the one more
    mentioned. Values resolution has not placed yet are left out."""
    out: dict[str, dict[str, Any]] = {}
    if not values:
        return out
    marks = ",".join("?" * len(values))
    sql = (
        "SELECT m.value, e.id, e.name, e.mentions FROM mentions m "
        "JOIN entity_members em ON em.member = 'mention:' || m.id "
        f"JOIN entities e ON e.id = em.entity_id WHERE m.kind = ? AND m.value IN ({marks}) "
        "GROUP BY m.value, e.id ORDER BY e.mentions DESC, e.id"
    )
    try:
        found = case.catalogue.db.execute(sql, (kind, *values)).fetchall()
    except Exception:  # entity tables not there yet: no grouping
        return out
    for value, eid, name, _n in found:
        out.setdefault(value, {"id": eid, "name": name})
    return out
