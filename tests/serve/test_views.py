"""Document, person and network views on a small case written straight into the
catalogue (the rows the extraction, enrichment and resolution stages would leave): sheet
cells linked to their entities, long documents shown a window at a time, and the ego
network of one person."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docket.case import Case
from docket.model.items import Segment
from docket.model.mentions import Mention
from docket.serve import document
from docket.serve.app import create_app
from tests.serve.conftest import catalogue_item, desk_client

ROW = "Hassan Ibrahim | 500 | Mosul | <script>alert(1)</script>"
# A chain of correspondents A → B → C → D, and E seen beside A in one memo.
CHAIN = [("Amal", "Badr"), ("Badr", "Chadi"), ("Chadi", "Dina")]


def _entity(db: Any, eid: str, name: str, members: list[str]) -> None:
    db.execute(
        "INSERT INTO entities VALUES (?, 'person', ?, '[]', ?, NULL)", (eid, name, len(members))
    )
    db.executemany("INSERT INTO entity_members VALUES (?, ?)", [(eid, m) for m in members])


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    root = tmp_path_factory.mktemp("views") / "case"
    case = Case.open(root, create=True)
    cat, db = case.catalogue, case.catalogue.db
    # A sheet: a name and a place in cells of row 2, and a span crossing two cells.
    cat.add_item(catalogue_item("sheet", "payroll.csv", "csv"))
    cat.replace_segments(
        "sheet", [Segment("name | amount | place | note", row=1), Segment(ROW, row=2)]
    )
    place = ROW.index("Mosul")
    cat.replace_mentions(
        "sheet",
        [
            Mention("person", "Hassan Ibrahim", "Hassan Ibrahim", 1, 0, 14, "test"),
            Mention("place", "Mosul", "Mosul", 1, place, place + 5, "test"),
            Mention("money", "500 | Mosul", "500", 1, 17, place + 5, "test"),
        ],
    )
    # A long report: 250 pages, a name on page 180.
    cat.add_item(catalogue_item("long", "report.pdf", "pdf"))
    pages = [Segment(f"page {n} words of the report", page=n) for n in range(1, 251)]
    pages[179] = Segment("page 180 Hassan Ibrahim signed", page=180)
    cat.replace_segments("long", pages)
    cat.replace_mentions(
        "long", [Mention("person", "Hassan Ibrahim", "Hassan Ibrahim", 179, 9, 23, "t")]
    )
    cat.add_item(catalogue_item("memo", "memo.txt", "text"))
    cat.replace_segments("memo", [Segment("Amal met Emad")])
    cat.replace_mentions(
        "memo",
        [
            Mention("person", "Amal", "Amal", 0, 0, 4, "t"),
            Mention("person", "Emad", "Emad", 0, 9, 13, "t"),
        ],
    )
    cat.add_item(catalogue_item("letters", "letters.txt", "text"))
    cat.replace_relations(
        "letters",
        [{"kind": "correspondence", "source": a, "target": b, "method": "t"} for a, b in CHAIN],
    )
    mid = {r["text"] + r["item_id"]: r["id"] for r in db.execute("SELECT * FROM mentions")}
    rel = {(r["source"], r["target"]): r["id"] for r in db.execute("SELECT * FROM relations")}

    def ends(name: str) -> list[str]:
        return [f"relation:{i}:source" for (a, _), i in rel.items() if a == name] + [
            f"relation:{i}:target" for (_, b), i in rel.items() if b == name
        ]

    with db:
        _entity(
            db,
            "p-hassan",
            "Hassan Ibrahim",
            [f"mention:{mid['Hassan Ibrahimsheet']}", f"mention:{mid['Hassan Ibrahimlong']}"],
        )
        _entity(db, "p-amal", "Amal", [f"mention:{mid['Amalmemo']}", *ends("Amal")])
        _entity(db, "p-emad", "Emad", [f"mention:{mid['Emadmemo']}"])
        for name in ("Badr", "Chadi", "Dina"):
            _entity(db, f"p-{name.lower()}", name, ends(name))
    cat.close()
    return desk_client(create_app(root))


def test_sheet_cells_link_their_entities(client: TestClient) -> None:
    html = client.get("/item/sheet", params={"q": "500"}).text
    row = re.search(r'<tr id="row--2">(.*?)</tr>', html, re.S)
    assert row, html
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert len(cells) == 4
    assert (
        cells[0]
        == '<a class="ent ent-person" href="/person/p-hassan" title="Hassan Ibrahim">Hassan Ibrahim</a>'
    )
    assert cells[1] == '<mark class="hit">500</mark>'
    # An unresolved place links to a search for it; a span across cells links nowhere.
    assert cells[2].startswith('<a class="ent ent-place" href="/search?q=place%3A%22Mosul%22"')
    assert "ent-money" not in row.group(1)
    assert cells[3] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_long_document_is_shown_a_window_at_a_time(client: TestClient) -> None:
    first = client.get("/item/long").text
    assert 'id="seg-0"' in first and f'id="seg-{document.WINDOW_SEGMENTS - 1}"' in first
    assert f'id="seg-{document.WINDOW_SEGMENTS}"' not in first
    assert "Segments 1–50 of 250." in first and 'id="text-prev"' not in first
    nxt = re.search(r'id="text-next" href="([^"]+)"', first)
    assert nxt and "seg=50" in nxt.group(1)
    second = client.get(nxt.group(1).replace("&amp;", "&")).text
    assert 'id="seg-50"' in second and 'id="seg-49"' not in second
    # The name on page 180 is linked in its window, and listed for the whole item.
    around = client.get("/item/long", params={"seg": 150}).text
    seg = re.search(r'id="seg-179"[^>]*>(.*?)</div>', around, re.S)
    assert seg and 'href="/person/p-hassan"' in seg.group(1)
    assert 'class="ent ent-person" href="/person/p-hassan"' in first  # the entity list
    last = client.get("/item/long", params={"seg": 200}).text
    assert 'id="seg-249"' in last and 'id="text-next"' not in last


def test_person_page_links_to_windowed_mentions_and_ego_network(client: TestClient) -> None:
    html = client.get("/person/p-hassan").text
    assert 'href="/item/long?at=seg-179#seg-179"' in html
    assert 'id="seg-179"' in client.get("/item/long", params={"at": "seg-179"}).text
    # A name in a sheet row links to the row's number cell, which carries the segment's id.
    assert 'href="/item/sheet?at=seg-1#seg-1"' in html
    assert '<tr id="row--2"><th id="seg-1">2</th>' in client.get("/item/sheet").text
    assert 'href="/network?person=p-hassan&amp;depth=1"' in html


def _names(graph: dict[str, Any]) -> set[str]:
    return {n["name"] for n in graph["nodes"]}


def test_ego_network_by_person_and_depth(client: TestClient) -> None:
    whole = client.get("/api/network").json()
    assert _names(whole) == {"Amal", "Badr", "Chadi", "Dina", "Emad"}
    one = client.get("/api/network", params={"person": "p-amal"}).json()
    assert _names(one) == {"Amal", "Badr", "Emad"}
    two = client.get("/api/network", params={"person": "p-amal", "depth": 2}).json()
    assert _names(two) == {"Amal", "Badr", "Chadi", "Emad"}
    assert {(e["a"], e["b"]) for e in two["edges"]} == {
        ("p-amal", "p-badr"),
        ("p-badr", "p-chadi"),
        ("p-amal", "p-emad"),
    }
    # The other filters still apply inside the ego network.
    letters = client.get(
        "/api/network", params={"person": "p-amal", "depth": 2, "kind": "correspondence"}
    ).json()
    assert _names(letters) == {"Amal", "Badr", "Chadi"}
    alone = client.get("/api/network", params={"person": "p-hassan"}).json()
    assert _names(alone) == {"Hassan Ibrahim"} and not alone["edges"]
    page = client.get("/network", params={"person": "p-amal", "depth": 2}).text
    assert 'id="ego-centre"' in page and 'href="/person/p-amal"' in page
    assert '<option value="2" selected>' in page
