"""Search hits found through a confirmed alias page like any other hit: they follow every
hit of the query itself, ``total`` counts them on every page, none is listed twice and
none is cut (the desk's pager reaches the last of them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.case import Case
from docket.model.items import Segment
from docket.serve.app import create_app
from docket.views.search import search
from tests.serve.conftest import desk_client
from tests.store.named_items import write_case

ALIAS = "أبو حمزة"
NAMED = 45  # items naming Hassan: more than two pages of the desk's twenty
WRITTEN = (0, 1, 2, 50, 51)  # items whose text has the alias itself


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("alias-paging") / "case"
    root.mkdir()
    people = [["hassan"] if n < NAMED else ["other"] for n in range(60)]
    cat = write_case(root / "case.db", people)
    for n in range(60):
        text = f"رسالة من {ALIAS} رقم {n}" if n in WRITTEN else f"Payment list number {n}"
        cat.replace_segments(f"i{n:05d}", [Segment(text)])
    cat.db.execute(
        "INSERT INTO alias_links (id, name, alias, score, status, decided, name_entity, "
        "alias_entity, spellings, evidence) VALUES ('a1', 'Hassan', ?, 0.9, 'confirmed', "
        "'evidence', 'p-hassan', 'p-hassan', ?, '[]')",
        (ALIAS, json.dumps({"name": ["Hassan"], "alias": [ALIAS]})),
    )
    cat.db.commit()
    cat.close()
    case = Case.open(root)
    case.rebuild_index()
    case.close()
    return root


def test_alias_hits_page_after_the_query_hits(root: Path) -> None:
    case = Case.open(root)
    whole = search(case, ALIAS, limit=100)
    direct = [h["id"] for h in whole["hits"] if not h.get("via_alias")]
    via = [h["id"] for h in whole["hits"] if h.get("via_alias")]
    assert sorted(direct) == [f"i{n:05d}" for n in WRITTEN]
    # every document of Hassan the query did not find itself, once, after the hits
    assert via == [f"i{n:05d}" for n in range(NAMED) if n not in WRITTEN]
    assert whole["total"] == len(direct) + len(via) == len(whole["hits"])
    pages = [search(case, ALIAS, limit=10, offset=o) for o in range(0, 60, 10)]
    assert {p["total"] for p in pages} == {whole["total"]}
    assert [h["id"] for p in pages for h in p["hits"]] == [h["id"] for h in whole["hits"]]
    assert [len(p["hits"]) for p in pages] == [10, 10, 10, 10, 7, 0]
    case.close()


def test_desk_pager_reaches_the_last_alias_hit(root: Path) -> None:
    client = desk_client(create_app(root))
    first = client.get("/search", params={"q": ALIAS}).text
    assert '<span id="total">47</span>' in first and "/ 3" in first
    last = client.get("/search", params={"q": ALIAS, "page": 3}).text
    assert "i00044" in last and "found through the alias" in last
    ar = client.get("/search", params={"q": ALIAS, "page": 3, "lang": "ar"}).text
    assert "i00044" in ar and "عُثر عليه عبر الاسم الآخر" in ar
