"""Links between entities, derived from the catalogue and kept in it (``entity_links``):
today, people and organisations named in the same item (co-occurrence), counted over
every item of the case.

Counting those pairs is the costly part of the desk's network: millions of pairs on a
100,000-item case, too slow to count per page. So they are counted once, with numpy,
whenever resolution writes ``entity_members`` (``Catalogue.replace_entities`` calls
``rebuild`` in its transaction), and read with SQL after. The table holds nothing that
``entity_members`` and ``mentions`` do not, so it is rebuilt, never migrated: a
catalogue from an older Docket, or one whose memberships were written by hand, gets it
on first need (``ensure``), which compares the membership count it was built from
(meta ``entity_links``) with the current one.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Hashable, Iterable
from importlib.resources import files
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is imported when links are counted, not with the catalogue
    import numpy as np

KIND = "cooccurrence"
NODE_TYPES = ("person", "org")
# An item naming more entities (a roster) adds the pairs of its first 30 only, by entity
# id: a 500-name sheet would otherwise add 125,000 pairs and drown every letter.
MAX_PER_ITEM = 30
_BATCH = 20_000_000  # pair codes held before folding them (160 MB)
BUILT = "entity_links_built"  # meta key: a new random token at each rebuild
STAMP = "entity_links"  # meta key: "<entity_members count>:<entities count>" built from

# Each entity's items, through its mentions (person and organisation entities only).
_ENTITY_ITEMS = (
    "SELECT m.item_id, e.id FROM entities e "
    "CROSS JOIN entity_members em ON em.entity_id = e.id "
    "AND em.member >= 'mention:' AND em.member < 'mention;' "
    "CROSS JOIN mentions m ON m.id = CAST(substr(em.member, 9) AS INTEGER) "
    f"WHERE e.type IN {NODE_TYPES}"
)


def count_pairs(
    items_of: dict[str, list[Hashable]], cap: int = MAX_PER_ITEM
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Co-occurrence from each entity's items (any keys: item ids or rowids, repeats
    allowed): the entity ids sorted, then index arrays ``a < b`` into them and the number
    of items naming both."""
    import numpy as np

    order = sorted(items_of)
    n = max(1, len(order))
    flat = [k for e in order for k in items_of[e]]
    ent = np.repeat(np.arange(len(order), dtype=np.int64), [len(items_of[e]) for e in order])
    if set(map(type, flat)) <= {int}:
        item = np.array(flat, dtype=np.int64)
        item = np.searchsorted(_fold(item)[0], item)  # 0, 1, 2…: no overflow below
    else:
        codes: dict[Hashable, int] = {}
        item = np.fromiter((codes.setdefault(k, len(codes)) for k in flat), np.int64, len(flat))
    item_ent, _ = _fold(item * n + ent)
    item, ent = item_ent // n, item_ent % n  # sorted by item, then entity
    starts = np.flatnonzero(np.r_[True, item[1:] != item[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(item)]))
    keep = np.arange(len(item)) - first < cap
    item, ent = item[keep], ent[keep]
    keys, counts = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    pending: list[np.ndarray] = []
    for d in range(1, cap):  # each entity with the one d places after it in its item
        same = item[:-d] == item[d:]
        if not same.any():
            break
        pending.append(ent[:-d][same] * n + ent[d:][same])
        if sum(map(len, pending)) > _BATCH:  # hold distinct pairs, not every item's pairs
            k, c = _fold(np.concatenate(pending))
            keys.append(k)
            counts.append(c)
            pending.clear()
    if len(keys) == 1:  # the usual case: one sort of every pair
        key, weight = _fold(np.concatenate(pending or keys))
    else:
        k, c = _fold(np.concatenate(pending or keys[:1]))
        key, weight = _fold(np.concatenate([*keys, k]), np.concatenate([*counts, c]))
    return order, key // n, key % n, weight


def _fold(keys: np.ndarray, counts: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys, sorted, with their summed counts (each key once without ``counts``).
    A sort, not ``np.unique``, whose hashing path in numpy 2.4 is a hundred times slower
    on a million integers."""
    import numpy as np

    if counts is None:
        keys = np.sort(keys)
    else:
        order = np.argsort(keys)
        keys, counts = keys[order], counts[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys
    if counts is None:
        return keys[starts], np.diff(np.r_[starts, len(keys)])
    return keys[starts], np.add.reduceat(counts, starts) if len(keys) else counts


def stamp(db: sqlite3.Connection) -> str:
    """What the links were built from: a count change means memberships were rewritten
    without them (a resolution run always rebuilds them in the same transaction)."""
    members = db.execute("SELECT count(*) FROM entity_members").fetchone()[0]
    entities = db.execute("SELECT count(*) FROM entities").fetchone()[0]
    return f"{members}:{entities}"


def rebuild(
    db: sqlite3.Connection,
    schema: str = "main",
    entities: Iterable[dict[str, Any]] | None = None,
    items: dict[str, Hashable] | None = None,
) -> int:
    """Count co-occurrence over every item and replace the table's rows; returns the
    number of links. Run inside the caller's transaction. Resolution passes what it holds
    (``entities`` with their ``members`` refs; ``items``: the item of each mention ref, an
    id or a rowid), which saves reading every mention back; without them, read here."""
    table, index = _ddl(schema)
    db.execute(table)  # a catalogue from before the table
    items_of: dict[str, list[Hashable]] = {}
    if entities is None or items is None:
        for e in db.execute(f"SELECT id FROM entities WHERE type IN {NODE_TYPES}"):
            items_of[e[0]] = []
        for item, entity in db.execute(_ENTITY_ITEMS):
            items_of[entity].append(item)
    else:
        for e in entities:
            if e["type"] in NODE_TYPES:
                found = map(items.get, e["members"])  # mention refs only have an item here
                items_of[e["id"]] = [k for k in found if k is not None]
    order, a, b, weight = count_pairs(items_of)
    db.execute(f"DELETE FROM {schema}.entity_links")
    # Rows arrive in key order; the second index is cheaper built once, after them.
    db.execute(f"DROP INDEX IF EXISTS {schema}.entity_links_b")
    db.executemany(
        f"INSERT INTO {schema}.entity_links (a, b, kind, weight) VALUES (?, ?, '{KIND}', ?)",
        zip(
            [order[i] for i in a.tolist()],
            [order[i] for i in b.tolist()],
            weight.tolist(),
            strict=True,
        ),
    )
    db.execute(index)
    if schema == "main":
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (STAMP, stamp(db)))
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (BUILT, uuid.uuid4().hex))
    return len(weight)


def built(db: sqlite3.Connection) -> str | None:
    """A token that changes each time the links are rebuilt (None before any, or for a
    read-only catalogue's temporary links): what readers may key a copy on."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (BUILT,)).fetchone()
    return str(row[0]) if row else None


def ensure(db: sqlite3.Connection) -> None:
    """Build the links when the catalogue has none or they are out of step with
    ``entity_members``; in a catalogue opened read-only, into a temporary table that
    lives as long as the connection."""
    try:
        if _fresh(db):
            return
        if db.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'entity_links'").fetchone():
            return  # built for this read-only connection already
    except sqlite3.OperationalError:
        return  # no entity tables yet: nothing to link
    for schema in ("main", "temp"):
        db.execute("BEGIN IMMEDIATE" if schema == "main" else "BEGIN")
        try:
            if schema == "temp" or not _fresh(db):  # another process may have, meanwhile
                rebuild(db, schema)
            db.execute("COMMIT")
            return
        except sqlite3.OperationalError as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if schema == "temp" or "readonly" not in str(exc):
                raise
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def _fresh(db: sqlite3.Connection) -> bool:
    built = db.execute("SELECT value FROM meta WHERE key = ?", (STAMP,)).fetchone()
    return bool(built) and built[0] == stamp(db)


def _ddl(schema: str) -> list[str]:
    """The table and its index as ``schema.sql`` declares them (one source), for
    ``schema`` ("main" or "temp")."""
    text = files("docket.store").joinpath("schema.sql").read_text()
    out = []
    for statement in text.split(";"):
        body = "\n".join(
            line.split("--")[0] for line in statement.splitlines() if line.split("--")[0].strip()
        )
        if "entity_links" in body.split("(")[0]:
            out.append(body)
    table, index = out
    if schema == "temp":
        table = table.replace("CREATE TABLE", "CREATE TEMP TABLE")
    index = index.replace("EXISTS entity_links_b", f"EXISTS {schema}.entity_links_b")
    return [table, index]
