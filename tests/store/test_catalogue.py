"""The catalogue gains indexes added to schema.sql after it was created."""

from __future__ import annotations

from pathlib import Path

from docket.store.catalogue import Catalogue


def _indexes(cat: Catalogue) -> set[str]:
    return {r[0] for r in cat.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_missing_indexes_are_added_on_a_writable_open(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    cat = Catalogue(db, create=True)
    assert "entity_links_b" in _indexes(cat)
    cat.db.execute("DROP INDEX entity_links_b")  # a catalogue from before the index
    cat.close()
    ro = Catalogue(db, readonly=True)
    assert "entity_links_b" not in _indexes(ro)  # a read-only open changes nothing
    ro.close()
    cat = Catalogue(db)
    assert "entity_links_b" in _indexes(cat)
    plan = " ".join(
        str(r[3])
        for r in cat.db.execute(
            "EXPLAIN QUERY PLAN SELECT a FROM entity_links WHERE b = 'p' ORDER BY weight DESC"
        )
    )
    assert "INDEX entity_links_b" in plan
    cat.close()
