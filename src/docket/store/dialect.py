"""The one home of the differences between SQLite and PostgreSQL.

The catalogue's SQL is written once, for SQLite (``schema.sql`` and the queries in
``store``, ``views``, ``verify``…). On a newsroom server the same statements run on
PostgreSQL after ``translate`` rewrites the few SQLite idioms they use: ``?`` and ``?N``
placeholders, ``x IN ()``, ``INSERT OR IGNORE`` / ``OR REPLACE``, ``WHERE 1``, ``json_each`` lists,
``CROSS JOIN … ON``, ``json_extract``, ``group_concat``, ``instr``, ``char``, ``LIKE`` (case-insensitive in
SQLite), the ``main.`` schema prefix, ``sqlite_master`` and ``PRAGMA table_info``
look-ups, and in DDL ``INTEGER PRIMARY KEY`` and ``WITHOUT ROWID``. A statement that uses
anything else is a bug to fix here, not at the call site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files


@dataclass(frozen=True)
class Translated:
    """A statement for psycopg: ``sql`` with ``%s`` (or ``%(pN)s`` when ``named``)
    placeholders; ``arrays``: the placeholders (0-based positions, or names) whose JSON
    text is bound as a list (``IN (SELECT value FROM json_each(?))`` → ``= ANY(%s)``);
    ``returning``: the id column an ``INSERT`` returns (for ``lastrowid``)."""

    sql: str
    named: bool = False
    arrays: tuple[int | str, ...] = ()
    returning: str | None = None
    ddl: bool = False
    extra: tuple[str, ...] = field(default=())


_QUOTED = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"")
_PARTS = re.compile(r"('(?:[^']|'')*')|(\"[^\"]*\")|([^'\"]+)", re.S)
_JSON_EACH = re.compile(r"IN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*(\?\d*)\s*\)\s*\)", re.I)
_JSON_EXTRACT = re.compile(r"json_extract\(\s*([\w.]+)\s*,\s*'\$\.(\w+)'\s*\)", re.I)
_GROUP_CONCAT = re.compile(r"group_concat\(\s*([\w.]+)\s*,", re.I)
_JSON_ARRAY_OF = re.compile(r"json_group_array\(\s*json\(\s*([\w.]+)\s*\)\s*\)", re.I)
_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+([\w.]+)", re.I)
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+([\w.]+)", re.I)
_INSERT_COLS = re.compile(r"^\s*INSERT\s+INTO\s+[\w.]+\s*\(([^)]*)\)", re.I)
_CROSS_ON = re.compile(r"\bCROSS\s+JOIN\s+([\w.]+(?:\s+(?:AS\s+)?\w+)?)\s+ON\b", re.I)
_WHERE_ONE = re.compile(r"\bWHERE\s+1(?=\s|\)|$)", re.I)
_EMPTY_IN = re.compile(r'[\w."]+\s+(NOT\s+)?IN\s*\(\s*\)', re.I)
_LIMIT = re.compile(r"\bLIMIT\s+(\?\d*)", re.I)
_MARK = re.compile(r"\?(\d*)")
_TABLES = re.compile(
    r"SELECT\s+name\s+FROM\s+(?:temp\.)?sqlite_master\s+WHERE\s+(type|name)\s*=\s*'(\w+)'", re.I
)
_PRAGMA_INFO = re.compile(r"^\s*PRAGMA\s+table_info\((\w+)\)\s*$", re.I)
_PRAGMA = re.compile(r"^\s*PRAGMA\b", re.I)
_BEGIN = re.compile(r"^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)\b", re.I)


@lru_cache(maxsize=4096)
def translate(sql: str) -> Translated | None:
    """``sql`` (SQLite) for PostgreSQL; None for a statement PostgreSQL has no use for
    (``PRAGMA journal_mode``…)."""
    info = _PRAGMA_INFO.match(sql)
    if info:
        return Translated(
            "SELECT ordinal_position - 1, column_name FROM information_schema.columns "
            f"WHERE table_schema = current_schema() AND table_name = '{info.group(1)}' "
            "ORDER BY ordinal_position"
        )
    if _PRAGMA.match(sql):
        return None
    sql = _BEGIN.sub("BEGIN", sql)
    ddl = sql.lstrip().upper().startswith(("CREATE", "DROP", "ALTER"))
    if ddl:
        sql = _ddl(sql)
    sql = _TABLES.sub(_catalog_query, sql)
    # before the split into literals and code: its path is a literal
    sql = _JSON_EXTRACT.sub(r"(CAST(\1 AS json) ->> '\2')", sql)
    conflict = ""
    insert_or = _INSERT_OR.match(sql)
    if insert_or:
        how, table = insert_or.group(1).upper(), insert_or.group(2)
        sql = _INSERT_OR.sub(f"INSERT INTO {table}", sql, count=1)
        conflict = " ON CONFLICT DO NOTHING" if how == "IGNORE" else _upsert(sql, table)
    arrays: list[int | str] = []
    count = 0
    named = False
    # String literals and quoted names are set aside (``\x01N\x02``) while the code
    # around them is rewritten, so a ``?`` or ``(`` inside one is never touched.
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0).replace("%", "%%"))
        return f"\x01{len(kept) - 1}\x02"

    code = _QUOTED.sub(keep, sql).replace("%", "%%")
    code = _WHERE_ONE.sub("WHERE TRUE", code)
    # an empty list: SQLite takes ``x IN ()``; PostgreSQL a constant
    code = _EMPTY_IN.sub(lambda m: "TRUE" if m.group(1) else "FALSE", code)
    code = _GROUP_CONCAT.sub(r"string_agg(CAST(\1 AS TEXT),", code)
    code = _JSON_ARRAY_OF.sub(r"CAST(json_agg(CAST(\1 AS json)) AS TEXT)", code)
    code = re.sub(r"\binstr\(", "strpos(", code, flags=re.I)
    code = re.sub(r"\bchar\((\d+)\)", r"chr(\1)", code, flags=re.I)
    code = re.sub(r"\bLIKE\b", "ILIKE", code)
    code = re.sub(r"\bmain\.", "", code)
    code = _scalar_min_max(code)
    code = _alias_subqueries(code)
    # ``CROSS JOIN t ON …``: SQLite's inner join in the order written; PostgreSQL's
    # CROSS JOIN takes no ON
    code = _CROSS_ON.sub(r"JOIN \1 ON", code)
    # ``+col``: SQLite's way to keep the planner off an index; PostgreSQL has no unary + on text
    code = re.sub(r"(\b(?:WHERE|AND|OR|ON)|[(,])\s*\+([A-Za-z_])", r"\1 \2", code, flags=re.I)

    def each(m: re.Match[str]) -> str:
        nonlocal count, named
        mark = m.group(1)
        if len(mark) > 1:
            named = True
            arrays.append(f"p{mark[1:]}")
            return f"= ANY(%(p{mark[1:]})s)"
        arrays.append(count)
        count += 1
        return "= ANY(%s)"

    code = _JSON_EACH.sub(each, code)
    # SQLite reads a negative LIMIT as none; PostgreSQL refuses it (NULL: no limit)
    code = _LIMIT.sub(r"LIMIT NULLIF(GREATEST(CAST(\1 AS BIGINT), -1), -1)", code)
    code = re.sub(r"\bLIMIT\s+-1\b", "LIMIT ALL", code, flags=re.I)

    def mark(m: re.Match[str]) -> str:
        nonlocal count, named
        if m.group(1):
            named = True
            return f"%(p{m.group(1)})s"
        count += 1
        return "%s"

    code = _MARK.sub(mark, code)
    out = [re.sub("\x01(\\d+)\x02", lambda m: kept[int(m.group(1))], code)]
    text = "".join(out).rstrip().rstrip(";") + conflict
    returning = None
    insert = _INSERT.match(text)
    if insert:
        returning = serial_keys().get(insert.group(1).split(".")[-1])
        if returning and " RETURNING " not in text.upper():
            text += f" RETURNING {returning}"
    return Translated(text, named=named, arrays=tuple(arrays), returning=returning, ddl=ddl)


def _scalar_min_max(code: str) -> str:
    """SQLite's ``max(a, b)`` and ``min(a, b)`` (two or more arguments: not the
    aggregates) are PostgreSQL's ``GREATEST`` and ``LEAST``."""
    out, pos = [], 0
    for m in re.finditer(r"\b(max|min)\(", code, re.I):
        depth, commas, i = 1, 0, m.end()
        while i < len(code) and depth:
            ch = code[i]
            depth += ch == "("
            depth -= ch == ")"
            commas += ch == "," and depth == 1
            i += 1
        if commas:
            out.append(code[pos : m.start()])
            out.append("GREATEST(" if m.group(1).lower() == "max" else "LEAST(")
            pos = m.end()
    out.append(code[pos:])
    return "".join(out)


_CLAUSES = {"WHERE", "GROUP", "ORDER", "LIMIT", "JOIN", "LEFT", "INNER", "CROSS", "UNION",
            "INTERSECT", "EXCEPT", "ON", "HAVING", "OFFSET", ")", ""}  # fmt: skip


def _alias_subqueries(code: str) -> str:
    """PostgreSQL before 16 wants a name for a subquery in FROM; SQLite does not."""
    out, pos, n = [], 0, 0
    for m in re.finditer(r"\bFROM\s*\(\s*SELECT\b", code, re.I):
        depth, i = 0, code.index("(", m.start())
        while i < len(code):
            depth += code[i] == "("
            depth -= code[i] == ")"
            i += 1
            if depth == 0:
                break
        nxt = re.match(r"\s*(\w+|\)|)", code[i:])
        word = nxt.group(1).upper() if nxt else ""
        if word in _CLAUSES:
            n += 1
            out.append(code[pos:i] + f" AS _q{n}")
            pos = i
    out.append(code[pos:])
    return "".join(out)


def _catalog_query(m: re.Match[str]) -> str:
    """``sqlite_master`` look-ups, on the connection's schema (one case a schema)."""
    what, value = m.group(1).lower(), m.group(2)
    if what == "type" and value == "index":
        return "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    if what == "type":
        return (
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    # a temporary table of this connection (links built for a read-only open)
    return (
        "SELECT table_name FROM information_schema.tables "
        f"WHERE table_type = 'LOCAL TEMPORARY' AND table_name = '{value}'"
    )


def _ddl(sql: str) -> str:
    sql = re.sub(r"\)\s*WITHOUT\s+ROWID", ")", sql, flags=re.I)
    sql = re.sub(
        r"\bINTEGER\s+PRIMARY\s+KEY\b",
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        sql,
        flags=re.I,
    )
    return re.sub(r"\bINTEGER\b", "BIGINT", sql)


def _upsert(sql: str, table: str) -> str:
    """``INSERT OR REPLACE``: replace the row with the same key."""
    key, columns = table_keys()[table.split(".")[-1]]
    cols = _INSERT_COLS.match(sql)
    named = [c.strip().strip('"') for c in cols.group(1).split(",")] if cols else columns
    sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in named if c not in key)
    target = ", ".join(key)
    return f" ON CONFLICT ({target}) DO " + (f"UPDATE SET {sets}" if sets else "NOTHING")


def statements(script: str) -> list[str]:
    """A script split into statements (``;`` outside quotes; comments dropped)."""
    lines = [line.split("--")[0] for line in script.splitlines()]
    body = "\n".join(lines)
    out, current = [], []
    for literal, ident, code in _PARTS.findall(body):
        if literal or ident:
            current.append(literal or ident)
            continue
        pieces = code.split(";")
        for piece in pieces[:-1]:
            current.append(piece)
            out.append("".join(current))
            current = []
        current.append(pieces[-1])
    out.append("".join(current))
    return [s.strip() for s in out if s.strip()]


@cache
def _schema_tables() -> dict[str, tuple[list[str], list[str], str | None]]:
    """Each table of ``schema.sql``: (key columns, columns, serial id column)."""
    text = files("docket.store").joinpath("schema.sql").read_text()
    tables: dict[str, tuple[list[str], list[str], str | None]] = {}
    for stmt in statements(text):
        m = re.match(r"CREATE TABLE IF NOT EXISTS (\w+)\s*\((.*)\)", stmt, re.S)
        if not m:
            continue
        name, body = m.group(1), m.group(2)
        columns, key, serial = [], [], None
        for part in re.split(r",\s*\n", body):
            part = part.strip()
            pk = re.match(r"PRIMARY KEY\s*\(([^)]*)\)", part)
            if pk:
                key = [c.strip() for c in pk.group(1).split(",")]
                continue
            col = re.match(r'"?(\w+)"?\s+(\w+)', part)
            if not col:
                continue
            columns.append(col.group(1))
            if "PRIMARY KEY" in part.upper():
                key = [col.group(1)]
                if col.group(2).upper() == "INTEGER":
                    serial = col.group(1)
        tables[name] = (key, columns, serial)
    return tables


def register_table(name: str, key: list[str], columns: list[str], serial: str | None) -> None:
    """Declare a table created outside ``schema.sql`` (the server's own), for upserts
    and ``lastrowid``."""
    _schema_tables()[name] = (key, columns, serial)


def table_keys() -> dict[str, tuple[list[str], list[str]]]:
    return {t: (k, c) for t, (k, c, _) in _schema_tables().items()}


def serial_keys() -> dict[str, str]:
    return {t: s for t, (_, _, s) in _schema_tables().items() if s}


# Functions SQLite has and PostgreSQL lacks for the argument types the catalogue uses
# (its integers are BIGINT), created in each case's schema (``store.postgres``).
PG_FUNCTIONS = (
    "CREATE OR REPLACE FUNCTION substr(t text, s bigint, n bigint) RETURNS text "
    "LANGUAGE sql IMMUTABLE AS $$ SELECT pg_catalog.substr(t, s::int, GREATEST(n, 0)::int) $$",
    "CREATE OR REPLACE FUNCTION substr(t text, s bigint) RETURNS text "
    "LANGUAGE sql IMMUTABLE AS $$ SELECT pg_catalog.substr(t, s::int) $$",
    "CREATE OR REPLACE FUNCTION json_valid(t text) RETURNS boolean LANGUAGE plpgsql "
    "IMMUTABLE AS $$ BEGIN PERFORM t::json; RETURN true; "
    "EXCEPTION WHEN others THEN RETURN false; END $$",
)
