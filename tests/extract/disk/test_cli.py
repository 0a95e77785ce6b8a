"""Seized drives end to end through the CLI: E01 and split raw sets, lineage, search of
deleted files, known-file skipping, and a damaged segment."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tests.fixtures import disk
from tests.helpers import docket, docket_json, docket_lines


def by_path(case: Path) -> dict[str, dict]:
    """Items keyed by their lineage, the source folder left out."""
    rows = docket_lines("list", case=case)
    return {" / ".join([r["path"][0].rsplit("/", 1)[-1], *r["path"][1:]]): r for r in rows}


def test_split_e01_of_a_gpt_drive(tmp_path: Path, gpt_img: Path) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    first = disk.ewf(gpt_img, seized / "laptop", segment_bytes=disk.MB)
    assert (seized / "laptop.E03").exists()
    case = tmp_path / "case"
    docket("ingest", seized, "--jobs", "2", case=case)
    items = by_path(case)
    image = items[first.name]
    assert (image["type"], image["status"]) == ("ewf", "ok"), image
    shown = docket_json("show", image["id"], case=case)
    assert shown["metadata"]["ewf_verification"]["status"] == "verified"
    assert shown["metadata"]["partition_table"] == "gpt"
    second = items["laptop.E02"]
    assert (second["status"], second["code"]) == ("skipped", "image-segment")
    assert "laptop.E01" in second["message"]
    arabic = items["laptop.E01 / p2 (ext4) / letters/arabic.txt"]
    assert arabic["status"] == "ok" and arabic["type"] == "text"
    assert items["laptop.E01 / p1 (NTFS) / ledger.csv:hidden"]["status"] == "ok"
    hits = docket_json("search", "رواتب", case=case)["hits"]
    found = {tuple(h["path"][-2:]) for h in hits}
    assert found == {("p1 (NTFS)", "letters_arabic.txt"), ("p2 (ext4)", "letters/arabic.txt")}
    deleted = docket_json("search", "deleted:true quartermaster", case=case)["hits"]
    assert [h["path"][-1] for h in deleted] == ["old/burned.txt"]
    detail = docket_json("show", deleted[0]["id"], case=case)
    assert "zebra" in detail["text"]
    status = docket_json("status", case=case)
    assert status["by_type"].get("ewf", 0) >= 2
    assert not [f for f in status["failures"] if f["status"] in ("failed", "partial")]


def test_split_raw_set_and_known_hashes(tmp_path: Path, mbr_img: Path) -> None:
    seized = tmp_path / "seized"
    disk.split_raw(mbr_img, seized, parts=3)
    known = tmp_path / "NSRLFile.txt"
    sha1 = hashlib.sha1(disk.FILES["letters/request.txt"]).hexdigest().upper()
    known.write_text(
        '"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"\n'
        f'"{sha1}","00000000000000000000000000000000","00000000","request.txt",57,1,"1",""\n'
    )
    case = tmp_path / "case"
    docket("ingest", seized, "--known-hashes", known, case=case)
    items = by_path(case)
    assert items["drive.001"]["type"] == "disk" and items["drive.001"]["status"] == "ok"
    assert items["drive.003"]["code"] == "image-segment"
    skipped = [r for p, r in items.items() if p.endswith("letters/request.txt")]
    assert len(skipped) == 2  # one in each partition
    assert {(r["status"], r["code"]) for r in skipped} == {("skipped", "known-file")}
    assert all("NSRLFile.txt" in r["message"] and r["sha256"] for r in skipped)
    assert docket_json("search", "northern office", case=case)["total"] == 0
    assert docket_json("search", "Khalid", case=case)["total"] == 2  # ledger.csv in p1 and p2


def test_damaged_segment_is_partial_with_a_reason(tmp_path: Path, mbr_img: Path) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    disk.ewf(mbr_img, seized / "usb", segment_bytes=disk.MB)
    last = sorted(seized.glob("usb.E*"))[-3]
    os.truncate(last, last.stat().st_size // 2)
    case = tmp_path / "case"
    docket("ingest", seized / "usb.E01", case=case)
    items = by_path(case)
    image = items["usb.E01"]
    assert image["status"] == "partial" and image["code"] == "truncated", image
    assert items["usb.E01 / p1 (FAT16) / letters/request.txt"]["status"] == "ok"
