"""One co-occurrence count: the GEXF export's co-occurrence edges weigh what the desk's
network (and ``/api/network``) shows, on a case where an item names more people than the
count takes from one item (``MAX_PER_ITEM``), so the cap changes the weights."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from docket.export.gexf import write_gexf
from docket.export.graph import read_graph
from docket.serve.app import create_app
from docket.store.catalogue import Catalogue
from docket.views import network
from tests.serve.conftest import desk_client
from tests.store.named_items import write_case

ROSTER = [f"m{n:02d}" for n in range(40)]  # one sheet naming 40 people


def _gexf_cooccurrence(root: Path) -> dict[tuple[str, str], int]:
    cat = Catalogue(root / "case.db")
    try:
        text = write_gexf(read_graph(cat))
    finally:
        cat.close()
    edges = etree.fromstring(text.encode()).iter("{http://gexf.net/1.3}edge")
    return {
        (e.get("source"), e.get("target")): int(e.get("weight"))
        for e in edges
        if e.get("label") == "cooccurrence"
    }


def test_gexf_and_desk_count_cooccurrence_alike(tmp_path: Path) -> None:
    root = tmp_path / "case"
    root.mkdir()
    items = [ROSTER, ["m00", "m39"], ["m00", "m39"], ["m00", "m01"]]
    write_case(root / "case.db", items).close()
    client = desk_client(create_app(root))
    shown = client.get("/api/network").json()
    assert len(shown["nodes"]) == 31  # the roster's first 30, and m39 through the letters
    desk = {(e["a"], e["b"]): e["weight"] for e in shown["edges"] if e["kind"] == "cooccurrence"}
    gexf = _gexf_cooccurrence(root)
    # The roster adds the pairs of its first 30 people only: m39 is linked by the letters.
    assert gexf[("p-m00", "p-m39")] == 2
    assert gexf[("p-m00", "p-m01")] == 2
    assert ("p-m00", "p-m35") not in gexf
    assert len(gexf) == 30 * 29 // 2 + 1
    # The desk draws the heaviest links only (``serve.network.MAX_EDGES``); each it draws
    # weighs what Gephi gets, and the count both read is the same.
    assert desk and all(gexf[pair] == w for pair, w in desk.items())
    cat = Catalogue(root / "case.db")
    try:
        assert {(a, b): w for a, b, w in network.cooccurrence(cat.db)} == gexf
    finally:
        cat.close()
    assert network.MAX_PER_ITEM == 30
