"""The alias links resolution writes (``docket.resolve.aliases``) and the mentions it
reads them from. Mixed into ``Catalogue``, whose connection and transactions these use."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

_COLUMNS = ("id", "name", "alias", "score", "status", "decided", "decision", "note",
            "name_entity", "alias_entity", "spellings", "evidence")  # fmt: skip
_JSON = ("spellings", "evidence")


def _cell(link: dict[str, Any], column: str) -> Any:
    return json.dumps(link[column], ensure_ascii=False) if column in _JSON else link[column]


class AliasTables:
    db: sqlite3.Connection

    def alias_rows(self) -> list[dict[str, Any]]:
        """The ``alias`` and ``contact`` mentions (``docket.enrich.aliases``)."""
        return [
            dict(r)
            for r in self.db.execute(
                'SELECT id, item_id, segment, start, "end", kind, text, value, attrs '
                "FROM mentions WHERE kind IN ('alias', 'contact') ORDER BY item_id, id"
            )
        ]

    def replace_alias_links(self, links: list[dict[str, Any]]) -> None:
        """Replace every alias link, in one transaction."""
        own = not self.db.in_transaction
        if own:
            self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DELETE FROM alias_links")
            self.db.executemany(
                f"INSERT INTO alias_links ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})",
                [tuple(_cell(x, c) for c in _COLUMNS) for x in links],
            )
            if own:
                self.db.execute("COMMIT")
        except BaseException:
            if own and self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
