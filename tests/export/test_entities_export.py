"""FollowTheMoney, CSV and GEXF exports of a resolved case, validated by the tools that
read them (the followthemoney library; an XML parser for GEXF)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from followthemoney import model
from lxml import etree

from docket.export.ftm import write_ftm
from docket.export.gexf import write_gexf
from docket.export.graph import read_graph
from docket.export.tables import write_csv
from docket.resolve.run import resolve_store
from tests.resolve.catalogue import build


@pytest.fixture
def graph(tmp_path: Path):
    cat = build(tmp_path)
    resolve_store(cat)
    yield read_graph(cat)
    cat.close()


def test_ftm_validates(graph) -> None:
    buf = io.StringIO()
    n = write_ftm(graph, buf)
    lines = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert n == len(lines)
    ids = {d["id"] for d in lines}
    by_schema: dict[str, list[dict]] = {}
    for d in lines:
        schema = model.get(d["schema"])
        schema.validate(d)  # raises InvalidData on a bad value or an empty required one
        proxy = model.get_proxy(d, cleaned=False)
        for prop in proxy.iterprops():
            if prop.type.name == "entity":  # every reference resolves inside the export
                assert set(proxy.get(prop)) <= ids, (d["id"], prop.name)
        by_schema.setdefault(d["schema"], []).append(d)
    assert {"Document", "Person", "Mention", "Payment", "UnknownLink", "Address"} <= set(by_schema)
    nuaimi = next(
        p for p in by_schema["Person"] if "Abu Ammar al-Nuaimi" in p["properties"]["name"]
    )
    assert "أبو عمار النعيمي" in nuaimi["properties"]["name"]
    (pay,) = by_schema["Payment"]
    assert pay["properties"]["amount"] == ["1500"] and pay["properties"]["beneficiary"]
    (link,) = by_schema["UnknownLink"]
    assert link["properties"]["subject"] == [nuaimi["id"]]


def test_csv_folder_and_zip(graph, tmp_path: Path) -> None:
    names = write_csv(graph, tmp_path / "out")
    assert names == ["correspondence.csv", "entities.csv", "mentions.csv", "payments.csv"]
    rows = list(
        csv.DictReader((tmp_path / "out" / "entities.csv").read_text("utf-8-sig").splitlines())
    )
    assert any("أبو عمار النعيمي" in json.loads(r["variants"]) for r in rows)
    write_csv(graph, tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as z:
        pays = z.read("payments.csv").decode("utf-8-sig")
    assert "حسن إبراهيم الجبوري" in pays and "1500" in pays


def test_gexf(graph) -> None:
    root = etree.fromstring(write_gexf(graph).encode())
    ns = {"g": "http://gexf.net/1.3"}
    labels = {n.get("label") for n in root.iterfind(".//g:node", ns)}
    assert "Abu Ammar al-Nuaimi" in labels or "أبو عمار النعيمي" in labels
    kinds = {e.get("label") for e in root.iterfind(".//g:edge", ns)}
    assert {"correspondence", "cooccurrence"} <= kinds
