"""`docket demo` end to end: the sample cache is generated, ingested and every file —
the damaged and hostile ones included — ends with the status an investigator expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import docket, docket_json, docket_lines


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    proc = docket("demo", "--out", root / "cache", "--case", root / "case", "--jobs", "2")
    assert "items" in proc.stdout + proc.stderr
    return root


def _items(demo: Path) -> dict[str, dict]:
    return {"/".join(i["path"]): i for i in docket_lines("list", case=demo / "case")}


def test_hostile_and_damaged_files_are_recorded_with_reasons(demo: Path) -> None:
    items = _items(demo)
    assert items["cache/damaged/bomb.zip"]["code"] == "zip-bomb"
    assert items["cache/damaged/zip-slip.zip"]["code"] == "path-traversal"
    assert items["cache/damaged/truncated-report.pdf"]["status"] == "failed"
    assert items["cache/damaged/empty.txt"]["type"] == "empty"
    mislabelled = docket_json(
        "show", items["cache/damaged/photo-of-report.jpg"]["id"], case=demo / "case"
    )
    assert mislabelled["type"] == "pdf" and mislabelled["extension_mismatch"]
    # zip-slip members are kept, by hash only: nothing landed outside the case.
    assert "cache/damaged/zip-slip.zip/../../evil.txt" in items
    assert not list(demo.rglob("evil.txt")) and not Path("/tmp/evil.txt").exists()


def test_lineage_through_nested_containers_and_mail(demo: Path) -> None:
    items = _items(demo)
    assert "cache/archives/backup.zip/2019/march.zip/ledger.xlsx" in items
    assert "cache/archives/old-letters.tar.gz/old-letters.tar/old/letter-ar.docx" in items
    assert "cache/mail/transfer-request.eml/transfer-request.docx" in items
    assert sum(1 for p in items if p.startswith("cache/mail/inbox.mbox/")) == 3
    assert any(p.startswith("cache/mail/receipt.msg/") for p in items)


def test_arabic_and_english_search(demo: Path) -> None:
    case = demo / "case"

    def paths(q: str) -> set[str]:
        return {
            "/".join(h["path"])
            for h in docket_json("search", q, "--limit", "50", case=case)["hits"]
        }

    assert "cache/letters/transfer-request-ar.docx" in paths("النعيمي")
    assert "cache/letters/transfer-request-ar.docx" in paths("النعيمى")  # spelling variant
    assert "cache/letters/warehouse-memo-ar.pdf" in paths("المستودع")
    assert "cache/rosters/payments-2019.csv" in paths("الجبوري type:csv")  # Windows-1256
    assert "cache/letters/transfer-request-en.docx" in paths('"transfer request"')
    assert "cache/reports/quarterly-report.pdf" in paths("quarterly payroll")
    hit = docket_json("search", "الجبوري type:spreadsheet", case=case)["hits"][0]
    assert "<b>" in hit["snippet"]


def test_pdf_pages_and_sheet_rows_are_kept(demo: Path) -> None:
    items = _items(demo)
    memo = docket_json(
        "show", items["cache/letters/warehouse-memo-ar.pdf"]["id"], case=demo / "case"
    )
    assert [s.get("page") for s in memo["segments"]] == [1, 2]
    roster = docket_json("show", items["cache/rosters/roster-1440.xlsx"]["id"], case=demo / "case")
    rows = {s.get("row") for s in roster["segments"]}
    assert {1, 3, 4} <= rows and all("sheet" in s for s in roster["segments"])
    assert "حسن إبراهيم الجبوري" in roster["text"]


def test_demo_case_verifies(demo: Path) -> None:
    assert docket_json("verify", case=demo / "case")["ok"]
