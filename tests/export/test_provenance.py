"""``docket export provenance``: the acquisition and custody history in CASE/UCO JSON-LD,
validated by ``case_validate`` from the ``case-utils`` package (CASE 1.5 shapes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import docket, docket_lines, small_cache, write_zip

CASE_VALIDATE = Path(sys.executable).parent / "case_validate"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("provenance")
    seized = small_cache(root / "seized")
    (seized / "رسالة إلى المدير.txt").write_text("طلب تحويل الرواتب", encoding="utf-8")
    write_zip(seized / "أرشيف.zip", {"مالية/كشف الرواتب.txt": "كشف".encode()})
    case = root / "case"
    docket("ingest", seized, case=case)
    out = root / "provenance.jsonld"
    docket("export", "provenance", "-o", out, case=case)
    return case, out


def _graph(path: Path) -> dict[str, dict[str, Any]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"]["uco-core"] == "https://ontology.unifiedcyberontology.org/uco/core/"
    return {node["@id"]: node for node in doc["@graph"]}


def test_the_export_conforms_to_case_uco(exported: tuple[Path, Path]) -> None:
    _, out = exported
    proc = subprocess.run(
        [str(CASE_VALIDATE), str(out)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Conforms: True" in proc.stdout
    # A property or class the ontology lacks is only a warning on stderr: none allowed.
    assert "NonExistentCDOConcept" not in proc.stderr, proc.stderr


def _files_by_name(graph: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for node in graph.values():
        if node["@type"] == "uco-observable:File":
            facet = node["uco-core:hasFacet"][0]
            out[facet["uco-observable:fileName"]] = node
    return out


def test_every_item_has_its_hashes_and_its_container(exported: tuple[Path, Path]) -> None:
    case, out = exported
    graph = _graph(out)
    files = _files_by_name(graph)
    items = docket_lines("list", case=case)
    assert "كشف الرواتب.txt" in files and "رسالة إلى المدير.txt" in files
    relations = {
        n["uco-core:source"]["@id"]: n["uco-core:target"]["@id"]
        for n in graph.values()
        if n["@type"] == "uco-observable:ObservableRelationship"
    }
    names = {i["id"]: i["path"][-1].rsplit("/", 1)[-1] for i in items}
    for item in items:
        node = files[names[item["id"]]]
        content = next(
            f for f in node["uco-core:hasFacet"] if f["@type"] == "uco-observable:ContentDataFacet"
        )
        hashes = {
            h["uco-types:hashMethod"]: h["uco-types:hashValue"]["@value"]
            for h in content["uco-observable:hash"]
        }
        assert hashes["SHA256"] == item["sha256"].upper()
        assert set(hashes) == {"SHA256", "MD5", "SHA1"}
        assert content["uco-observable:sizeInBytes"]["@value"] == str(item["size"])
    # Lineage: the ledger is within inner.zip, within mail.zip; the Arabic member within
    # its Arabic-named archive.
    ledger = files["ledger.txt"]["@id"]
    inner = relations[ledger]
    assert graph[inner]["uco-core:hasFacet"][0]["uco-observable:fileName"] == "inner.zip"
    mail = relations[inner]
    assert graph[mail]["uco-core:hasFacet"][0]["uco-observable:fileName"] == "mail.zip"
    assert mail not in relations  # a file from the source: no container
    archive = relations[files["كشف الرواتب.txt"]["@id"]]
    assert graph[archive]["uco-core:hasFacet"][0]["uco-observable:fileName"] == "أرشيف.zip"
    assert graph[archive]["uco-core:hasFacet"][0]["uco-observable:filePath"].endswith(
        "seized/أرشيف.zip"
    )


def test_each_run_is_an_investigative_action_with_its_custody_record(
    exported: tuple[Path, Path],
) -> None:
    case, out = exported
    graph = _graph(out)
    (action,) = [
        n for n in graph.values() if n["@type"] == "case-investigation:InvestigativeAction"
    ]
    (record,) = [n for n in graph.values() if n["@type"] == "case-investigation:ProvenanceRecord"]
    items = docket_lines("list", case=case)
    results = {r["@id"] for r in action["uco-action:result"]}
    assert record["@id"] in results
    assert len(results) == len(items) + 1
    assert {o["@id"] for o in record["uco-core:object"]} == results - {record["@id"]}
    performer = graph[action["uco-action:performer"]["@id"]]
    assert performer["@type"] == "uco-identity:Identity" and "@" in performer["uco-core:name"]
    tool = graph[action["uco-action:instrument"]["@id"]]
    assert tool["uco-core:name"] == "Docket" and tool["uco-tool:version"]
    assert action["uco-action:startTime"]["@type"] == "xsd:dateTime"
    (source,) = [graph[o["@id"]] for o in action["uco-action:object"]]
    assert source["uco-core:hasFacet"][0]["uco-observable:filePath"].endswith("seized")
    head = (case / "custody.log").read_text().splitlines()
    assert f"line {len(head)}" in record["uco-core:description"]
    # The same case exported twice names every node the same.
    again = out.with_name("again.jsonld")
    docket("export", "provenance", "-o", again, case=case)
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
