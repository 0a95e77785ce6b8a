"""The catalogue's schema (``schema.sql``) and its upgrades on open.

``SCHEMA_VERSION`` changes only when data must be rewritten; what ``schema.sql`` gained
since (indexes, nullable columns) is added to an older catalogue on its first writable
open, and a catalogue that lost a core table is reported damaged before anything reads it.
"""

from __future__ import annotations

import re
import sqlite3
from importlib.resources import files

SCHEMA_VERSION = "1"
_INDEX = re.compile(r"CREATE INDEX IF NOT EXISTS (\w+) ON ")
# (table, column, declaration) added to schema.sql after version 1 shipped
_ADDED_COLUMNS = (
    ("runs", "reason", "TEXT"),
    ("mentions", "enricher", "TEXT"),
    ("warnings", "enricher", "TEXT"),
    ("findings", "state", "TEXT"),
    ("findings", "version", "INTEGER"),
    ("findings", "updated", "TEXT"),
    ("findings", "editor", "TEXT"),
)
# Tables every catalogue has had since schema version 1; later ones are added on open.
_CORE_TABLES = ("meta", "runs", "items", "segments", "warnings")


def schema_sql() -> str:
    """The text of ``schema.sql``: every table and index, ``IF NOT EXISTS``."""
    return files("docket.store").joinpath("schema.sql").read_text()


def create(db: sqlite3.Connection) -> None:
    """Create what is missing of the schema, and record its version in a new catalogue."""
    db.executescript(schema_sql())
    db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))


def lost_tables(db: sqlite3.Connection) -> list[str]:
    """Core tables an existing catalogue has lost (it is damaged: say so before any
    command reads it or, on ingest, silently recreates the table empty); none for a new,
    empty file, which has no tables at all."""
    have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [t for t in _CORE_TABLES if t not in have] if have else []


def upgrade(db: sqlite3.Connection) -> None:
    """Add what ``schema.sql`` gained after this catalogue was created (no data changes,
    so the schema version stays); on every writable open, a no-op once done."""
    db.executescript(schema_sql())  # tables added since (every statement IF NOT EXISTS)
    _add_missing_columns(db)
    _add_missing_indexes(db)


def _add_missing_indexes(db: sqlite3.Connection) -> None:
    have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    for line in schema_sql().splitlines():
        m = _INDEX.match(line)
        if m and m.group(1) not in have:
            try:
                db.execute(line)
            except sqlite3.OperationalError:
                pass  # its table comes with a later schema version


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """All nullable: readers use ``.get`` for them."""
    for table, column, decl in _ADDED_COLUMNS:
        have = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
