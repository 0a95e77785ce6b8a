"""The network to explore and the person facets, on the small ingested workbench case:
communities and centrality on the page and in both exports (the same view), a node
found by name without script, the script served by the desk itself under its CSP, and
resolved people listed once in the search facets with their spellings beneath."""

from __future__ import annotations

import html
import io
import re
import sqlite3
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from docket.serve.app import create_app
from tests.serve.conftest import desk_client


@pytest.fixture(scope="module")
def client(workbench_case: Path) -> TestClient:
    return desk_client(create_app(workbench_case))


def _page_nodes(page: str) -> set[str]:
    return set(re.findall(r'<g class="node [^"]*" data-id="([^"]+)"', page))


def test_network_page_colours_communities_and_loads_its_own_script(client: TestClient) -> None:
    r = client.get("/network")
    assert r.status_code == 200
    page = r.text
    nodes = _page_nodes(page)
    assert len(nodes) >= 2, page[-3000:]
    assert re.search(r'class="node node-\w+ comm-\d', page)
    assert '<script src="/static/network.js" defer></script>' in page
    assert "script-src 'self'" in r.headers["content-security-policy"]
    js = client.get("/static/network.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "http" not in js.text.replace("http://www.w3.org", "")  # nothing fetched from elsewhere
    # Without script everything is still there: links to people and to each edge's evidence.
    assert 'href="/person/' in page and 'href="/network/evidence?' in page


def test_exports_are_the_view_on_the_page(client: TestClient) -> None:
    params = {"min_weight": 1}
    page = client.get("/network", params=params).text
    nodes = _page_nodes(page)
    g = client.get("/network/export.gexf", params=params)
    assert g.status_code == 200 and "attachment" in g.headers["content-disposition"]
    graph = nx.read_gexf(io.BytesIO(g.content))
    assert set(graph.nodes) == nodes
    names = {graph.nodes[n]["label"] for n in graph.nodes}
    assert all(html.escape(name) in page for name in names)
    assert {"community", "centrality", "type"} <= set(next(iter(graph.nodes.values())))
    svg = client.get("/network/export.svg", params=params)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.count("<circle") == len(nodes)
    assert "<script" not in svg.text
    # The same filters narrow the export: a person's ego network.
    centre = sorted(nodes)[0]
    ego = client.get("/network/export.gexf", params={"person": centre, "depth": 1})
    assert centre in nx.read_gexf(io.BytesIO(ego.content)).nodes


def test_find_a_node_without_script(client: TestClient) -> None:
    page = client.get("/network").text
    name = html.unescape(re.findall(r'data-name="([^"]+)"', page)[0])
    found = client.get("/network", params={"find": name[:4]}).text
    assert 'id="net-found"' in found and 'found"' in found
    assert re.search(r'class="node [^"]*found"', found)


def test_person_facet_lists_each_entity_once(client: TestClient, workbench_case: Path) -> None:
    db = sqlite3.connect(workbench_case / "case.db")
    # An entity whose mentions carry two spellings (values) in the index.
    row = db.execute(
        "SELECT em.entity_id, count(DISTINCT m.value) FROM entity_members em "
        "JOIN mentions m ON em.member = 'mention:' || m.id WHERE m.kind = 'person' "
        "GROUP BY em.entity_id HAVING count(DISTINCT m.value) > 1 LIMIT 1"
    ).fetchone()
    values = (
        [r[0] for r in db.execute(
            "SELECT DISTINCT m.value FROM entity_members em JOIN mentions m "
            "ON em.member = 'mention:' || m.id WHERE em.entity_id = ?", (row[0],))]
        if row else []
    )  # fmt: skip
    db.close()
    if not row:
        pytest.skip("resolution joined no two spellings in this case")
    q = " OR ".join(f'person:"{v}"' for v in values)
    out = client.get("/api/search", params={"q": q, "with_facets": True}).json()
    entries = out["facets"]["entities"]["person"]
    ids = [e[4] for e in entries]
    assert ids.count(row[0]) == 1  # once, not once per spelling
    entry = entries[ids.index(row[0])]
    assert sorted(v for v, _, _ in entry[3]) == sorted(values)
    assert entry[1] == out["total"]  # items naming any spelling, each counted once
    page = html.unescape(client.get("/search", params={"q": q}).text)
    assert page.count(f'href="/person/{row[0]}"') >= 1
    assert 'class="spellings"' in page


def test_kept_readings_answer_as_reading_per_page(workbench_case: Path) -> None:
    """The desk keeps two whole-case readings until the case changes: each spelling's
    owner (the search facets) and each item's places (a person page's places named with
    it). Pages built from them are the pages read from the catalogue each time."""
    from docket.case import Case
    from docket.serve.facets import facets
    from docket.views.person import ItemPlaces, person
    from docket.views.search import spelling_owners

    case = Case.open(workbench_case)
    try:
        db = case.catalogue.db
        owners, places = spelling_owners(case), ItemPlaces(db)
        assert owners.get("person")  # resolution placed spellings in this case
        names = [
            v for (v,) in db.execute("SELECT DISTINCT value FROM mentions WHERE kind = 'person'")
        ]
        for q in [f'person:"{v}"' for v in names[:10]]:
            assert facets(case, q, owners) == facets(case, q)
        entities = [e for (e,) in db.execute("SELECT id FROM entities")]
        assert entities
        shown = [person(db, e, 100, places) for e in entities]
        assert shown == [person(db, e, 100) for e in entities]
        assert any(p and p["named_with"]["places"] for p in shown)  # places were counted
    finally:
        case.catalogue.close()
