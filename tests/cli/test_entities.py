"""The entity commands through the real CLI: entities, person, merge, split, xref, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.demo.content import PEOPLE
from docket.resolve.run import resolve_store
from tests.helpers import docket, docket_json
from tests.resolve.catalogue import build


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("case")
    cat = build(root)
    resolve_store(cat)
    cat.close()
    return root


def _find(rows: list[dict], spelling: str) -> dict:
    return next(r for r in rows if spelling in r["variants"])


def test_entities_and_person(case: Path) -> None:
    rows = docket_json("entities", "--type", "person", case=case)
    assert set(rows[0]) == {"id", "type", "name", "variants", "mentions", "items"}
    nuaimi = _find(rows, "Abou Ammar al-Noaimy")
    assert set(PEOPLE["nuaimi"]) <= set(nuaimi["variants"])
    d = docket_json("person", nuaimi["id"][:6], case=case)
    assert {"id", "name", "variants", "mentions", "payments", "correspondents"} <= set(d)
    assert {"item", "path", "page", "row", "text", "snippet"} <= set(d["mentions"][0])
    assert d["correspondents"][0]["direction"] == "to"
    text = docket("person", nuaimi["id"], case=case).stdout
    assert "Abou Ammar al-Noaimy" in text and "letter-ar.txt" in text


def test_xref_csv_and_ftm(case: Path, tmp_path: Path) -> None:
    wl = tmp_path / "watchlist.csv"
    wl.write_text(
        "name,aliases,notes\n"
        "Abu Ammar al-Nuaimi,أبو عمار النعيمي|Abou Ammar Noaimy,finance official\n"
        "Nobody Known,,\n",
        encoding="utf-8",
    )
    res = docket_json("xref", wl, case=case)
    first = res[0]["matches"]
    assert first and first[0]["exact"] and "Abu Ammar al-Tamimi" not in first[0]["matched"]
    assert all("tamimi" not in json.dumps(m).lower() for m in first)
    assert res[1]["matches"] == []
    ftm = tmp_path / "list.jsonl"
    ftm.write_text(json.dumps({"id": "x1", "schema": "Person",
                               "properties": {"name": ["Hassan Ibrahim al-Jubouri"]}}) + "\n")  # fmt: skip
    (hit,) = docket_json("xref", ftm, case=case)
    assert "حسن إبراهيم الجبوري" in json.dumps(hit["matches"], ensure_ascii=False) or hit["matches"]


def test_merge_split_and_export(case: Path, tmp_path: Path) -> None:
    rows = docket_json("entities", "--type", "person", case=case)
    a, b = _find(rows, "Abu Ammar al-Nuaimi"), _find(rows, "Abu Ammar al-Tamimi")
    merged = docket_json("merge", a["id"], b["id"], case=case)
    assert "Abu Ammar al-Tamimi" in merged["variants"]
    person = docket_json("person", merged["id"], case=case)
    memo = next(m for m in person["mentions"] if m["text"] == "Abu Ammar al-Tamimi")
    alone = docket_json("split", merged["id"], "--mention", str(memo["id"]), case=case)
    assert alone["variants"] == ["Abu Ammar al-Tamimi"]
    assert docket("merge", a["id"], case=case, check=False).returncode == 2
    out = docket("export", "ftm", case=case).stdout
    assert any(json.loads(line)["schema"] == "Person" for line in out.splitlines())
    docket("export", "csv", "--output", tmp_path / "csv.zip", case=case)
    assert (tmp_path / "csv.zip").stat().st_size > 0
    assert "<gexf" in docket("export", "gexf", case=case).stdout


@pytest.mark.slow
def test_demo_people_resolve(tmp_path: Path) -> None:
    """End to end on the sample case: needs the extraction half (person mentions)."""
    docket("demo", "--out", tmp_path / "cache", "--case", tmp_path / "case", "--jobs", "2")
    rows = docket_json("entities", "--type", "person", case=tmp_path / "case")
    if not rows:
        pytest.skip("no person mentions yet: the extraction stage has not landed")
    found = {v for r in rows for v in r["variants"]}
    for key, spellings in PEOPLE.items():
        present = [s for s in spellings if s in found]
        if len(present) > 1:  # every spelling the cache uses lands in one entity
            owners = {r["id"] for r in rows for s in present if s in r["variants"]}
            assert len(owners) == 1, (key, present)
    for r in rows:
        assert not (
            set(PEOPLE["nuaimi"]) & set(r["variants"])
            and set(PEOPLE["tamimi"]) & set(r["variants"])
        )
