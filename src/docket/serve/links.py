"""What the network page reads: correspondence and payment relations with their resolved
ends, and co-occurrence from ``entity_links`` (counted over every item when resolution
ran, see ``docket.index.links``), asked for in aggregate (degrees, neighbours, the links
among a few nodes) so that no page walks a million pairs in Python."""

from __future__ import annotations

import json
from typing import Any

from docket.case import Case
from docket.index import links as derived
from docket.serve.queries import _rows

KIND = derived.KIND
_MENTIONS = "em.member >= 'mention:' AND em.member < 'mention;'"  # a range on the index


def ensure(case: Case) -> None:
    """Build the co-occurrence links of a catalogue that has none or stale ones (an older
    Docket, memberships written by hand); once, then read."""
    derived.ensure(case.catalogue.db)


def relations(
    case: Case, kind: str | None = None, date_from: str = "", date_to: str = "", limit: int = 20_000
) -> list[dict[str, Any]]:
    """Relations with the entity each end was resolved to (``se``, ``te``; None when not)."""
    where: list[str] = ["1"]
    params: list[Any] = []
    if kind:
        where.append("r.kind = ?")
        params.append(kind)
    if date_from:
        where.append("r.date >= ?")
        params.append(date_from)
    if date_to:
        where.append("r.date <= ?")
        params.append(date_to + "\uffff")
    params.append(limit)
    return _rows(
        case,
        "SELECT r.id, r.item_id, r.kind, r.source, r.target, r.date, "
        "(SELECT entity_id FROM entity_members WHERE member = 'relation:' || r.id || ':source') AS se, "
        "(SELECT entity_id FROM entity_members WHERE member = 'relation:' || r.id || ':target') AS te "
        f"FROM relations r WHERE {' AND '.join(where)} LIMIT ?",
        params,
    )


def relations_of(case: Case, ends: list[str]) -> list[dict[str, Any]]:
    """Relations with an end resolved to one of the entities ``ends``, or written as one
    of the unresolved names (``name:…``) among them; same rows as ``relations``."""
    ids = [e for e in ends if not e.startswith("name:")]
    names = [e.removeprefix("name:") for e in ends if e.startswith("name:")]
    return _rows(
        case,
        "SELECT r.id, r.item_id, r.kind, r.source, r.target, r.date, "
        "(SELECT entity_id FROM entity_members WHERE member = 'relation:' || r.id || ':source') AS se, "
        "(SELECT entity_id FROM entity_members WHERE member = 'relation:' || r.id || ':target') AS te "
        "FROM relations r WHERE r.id IN (SELECT CAST(substr(member, 10) AS INTEGER) "
        "FROM entity_members WHERE entity_id IN (SELECT value FROM json_each(?)) "
        "AND member >= 'relation:' AND member < 'relation;') "
        "OR r.source IN (SELECT value FROM json_each(?)) "
        "OR r.target IN (SELECT value FROM json_each(?)) ORDER BY r.id",
        (json.dumps(ids), json.dumps(names), json.dumps(names)),
    )


def nodes(case: Case) -> set[str]:
    """Every entity co-occurrence can link (people and organisations)."""
    marks = ",".join("?" * len(derived.NODE_TYPES))
    sql = f"SELECT id FROM entities WHERE type IN ({marks})"
    return {r["id"] for r in _rows(case, sql, derived.NODE_TYPES)}


def degrees(case: Case, min_weight: int, among: set[str] | None = None) -> dict[str, int]:
    """Each entity's co-occurrence weight summed over its links of at least ``min_weight``
    (with ``among``, only links between two of those entities; entities left with none
    are left out)."""
    out: dict[str, int] = {}
    if among is None:
        for end in ("a", "b"):  # a streams in key order, b from its index
            for r in _link_sums(case, end, min_weight):
                out[r["id"]] = out.get(r["id"], 0) + r["w"]
        return out
    everyone = nodes(case)
    if len(among & everyone) * 2 <= len(everyone):
        # A small network: the links of its own entities.
        for end, other in (("a", "b"), ("b", "a")):
            for r in _link_sums(case, end, min_weight, (end, among), ("+" + other, among)):
                out[r["id"]] = out.get(r["id"], 0) + r["w"]
        return out
    # Nearly everyone (the ego network of a much-mentioned person): the whole case's sums
    # less the links to the few left outside.
    out = degrees(case, min_weight)
    outside = everyone - among
    for end, other in (("a", "b"), ("b", "a")):
        for r in _link_sums(case, other, min_weight, (end, outside)):
            if r["id"] in out:
                out[r["id"]] -= r["w"]
    return {n: w for n, w in out.items() if n in among and w > 0}


def _link_sums(
    case: Case, by: str, min_weight: int, *within: tuple[str, set[str]]
) -> list[dict[str, Any]]:
    """Summed weights grouped by one end (``a`` or ``b``), of the links whose named ends
    are in the given sets (an end written ``+a`` is checked, not looked up by index)."""
    where = "".join(f" AND {end} IN (SELECT value FROM json_each(?))" for end, _ in within)
    return _rows(
        case,
        f"SELECT {by} AS id, sum(weight) AS w FROM entity_links "
        f"WHERE kind = ? AND weight >= ?{where} GROUP BY {by}",
        [KIND, min_weight, *(json.dumps(sorted(ids)) for _, ids in within)],
    )


def neighbours(case: Case, ids: set[str], min_weight: int, seen: set[str]) -> set[str]:
    """Entities outside ``seen`` with a co-occurrence link of at least ``min_weight`` to one
    of ``ids``. A few ``ids``: their links. More (the first ring of a much-mentioned
    person is most of the case): each entity left, until its first link into them."""
    rest = nodes(case) - seen
    if not ids or not rest:
        return set()
    link = "FROM entity_links l WHERE l.kind = ?1 AND l.weight >= ?2"
    if len(ids) * 20 <= len(rest):
        sql = (
            f"SELECT l.b AS n {link} AND l.a IN (SELECT value FROM json_each(?3)) "
            f"UNION SELECT l.a {link} AND l.b IN (SELECT value FROM json_each(?3))"
        )
        params: tuple[Any, ...] = (KIND, min_weight, json.dumps(sorted(ids)))
    else:
        ring = "(SELECT j.value FROM json_each(?4) j)"
        sql = (
            "SELECT c.value AS n FROM json_each(?3) c "
            f"WHERE EXISTS (SELECT 1 {link} AND l.a = c.value AND +l.b IN {ring}) "
            f"OR EXISTS (SELECT 1 {link} AND l.b = c.value AND +l.a IN {ring})"
        )
        params = (KIND, min_weight, json.dumps(sorted(rest)), json.dumps(sorted(ids)))
    return {r["n"] for r in _rows(case, sql, params)} & rest


def among(case: Case, ids: set[str], min_weight: int) -> list[tuple[str, str, int]]:
    """Co-occurrence links of at least ``min_weight`` between two of ``ids`` (a few
    hundred nodes at most: the ones drawn)."""
    marks = json.dumps(sorted(ids))
    return [
        (r["a"], r["b"], r["weight"])
        for r in _rows(
            case,
            "SELECT a, b, weight FROM entity_links WHERE kind = ? AND weight >= ? "
            "AND a IN (SELECT value FROM json_each(?)) AND b IN (SELECT value FROM json_each(?))",
            (KIND, min_weight, marks, marks),
        )
    ]


def items_naming(case: Case, a: str, b: str) -> list[str]:
    """Items that mention both entities, in processing order: the evidence behind their
    co-occurrence link (two ranges of ``entity_members``, each mention to its item)."""
    per = (
        "SELECT m.item_id FROM entity_members em JOIN mentions m "
        f"ON m.id = CAST(substr(em.member, 9) AS INTEGER) WHERE em.entity_id = ? AND {_MENTIONS}"
    )
    return [
        r["id"]
        for r in _rows(
            case,
            f"SELECT i.id FROM items i WHERE i.id IN ({per} INTERSECT {per}) ORDER BY i.rowid",
            (a, b),
        )
    ]
