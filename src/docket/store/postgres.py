"""The catalogue on PostgreSQL (a newsroom server): one schema a case, one database.

``PgConnection`` gives the rest of Docket the slice of ``sqlite3.Connection`` it uses
(``execute``, ``executemany``, ``executescript``, ``in_transaction``, rows readable by
name and position), running each statement through ``dialect.translate``. Errors are
raised as their ``sqlite3`` counterparts, so the callers' ``except`` clauses hold on both
backends. Autocommit, with explicit ``BEGIN``/``COMMIT`` as in the SQLite catalogue.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import psycopg
from psycopg import errors as pgerrors
from psycopg import sql as pgsql
from psycopg.adapt import Loader
from psycopg.pq import ExecStatus, TransactionStatus
from psycopg.types.numeric import IntDumper

from docket.store import migrations
from docket.store.catalogue import Catalogue, CatalogueError, SegmentRow
from docket.store.dialect import PG_FUNCTIONS, Translated, statements, translate
from docket.store.migrations import SCHEMA_VERSION

CATALOGUE_FILE = "catalogue.json"  # in a server case's folder: {"database", "schema"}


class Row(Sequence[Any]):
    """A row read by position, by name, or as ``dict(row)`` — like ``sqlite3.Row``."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
        self._names = names
        self._values = values

    def keys(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._names.index(key)]
            except ValueError:
                raise IndexError(key) from None
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, Row | tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._names, self._values, strict=True))!r})"


class _BoolAsInt(IntDumper):
    """SQLite stores booleans as 0/1 in INTEGER columns; so does the PostgreSQL catalogue."""

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _NumericLoader(Loader):
    """``sum()`` of BIGINT is NUMERIC in PostgreSQL; Docket wants ints (JSON output)."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


class Cursor:
    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None, desc: Any) -> None:
        self._rows = rows
        self._pos = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid
        self.description = desc

    def fetchone(self) -> Row | None:
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    def fetchall(self) -> list[Row]:
        rest = self._rows[self._pos :]
        self._pos = len(self._rows)
        return rest

    def fetchmany(self, size: int = 1) -> list[Row]:
        rest = self._rows[self._pos : self._pos + size]
        self._pos += len(rest)
        return rest

    def __iter__(self) -> Iterator[Row]:
        while (row := self.fetchone()) is not None:
            yield row


def _params(t: Translated, params: Any) -> Any:
    if t.named:
        values = (
            dict(params)
            if isinstance(params, dict)
            else {f"p{n + 1}": v for n, v in enumerate(params or ())}
        )
        for name in t.arrays:
            values[str(name)] = _as_list(values[str(name)])
        return values
    values_list = list(params or ())
    for pos in t.arrays:
        values_list[int(pos)] = _as_list(values_list[int(pos)])
    return values_list


def _as_list(value: Any) -> list[Any]:
    return list(json.loads(value)) if isinstance(value, str | bytes) else list(value)


def _sqlite_error(exc: psycopg.Error) -> sqlite3.Error:
    """PostgreSQL's error as the ``sqlite3`` error SQLite raises in the same case: a
    missing table or column is an ``OperationalError`` (which readers take as "not there
    yet"); a statement this module failed to translate is a ``DatabaseError`` — loud, not
    read as an empty table."""
    message = str(exc).strip()
    if isinstance(exc, psycopg.IntegrityError):
        return sqlite3.IntegrityError(message)
    if isinstance(exc, pgerrors.ReadOnlySqlTransaction):
        return sqlite3.OperationalError(f"attempt to write a readonly database: {message}")
    if isinstance(
        exc,
        pgerrors.UndefinedTable
        | pgerrors.UndefinedColumn
        | pgerrors.LockNotAvailable
        | psycopg.OperationalError,
    ):
        return sqlite3.OperationalError(message)
    return sqlite3.DatabaseError(message)


class PgConnection:
    """A ``sqlite3.Connection``-shaped handle on one schema of a PostgreSQL database."""

    def __init__(self, url: str, schema: str) -> None:
        try:
            self.raw = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise CatalogueError(f"cannot connect to the catalogue database: {exc}") from exc
        self.raw.adapters.register_dumper(bool, _BoolAsInt)
        self.raw.adapters.register_loader("numeric", _NumericLoader)
        self.schema = schema
        self.raw.execute(
            pgsql.SQL("SET search_path TO {}").format(pgsql.Identifier(schema))  # type: ignore[arg-type]
        )

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, params: Any = ()) -> Cursor:
        t = translate(sql)
        if t is None:
            return Cursor([], -1, None, None)
        try:
            cur = self.raw.execute(t.sql.encode(), _params(t, params), prepare=False)  # type: ignore[call-overload]
        except psycopg.Error as exc:
            raise _sqlite_error(exc) from exc
        # The names straight from the result: ``cur.description`` builds a Column for
        # each at each reading (a quarter of this method's time, at three readings).
        res = cur.pgresult
        names: tuple[str, ...] = ()
        rows: list[Row] = []
        if res is not None and res.status == ExecStatus.TUPLES_OK:
            names = tuple(res.fname(i).decode() for i in range(res.nfields))  # type: ignore[union-attr]
            rows = [Row(names, r) for r in cur.fetchall()]
        lastrowid = None
        if t.returning and rows:
            lastrowid = rows[0][0]
            rows = []
            desc = None
        else:
            desc = [(n,) for n in names] if names else None
        return Cursor(rows, cur.rowcount, lastrowid, desc)

    def executemany(self, sql: str, seq: Iterable[Any]) -> Cursor:
        t = translate(sql)
        if t is None:
            return Cursor([], -1, None, None)
        text = t.sql
        if t.returning:
            text = text[: text.rfind(" RETURNING ")]
        batch = [_params(t, p) for p in seq]
        if not batch:
            return Cursor([], 0, None, None)
        try:
            with self.raw.cursor() as cur:
                cur.executemany(text.encode(), batch)  # type: ignore[arg-type]
                return Cursor([], cur.rowcount, None, None)
        except psycopg.Error as exc:
            raise _sqlite_error(exc) from exc

    def executescript(self, script: str) -> None:
        for stmt in statements(script):
            self.execute(stmt)

    def commit(self) -> None:
        if self.in_transaction:
            self.execute("COMMIT")

    def close(self) -> None:
        self.raw.close()


# (database, schema) this process has upgraded: a server opens its cases once per
# thread, and the upgrade's look-ups and ``IF NOT EXISTS`` statements cost ~60 ms each time.
_UPGRADED: set[tuple[str, str]] = set()
_UPGRADED_LOCK = threading.Lock()


class PgCatalogue(Catalogue):
    """The catalogue of a server case: its tables in the schema named in the case
    folder's ``catalogue.json``; the same API and queries as the SQLite catalogue."""

    def __init__(
        self,
        path: Path,
        *,
        create: bool = False,
        readonly: bool = False,
        damaged_ok: bool = False,
    ) -> None:
        try:
            where = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise CatalogueError(f"{path}: {exc}") from exc
        self.pg = PgConnection(where["database"], where["schema"])
        self.db = self.pg  # type: ignore[assignment]
        try:
            lost = migrations.lost_tables(self.db)  # type: ignore[arg-type]
            if lost and not (damaged_ok and readonly):
                raise CatalogueError(
                    f"the catalogue of {path.parent} (schema {where['schema']}) is damaged: "
                    f"its {', '.join(lost)} table(s) are missing; restore it from a backup"
                )
            if create:
                migrations.create(self.db)  # type: ignore[arg-type]
            version = self.get_meta("schema_version")
        except sqlite3.DatabaseError as exc:
            raise CatalogueError(f"{path}: {exc}") from exc
        if version != SCHEMA_VERSION:
            raise CatalogueError(f"{path}: schema version {version!r}, expected {SCHEMA_VERSION}")
        key = (where["database"], where["schema"])
        if not readonly and key not in _UPGRADED:
            migrations.upgrade(self.db)  # type: ignore[arg-type]
            _add_functions(self.pg)
            with _UPGRADED_LOCK:
                _UPGRADED.add(key)

    def begin(self) -> None:
        self.db.execute("BEGIN")

    def relaxed_commit(self, *, session: bool = False) -> None:
        """This transaction's commit (``session``: every commit of this connection from
        now on) does not wait for its WAL to reach the disk (``synchronous_commit =
        off``): a crash of the database server may lose the last fraction of a second of
        such commits, whole, never half of one."""
        self.pg.raw.execute(f"SET {'' if session else 'LOCAL '}synchronous_commit TO OFF")

    def analyze(self) -> None:
        """Gather the planner's statistics on every table of the case now. Without them
        (rows just copied in, before autovacuum's next round) PostgreSQL guesses, and a
        document's people were read by a scan of every mention: 40 ms at 20,000 items,
        0.1 ms after."""
        tables = self.pg.raw.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
        for (table,) in tables:
            self.pg.raw.execute(pgsql.SQL("ANALYZE {}").format(pgsql.Identifier(table)))

    def segments(self, item_id: str, max_chars: int | None = None) -> list[SegmentRow]:
        """As on SQLite, without fetching the rest of a long item: SQLite's rows come one
        at a time as read, PostgreSQL's all at once (a 3,000-page document's text for a
        snippet from its first pages). ``start - seq``: the length of the segments before
        (``replace_segments`` joins them with one newline each)."""
        return self.segments_of([item_id], max_chars)[item_id]

    def segments_of(
        self, item_ids: Iterable[str], max_chars: int | None = None
    ) -> dict[str, list[SegmentRow]]:
        out: dict[str, list[SegmentRow]] = {i: [] for i in item_ids}
        rows = self.db.execute(
            "SELECT * FROM segments WHERE item_id IN (SELECT value FROM json_each(?)) "
            "AND (seq = 0 OR start - seq < ?) ORDER BY item_id, seq",
            (json.dumps(sorted(out)), 2**62 if max_chars is None else max_chars),
        )
        for row in rows:
            out[row["item_id"]].append(cast(SegmentRow, dict(row)))
        return out

    def lock_table(self, table: str) -> None:
        """Hold ``table`` against other writers until the transaction ends."""
        self.pg.raw.execute(
            pgsql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(pgsql.Identifier(table))
        )


def _add_functions(db: PgConnection) -> None:
    """The dialect's functions in the case's schema, once (``CREATE OR REPLACE`` from two
    connections at once fails: "tuple concurrently updated")."""
    have = db.raw.execute(
        "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = current_schema() AND p.proname = 'substr'"
    ).fetchone()
    if have and have[0] >= len(PG_FUNCTIONS):
        return
    with db.raw.transaction():
        db.raw.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
        for statement in PG_FUNCTIONS:
            db.raw.execute(statement.encode())


def create_schema(url: str, schema: str) -> None:
    """Create the schema of a new server case and its catalogue tables."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(pgsql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(pgsql.Identifier(schema)))
    db = PgConnection(url, schema)
    try:
        migrations.create(db)  # type: ignore[arg-type]
        _add_functions(db)
    finally:
        db.close()


def drop_schema(url: str, schema: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(pgsql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(pgsql.Identifier(schema)))
