"""The catalogue: SQLite in WAL mode, one writer (the coordinator), schema in schema.sql
(created and upgraded by ``migrations``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from docket.model.items import Segment
from docket.model.mentions import Mention
from docket.model.records import Record, Relation
from docket.model.rows import (
    ItemRow,
    MentionRow,
    RecordRow,
    RelationRow,
    RunRow,
    SegmentRow,
    WarningRow,
)
from docket.store import migrations
from docket.store.aliases import AliasTables
from docket.store.entities import EntityTables
from docket.store.findings import FindingTables
from docket.store.marks import MarkTables
from docket.store.migrations import SCHEMA_VERSION
from docket.store.stages import StageTables

ITEM_COLUMNS = (
    "id", "parent_id", "seq", "path", "name", "depth", "source", "sha256", "md5", "sha1",
    "size", "type", "mime", "extension", "ext_mismatch", "deleted", "fs", "metadata",
    "status", "code", "message", "extractor", "lang", "duplicate_of", "indexed", "run_id",
)  # fmt: skip
_JSON = ("path", "fs", "metadata")
# json.dumps(value, ensure_ascii=False) without building an encoder per call: the writer
# stores about a hundred mentions an item.
_ATTRS_ENCODER = json.JSONEncoder(ensure_ascii=False)
_ATTRS = _ATTRS_ENCODER.encode


def _encoder() -> Callable[[Any], str]:
    """``_ATTRS`` for the values of one call (an item's mentions' attrs, its records'
    fields), from one C encoder made for the call: ``JSONEncoder.encode`` makes one per
    value, half of encoding an item's attrs (``json.dumps`` a ``JSONEncoder`` too). The
    encoder's markers (its check for circular values) are the call's own, never shared
    with another call or thread; a call that raises takes them with it."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the library's own path
        return _ATTRS
    e = _ATTRS_ENCODER
    iterencode = make({}, e.default, json.encoder.encode_basestring, e.indent, e.key_separator,
                      e.item_separator, e.sort_keys, e.skipkeys, e.allow_nan)  # fmt: skip

    def encode(value: Any) -> str:
        return "".join(iterencode(value, 0))

    return encode


class CatalogueError(Exception):
    """The catalogue is missing, unreadable or from an unknown schema."""


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    for key in _JSON:
        if key in out and out[key] is not None:
            out[key] = json.loads(out[key])
    for key in ("ext_mismatch", "deleted", "indexed"):
        if key in out:
            out[key] = bool(out[key])
    return out


class Catalogue(EntityTables, StageTables, MarkTables, AliasTables, FindingTables):
    def __init__(
        self, path: Path, *, create: bool = False, readonly: bool = False, damaged_ok: bool = False
    ) -> None:
        """``damaged_ok`` (read-only opens only): open a catalogue that lost core tables
        anyway, for ``docket verify`` to name each one (``table-missing``)."""
        if not create and not path.exists():
            raise CatalogueError(f"no catalogue at {path}")
        uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
        try:
            self.db = sqlite3.connect(uri, uri=True, timeout=60, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            if not readonly:
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=OFF")
            lost = migrations.lost_tables(self.db)
            if lost and not (damaged_ok and readonly):
                raise CatalogueError(
                    f"{path} is damaged: its {', '.join(lost)} "
                    f"{'tables are' if len(lost) > 1 else 'table is'} missing. Restore case.db "
                    "from a backup; the originals in blobs/ and their record in custody.log "
                    "are untouched"
                )
            if create:
                migrations.create(self.db)
            version = self.get_meta("schema_version")
        except sqlite3.DatabaseError as exc:
            raise CatalogueError(f"{path}: {exc}") from exc
        if version != SCHEMA_VERSION:
            raise CatalogueError(f"{path}: schema version {version!r}, expected {SCHEMA_VERSION}")
        if not readonly:
            migrations.upgrade(self.db)

    def close(self) -> None:
        self.db.close()

    # -- transactions ------------------------------------------------------------------
    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- meta and runs -----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def start_run(self, **fields: Any) -> int:
        cols = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        values = [json.dumps(v) if isinstance(v, list | dict) else v for v in fields.values()]
        cur = self.db.execute(f"INSERT INTO runs ({cols}) VALUES ({marks})", values)
        return int(cur.lastrowid or 0)

    def finish_run(
        self, run_id: int, finished: str, status: str, reason: str | None = None
    ) -> None:
        self.db.execute(
            "UPDATE runs SET finished = ?, status = ?, reason = ? WHERE id = ?",
            (finished, status, reason, run_id),
        )

    def runs(self) -> list[RunRow]:
        return [cast(RunRow, dict(r)) for r in self.db.execute("SELECT * FROM runs ORDER BY id")]

    # -- items -------------------------------------------------------------------------
    def add_item(self, item: ItemRow) -> bool:
        """Insert an item unless its id exists; True when inserted."""
        row: dict[str, Any] = {k: item.get(k) for k in ITEM_COLUMNS if k in item}
        for key in _JSON:
            if key in row and not isinstance(row[key], str | type(None)):
                row[key] = json.dumps(row[key], ensure_ascii=False, default=str)
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = self.db.execute(
            f"INSERT OR IGNORE INTO items ({cols}) VALUES ({marks})", list(row.values())
        )
        return cur.rowcount > 0

    def fill_locked(self, item: ItemRow) -> bool:
        """Give the member an earlier run recorded ``encrypted`` with no bytes (no password
        opened it then) the bytes and state of ``item``, the same member opened now; True
        when there was such a row."""
        keep = ("id", "parent_id", "seq", "path", "name", "depth", "extension", "deleted")
        fields = {k: v for k, v in item.items() if k in ITEM_COLUMNS and k not in keep}
        for key in _JSON:
            if key in fields and not isinstance(fields[key], str | type(None)):
                fields[key] = json.dumps(fields[key], ensure_ascii=False, default=str)
        sets = ", ".join(f"{k} = ?" for k in fields)
        cur = self.db.execute(
            f"UPDATE items SET {sets} WHERE id = ? AND status = 'encrypted' AND sha256 IS NULL",
            [*fields.values(), item["id"]],
        )
        return cur.rowcount > 0

    def update_item(self, item_id: str, **fields: Any) -> None:
        for key in _JSON:
            if key in fields and not isinstance(fields[key], str | type(None)):
                fields[key] = json.dumps(fields[key], ensure_ascii=False, default=str)
        sets = ", ".join(f"{k} = ?" for k in fields)
        self.db.execute(f"UPDATE items SET {sets} WHERE id = ?", [*fields.values(), item_id])

    def item(self, item_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        return _decode(row) if row else None

    def find_items(self, prefix: str) -> list[str]:
        """Ids starting with ``prefix`` (so users can type a short id)."""
        rows = self.db.execute(
            "SELECT id FROM items WHERE id >= ? AND id < ? LIMIT 3", (prefix, prefix + "\uffff")
        )
        return [r[0] for r in rows]

    def items(
        self, where: str = "1", params: Iterable[Any] = (), order: str = "rowid"
    ) -> Iterator[dict[str, Any]]:
        for row in self.db.execute(
            f"SELECT * FROM items WHERE {where} ORDER BY {order}", list(params)
        ):
            yield _decode(row)

    def pending(self, after_rowid: int, limit: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT rowid, * FROM items WHERE status = 'pending' AND rowid > ? ORDER BY rowid LIMIT ?",
            (after_rowid, limit),
        ).fetchall()

    def first_with_sha(self, sha256: str, before_rowid: int | None = None) -> str | None:
        row = self.db.execute(
            "SELECT id FROM items WHERE sha256 = ? ORDER BY rowid LIMIT 1", (sha256,)
        ).fetchone()
        return row[0] if row else None

    def children(self, item_id: str) -> list[dict[str, Any]]:
        return list(self.items("parent_id = ?", (item_id,), order="seq"))

    def count(self, where: str = "1", params: Iterable[Any] = ()) -> int:
        return int(
            self.db.execute(f"SELECT count(*) FROM items WHERE {where}", list(params)).fetchone()[0]
        )

    # -- segments and warnings ---------------------------------------------------------
    def replace_segments(self, item_id: str, segments: Iterable[Segment]) -> None:
        self.db.execute("DELETE FROM segments WHERE item_id = ?", (item_id,))
        rows, start = [], 0
        for seq, s in enumerate(segments):
            rows.append((item_id, seq, start, s.text, s.page, s.sheet, s.row, s.part))
            start += len(s.text) + 1  # segments are joined by one newline
        self.db.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def segments(self, item_id: str, max_chars: int | None = None) -> list[SegmentRow]:
        out: list[SegmentRow] = []
        total = 0
        for row in self.db.execute(
            "SELECT * FROM segments WHERE item_id = ? ORDER BY seq", (item_id,)
        ):
            out.append(cast(SegmentRow, dict(row)))
            total += len(row["text"])
            if max_chars is not None and total >= max_chars:
                break
        return out

    def segments_of(
        self, item_ids: Iterable[str], max_chars: int | None = None
    ) -> dict[str, list[SegmentRow]]:
        """``segments`` of each of ``item_ids`` (a page of search hits): on PostgreSQL in
        one query, where each is a round trip to the database."""
        return {i: self.segments(i, max_chars) for i in item_ids}

    def text(self, item_id: str, max_chars: int | None = None) -> str:
        return "\n".join(s["text"] for s in self.segments(item_id, max_chars))

    def replace_warnings(self, item_id: str, warnings: Iterable[tuple[str, str]]) -> None:
        """Replace what extraction warned (an enricher's warnings are ``StageTables``')."""
        self.db.execute("DELETE FROM warnings WHERE item_id = ?", (item_id,))
        self.db.executemany(
            "INSERT INTO warnings (item_id, code, message) VALUES (?, ?, ?)",
            [(item_id, c, m) for c, m in warnings],
        )

    def warnings(self, item_id: str) -> list[WarningRow]:
        rows = self.db.execute("SELECT code, message FROM warnings WHERE item_id = ?", (item_id,))
        return [cast(WarningRow, dict(r)) for r in rows]

    # -- mentions ----------------------------------------------------------------------
    def replace_mentions(
        self, item_id: str, mentions: Iterable[Mention | tuple[Mention, str | None]]
    ) -> None:
        """Replace an item's mentions, in order; each may come with its enricher's name."""
        self.db.execute("DELETE FROM mentions WHERE item_id = ?", (item_id,))
        tagged = [m if isinstance(m, tuple) else (m, None) for m in mentions]
        attrs = _encoder()
        self.db.executemany(
            'INSERT INTO mentions (item_id, segment, start, "end", kind, text, value, method, '
            "attrs, enricher) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    item_id,
                    m.segment,
                    m.start,
                    m.end,
                    m.kind,
                    m.text,
                    m.value,
                    m.method,
                    attrs(m.attrs) if m.attrs else None,
                    enricher,
                )
                for m, enricher in tagged
            ],
        )

    def mentions(self, item_id: str, kind: str | None = None) -> list[MentionRow]:
        sql = (
            'SELECT id, item_id, segment, start, "end", kind, text, value, method, attrs '
            "FROM mentions WHERE item_id = ?"
            + (" AND kind = ?" if kind else "")
            + " ORDER BY segment, start"
        )
        rows = self.db.execute(sql, (item_id, kind) if kind else (item_id,))
        out: list[MentionRow] = []
        for r in rows:
            d = dict(r)
            d["attrs"] = json.loads(d["attrs"]) if d["attrs"] else {}
            out.append(cast(MentionRow, d))
        return out

    # -- records and relations (enrich.tables, enrich.letters) -------------------------
    def replace_records(self, item_id: str, records: Iterable[Record]) -> None:
        self.db.execute("DELETE FROM records WHERE item_id = ?", (item_id,))
        dumps = _encoder()
        self.db.executemany(
            "INSERT INTO records (item_id, sheet, row, kind, fields, method) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (item_id, r.get("sheet"), r.get("row"), r["kind"],
                 dumps(r["fields"]), r["method"])
                for r in records
            ],
        )  # fmt: skip

    def records(self, item_id: str | None = None) -> list[RecordRow]:
        sql = "SELECT * FROM records" + (" WHERE item_id = ?" if item_id else "") + " ORDER BY id"
        rows = self.db.execute(sql, (item_id,) if item_id else ())
        return [cast(RecordRow, {**dict(r), "fields": json.loads(r["fields"])}) for r in rows]

    def replace_relations(self, item_id: str, relations: Iterable[Relation]) -> None:
        self.db.execute("DELETE FROM relations WHERE item_id = ?", (item_id,))
        dumps = _encoder()
        self.db.executemany(
            "INSERT INTO relations (item_id, kind, source, target, date, attrs, method) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (item_id, r["kind"], r["source"], r["target"], r.get("date"),
                 dumps(r.get("attrs") or {}), r["method"])
                for r in relations
            ],
        )  # fmt: skip

    def relations(self, item_id: str | None = None) -> list[RelationRow]:
        sql = "SELECT * FROM relations" + (" WHERE item_id = ?" if item_id else "") + " ORDER BY id"
        rows = self.db.execute(sql, (item_id,) if item_id else ())
        return [
            cast(RelationRow, {**dict(r), "attrs": json.loads(r["attrs"] or "{}")}) for r in rows
        ]

    # -- summaries ---------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        db = self.db
        items, size = db.execute("SELECT count(*), coalesce(sum(size), 0) FROM items").fetchone()
        by_status = dict(
            db.execute(
                "SELECT status, count(*) FROM items GROUP BY status ORDER BY 2 DESC"
            ).fetchall()
        )
        by_type = dict(
            db.execute(
                "SELECT coalesce(type, 'unknown'), count(*) FROM items GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
        )
        return {"items": items, "bytes": size, "by_status": by_status, "by_type": by_type}

    def rows_by_id(self, table: str, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Rows of ``mentions``, ``records`` or ``relations`` by id, JSON columns decoded."""
        if table not in ("mentions", "records", "relations"):
            raise ValueError(table)
        out: dict[int, dict[str, Any]] = {}
        ids = sorted(set(ids))
        for n in range(0, len(ids), 500):
            chunk = ids[n : n + 500]
            sql = f"SELECT * FROM {table} WHERE id IN ({','.join('?' * len(chunk))})"
            for r in self.db.execute(sql, chunk):
                row = dict(r)
                for key in ("attrs", "fields"):
                    if isinstance(row.get(key), str):
                        row[key] = json.loads(row[key])
                out[row["id"]] = row
        return out
