"""The catalogue read as plain rows, for the read models. Other stages fill their tables
at their own pace, so a table that is not there yet reads as empty, never as an error."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def rows(
    db: sqlite3.Connection, sql: str, params: tuple[Any, ...] | list[Any] = ()
) -> list[dict[str, Any]]:
    try:
        cur = db.execute(sql, params)
    except sqlite3.OperationalError:
        # A table another stage adds in a later schema: absent means empty.
        return []
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, r, strict=True)) for r in cur]


def loads(value: str | None, default: Any) -> Any:
    """A JSON column's value; ``default`` when empty or unreadable."""
    if not value:
        return default
    try:
        return json.loads(value)
    except ValueError:
        return default


def items_brief(db: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Id, path (a list), name and type of each of ``ids`` found."""
    out = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for r in rows(
            db,
            f"SELECT id, path, name, type FROM items WHERE id IN ({','.join('?' * len(part))})",
            part,
        ):
            r["path"] = loads(r["path"], [])
            out[r["id"]] = r
    return out
