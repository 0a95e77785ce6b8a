"""Redaction marks and the names kept public (``docket redact``, ``docket publish``).
Mixed into ``Catalogue``, whose connection and transactions these use.

A mark is a text span (``segment``, ``start``, ``end`` in the item's segments) or a region
(``page`` and ``box``: fractions of the page image, so a box drawn at one resolution burns
in at another). Suggestions are idempotent: suggesting again adds only what is new and never
reopens a mark the analyst decided."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

MARK_STATES = ("proposed", "accepted", "rejected")
_COLUMNS = (
    "item_id", "kind", "segment", "start", "end", "page", "box", "text", "entity_id",
    "reason", "origin", "state", "time",
)  # fmt: skip
_QUOTED = ", ".join(f'"{c}"' for c in _COLUMNS)


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["box"] = json.loads(out["box"]) if out.get("box") else None
    return out


class MarkTables:
    db: sqlite3.Connection

    def add_marks(self, marks: Iterable[dict[str, Any]]) -> list[int]:
        """Add marks not already there (same item, kind, place); returns the new ids."""
        added = []
        for m in marks:
            box = json.dumps([round(float(v), 4) for v in m["box"]]) if m.get("box") else None
            same = self.db.execute(
                'SELECT id FROM marks WHERE item_id = ? AND kind = ? AND segment IS ? '
                'AND start IS ? AND "end" IS ? AND page IS ? AND box IS ?',
                (m["item_id"], m["kind"], m.get("segment"), m.get("start"), m.get("end"),
                 m.get("page"), box),
            ).fetchone()  # fmt: skip
            if same:
                continue
            row = {**{c: m.get(c) for c in _COLUMNS}, "box": box}
            row["state"] = m.get("state") or "proposed"
            cur = self.db.execute(
                f"INSERT INTO marks ({_QUOTED}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                [row[c] for c in _COLUMNS],
            )
            added.append(int(cur.lastrowid or 0))
        return added

    def marks(
        self,
        item_id: str | None = None,
        states: Sequence[str] = MARK_STATES,
        ids: Iterable[int] | None = None,
    ) -> list[dict[str, Any]]:
        sql = f"SELECT * FROM marks WHERE state IN ({', '.join('?' * len(states))})"
        params: list[Any] = list(states)
        if item_id is not None:
            sql += " AND item_id = ?"
            params.append(item_id)
        if ids is not None:
            wanted = list(ids)
            sql += f" AND id IN ({', '.join('?' * len(wanted))})"
            params += wanted
        rows = self.db.execute(sql + " ORDER BY item_id, page, segment, start, id", params)
        return [_decode(r) for r in rows]

    def decide_marks(self, ids: Iterable[int], state: str, reviewer: str, time: str) -> int:
        """Accept or reject marks; returns how many changed."""
        if state not in MARK_STATES:
            raise ValueError(f"unknown mark state {state!r}")
        n = 0
        for i in ids:
            cur = self.db.execute(
                "UPDATE marks SET state = ?, reviewer = ?, decided = ? WHERE id = ? AND state != ?",
                (state, reviewer, time, i, state),
            )
            n += cur.rowcount
        return n

    def set_public(self, names: Iterable[str], entity_id: str | None, actor: str, time: str,
                   reason: str | None, public: bool = True) -> None:  # fmt: skip
        for name in names:
            if public:
                self.db.execute(
                    "INSERT OR REPLACE INTO public_names VALUES (?, ?, ?, ?, ?)",
                    (name, entity_id, time, actor, reason),
                )
            else:
                self.db.execute("DELETE FROM public_names WHERE name = ?", (name,))

    def public_names(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT name FROM public_names")}
