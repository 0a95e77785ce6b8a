"""Every resolution run, and so every merge and split, rewrites the co-occurrence links
with the memberships they are counted from."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.resolve.decisions import merge, split
from docket.resolve.run import resolve_store
from docket.store import links
from docket.store.catalogue import Catalogue
from tests.resolve.catalogue import build

NUAIMI, TAMIMI, HASSAN = "Abu Ammar al-Nuaimi", "Abu Ammar al-Tamimi", "Hassan Ibrahim al-Jubouri"


@pytest.fixture
def cat(tmp_path: Path):
    c = build(tmp_path)
    yield c
    c.close()


def _links(cat: Catalogue) -> dict[frozenset[str], int]:
    """Links by the display names of their two ends."""
    name = {e["id"]: e["name"] for e in cat.entities()}
    rows = cat.db.execute("SELECT a, b, kind, weight FROM entity_links")
    return {frozenset((name[a], name[b])): w for a, b, kind, w in rows if kind == links.KIND}


def test_resolution_counts_the_links(cat: Catalogue) -> None:
    resolve_store(cat)
    # Nuaimi and Hassan share both letters and the report; Tamimi the report and the memo.
    assert _links(cat) == {
        frozenset((NUAIMI, HASSAN)): 3,
        frozenset((NUAIMI, TAMIMI)): 2,
        frozenset((TAMIMI, HASSAN)): 1,
    }
    # Counted from what resolution held, the same as counted back from the catalogue.
    counted = sorted(map(tuple, cat.db.execute("SELECT * FROM entity_links")))
    cat.db.execute("DELETE FROM entity_links")
    cat.db.execute("DELETE FROM meta WHERE key = ?", (links.STAMP,))
    links.ensure(cat.db)
    assert sorted(map(tuple, cat.db.execute("SELECT * FROM entity_links"))) == counted


def _holding(cat: Catalogue, spelling: str) -> str:
    """The display name of the entity a spelling was resolved to."""
    return next(e["name"] for e in cat.entities() if spelling in e["variants"])


def test_merge_and_split_rewrite_the_links(cat: Catalogue) -> None:
    people = {e["name"]: e["id"] for e in resolve_store(cat)}
    merged = merge(cat, [people[NUAIMI], people[TAMIMI]], actor="test")
    # One entity now: the report names it twice but counts once; no link to itself.
    assert _links(cat) == {frozenset((_holding(cat, TAMIMI), HASSAN)): 3}
    (memo,) = cat.db.execute(
        "SELECT id FROM mentions WHERE item_id = 'memo' AND text = 'أبو عمار التميمي'"
    ).fetchone()
    split(cat, merged["id"], str(memo), actor="test")
    assert _links(cat) == {
        frozenset((_holding(cat, NUAIMI), HASSAN)): 3,
        frozenset((_holding(cat, NUAIMI), "أبو عمار التميمي")): 1,  # the memo names both
    }
