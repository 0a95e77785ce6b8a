"""What the custody log records about an item, computed one way when the item is written
and again when ``docket verify`` checks it, so the two can only differ if the catalogue
changed.

A record is a JSON object::

    {"id", "parent", "path", "sha256", "md5", "sha1", "size", "status", "text", "meta"}

``text`` is the SHA-256 of the item's segments in order, each serialised as one line of
compact JSON ``[seq, start, page, sheet, row, part, text]`` followed by ``\\n`` (no
segments: the SHA-256 of nothing). ``meta`` is the SHA-256 of the compact, key-sorted
JSON object of ``META_FIELDS`` as stored (JSON columns parsed first). Cases written
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
FIELDS = ("parent", "path", "sha256", "md5", "sha1", "size", "status", "text", "meta")
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
_LEGACY = ("id", "sha256", "size", "status")  # what a record was before these objects
EMPTY_TEXT = hashlib.sha256(b"").hexdigest()


def _compact(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
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


def from_row(row: sqlite3.Row | tuple[Any, ...], text: str) -> dict[str, Any]:
    """The record of one ``ITEM_SQL`` row whose segments hash to ``text``."""
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
    }


def item_record(db: sqlite3.Connection, item_id: str) -> dict[str, Any] | None:
    """The custody record of one item as the catalogue holds it now (inside the writer's
    transaction: what is about to be committed)."""
    row = db.execute(ITEM_SQL + " WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        return None
    segs = db.execute(SEGMENT_SQL + " WHERE item_id = ? ORDER BY seq", (item_id,))
    return from_row(row, text_hash(tuple(s)[1:] for s in segs))


def item_records(db: sqlite3.Connection, ids: Iterable[str]) -> list[dict[str, Any]]:
    return [r for r in (item_record(db, i) for i in ids) if r is not None]


def catalogue_records(
    db: sqlite3.Connection, *, with_segments: bool = True
) -> Iterator[dict[str, Any]]:
    """Every item's record, in id order: one pass over items and one over segments
    (both read in primary-key order), merged; ``with_segments=False`` when the segments
    table is gone (every item then has no text)."""
    items = db.execute(ITEM_SQL + " ORDER BY id")
    segs = iter(db.execute(SEGMENT_SQL + " ORDER BY item_id, seq")) if with_segments else iter(())
    pending = next(segs, None)
    for row in items:
        item_id = row[0]
        # Segments of ids with no item row are skipped (they cannot be shown or cited).
        while pending is not None and pending[0] < item_id:
            pending = next(segs, None)
        h = hashlib.sha256()
        while pending is not None and pending[0] == item_id:
            h.update(segment_line(tuple(pending)[1:]))
            pending = next(segs, None)
        yield from_row(row, h.hexdigest())


def normalise(record: Any) -> dict[str, Any] | None:
    """A logged record as a dict holding only what was recorded; None when unreadable."""
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        return record
    if isinstance(record, list) and len(record) == len(_LEGACY) and isinstance(record[0], str):
        return dict(zip(_LEGACY, record, strict=True))
    return None
