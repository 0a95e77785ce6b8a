"""Resolution on a real catalogue: across scripts, against a different nisba, with the
analyst's merges and splits kept over later runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.demo.content import PEOPLE
from docket.resolve.decisions import DecisionError, merge, split
from docket.resolve.detail import listing
from docket.resolve.names import parse
from docket.resolve.run import resolve_store
from docket.resolve.score import compare
from docket.views.person import person
from tests.resolve.catalogue import build


@pytest.fixture
def cat(tmp_path: Path):
    c = build(tmp_path)
    resolve_store(c)
    yield c
    c.close()


def _person(entities: list[dict], spelling: str) -> dict:
    return next(e for e in entities if spelling in e["variants"])


def test_demo_people_pairwise() -> None:
    names = [(k, v) for k, vs in PEOPLE.items() for v in vs]
    for i, (k1, a) in enumerate(names):
        for k2, b in names[i + 1 :]:
            assert compare(parse(a), parse(b)).match == (k1 == k2), (a, b)


def test_name_parts() -> None:
    p = parse("الشيخ أبو عمّار النعيمى")
    assert p.kunya == ("amar",) and p.nisba == ("nuaymi",) and p.titles
    assert parse("Abou Ammar al-Noaimy").parts() == parse("Abu Ammar al-Nuaimi").parts()
    assert parse("Abd al-Rahman el-Rashid").ism == parse("عبد الرحمن الراشد").ism == "abdrahman"


def test_clusters_across_scripts_not_across_nisba(cat) -> None:
    people = listing(cat, "person")
    nuaimi = _person(people, "Abu Ammar al-Nuaimi")
    assert set(PEOPLE["nuaimi"]) <= set(nuaimi["variants"])
    assert not set(PEOPLE["tamimi"]) & set(nuaimi["variants"])
    tamimi = _person(people, "Abu Ammar al-Tamimi")
    assert "أبو عمار التميمي" in tamimi["variants"]
    hassan = _person(people, "Hasan al-Jubori")
    assert {"حسن إبراهيم الجبوري", "Hassan Ibrahim al-Jubouri"} <= set(hassan["variants"])
    # the mention, the payment record and the letter's addressee all count
    assert hassan["mentions"] == 5 and "ledger" in hassan["items"]
    assert people[0]["mentions"] >= people[-1]["mentions"]
    explain = cat.entity(nuaimi["id"])["explain"]
    assert explain["method"] == "name-parts" and explain["pairs"]
    assert any("nisba" in a for pair in explain["pairs"] for a in pair["agree"])


def test_places_by_romanised_key(cat) -> None:
    places = listing(cat, "place")
    assert len(places) == 1 and set(places[0]["variants"]) == {"دير الزور", "Deir ez-Zor"}


def test_ids_are_stable_across_runs(cat) -> None:
    before = {e["id"] for e in listing(cat)}
    resolve_store(cat)
    assert {e["id"] for e in listing(cat)} == before


def test_dossier(cat) -> None:
    hassan = _person(listing(cat, "person"), "Hasan al-Jubori")
    d = person(cat.db, hassan["id"])  # what `docket person --json` prints
    assert d is not None
    assert {m["item"] for m in d["mentions"]} >= {"letter-ar", "letter-en", "report", "ledger"}
    ar = next(m for m in d["mentions"] if m["item"] == "letter-ar")
    assert ar["page"] == 1 and "تحويل" in ar["snippet"] and ar["path"] == ["letter-ar.txt"]
    assert d["payments"][0]["amount"] == "1500" and d["payments"][0]["row"] == 2
    (corr,) = d["correspondents"]
    assert corr["direction"] == "from" and corr["name"] in PEOPLE["nuaimi"]


def test_merge_and_split_survive_reruns(cat) -> None:
    people = listing(cat, "person")
    nuaimi, tamimi = _person(people, "Abu Ammar al-Nuaimi"), _person(people, "Abu Ammar al-Tamimi")
    merged = merge(cat, [nuaimi["id"], tamimi["id"]], actor="test")
    assert set(PEOPLE["tamimi"]) <= set(merged["variants"])
    resolve_store(cat)  # a later ingest re-runs resolution: the decision still holds
    assert set(PEOPLE["tamimi"]) <= set(
        _person(listing(cat, "person"), "Abu Ammar al-Tamimi")["variants"]
    )
    # split the Tamimi memo mention back out
    entity = _person(listing(cat, "person"), "Abu Ammar al-Tamimi")
    memo = next(
        m for m in person(cat.db, entity["id"])["mentions"] if m["text"] == "أبو عمار التميمي"
    )
    alone = split(cat, entity["id"], str(memo["id"]), actor="test")
    assert alone["variants"] == ["أبو عمار التميمي"]
    resolve_store(cat)
    again = _person(listing(cat, "person"), "أبو عمار التميمي")
    assert again["variants"] == ["أبو عمار التميمي"]
    assert [d["kind"] for d in cat.decisions()] == ["merge", "split"]
    with pytest.raises(DecisionError):
        split(cat, again["id"], "mention:999999")
