"""The catalogue gains indexes added to schema.sql after it was created."""

from __future__ import annotations

from pathlib import Path

from docket.index.catalogue import Catalogue


def _indexes(cat: Catalogue) -> set[str]:
    return {r[0] for r in cat.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_missing_indexes_are_added_on_a_writable_open(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    cat = Catalogue(db, create=True)
    assert "mentions_item_kind" in _indexes(cat)
    cat.db.execute("DROP INDEX mentions_item_kind")  # a catalogue from before the index
    cat.close()
    ro = Catalogue(db, readonly=True)
    assert "mentions_item_kind" not in _indexes(ro)  # a read-only open changes nothing
    ro.close()
    cat = Catalogue(db)
    assert "mentions_item_kind" in _indexes(cat)
    plan = " ".join(
        str(r[3])
        for r in cat.db.execute(
            "EXPLAIN QUERY PLAN SELECT kind, value, count(DISTINCT item_id) FROM mentions "
            "WHERE item_id IN ('a', 'b') AND +kind IN ('person') AND value != '' GROUP BY 1, 2"
        )
    )
    assert "COVERING INDEX mentions_item_kind" in plan
    cat.close()
