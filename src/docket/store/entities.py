"""The tables name resolution (``docket.resolve``) writes: entities, their members, the
analyst's decisions, and the links derived from them (``links``). Mixed into
``Catalogue``, whose connection and transactions these use."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from docket.store import links


class EntityTables:
    db: sqlite3.Connection

    if TYPE_CHECKING:  # the catalogue's own

        def begin(self) -> None: ...
        def commit(self) -> None: ...
        def rollback(self) -> None: ...

    def resolution_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Every name resolution reads: person/org/place mentions, person and payment
        records, correspondence and payment relations, each with its item's rowid."""
        db = self.db
        return {
            "mentions": [dict(r) for r in db.execute(
                "SELECT m.id, m.item_id, m.segment, m.start, m.kind, m.text, m.value, m.attrs, "
                "i.rowid FROM mentions m JOIN items i ON i.id = m.item_id "
                "WHERE m.kind IN ('person', 'org', 'place') ORDER BY i.rowid, m.segment, m.start"
            )],
            "records": [dict(r) for r in db.execute(
                "SELECT r.id, r.item_id, r.sheet, r.row, r.kind, r.fields, i.rowid FROM records r "
                "JOIN items i ON i.id = r.item_id WHERE r.kind IN ('person', 'org', 'place', 'payment') "
                "ORDER BY i.rowid, r.row"
            )],
            "relations": [dict(r) for r in db.execute(
                "SELECT x.id, x.item_id, x.kind, x.source, x.target, x.date, x.attrs, i.rowid "
                "FROM relations x JOIN items i ON i.id = x.item_id "
                "WHERE x.kind IN ('correspondence', 'payment') ORDER BY i.rowid, x.id"
            )],
        }  # fmt: skip

    def replace_entities(
        self,
        entities: list[dict[str, Any]],
        members: list[tuple[str, str]],
        items: dict[str, Any] | None = None,
    ) -> None:
        """Replace every entity and membership in one transaction, with the links
        derived from them (``docket.store.links``; ``items``, the item of each mention
        ref, saves reading the mentions back)."""
        self.begin()
        try:
            self.db.execute("DELETE FROM entities")
            self.db.execute("DELETE FROM entity_members")
            self.db.executemany(
                "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (e["id"], e["type"], e["name"], json.dumps(e["variants"], ensure_ascii=False),
                     e["mentions"], json.dumps(e["explain"], ensure_ascii=False))
                    for e in entities
                ],
            )  # fmt: skip
            self.db.executemany("INSERT OR IGNORE INTO entity_members VALUES (?, ?)", members)
            links.rebuild(self.db, entities=entities, items=items)
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def add_decision(self, time: str, kind: str, payload: dict[str, Any], actor: str) -> int:
        cur = self.db.execute(
            "INSERT INTO decisions (time, kind, payload, actor) VALUES (?, ?, ?, ?)",
            (time, kind, json.dumps(payload, ensure_ascii=False), actor),
        )
        return int(cur.lastrowid or 0)

    def decisions(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM decisions ORDER BY time, id")
        return [{**dict(r), "payload": json.loads(r["payload"])} for r in rows]

    def entities(self, type_: str | None = None) -> list[dict[str, Any]]:
        """Entities, most-mentioned first; ``variants`` and ``explain`` decoded."""
        sql = "SELECT * FROM entities" + (" WHERE type = ?" if type_ else "")
        rows = self.db.execute(sql + " ORDER BY mentions DESC, name", (type_,) if type_ else ())
        return [_decode_entity(r) for r in rows]

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
        return _decode_entity(row) if row else None

    def find_entities(self, prefix: str) -> list[str]:
        rows = self.db.execute(
            "SELECT id FROM entities WHERE id >= ? AND id < ? LIMIT 3", (prefix, prefix + "\uffff")
        )
        return [r[0] for r in rows]

    def entity_members(self, entity_id: str | None = None) -> list[tuple[str, str]]:
        """(entity id, member ref) pairs, of one entity or of all."""
        if entity_id is None:
            rows = self.db.execute("SELECT entity_id, member FROM entity_members")
        else:
            rows = self.db.execute(
                "SELECT entity_id, member FROM entity_members WHERE entity_id = ?", (entity_id,)
            )
        return [(r[0], r[1]) for r in rows]


def _decode_entity(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["variants"] = json.loads(out["variants"] or "[]")
    out["explain"] = json.loads(out["explain"]) if out["explain"] else {}
    return out
