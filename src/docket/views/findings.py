"""The findings read model: the analyst's findings, what they cite (items, entities) and
the case's authenticity signals, as the desk's findings and item pages, the JSON API and
the HTML report (``docket.export.report``) show them. Other stages fill these tables at
their own pace, so a table that is not there yet reads as empty, never as an error."""

from __future__ import annotations

from typing import Any

from docket.case import Case
from docket.views.rows import loads, rows


def findings(case: Case) -> list[dict[str, Any]]:
    """Every finding, oldest first, ``tags`` and ``cites`` parsed."""
    out = rows(case.catalogue.db, "SELECT * FROM findings ORDER BY id")
    for r in out:
        r["tags"] = loads(r["tags"], [])
        r["cites"] = loads(r["cites"], [])
    return out


def signals(case: Case, item_id: str | None = None) -> list[dict[str, Any]]:
    """Authenticity signals (of one item, or all), with the item's path."""
    sql = "SELECT s.*, i.path FROM signals s LEFT JOIN items i ON i.id = s.item_id"
    out = rows(
        case.catalogue.db,
        sql + (" WHERE s.item_id = ?" if item_id else "") + " ORDER BY s.id",
        (item_id,) if item_id else (),
    )
    for r in out:
        r["evidence"] = loads(r.get("evidence"), None)
        r["path"] = loads(r.get("path"), [])
    return out


def entity_names(case: Case, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Id, type and name of each of the entities ``ids`` found."""
    out = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for r in rows(
            case.catalogue.db,
            f"SELECT id, type, name FROM entities WHERE id IN ({','.join('?' * len(part))})",
            part,
        ):
            out[r["id"]] = r
    return out


def items_brief(case: Case, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Id, path (a list), name, type, SHA-256, size and status of each of ``ids`` found:
    what a citation shows of its source."""
    out = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for r in rows(
            case.catalogue.db,
            "SELECT id, path, name, type, sha256, size, status FROM items "
            f"WHERE id IN ({','.join('?' * len(part))})",
            part,
        ):
            r["path"] = loads(r["path"], [])
            out[r["id"]] = r
    return out
