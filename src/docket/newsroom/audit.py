"""A case's audit trail: who searched, read, downloaded, exported, found, merged or
granted what, and when — appended to the ``audit`` table of the case's catalogue, each
entry chained to the one before by its hash (``chain.chain_hash``), so that editing or
deleting an entry breaks the chain where it happened. Works on either catalogue."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docket.case import Case
from docket.newsroom.chain import GENESIS, chain_hash, now
from docket.store.catalogue import Catalogue

# The actions Docket records; a desk route not named here is recorded by its path.
ACTIONS = (
    "search", "view", "download", "export", "finding", "merge", "split", "grant", "page", "api",
)  # fmt: skip


def open_server_catalogue(root: Path) -> Catalogue:
    """The catalogue of the server case in ``root`` (its audit trail's home), a
    connection of its own whose commits do not wait for the disk: the desk appends
    after it has answered, and waiting there (~10 ms) would hold every analyst's next
    entry behind it. A database crash may lose the last fraction of a second of
    entries, at the end of the chain, which still verifies."""
    # psycopg comes with the `server` extra: a local case's seal never imports it
    from docket.store.postgres import CATALOGUE_FILE, PgCatalogue

    catalogue = PgCatalogue(root / CATALOGUE_FILE)
    catalogue.relaxed_commit(session=True)
    return catalogue


def append(catalogue: Catalogue, actor: str, action: str, **detail: Any) -> int:
    """Append one entry; returns its sequence number."""
    return _append_locked(catalogue, actor, action, _detail(detail))[0]


def _detail(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)


def _insert(
    catalogue: Catalogue, head: tuple[int, str], actor: str, action: str, text: str
) -> tuple[int, str]:
    """Write the entry after ``head`` (seq, hash); returns its own (seq, hash)."""
    seq, prev = head[0] + 1, head[1]
    when = now()
    digest = chain_hash(prev, seq, when, actor, action, text)
    catalogue.db.execute(
        "INSERT INTO audit (seq, time, actor, action, detail, prev, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, when, actor, action, text, prev, digest),
    )
    return seq, digest


def _head(catalogue: Catalogue) -> tuple[int, str]:
    last = catalogue.db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)


def _append_locked(catalogue: Catalogue, actor: str, action: str, text: str) -> tuple[int, str]:
    """Append under the trail's write lock: the head read and the entry written in one
    transaction (the caller's, or its own)."""
    db = catalogue.db
    own = not db.in_transaction
    if own:
        catalogue.begin()
    try:
        # PostgreSQL: a table lock, so that two appenders never chain to the same entry
        # (SQLite's BEGIN IMMEDIATE already holds the only write lock).
        lock = getattr(catalogue, "lock_table", None)
        if lock is not None:
            lock("audit")
        relax = getattr(catalogue, "relaxed_commit", None)
        if own and relax is not None:
            # Holding the trail's lock: waiting for the disk here (~10 ms) would queue
            # every other appender behind it (see ``open_server_catalogue``).
            relax()
        entry = _insert(catalogue, _head(catalogue), actor, action, text)
        if own:
            catalogue.commit()
    except BaseException:
        if own:
            catalogue.rollback()
        raise
    return entry


class Trail:
    """One server process's appender to one case's trail: one connection of its own
    (``open_``: opened on first use, again after an error), the process's threads taking
    turns on it, and the head (the last entry's seq and hash) kept between appends, so
    that an entry costs one INSERT — no transaction, no table lock, no read. Another
    process may have appended since (a CLI command, another worker): the entry then
    collides with that one on ``seq`` (the primary key), is not written, and is appended
    again the careful way (``append``'s)."""

    def __init__(self, open_: Callable[[], Catalogue]) -> None:
        self._open = open_
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._head: tuple[int, str] | None = None

    def append(self, actor: str, action: str, **detail: Any) -> int:
        """``append``: the same entry, chained the same way."""
        text = _detail(detail)
        with self._lock:
            head, self._head = self._head, None  # unknown until this append is done
            catalogue = self._connected()
            try:
                if head is not None:
                    try:
                        self._head = _insert(catalogue, head, actor, action, text)
                        return self._head[0]
                    except sqlite3.IntegrityError:
                        pass  # another process appended after ``head``: read the trail again
                self._head = _append_locked(catalogue, actor, action, text)
                return self._head[0]
            except BaseException:
                self._drop()
                raise

    def entries(self, **filters: Any) -> list[dict[str, Any]]:
        """``entries`` of the trail, on the trail's connection."""
        with self._lock:
            try:
                return entries(self._connected(), **filters)
            except BaseException:
                self._drop()
                raise

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _connected(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = self._open()
        return self._catalogue

    def _drop(self) -> None:
        """Forget the connection (it may be broken: the database restarted) and the head."""
        catalogue, self._catalogue, self._head = self._catalogue, None, None
        if catalogue is not None:
            try:
                catalogue.close()
            except Exception:  # already gone
                pass


# CLI commands by the audit action they are (others are recorded by their own name)
_COMMAND_ACTIONS = {"show": "view", "person": "view", "merge": "merge", "split": "split"}
_QUIET_PARAMS = ("case", "json_out", "json")


def record_command(catalogue: Catalogue, ctx: Any) -> None:
    """Append the CLI command ``ctx`` runs on a server case (actor: ``$DOCKET_USER`` or
    the system user), with its arguments."""
    import getpass
    import os

    name = str(ctx.info_name or "?")
    parent = ctx.parent.info_name if ctx.parent is not None else None
    action = parent if parent in ("export", "finding") else _COMMAND_ACTIONS.get(name, name)
    params = {
        k: str(v) if isinstance(v, Path) else v
        for k, v in (ctx.params or {}).items()
        if k not in _QUIET_PARAMS and v not in (None, False, [], ())
    }
    if parent == "export":
        params["format"] = name
    elif parent == "finding":
        params["what"] = name
    actor = os.environ.get("DOCKET_USER") or getpass.getuser()
    append(catalogue, actor, action, command=name, **params)


def entries(
    catalogue: Catalogue, *, actor: str | None = None, action: str | None = None, limit: int = 0
) -> list[dict[str, Any]]:
    where, params = [], []
    if actor:
        where.append("actor = ?")
        params.append(actor)
    if action:
        where.append("action = ?")
        params.append(action)
    sql = "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY seq" + (f" DESC LIMIT {int(limit)}" if limit else "")
    rows = [dict(r) for r in catalogue.db.execute(sql, params)]
    for r in rows:
        r["detail"] = json.loads(r["detail"])
    return sorted(rows, key=lambda r: r["seq"])


@dataclass
class AuditReport:
    entries: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


ANCHOR_EVENT = "audit-anchored"


def anchor(case: Case) -> tuple[int, str] | None:
    """Write the trail's head into the case's custody log (which ``docket seal`` signs),
    so that a trail rewritten from end to end — every hash recomputed, which the chain
    alone cannot reveal — no longer matches what was anchored. None for an empty trail."""
    last = case.catalogue.db.execute(
        "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    if last is None:
        return None
    case.log(ANCHOR_EVENT, audit_seq=int(last[0]), audit_hash=str(last[1]))
    return int(last[0]), str(last[1])


def anchors(case: Case) -> list[tuple[int, int, str]]:
    """(custody line, audit seq, audit hash) of every anchor in the custody log."""
    return [
        (int(e.get("seq") or 0), int(e["audit_seq"]), str(e["audit_hash"]))
        for e in case.custody.events()
        if e.get("event") == ANCHOR_EVENT and "audit_seq" in e
    ]


def verify(
    catalogue: Catalogue,
    anchored: list[tuple[int, int, str]] = (),  # type: ignore[assignment]
) -> AuditReport:
    """Recompute the chain: a changed field, a removed or inserted entry is named; so is
    an entry that no longer has the hash ``anchored`` in the custody log."""
    report = AuditReport()
    prev, expected = GENESIS, 1
    hashes: dict[int, str] = {}
    for r in catalogue.db.execute("SELECT * FROM audit ORDER BY seq"):
        seq = int(r["seq"])
        report.entries += 1
        if seq != expected:
            report.problems.append(f"entry {expected} is missing (the next is {seq})")
        if r["prev"] != prev:
            report.problems.append(f"entry {seq} does not follow the entry before it")
        digest = chain_hash(r["prev"], seq, r["time"], r["actor"], r["action"], r["detail"])
        if digest != r["hash"]:
            report.problems.append(f"entry {seq} was changed after it was written")
        prev, expected = r["hash"], seq + 1
        hashes[seq] = r["hash"]
    report.head = prev
    for line, seq, digest in anchored:
        if hashes.get(seq) != digest:
            report.problems.append(
                f"entry {seq} is not the one anchored in custody.log line {line} "
                "(the trail was rewritten or cut after it was anchored)"
            )
    return report
