"""``docket verify`` passes on an intact case and names what was changed otherwise."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import docket, docket_json, docket_lines, small_cache


@pytest.fixture
def case(tmp_path: Path) -> Path:
    case = tmp_path / "case"
    docket("ingest", small_cache(tmp_path / "seized"), case=case)
    return case


def _blob(case: Path, sha: str) -> Path:
    return case / "blobs" / sha[:2] / sha[2:4] / sha


def test_intact_case_verifies(case: Path) -> None:
    proc = docket("verify", case=case)
    assert "ok" in proc.stdout
    report = docket_json("verify", case=case)
    assert report["ok"] and report["checked"]["blobs"] >= 6
    assert report["head"]["seq"] == report["checked"]["custody_lines"] > 0


def test_blobs_are_read_only(case: Path) -> None:
    item = next(i for i in docket_lines("list", case=case) if i["sha256"])
    assert not os.stat(_blob(case, item["sha256"])).st_mode & 0o222


def test_one_changed_byte_in_a_blob_names_the_item(case: Path) -> None:
    item = next(i for i in docket_lines("list", case=case) if i["path"][-1] == "ledger.txt")
    blob = _blob(case, item["sha256"])
    blob.chmod(0o644)
    data = bytearray(blob.read_bytes())
    data[3] ^= 0x01
    blob.write_bytes(bytes(data))
    proc = docket("verify", case=case, check=False)
    assert proc.returncode == 1
    assert item["id"] in proc.stdout and "ledger.txt" in proc.stdout


def test_a_changed_custody_line_breaks_the_chain(case: Path) -> None:
    log = case / "custody.log"
    lines = log.read_text().splitlines()
    record = json.loads(lines[1])
    record["time"] = "2001-01-01T00:00:00.000Z"
    lines[1] = json.dumps(record, ensure_ascii=False, sort_keys=True)
    log.write_text("\n".join(lines) + "\n")
    proc = docket("verify", case=case, check=False)
    assert proc.returncode == 1
    assert "line 3" in proc.stdout  # the line after the edit no longer chains


def test_editing_the_last_line_or_truncating_is_caught(case: Path) -> None:
    log = case / "custody.log"
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[:-1]) + "\n")
    proc = docket("verify", case=case, check=False)
    assert proc.returncode == 1
    assert "custody" in proc.stdout


def test_a_missing_blob_is_named(case: Path) -> None:
    item = next(i for i in docket_lines("list", case=case) if i["path"][-1] == "notes.txt")
    blob = _blob(case, item["sha256"])
    blob.unlink()
    proc = docket("verify", case=case, check=False)
    assert proc.returncode == 1 and "blob-missing" in proc.stdout and item["id"] in proc.stdout
