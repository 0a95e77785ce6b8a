"""Ingest end to end through the CLI: every item accounted for, lineage, duplicates,
search, idempotent re-runs."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import docket, docket_json, docket_lines, small_cache


def test_ingest_accounts_for_every_item_with_lineage(tmp_path: Path) -> None:
    src = small_cache(tmp_path / "seized")
    case = tmp_path / "case"
    docket("ingest", src, "--jobs", "2", case=case)
    items = docket_lines("list", case=case)
    paths = {tuple(i["path"]) for i in items}
    assert ("seized/mail.zip", "2019/inner.zip", "ledger.txt") in paths
    assert ("seized/mail.zip", "notes.txt") in paths
    assert ("seized/letters/arabic.txt",) in paths
    # 5 files on disk + 2 members of mail.zip + 1 member of inner.zip
    assert len(items) == 8
    assert all(i["status"] != "pending" for i in items)
    status = docket_json("status", case=case)
    assert status["items"] == 8
    assert sum(status["by_status"].values()) == 8
    assert status["by_type"]["zip"] == 2
    assert {f["id"] for f in status["failures"]} == {i["id"] for i in items if i["status"] != "ok"}


def test_duplicates_share_a_blob_and_keep_both_paths(tmp_path: Path) -> None:
    case = tmp_path / "case"
    docket("ingest", small_cache(tmp_path / "seized"), case=case)
    items = docket_lines("list", case=case)
    copies = [i for i in items if i["path"][-1].endswith("request.txt")]
    assert len(copies) == 2
    assert copies[0]["sha256"] == copies[1]["sha256"]
    shown = [docket_json("show", c["id"], case=case) for c in copies]
    assert sorted(bool(s["duplicate_of"]) for s in shown) == [False, True]
    blobs = list((case / "blobs").rglob("*"))
    assert sum(1 for b in blobs if b.name == copies[0]["sha256"]) == 1


def test_reingest_is_idempotent(tmp_path: Path) -> None:
    src = small_cache(tmp_path / "seized")
    case = tmp_path / "case"
    docket("ingest", src, case=case)
    first = docket_lines("list", case=case)
    log_lines = (case / "custody.log").read_text().splitlines()
    docket("ingest", src, case=case)
    second = docket_lines("list", case=case)
    assert first == second
    new_lines = (case / "custody.log").read_text().splitlines()[len(log_lines) :]
    # The second run records its start and end and stores nothing.
    assert [line for line in new_lines if '"event": "items"' in line] == []
    assert docket_json("search", "payroll", case=case)["total"] == 2


def test_search_syntax_end_to_end(tmp_path: Path) -> None:
    case = tmp_path / "case"
    docket("ingest", small_cache(tmp_path / "seized"), case=case)

    def ids(q: str) -> set[str]:
        return {
            h["path"][-1].rsplit("/", 1)[-1] for h in docket_json("search", q, case=case)["hits"]
        }

    assert ids('"transfer request" OR ledger') == {
        "request.txt",
        "copy-of-request.txt",
        "ledger.txt",
    }
    assert ids("payroll -copy") == {"request.txt"}
    assert ids("ledg*") == {"ledger.txt"}
    assert ids("النعيمي") == {"arabic.txt"}  # read from Windows-1256
    assert ids("type:zip") == {"mail.zip", "inner.zip"}
    hit = docket_json("search", '"transfer request"', case=case)["hits"][0]
    assert "<b>Transfer</b> <b>request</b>" in hit["snippet"]
    assert hit["path"][0].startswith("seized/letters/")


def test_bad_arguments_and_broken_case_exit_non_zero(tmp_path: Path) -> None:
    assert docket("ingest", tmp_path / "nope", case=tmp_path / "c", check=False).returncode == 2
    assert docket("status", case=tmp_path / "no-case", check=False).returncode == 3
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "case.db").write_bytes(b"this is not sqlite" * 100)
    assert docket("status", case=broken, check=False).returncode == 3
    case = tmp_path / "case"
    docket("ingest", small_cache(tmp_path / "seized"), case=case)
    assert docket("search", "payroll )", case=case, check=False).returncode == 2


def test_enrich_setting_chooses_the_enrichers(tmp_path: Path) -> None:
    import os
    import sqlite3

    src = small_cache(tmp_path / "seized")
    os.environ["DOCKET_ENRICH"] = "language"
    try:
        docket("ingest", src, case=tmp_path / "triage")
    finally:
        del os.environ["DOCKET_ENRICH"]
    db = sqlite3.connect(tmp_path / "triage" / "case.db")
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM items WHERE lang = 'ara'").fetchone()[0] >= 1
    os.environ["DOCKET_ENRICH"] = "language,bogus"
    try:
        assert docket("ingest", src, case=tmp_path / "bad", check=False).returncode == 2
    finally:
        del os.environ["DOCKET_ENRICH"]
