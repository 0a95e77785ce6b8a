"""A resolution run writes the same entities, entity ids, members, explanations, alias
links and co-occurrence links as before its tail was made faster, on a generated Arabic
and English catalogue with records, correspondence, alias evidence and the analyst's
decisions (``tests.resolve.generated``); the PostgreSQL twin of this test is
``tests/newsroom/test_resolution_pg.py``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docket.model.refs import MemberRef
from docket.resolve.run import Member, members_from, resolve_store
from docket.store import links
from docket.store.catalogue import Catalogue
from tests.resolve import generated

# ``generated.digest`` of the rows the run wrote before the tail was made faster (the
# catalogue of ``resolved``). Change it only with a change meant to alter resolution.
GOLDEN = "4c6e36962ca02449"


def resolved(cat: Catalogue) -> dict[str, list[list[Any]]]:
    """Fill ``cat``, resolve, add the analyst's decisions, resolve again; what it holds."""
    generated.build(cat)
    resolve_store(cat)
    generated.add_decisions(cat)
    resolve_store(cat)
    return generated.dump(cat)


def test_resolution_writes_what_it_wrote_before(tmp_path: Path) -> None:
    cat = Catalogue(tmp_path / "case.db", create=True)
    rows = resolved(cat)
    assert generated.digest(rows) == GOLDEN
    # the fixture exercises what the digest covers
    explains = [json.loads(e[5]) for e in rows["entities"]]
    assert any("decisions" in x for x in explains) and any("aliases" in x for x in explains)
    assert any(x["method"] == "split" for x in explains)
    assert {r[4] for r in rows["alias_links"]} == {"confirmed", "possible", "rejected"}
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in e[2]) for e in rows["entities"])
    resolve_store(cat)  # a run over its own output changes nothing
    assert generated.dump(cat) == rows
    cat.close()


def test_links_are_those_counted_from_the_stored_members(tmp_path: Path) -> None:
    """The links resolution counts from what it holds are the ones counted from the
    catalogue's ``entity_members`` and ``mentions`` alone."""
    cat = Catalogue(tmp_path / "case.db", create=True)
    rows = resolved(cat)
    cat.begin()
    links.rebuild(cat.db)
    cat.commit()
    assert generated.dump(cat)["entity_links"] == rows["entity_links"]
    cat.close()


def _reference_members(cat: Catalogue) -> list[Member]:
    """Members read the plain way: every column by name, refs through ``MemberRef``."""
    out = []
    for m in cat.db.execute(
        "SELECT m.*, i.rowid AS item_rowid FROM mentions m JOIN items i ON i.id = m.item_id "
        "WHERE m.kind IN ('person', 'org', 'place') ORDER BY i.rowid, m.segment, m.start, m.id"
    ):
        out.append(Member(str(MemberRef("mention", m["id"])), m["kind"],
                          m["text"] or m["value"] or "", (m["item_rowid"], m["segment"], m["start"]),
                          f"m:{m['item_id']}:{m['segment']}:{m['start']}", m["item_id"], m["attrs"]))  # fmt: skip
    return out


def test_mention_members_are_read_as_written(tmp_path: Path) -> None:
    cat = Catalogue(tmp_path / "case.db", create=True)
    generated.build(cat)
    members = members_from(cat.resolution_rows())
    expected = _reference_members(cat)
    got = [m for m in members if m.ref.startswith("mention:")]
    assert [(m.ref, m.type, m.text, m.order, m.stable, m.item, m.hints) for m in got] == [
        (m.ref, m.type, m.text, m.order, m.stable, m.item, m.hints) for m in expected
    ]
    assert any(m.text == "Abu Ammar al-Nuaimi" and m.stable.endswith(":9:0") for m in got)
    cat.close()
