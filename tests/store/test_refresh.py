"""A case whose index was built by a Docket with other index fields is searchable at
once: the first command that opens it rebuilds the index from the catalogue."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docket.store.fulltext import INDEX_VERSION
from tests.helpers import docket, docket_lines


def _age_the_index(case: Path) -> None:
    # What a case from an older Docket looks like: another index version in the meta.
    with sqlite3.connect(case / "case.db") as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'index_version'")


def _version(case: Path) -> str:
    with sqlite3.connect(case / "case.db") as db:
        return db.execute("SELECT value FROM meta WHERE key = 'index_version'").fetchone()[0]


def test_an_index_from_another_version_is_rebuilt_before_a_search(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("تحويل رواتب إلى النعيمي\n", encoding="utf-8")
    (src / "b.txt").write_text("Transfer to Nuaimi of 500 dollars\n")
    case = tmp_path / "case"
    docket("ingest", src, case=case)
    _age_the_index(case)

    proc = docket("search", "النعيمي", case=case)
    assert "rebuilding" in proc.stderr and "2 items indexed" in proc.stderr
    assert _version(case) == INDEX_VERSION
    (found,) = docket_lines("search", "Nuaimi", case=case)
    assert {h["path"][-1] for h in found["hits"]} == {"src/a.txt", "src/b.txt"}  # and cross-script

    # The rebuild let go of the writer lock: an ingest can run next.
    (src / "c.txt").write_text("Nuaimi again\n")
    docket("ingest", src, case=case)
    (found,) = docket_lines("search", "Nuaimi", case=case)
    assert found["total"] == 3
