"""Co-occurrence links derived from the catalogue: counted over every item, each item
once, crowded items capped; built on first need for a catalogue that has none, and
rebuilt when memberships change behind their back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docket.store import links
from docket.store.catalogue import Catalogue
from tests.store.named_items import write_case


def _pairs(items_of: dict[str, list]) -> dict[tuple[str, str], int]:
    order, a, b, weight = links.count_pairs(items_of)
    return {(order[x], order[y]): int(w) for x, y, w in zip(a, b, weight, strict=True)}


def test_each_item_counts_once_and_crowded_items_are_capped() -> None:
    assert _pairs({"p-a": ["i1", "i1", "i2"], "p-b": ["i1", "i2", "i2"], "p-c": ["i2"]}) == {
        ("p-a", "p-b"): 2,
        ("p-a", "p-c"): 1,
        ("p-b", "p-c"): 1,
    }
    # Item keys may be rowids as well as ids.
    assert _pairs({"p-a": [7, 9], "p-b": [9]}) == {("p-a", "p-b"): 1}
    # A roster naming 35 people adds the pairs of its first 30 (by id) only.
    roster = {f"p-{n:02d}": ["roster"] for n in range(35)}
    pairs = _pairs(roster)
    assert len(pairs) == 30 * 29 // 2
    assert ("p-00", "p-29") in pairs and ("p-00", "p-30") not in pairs
    assert _pairs({}) == {} and _pairs({"p-a": ["i1"]}) == {}


def _links(db: sqlite3.Connection) -> dict[tuple[str, str], int]:
    return {(a, b): w for a, b, w in db.execute("SELECT a, b, weight FROM entity_links")}


def test_every_item_counts(tmp_path: Path) -> None:
    # More items than the 5,000 the desk once sampled; one pair only in the very last.
    items = [["amal", "badr"]] * 6_000 + [["chadi", "dina"]]
    cat = write_case(tmp_path / "case.db", items)
    links.ensure(cat.db)  # no links yet: built now
    assert _links(cat.db) == {("p-amal", "p-badr"): 6_000, ("p-chadi", "p-dina"): 1}
    cat.close()


def test_built_once_and_again_when_memberships_change(tmp_path: Path) -> None:
    cat = write_case(tmp_path / "case.db", [["amal", "badr"], ["amal", "emad"]])
    db = cat.db
    db.execute("DROP TABLE entity_links")  # a catalogue from before the table
    links.ensure(db)
    assert _links(db) == {("p-amal", "p-badr"): 1, ("p-amal", "p-emad"): 1}
    db.execute("DELETE FROM entity_links")
    links.ensure(db)  # up to date by its stamp: not counted again
    assert _links(db) == {}
    # Emad's mention written by hand to Badr: out of step, so counted again.
    db.execute("INSERT INTO entity_members VALUES ('p-badr', 'mention:4')")
    links.ensure(db)
    assert _links(db) == {("p-amal", "p-badr"): 2, ("p-amal", "p-emad"): 1, ("p-badr", "p-emad"): 1}
    cat.close()


def test_read_only_catalogue_counts_into_a_temporary_table(tmp_path: Path) -> None:
    path = tmp_path / "case.db"
    write_case(path, [["amal", "badr"]]).close()
    ro = Catalogue(path, readonly=True)
    links.ensure(ro.db)
    assert _links(ro.db) == {("p-amal", "p-badr"): 1}
    ro.close()
    rw = Catalogue(path)
    assert rw.get_meta(links.STAMP) is None and _links(rw.db) == {}  # nothing written
    rw.close()
