"""The server's own tables, in the ``docket_server`` schema of its database: accounts,
cases, grants, sessions and the server log (who created, deleted or granted what).

Versioned migrations: ``MIGRATIONS[n]`` takes the schema from version n to n+1, each in
one transaction; ``server_version`` in ``docket_server.meta`` says how far a database
has come. A case's own tables (the catalogue and its audit trail) are ``schema.sql``,
upgraded by ``docket.store.migrations`` like a local case's."""

from __future__ import annotations

import json
from typing import Any

import psycopg

from docket.newsroom.chain import GENESIS, chain_hash, now
from docket.newsroom.config import ServerConfig

SCHEMA = "docket_server"
MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE users (
      name         TEXT PRIMARY KEY,
      hash         TEXT NOT NULL,            -- Argon2id (argon2-cffi), with its parameters
      admin        BOOLEAN NOT NULL DEFAULT false,
      created      TEXT NOT NULL,
      failures     INTEGER NOT NULL DEFAULT 0, -- failed logins in a row
      locked_until TEXT                        -- ISO time; NULL when not locked
    );
    CREATE TABLE cases (
      name     TEXT PRIMARY KEY,
      schema   TEXT NOT NULL UNIQUE,           -- the case's catalogue tables live there
      created  TEXT NOT NULL,
      creator  TEXT
    );
    CREATE TABLE grants (
      case_name TEXT NOT NULL REFERENCES cases(name) ON DELETE CASCADE,
      user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
      role      TEXT NOT NULL,                 -- reader | editor | owner | auditor
      PRIMARY KEY (case_name, user_name)
    );
    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,             -- sha256 of the cookie's token
      user_name  TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
      created    TEXT NOT NULL,
      expires    TEXT NOT NULL,
      current    TEXT                          -- the case this session works on
    );
    -- Hash-chained like a case's audit trail: case creation and deletion, accounts.
    CREATE TABLE server_log (
      seq     BIGINT PRIMARY KEY,
      time    TEXT NOT NULL,
      actor   TEXT NOT NULL,
      action  TEXT NOT NULL,
      detail  TEXT NOT NULL,                   -- JSON
      prev    TEXT NOT NULL,
      hash    TEXT NOT NULL
    );
    """,
    # 1 -> 2: who is working on which case now (the desk's "also working on this case")
    """
    CREATE TABLE presence (
      case_name TEXT NOT NULL REFERENCES cases(name) ON DELETE CASCADE,
      user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
      seen      TEXT NOT NULL,                 -- ISO time of a request on the case
      PRIMARY KEY (case_name, user_name)
    );
    """,
)


def connect(config: ServerConfig) -> psycopg.Connection[Any]:
    conn = psycopg.connect(config.database, autocommit=True)
    conn.execute(f"SET search_path TO {SCHEMA}")
    return conn


def migrate(database: str) -> int:
    """Bring the server schema to the latest version; returns that version."""
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        conn.execute(f"SET search_path TO {SCHEMA}")
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('docket_server_migrate'))")
            have = conn.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                "AND table_name = 'meta'",
                (SCHEMA,),
            ).fetchone()
            version = 0
            if have:
                row = conn.execute("SELECT value FROM meta WHERE key = 'server_version'").fetchone()
                version = int(row[0]) if row else 0
            for n in range(version, len(MIGRATIONS)):
                conn.execute(MIGRATIONS[n].encode())
                conn.execute(
                    "INSERT INTO meta VALUES ('server_version', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    (str(n + 1),),
                )
        return len(MIGRATIONS)


def server_log(conn: psycopg.Connection[Any], actor: str, action: str, **detail: Any) -> None:
    """Append to the server log (inside the caller's transaction, or its own)."""
    with conn.transaction():
        conn.execute("LOCK TABLE server_log IN SHARE ROW EXCLUSIVE MODE")
        last = conn.execute("SELECT seq, hash FROM server_log ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        when = now()
        text = json.dumps(detail, ensure_ascii=False, sort_keys=True)
        conn.execute(
            "INSERT INTO server_log VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                seq,
                when,
                actor,
                action,
                text,
                prev,
                chain_hash(prev, seq, when, actor, action, text),
            ),
        )
