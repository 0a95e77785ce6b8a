"""The enrich stage's tables: which enrichers have run on each item (``enrichment``), at
which version, and what each enricher left (mentions and warnings carry its name).
Mixed into ``Catalogue``, whose connection and transactions these use.

An enricher's version starts at ``1`` and is bumped by ``docket enrich --only NAME``: an
item is done for an enricher when it has a row at the current version, so a re-run that
is killed resumes where it stopped, and a finished item is never redone."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from docket.model.mentions import Mention

_VERSION_KEY = "enricher_version:"


class StageTables:
    db: sqlite3.Connection

    if TYPE_CHECKING:  # the catalogue's own

        def get_meta(self, key: str) -> str | None: ...

    # -- versions and progress ---------------------------------------------------------
    def set_stage_enrichers(self, names: Sequence[str]) -> None:
        """Record the enrichers the enrich stage runs (the ``enrich`` setting of the
        latest ingest or enrich run): what progress is counted against."""
        self.db.execute(
            "INSERT OR REPLACE INTO meta VALUES ('enrich_stage', ?)", (json.dumps(list(names)),)
        )

    def stage_enrichers(self) -> list[str] | None:
        """The enrichers recorded by ``set_stage_enrichers``; None in a case enriched
        before the stage was separate (each item was enriched with its extraction)."""
        value = self.get_meta("enrich_stage")
        return list(json.loads(value)) if value else None

    def enricher_versions(self, names: Iterable[str]) -> dict[str, str]:
        return {n: self.get_meta(_VERSION_KEY + n) or "1" for n in names}

    def bump_enrichers(self, names: Iterable[str]) -> None:
        """Start a re-run of ``names`` on every item (inside the caller's transaction)."""
        for name, version in self.enricher_versions(names).items():
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                (_VERSION_KEY + name, str(int(version) + 1)),
            )

    def _missing(self, versions: dict[str, str]) -> tuple[str, list[Any]]:
        sql = " OR ".join(
            "NOT EXISTS (SELECT 1 FROM enrichment e WHERE e.item_id = i.id "
            "AND e.enricher = ? AND e.version = ?)"
            for _ in versions
        )
        return f"({sql})", [x for n, v in versions.items() for x in (n, v)]

    def enrich_todo_count(self, versions: dict[str, str]) -> int:
        """Finished items not done for every enricher in ``versions``."""
        if not versions:
            return 0
        missing, params = self._missing(versions)
        sql = f"SELECT count(*) FROM items i WHERE i.status != 'pending' AND {missing}"
        return int(self.db.execute(sql, params).fetchone()[0])

    def enrich_todo(
        self, versions: dict[str, str], after_rowid: int, limit: int
    ) -> list[tuple[int, str, list[str]]]:
        """Finished items after ``after_rowid`` not done for every enricher in
        ``versions``: ``(rowid, id, names still to run)`` in rowid order."""
        if not versions:
            return []
        names = list(versions)
        missing, params = self._missing(versions)
        rows = self.db.execute(
            f"SELECT i.rowid, i.id FROM items i WHERE i.rowid > ? AND i.status != 'pending' "
            f"AND {missing} ORDER BY i.rowid LIMIT ?",
            [after_rowid, *params, limit],
        ).fetchall()
        out = []
        for rowid, item_id in rows:
            done = {
                e
                for e, v in self.db.execute(
                    "SELECT enricher, version FROM enrichment WHERE item_id = ?", (item_id,)
                )
                if versions.get(e) == v
            }
            out.append((rowid, item_id, [n for n in names if n not in done]))
        return out

    def mark_enriched(self, item_id: str, versions: dict[str, str]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO enrichment VALUES (?, ?, ?)",
            [(item_id, n, v) for n, v in versions.items()],
        )

    def enrich_progress(
        self, names: Sequence[str] | None = None, finished: int | None = None
    ) -> dict[str, Any]:
        """``{"done", "total", "by_enricher": {name: done}}`` over finished items: what
        ``status`` and the desk show while the stage goes on (``names``: the recorded
        ``stage_enrichers``; ``finished``: the number of finished items, when the caller
        has counted them)."""
        if names is None:
            names = self.stage_enrichers()
        if names is None:  # enriched inline, before the stage was separate
            names = []
        total = finished
        if total is None:
            total = int(
                self.db.execute("SELECT count(*) FROM items WHERE status != 'pending'").fetchone()[
                    0
                ]
            )
        have = {
            r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if "enrichment" not in have or not names:
            return {"done": total if not names else 0, "total": total, "by_enricher": {}}
        versions = self.enricher_versions(names)
        done = total - self.enrich_todo_count(versions)
        by: dict[str, int] = {}
        for n in names:
            by[n] = int(
                self.db.execute(
                    "SELECT count(*) FROM enrichment e JOIN items i ON i.id = e.item_id "
                    "WHERE e.enricher = ? AND e.version = ? AND i.status != 'pending'",
                    (n, versions[n]),
                ).fetchone()[0]
            )
        return {"done": done, "total": total, "by_enricher": by}

    # -- what enrichers left -----------------------------------------------------------
    def tagged_mentions(self, item_id: str) -> list[tuple[Mention, str | None]]:
        """An item's mentions in the order written, each with its enricher's name."""
        rows = self.db.execute(
            'SELECT kind, text, value, segment, start, "end", method, attrs, enricher '
            "FROM mentions WHERE item_id = ? ORDER BY id",
            (item_id,),
        )
        out = []
        for r in rows:
            attrs = json.loads(r[7]) if r[7] else {}
            out.append((Mention(r[0], r[1], r[2] or "", r[3], r[4], r[5], r[6], attrs), r[8]))
        return out

    def replace_enricher_warnings(
        self, item_id: str, names: Iterable[str], warnings: Iterable[tuple[str, str, str]]
    ) -> None:
        """Drop what ``names`` warned before; add ``(code, message, enricher)`` rows."""
        names = list(names)
        self.db.execute(
            f"DELETE FROM warnings WHERE item_id = ? AND enricher IN ({','.join('?' * len(names))})",
            [item_id, *names],
        )
        self.db.executemany(
            "INSERT INTO warnings (item_id, code, message, enricher) VALUES (?, ?, ?, ?)",
            [(item_id, c, m, e) for c, m, e in warnings],
        )
