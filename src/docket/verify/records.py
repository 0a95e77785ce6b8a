"""What the custody log records about an item, computed one way when the item is written
and again when ``docket verify`` checks it, so the two can only differ if the catalogue
changed.

A record is a JSON object::

    {"id", "parent", "path", "sha256", "md5", "sha1", "size", "status", "text", "meta",
     "derived"}

``text`` is the SHA-256 of the item's segments in order, each serialised as one line of
compact JSON ``[seq, start, page, sheet, row, part, text]`` followed by ``\\n`` (no
segments: the SHA-256 of nothing). ``meta`` is the SHA-256 of the compact, key-sorted
JSON object of ``META_FIELDS`` as stored (JSON columns parsed first). ``derived`` is the
SHA-256 of the item's mentions, table records and relations (``DERIVED_SQL``), each one
line of compact JSON ``[tag, column…]`` in id order. Cases written
before these records logged ``[id, sha256, size, status]`` lists; ``normalise`` reads
both, and only the fields a record holds are checked.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

# Fields of a record compared with the catalogue, in the order they are reported.
FIELDS = ("parent", "path", "sha256", "md5", "sha1", "size", "status", "text", "meta", "derived")
# The item columns the ``meta`` hash covers: what search, the desk and exports show
# about an item besides its path, hashes and text.
META_FIELDS = (
    "type", "mime", "lang", "extractor", "code", "message", "deleted", "ext_mismatch",
    "fs", "metadata",
)  # fmt: skip
ITEM_SQL = (
    "SELECT id, parent_id, path, sha256, md5, sha1, size, status, "
    + ", ".join(META_FIELDS)
    + " FROM items"
)
SEGMENT_SQL = 'SELECT item_id, seq, start, page, sheet, "row", part, text FROM segments'
# What else the desk, search and exports show of an item, found in its text: mentions,
# table records and correspondence; each table's rows in id order (the order written).
DERIVED_SQL = (
    ("m", "mentions", 'SELECT item_id, segment, start, "end", kind, text, value, method, attrs '
     "FROM mentions"),
    ("r", "records", 'SELECT item_id, sheet, "row", kind, fields, method FROM records'),
    ("x", "relations", "SELECT item_id, kind, source, target, date, attrs, method FROM relations"),
)  # fmt: skip
_LEGACY = ("id", "sha256", "size", "status")  # what a record was before these objects
EMPTY_TEXT = hashlib.sha256(b"").hexdigest()


# json.dumps with these options, without building an encoder per call (the writer hashes
# every mention of every item it commits).
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _compact(value: Any) -> bytes:
    text = _ENCODE(value)
    return text.encode("utf-8", "surrogatepass")  # a name that was not UTF-8 still hashes


def segment_line(row: sqlite3.Row | tuple[Any, ...]) -> bytes:
    """One segment (``seq, start, page, sheet, row, part, text``) as hashed."""
    return _compact(list(row)) + b"\n"


def text_hash(segments: Iterable[sqlite3.Row | tuple[Any, ...]]) -> str:
    h = hashlib.sha256()
    for row in segments:
        h.update(segment_line(row))
    return h.hexdigest()


def _json_or_raw(value: Any) -> Any:
    """A JSON column parsed; a tampered value that is not JSON stays as written."""
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def meta_hash(values: dict[str, Any]) -> str:
    out: dict[str, Any] = {}
    for key in META_FIELDS:
        value = values.get(key)
        out[key] = _json_or_raw(value) if key in ("fs", "metadata") else value
    return hashlib.sha256(_compact(out)).hexdigest()


def derived_line(tag: str, row: sqlite3.Row | tuple[Any, ...]) -> bytes:
    """One mention (``m``), table record (``r``) or relation (``x``) as hashed, without
    its item id."""
    return _compact([tag, *tuple(row)[1:]]) + b"\n"


def from_row(row: sqlite3.Row | tuple[Any, ...], text: str, derived: str) -> dict[str, Any]:
    """The record of one ``ITEM_SQL`` row whose segments hash to ``text`` and whose
    mentions, records and relations to ``derived``."""
    values = dict(zip(("id", "parent_id", "path", "sha256", "md5", "sha1", "size", "status",
                       *META_FIELDS), tuple(row), strict=True))  # fmt: skip
    return {
        "id": values["id"],
        "parent": values["parent_id"],
        "path": _json_or_raw(values["path"]),
        "sha256": values["sha256"],
        "md5": values["md5"],
        "sha1": values["sha1"],
        "size": values["size"],
        "status": values["status"],
        "text": text,
        "meta": meta_hash(values),
        "derived": derived,
    }


# json.dumps of a list of rows with a separator JSON text never holds (a control
# character is escaped inside a string), for ``_lines``.
_ROWS = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=("\x1e", ":")).encode


def _lines(rows: list[tuple[Any, ...]]) -> bytes:
    """``b"".join(_compact(row) + b"\\n" for row in rows)`` for rows of plain values (a
    column's: no list or object in them), all encoded in one call (one encoder, not one
    per row: an item has a hundred mentions). In ``[row\\x1erow]`` a row's values are
    apart by ``\\x1e`` too, but only rows meet as ``]\\x1e[``: no value ends with ``]``
    or starts with ``[``."""
    if not rows:
        return b""
    text = _ROWS(rows)[1:-1].replace("]\x1e[", "]\n[").replace("\x1e", ",") + "\n"
    return text.encode("utf-8", "surrogatepass")


# The hashed lines of an item's segments and derived rows as its queries give them
# (``SEGMENT_SQL`` without the item id; ``DERIVED_SQL`` with its tag in place of it).
_ITEM_SEGMENTS = SEGMENT_SQL.replace("item_id, ", "", 1) + " WHERE item_id = ? ORDER BY seq"
_ITEM_DERIVED = tuple(
    sql.replace("SELECT item_id, ", f"SELECT '{tag}', ", 1) + " WHERE item_id = ? ORDER BY id"
    for tag, _, sql in DERIVED_SQL
)


def item_record(db: sqlite3.Connection, item_id: str) -> dict[str, Any] | None:
    """The custody record of one item as the catalogue holds it now (inside the writer's
    transaction: what is about to be committed)."""
    row = db.execute(ITEM_SQL + " WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        return None
    text = hashlib.sha256(_lines(_tuples(db, _ITEM_SEGMENTS, item_id)))
    derived = hashlib.sha256()
    for sql in _ITEM_DERIVED:
        derived.update(_lines(_tuples(db, sql, item_id)))
    return from_row(row, text.hexdigest(), derived.hexdigest())


def _tuples(db: sqlite3.Connection, sql: str, item_id: str) -> list[tuple[Any, ...]]:
    """The rows of one item's query as plain tuples (the lines as hashed)."""
    if isinstance(db, sqlite3.Connection):  # without the catalogue's row factory
        cur = db.cursor()
        cur.row_factory = None
        return cur.execute(sql, (item_id,)).fetchall()
    return [tuple(r) for r in db.execute(sql, (item_id,))]  # a PostgreSQL catalogue


def item_records(db: sqlite3.Connection, ids: Iterable[str]) -> list[dict[str, Any]]:
    return [r for r in (item_record(db, i) for i in ids) if r is not None]


class _Grouped:
    """Rows ordered by item id, handed out item by item as the items pass in id order
    (rows of ids with no item row are skipped: nothing shows or cites them)."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._rows = iter(rows)
        self._next = next(self._rows, None)

    def take(self, item_id: str) -> Iterator[tuple[Any, ...]]:
        while self._next is not None and self._next[0] < item_id:
            self._next = next(self._rows, None)
        while self._next is not None and self._next[0] == item_id:
            yield tuple(self._next)
            self._next = next(self._rows, None)


def catalogue_records(
    db: sqlite3.Connection, tables: set[str] | frozenset[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Every item's record, in id order: one pass over items and one over each table of
    text and derived data, all read in item id order (by their primary key or item
    index) and merged. ``tables``: those present (a missing one counts as empty)."""

    def rows(table: str, sql: str) -> _Grouped:
        present = tables is None or table in tables
        return _Grouped(db.execute(sql) if present else ())

    segs = rows("segments", SEGMENT_SQL + " ORDER BY item_id, seq")
    derived = [(tag, rows(t, sql + " ORDER BY item_id, id")) for tag, t, sql in DERIVED_SQL]
    for row in db.execute(ITEM_SQL + " ORDER BY id"):
        item_id = row[0]
        text = text_hash(r[1:] for r in segs.take(item_id))
        h = hashlib.sha256()
        for tag, grouped in derived:
            for r in grouped.take(item_id):
                h.update(derived_line(tag, r))
        yield from_row(row, text, h.hexdigest())


def normalise(record: Any) -> dict[str, Any] | None:
    """A logged record as a dict holding only what was recorded; None when unreadable."""
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        return record
    if isinstance(record, list) and len(record) == len(_LEGACY) and isinstance(record[0], str):
        return dict(zip(_LEGACY, record, strict=True))
    return None
