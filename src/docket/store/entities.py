"""The tables name resolution (``docket.resolve``) writes: entities, their members, the
analyst's decisions, and the links derived from them (``links``). Mixed into
``Catalogue``, whose connection and transactions these use."""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from typing import TYPE_CHECKING, Any

from docket.store import links, migrations

# The columns of ``resolution_rows``' mentions, in order (``text``: the value where the
# text is empty).
MENTION_COLUMNS = ("id", "item_id", "segment", "start", "kind", "text", "attrs", "rowid")


class EntityTables:
    db: sqlite3.Connection

    if TYPE_CHECKING:  # the catalogue's own

        def begin(self) -> None: ...
        def commit(self) -> None: ...
        def rollback(self) -> None: ...

    def resolution_rows(self) -> dict[str, list[Any]]:
        """Every name resolution reads: person/org/place mentions, person and payment
        records (``fields`` decoded), correspondence and payment relations, each with its
        item's rowid. Records and relations are dicts; mentions, a hundred thousand on a
        case of a few thousand documents, are the rows as read (by position, in the
        order of ``MENTION_COLUMNS``, or by name), in item order."""
        db = self.db
        return {
            # Items first, each one's mentions through their index: in item order already,
            # half the time of reading the mentions by kind and sorting them all.
            "mentions": db.execute(
                "SELECT m.id, m.item_id, m.segment, m.start, m.kind, "
                "coalesce(nullif(m.text, ''), m.value, '') AS text, m.attrs, i.rowid "
                "FROM items i CROSS JOIN mentions m ON m.item_id = i.id "
                "WHERE m.kind IN ('person', 'org', 'place') ORDER BY i.rowid, m.segment, m.start, m.id"
            ).fetchall(),
            "records": [{**dict(r), "fields": json.loads(r["fields"])} for r in db.execute(
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
            # The index on ``member`` built once, after the rows, not row by row (a third
            # of the cost of writing a case's hundred thousand memberships).
            self.db.execute("DROP INDEX IF EXISTS entity_members_member")
            self.db.executemany(
                "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (e["id"], e["type"], e["name"], json.dumps(e["variants"], ensure_ascii=False),
                     e["mentions"], json.dumps(e["explain"], ensure_ascii=False))
                    for e in entities
                ],
            )  # fmt: skip
            self.db.executemany("INSERT OR IGNORE INTO entity_members VALUES (?, ?)", members)
            self.db.execute(_member_index())
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


@cache
def _member_index() -> str:
    """``entity_members``' index on ``member``, as ``schema.sql`` declares it."""
    return next(
        line.rstrip(";")
        for line in migrations.schema_sql().splitlines()
        if line.startswith("CREATE INDEX IF NOT EXISTS entity_members_member ")
    )


def _decode_entity(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["variants"] = json.loads(out["variants"] or "[]")
    out["explain"] = json.loads(out["explain"]) if out["explain"] else {}
    return out
