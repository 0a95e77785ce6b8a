"""The network page on a case whose catalogue predates ``entity_links``: the links are
counted on first need, over every item (past the 5,000 the desk once sampled), and each
link's evidence lists the items behind it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from docket.case import Case
from docket.serve import network
from docket.serve.app import create_app
from docket.store import links
from tests.serve.conftest import desk_client
from tests.store.named_items import write_case

LETTER = "i05003"  # names Dina; its correspondence relation runs from Amal to Dina


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("network") / "case"
    root.mkdir()
    items = [["amal", "badr"]] * 5_001 + [["amal", "chadi"], ["badr", "chadi"], ["dina"]]
    cat = write_case(root / "case.db", items)
    rel = cat.db.execute(
        "INSERT INTO relations (item_id, kind, source, target, method) "
        "VALUES (?, 'correspondence', 'Amal', 'Dina', 'test')",
        (LETTER,),
    ).lastrowid
    cat.db.executemany(
        "INSERT INTO entity_members VALUES (?, ?)",
        [("p-amal", f"relation:{rel}:source"), ("p-dina", f"relation:{rel}:target")],
    )
    cat.db.execute("DROP TABLE entity_links")  # as an older Docket left it
    cat.close()
    return root


def _edges(graph: dict) -> dict[tuple[str, str, str], int]:
    return {(e["a"], e["b"], e["kind"]): e["weight"] for e in graph["edges"]}


def test_old_case_shows_the_links_of_every_item(root: Path) -> None:
    client = desk_client(create_app(root))
    assert _edges(client.get("/api/network").json()) == {
        ("p-amal", "p-badr", "cooccurrence"): 5_001,
        ("p-amal", "p-chadi", "cooccurrence"): 1,
        ("p-badr", "p-chadi", "cooccurrence"): 1,
        ("p-amal", "p-dina", "correspondence"): 1,
    }
    db = sqlite3.connect(root / "case.db")
    assert db.execute("SELECT count(*) FROM entity_links").fetchone() == (3,)
    assert db.execute("SELECT value FROM meta WHERE key = ?", (links.STAMP,)).fetchone()
    db.close()
    # The filters read the same links: heavy ones only, one kind, one person's network.
    heavy = client.get("/api/network", params={"min_weight": 2}).json()
    assert _edges(heavy) == {("p-amal", "p-badr", "cooccurrence"): 5_001}
    letters = client.get("/api/network", params={"kind": "correspondence"}).json()
    assert set(_edges(letters)) == {("p-amal", "p-dina", "correspondence")}
    for depth, ids in ((1, {"p-dina", "p-amal"}), (2, {"p-dina", "p-amal", "p-badr", "p-chadi"})):
        ego = client.get("/api/network", params={"person": "p-dina", "depth": depth}).json()
        assert {n["id"] for n in ego["nodes"]} == ids


def test_evidence_lists_the_items_behind_a_link(root: Path) -> None:
    case = Case.open(root)
    found, _ = network.evidence(case, "p-amal", "p-chadi")
    assert [(r["id"], r["kind"]) for r in found] == [("i05001", "cooccurrence")]
    assert [(r["id"], r["kind"]) for r in network.evidence(case, "p-dina", "p-amal")[0]] == [
        (LETTER, "correspondence")
    ]
    both, total = network.evidence(case, "p-badr", "p-amal")
    assert [r["id"] for r in both] == [f"i{n:05d}" for n in range(5_001)]  # in the case's order
    assert total == 5_001
    first, total = network.evidence(case, "p-badr", "p-amal", limit=10)
    assert [r["id"] for r in first] == [f"i{n:05d}" for n in range(10)] and total == 5_001
    listed = desk_client(create_app(root)).get(
        "/network/evidence", params={"a": "p-badr", "b": "p-amal"}
    )
    assert listed.text.count('href="/item/i0') == 500 and "5001" in listed.text
    page = desk_client(create_app(root)).get(
        "/network/evidence", params={"a": "p-amal", "b": "p-chadi"}
    )
    assert 'href="/item/i05001"' in page.text and 'href="/item/i05000"' not in page.text


def test_desk_reads_the_links_again_only_when_rebuilt(tmp_path: Path) -> None:
    """Each desk process holds the links as arrays: a new finding keeps them, a rebuild
    (a resolution run, here a merge of Badr into Chadi) replaces them."""
    root = tmp_path / "case"
    root.mkdir()
    cat = write_case(root / "case.db", [["amal", "badr"]] * 3 + [["amal", "chadi"]])
    with cat.db:
        links.rebuild(cat.db)
    cat.close()
    app = create_app(root)
    client = desk_client(app)
    assert _edges(client.get("/api/network").json()) == {
        ("p-amal", "p-badr", "cooccurrence"): 3,
        ("p-amal", "p-chadi", "cooccurrence"): 1,
    }
    db = sqlite3.connect(root / "case.db")
    token = links.built(db)
    assert token

    def held() -> object:
        return app.state.desk.readings.get(("cooccurrence", token), lambda: None)

    kept = held()
    assert kept is not None
    with db:
        db.execute(
            "INSERT INTO findings (time, title, note, tags, cites) "
            "VALUES ('2026-01-01T00:00:00Z', 'note', '', '[]', '[]')"
        )
    assert client.get("/api/network", params={"min_weight": 2}).json()["edges"]
    assert held() is kept and links.built(db) == token  # the same arrays serve
    with db:
        db.execute("UPDATE entity_members SET entity_id = 'p-chadi' WHERE entity_id = 'p-badr'")
        db.execute("DELETE FROM entities WHERE id = 'p-badr'")
        links.rebuild(db)
    assert links.built(db) != token
    assert _edges(client.get("/api/network").json()) == {("p-amal", "p-chadi", "cooccurrence"): 4}
    db.close()


def test_a_cut_drawing_says_how_many_nodes_and_links_it_left_out(tmp_path: Path) -> None:
    """More nodes than the drawing holds (161 linked, 120 drawn) and more links among those
    drawn than it draws (524, 400 drawn): the page says both counts, in both languages, and
    the API gives them."""
    root = tmp_path / "case"
    root.mkdir()
    clique = [f"m{n:02d}" for n in range(30)]
    items = [clique] + [["hub", f"x{n:03d}"] for n in range(130)]
    cat = write_case(root / "case.db", items)
    with cat.db:
        links.rebuild(cat.db)
    cat.close()
    client = desk_client(create_app(root))
    g = client.get("/api/network").json()
    assert (len(g["nodes"]), g["nodes_total"]) == (120, 161)
    assert (len(g["edges"]), g["edges_total"]) == (400, 30 * 29 // 2 + 89)
    page = client.get("/network").text
    assert "Only the 120 busiest of 161 nodes are drawn." in page
    assert "Of the 524 links among the nodes drawn, only the 400 heaviest are drawn." in page
    ar = client.get("/network", params={"lang": "ar"}).text
    assert "تُرسم أنشط 120 عقدة فقط من أصل 161." in ar and "من أصل 524 رابط" in ar
    small = client.get("/network", params={"person": "p-m00", "lang": "en"}).text
    assert "busiest of" not in small and "Of the 435 links" in small  # 30 nodes, all drawn
