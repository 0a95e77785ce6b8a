"""Read-only queries the desk needs beyond ``docket.store``: entities, mentions, signals,
failures, custody (a person, a network and a timeline are ``docket.views``).
Other stages fill these tables at their own pace, so every query here tolerates an empty
table and returns an empty list, never an error.
"""

from __future__ import annotations

from typing import Any

from docket.case import Case
from docket.model.refs import MemberRef
from docket.views.findings import signals
from docket.views.rows import loads
from docket.views.rows import rows as read_rows

ENTITY_KINDS = ("person", "org", "place")


def _rows(case: Case, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
    return read_rows(case.catalogue.db, sql, params)


# -- entities -------------------------------------------------------------------------
def entity(case: Case, entity_id: str) -> dict[str, Any] | None:
    rows = _rows(case, "SELECT * FROM entities WHERE id = ?", (entity_id,))
    if not rows:
        return None
    e = rows[0]
    e["variants"] = loads(e["variants"], [])
    e["explain"] = loads(e.get("explain"), None)
    return e


def entities(
    case: Case, kind: str | None = None, limit: int = 200, offset: int = 0
) -> list[dict[str, Any]]:
    where, params = ("WHERE type = ?", (kind, limit, offset)) if kind else ("", (limit, offset))
    rows = _rows(
        case,
        f"SELECT id, type, name, variants, mentions FROM entities {where} "
        "ORDER BY mentions DESC, name, id LIMIT ? OFFSET ?",
        params,
    )
    for r in rows:
        r["variants"] = loads(r["variants"], [])
    return rows


def count_entities(case: Case, kind: str | None = None) -> int:
    where, params = ("WHERE type = ?", (kind,)) if kind else ("", ())
    found = _rows(case, f"SELECT count(*) AS n FROM entities {where}", params)
    return int(found[0]["n"]) if found else 0


def mention_entities(case: Case, mention_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Entity of each mention that resolution joined to one: ``{mention id: entity}``."""
    out: dict[int, dict[str, Any]] = {}
    for chunk in range(0, len(mention_ids), 500):
        ids = mention_ids[chunk : chunk + 500]
        members = [str(MemberRef("mention", i)) for i in ids]
        marks = ",".join("?" * len(members))
        for r in _rows(
            case,
            "SELECT m.member, e.id, e.type, e.name FROM entity_members m "
            f"JOIN entities e ON e.id = m.entity_id WHERE m.member IN ({marks})",
            members,
        ):
            out[MemberRef.parse(r["member"]).id] = {
                "id": r["id"],
                "type": r["type"],
                "name": r["name"],
            }
    return out


# -- signals, duplicates, names -------------------------------------------------------
DUPLICATES_SHOWN = 100  # an item's other copies listed on its page; all are counted


def exact_duplicates(
    case: Case, item_id: str, sha256: str | None
) -> tuple[list[dict[str, Any]], int]:
    """The item's first ``DUPLICATES_SHOWN`` other copies (same SHA-256), in processing
    order, and how many there are (a logo attached to thousands of e-mails has thousands)."""
    if not sha256:
        return [], 0
    rows = _rows(
        case,
        "SELECT id, path FROM items WHERE sha256 = ? AND id != ? ORDER BY rowid LIMIT ?",
        (sha256, item_id, DUPLICATES_SHOWN),
    )
    for r in rows:
        r["path"] = loads(r["path"], [])
    if len(rows) < DUPLICATES_SHOWN:
        return rows, len(rows)
    total = case.catalogue.db.execute(
        "SELECT count(*) FROM items WHERE sha256 = ? AND id != ?", (sha256, item_id)
    ).fetchone()[0]
    return rows, int(total)


def near_duplicates(case: Case, item_id: str) -> list[dict[str, Any]]:
    """Near-duplicates recorded by the authenticity stage as signals citing another item."""
    out = []
    for s in signals(case, item_id):
        ev = s["evidence"] if isinstance(s["evidence"], dict) else {}
        other = ev.get("item") or ev.get("other") or ev.get("duplicate_of")
        if "near" in s["kind"] and isinstance(other, str):
            out.append({"id": other, "similarity": ev.get("similarity"), "detail": s["detail"]})
    return out


# -- failures ------------------------------------------------------------------------
def failures(case: Case) -> dict[str, list[dict[str, Any]]]:
    """Every item that is not ok, grouped by reason code."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in _rows(
        case,
        "SELECT id, path, status, code, message, type FROM items "
        "WHERE status != 'ok' ORDER BY code, rowid",
    ):
        r["path"] = loads(r["path"], [])
        groups.setdefault(r["code"] or r["status"], []).append(r)
    return groups


def lineage(case: Case, item_id: str) -> list[dict[str, Any]]:
    """The item's containers, outermost first, then the item."""
    chain, current, seen = [], item_id, set()
    while current and current not in seen:
        seen.add(current)
        rows = _rows(case, "SELECT id, name, parent_id FROM items WHERE id = ?", (current,))
        if not rows:
            break
        chain.append(rows[0])
        current = rows[0]["parent_id"]
    return list(reversed(chain))
