"""Aliases end to end through the real CLI, on a generated Arabic and English cache
(``tests.fixtures.aliases``): links from evidence with their citations, the look-alikes
kept apart, one person with many names on the person page, in search, in the network and
the exports, and the analyst's verdicts kept across runs and logged in custody."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures import aliases as fx
from tests.helpers import docket, docket_json


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("aliases")
    src = fx.write_cache(root)
    docket("ingest", src, "--jobs", "2", case=root / "case")
    return root


@pytest.fixture()
def case(built: Path, tmp_path: Path) -> Path:
    """A copy of the ingested case for a test that records decisions."""
    shutil.copytree(built / "case", tmp_path / "case")
    return tmp_path / "case"


def _links(case: Path, *args: str) -> list[dict[str, Any]]:
    return list(docket_json("aliases", *args, case=case))


def _link(links: list[dict[str, Any]], name: str, alias: str) -> dict[str, Any]:
    found = [x for x in links if {x["name"], x["alias"]} == {name, alias}]
    assert found, f"no link {name} = {alias} in {[(x['name'], x['alias']) for x in links]}"
    return found[0]


def _entity_of(case: Path, spelling: str) -> dict[str, Any]:
    rows = docket_json("entities", "--type", "person", case=case)
    found = [e for e in rows if spelling in e["variants"]]
    assert len(found) == 1, (spelling, found)
    return found[0]


def test_roster_and_letter_join_through_a_cited_link(built: Path) -> None:
    case = built / "case"
    link = _link(_links(case), *fx.HASSAN)
    assert link["status"] == "confirmed" and link["decided"] == "evidence"
    assert link["score"] >= 0.8 and link["name"] == fx.HASSAN[0]
    (ev,) = link["evidence"]
    assert ev["kind"] == "record" and ev["path"] == ["cache/ar/roster.csv"]
    assert ev["row"] == 2 and ev["column"] == "الكنية"
    assert fx.HASSAN[0] in ev["quote"] and fx.HASSAN[1] in ev["quote"]
    # One person: the letter signed with the kunya, the roster row and the payment list
    # that has only the real name.
    person = docket_json("person", link["name_entity"], case=case)
    assert link["alias_entity"] == link["name_entity"] == person["id"]
    assert {fx.HASSAN[0], fx.HASSAN[1]} <= set(person["variants"])
    letters = person["correspondents"]
    assert [x["as_written"] for x in letters] == [fx.ZOUBI[1]] and letters[0]["direction"] == "to"
    assert letters[0]["path"] == ["cache/ar/letter-shami.txt"]
    assert sorted(p["amount"] for p in person["payments"]) == ["200", "300"]
    assert {m["text"] for m in person["mentions"]} >= {fx.HASSAN[1]}  # quoted as written
    assert [a["id"] for a in person["aliases"]] == [link["id"]]
    assert person["aliases"][0]["evidence"][0]["quote"] == ev["quote"]


def test_look_alikes_and_common_kunyas_stay_apart(built: Path) -> None:
    case = built / "case"
    links = _links(case)
    shami, iraqi = _link(links, *fx.HASSAN), _link(links, *fx.IRAQI)
    assert shami["name_entity"] != iraqi["name_entity"]
    assert _entity_of(case, fx.IRAQI[1])["id"] == iraqi["name_entity"]
    assert fx.IRAQI[1] not in _entity_of(case, fx.HASSAN[0])["variants"]
    masri, rawi = _link(links, *fx.TIKRITI), _link(links, *fx.RAWI)
    assert masri["name_entity"] != rawi["name_entity"]
    written = json.dumps(links, ensure_ascii=False)
    for bare in ("أبو علي", "Abu Muhammad", "Abu Ali"):  # bare common kunyas: no link at all
        assert f'"{bare}"' not in written
    assert _entity_of(case, fx.DOURI[1])["id"] != _entity_of(case, fx.DOURI[0])["id"]
    assert _entity_of(case, fx.OBEIDI[0])["variants"] == [fx.OBEIDI[0]]


def test_every_kind_of_evidence_is_cited(built: Path) -> None:
    case = built / "case"
    links = _links(case)
    xlsx = _link(links, fx.ZOUBI[0], fx.ZOUBI[2])  # the second alias column
    assert xlsx["evidence"][0]["column"] == "الاسم الحركي"
    assert xlsx["evidence"][0]["path"] == ["cache/ar/roster.xlsx"]
    assert _link(links, fx.ZOUBI[0], fx.ZOUBI[1])["status"] == "confirmed"
    phrase = _link(links, *fx.HALABI)
    (ev,) = phrase["evidence"]
    assert ev["kind"] == "phrase" and ev["cue"] == "known as" and phrase["status"] == "confirmed"
    text = docket_json("show", ev["item"], case=case)["text"]
    assert f"{fx.HALABI[0]}, known as {fx.HALABI[1]}" == ev["quote"] and ev["quote"] in text
    signed = _link(links, *fx.WARFALLI)
    assert signed["status"] == "possible" and 0.7 < signed["score"] < 0.8  # two e-mails
    assert {e["kind"] for e in signed["evidence"]} == {"signature"}
    assert sorted(e["path"][-1] for e in signed["evidence"]) == [
        "cache/en/mail-1.eml",
        "cache/en/mail-2.eml",
    ]
    assert signed["name"] == fx.WARFALLI[0] and signed["alias"] == fx.WARFALLI[1]
    phone = _link(links, *fx.PHONE)
    assert phone["status"] == "possible" and phone["evidence"][0]["kind"] == "phone"
    assert {c["name"] for c in phone["evidence"][0]["cites"]} == set(fx.PHONE)
    assert "+218 91 234 5678" in phone["evidence"][0]["quote"]
    assert {x["status"] for x in _links(case, "--status", "possible")} == {"possible"}
    listing = docket("aliases", case=case).stdout
    assert fx.HASSAN[1] in listing and "roster.csv (row 2, الكنية)" in listing


def test_search_for_the_alias_finds_the_persons_documents(built: Path) -> None:
    case = built / "case"
    res = docket_json("search", fx.HASSAN[1], case=case)
    via = [h for h in res["hits"] if h.get("via_alias")]
    assert [h["path"] for h in via] == [["cache/ar/payments.csv"]]
    assert via[0]["match"] == "alias" and via[0]["via_alias"]["alias"] == fx.HASSAN[1]
    direct = {h["path"][-1] for h in res["hits"] if not h.get("via_alias")}
    assert "cache/ar/letter-shami.txt" in direct and res["total"] == len(res["hits"])
    facet = docket_json("search", f'person:"{fx.HASSAN[1]}"', case=case)
    assert ["cache/ar/payments.csv"] in [h["path"] for h in facet["hits"] if h.get("via_alias")]
    text = docket("search", fx.HASSAN[1], case=case).stdout
    assert "found through the alias" in text


def test_network_and_exports_draw_one_node(built: Path, tmp_path: Path) -> None:
    case = built / "case"
    docket("export", "gexf", "-o", tmp_path / "g.gexf", case=case)
    gexf = (tmp_path / "g.gexf").read_text(encoding="utf-8")
    nodes = re.findall(r"<node .*?</node>", gexf)
    (node,) = [n for n in nodes if fx.HASSAN[0] in n or fx.HASSAN[1] in n]  # one node
    assert f'label="{fx.HASSAN[0]}"' in node
    assert f'<attvalue for="aliases" value="{fx.HASSAN[1]}"/>' in node
    docket("export", "ftm", "-o", tmp_path / "e.jsonl", case=case)
    people = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    hassan = [p for p in people if fx.HASSAN[1] in p["properties"].get("alias", [])]
    assert len(hassan) == 1 and fx.HASSAN[0] in hassan[0]["properties"]["name"]
    weak = [p for p in people if fx.WARFALLI[1] in p["properties"].get("weakAlias", [])]
    assert weak and fx.WARFALLI[0] in weak[0]["properties"]["name"]


def test_confirm_and_reject_are_kept_across_runs(case: Path, tmp_path: Path) -> None:
    signed = _link(_links(case), *fx.WARFALLI)
    out = docket_json("alias", "confirm", signed["id"][:6], case=case)
    assert out["status"] == "confirmed" and out["decided"] == "analyst"
    assert out["name_entity"] == out["alias_entity"]
    masri = _link(_links(case), *fx.TIKRITI)
    docket("alias", "reject", masri["id"], case=case)
    # A later run (another source ingested) re-applies both verdicts.
    more = tmp_path / "more"
    more.mkdir()
    (more / "note.txt").write_text(f"Meeting with {fx.TIKRITI[1]} postponed.\n")
    docket("ingest", more, case=case)
    links = _links(case)
    again, rejected = _link(links, *fx.WARFALLI), _link(links, *fx.TIKRITI)
    assert again["status"] == "confirmed" and again["name_entity"] == again["alias_entity"]
    assert rejected["status"] == "rejected" and rejected["decided"] == "analyst"
    assert rejected["name_entity"] != rejected["alias_entity"]
    assert fx.TIKRITI[1] not in _entity_of(case, fx.TIKRITI[0])["variants"]
    custody = [json.loads(line) for line in (case / "custody.log").read_text().splitlines()]
    verdicts = [(e["link"], e["verdict"]) for e in custody if e.get("event") == "alias-decision"]
    assert verdicts == [(signed["id"], "confirm"), (masri["id"], "reject")]
    docket("verify", case=case)  # the chain still holds
    bad = docket("alias", "confirm", "zzz", case=case, check=False)
    assert bad.returncode == 2 and "no alias link" in bad.stderr


def test_desk_person_page_shows_links_and_takes_verdicts(case: Path) -> None:
    from docket.serve.app import create_app
    from tests.serve.conftest import desk_client

    client = desk_client(create_app(case))
    phone = _link(_links(case), *fx.PHONE)
    page = client.get(f"/person/{phone['name_entity']}").text
    assert 'id="aliases"' in page and fx.PHONE[1] in page and "+218 91 234 5678" in page
    assert f'action="/alias/{phone["id"]}/confirm"' in page
    assert client.post(f"/alias/{phone['id']}/confirm", data={"nonce": "x"}).status_code == 403
    nonce = re.search(r'name="nonce" value="([^"]+)"', page)
    assert nonce
    r = client.post(f"/alias/{phone['id']}/confirm", data={"nonce": nonce.group(1)},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    after = _link(_links(case), *fx.PHONE)
    assert after["status"] == "confirmed" and after["name_entity"] == after["alias_entity"]
    assert r.headers["location"] == f"/person/{after['name_entity']}#aliases"
    assert "alias-confirmed" in client.get(r.headers["location"]).text
