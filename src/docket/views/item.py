"""One item in full, for ``docket show`` and the web desk: where it came from, its
hashes, metadata and text, what the enrichers found in it (``mentions``) and the
resolved entities those findings belong to (``entities``)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from docket.case import Case
from docket.model.refs import KINDS, ROLES, TABLES, MemberRef
from docket.views.rows import rows

SHOW_TEXT_CHARS = 2_000_000
# An item can hold hundreds of thousands of mentions (a long ledger); ``show`` lists the
# first this many, in text order, and says how many there are.
SHOW_MENTIONS = 50_000


def item_detail(case: Case, item_id: str) -> dict[str, Any]:
    cat = case.catalogue
    item = cat.item(item_id)
    if item is None:
        raise KeyError(item_id)
    segments = cat.segments(item_id, SHOW_TEXT_CHARS)
    found = mentions(cat.db, item_id, {s["seq"]: s["start"] for s in segments})
    return {
        "id": item["id"],
        "path": item["path"],
        "sha256": item["sha256"],
        "md5": item["md5"],
        "sha1": item["sha1"],
        "size": item["size"],
        "type": item["type"],
        "mime": item["mime"],
        "status": item["status"],
        "code": item["code"],
        "message": item["message"],
        "parent_id": item["parent_id"],
        "duplicate_of": item["duplicate_of"],
        "deleted": item["deleted"],
        "extension_mismatch": item["ext_mismatch"],
        "fs": item["fs"] or {},
        "metadata": item["metadata"] or {},
        "warnings": cat.warnings(item_id),
        "children": [c["id"] for c in cat.children(item_id)],
        "segments": [
            {k: s[k] for k in ("start", "page", "sheet", "row", "part") if s[k] is not None}
            for s in segments
        ],
        "text": "\n".join(s["text"] for s in segments),
        "mentions": found,
        "mention_count": _count(cat.db, item_id, len(found)),
        "entities": entities(cat.db, item_id),
    }


def mentions(db: sqlite3.Connection, item_id: str, starts: dict[int, int]) -> list[dict[str, Any]]:
    """The item's mentions in text order: ``kind``, ``text`` as written, the normalised
    ``value``, the ``segment`` (its number) with ``start``/``end`` inside it and
    ``text_start``/``text_end`` inside the item's ``text``, how it was found (``method``,
    ``enricher``), its ``attrs`` and the ``entity`` it was resolved to (or null)."""
    found = rows(
        db,
        'SELECT m.id, m.kind, m.text, m.value, m.segment, m.start, m."end", m.method, '
        "m.enricher, m.attrs, em.entity_id AS entity FROM mentions m "
        "LEFT JOIN entity_members em ON em.member = 'mention:' || m.id "
        "WHERE m.item_id = ? ORDER BY m.segment, m.start, m.id LIMIT ?",
        (item_id, SHOW_MENTIONS),
    )
    out: dict[int, dict[str, Any]] = {}
    for m in found:
        if m["id"] in out:  # a mention is in one entity; never list it twice
            continue
        m["attrs"] = json.loads(m["attrs"]) if m["attrs"] else {}
        base = starts.get(m["segment"])
        m["text_start"] = None if base is None else base + m["start"]
        m["text_end"] = None if base is None else base + m["end"]
        out[m["id"]] = m
    return list(out.values())


def _count(db: sqlite3.Connection, item_id: str, listed: int) -> int:
    if listed < SHOW_MENTIONS:
        return listed
    got = rows(db, "SELECT count(*) AS n FROM mentions WHERE item_id = ?", (item_id,))
    return int(got[0]["n"]) if got else listed


def entities(db: sqlite3.Connection, item_id: str) -> list[dict[str, Any]]:
    """The resolved entities this item's mentions, table records and correspondence belong
    to: ``id``, ``type``, ``name`` and how many of the item's ``members`` each has."""
    refs: list[str] = []
    for kind in KINDS:
        for r in rows(db, f"SELECT id FROM {TABLES[kind]} WHERE item_id = ?", (item_id,)):
            refs += [str(MemberRef(kind, r["id"], role)) for role in ROLES[kind]]
    if not refs:
        return []
    return rows(
        db,
        "SELECT e.id, e.type, e.name, count(*) AS members FROM entity_members em "
        "JOIN entities e ON e.id = em.entity_id "
        "WHERE em.member IN (SELECT value FROM json_each(?)) "
        "GROUP BY e.id ORDER BY members DESC, e.name",
        (json.dumps(refs),),
    )
