"""HFS+ from tests.fixtures.hfsplus: opened by The Sleuth Kit, read by the extractor, and
ingested end to end."""

from __future__ import annotations

from pathlib import Path

import pytsk3

from docket.extract.detect import detect
from tests.conftest import Extract
from tests.fixtures import disk
from tests.helpers import docket, docket_json, docket_lines


def test_the_sleuth_kit_reads_the_generated_volume(tmp_path: Path) -> None:
    image = disk.hfsplus(tmp_path / "mac.img")
    fs = pytsk3.FS_Info(pytsk3.Img_Info(str(image)))
    assert fs.info.ftype == pytsk3.TSK_FS_TYPE_HFS
    names = {e.info.name.name.decode() for e in fs.open_dir("/")}
    assert {"تقرير.txt", "ledger.csv", "letters"} <= names
    sub = fs.open("/letters/request.txt")
    assert sub.read_random(0, 100) == disk.HFS_FILES["letters/request.txt"]
    assert detect(image).notes["layout"] == "hfs+"


def test_files_contents_times_and_owners(extract: Extract, tmp_path: Path) -> None:
    r = extract(disk.hfsplus(tmp_path / "mac.img"))
    assert (r.type, r.status) == ("disk", "ok"), (r.message, r.warnings)
    (part,) = [c for c in r.children if c.parent is None]
    assert part.name == "fs (HFS+)"
    files = {c.name: c for c in r.children if c.parent is not None}
    assert set(files) == set(disk.HFS_FILES)  # no $CatalogFile and other structures
    for name, data in disk.HFS_FILES.items():
        meta = files[name].meta
        assert extract.child_bytes(files[name]) == data
        assert meta["created"] == disk.HFS_CREATED.isoformat() + "Z"
        assert meta["modified"] == disk.WHEN.isoformat() + "Z"
        assert (meta["uid"], meta["gid"], meta["mode"], meta["size"]) == (
            501,
            20,
            "0644",
            len(data),
        )
        assert not files[name].deleted


def test_ingested_end_to_end(tmp_path: Path) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    disk.hfsplus(seized / "macbook.dmg.raw")
    case = tmp_path / "case"
    docket("ingest", seized, case=case)
    rows = {" / ".join(r["path"][1:]): r for r in docket_lines("list", case=case)}
    assert rows[""]["type"] == "disk" and rows[""]["status"] == "ok"
    arabic = rows["fs (HFS+) / تقرير.txt"]
    assert (arabic["type"], arabic["status"]) == ("text", "ok")
    assert rows["fs (HFS+) / letters/request.txt"]["status"] == "ok"
    shown = docket_json("show", arabic["id"], case=case)
    assert shown["text"].strip() == disk.ARABIC.strip()
    assert shown["fs"]["modified"] == "2021-06-01T10:20:30Z"
    assert shown["fs"]["created"] == "2019-05-02T08:00:00Z"
    hits = docket_json("search", "رواتب", case=case)["hits"]
    assert [h["path"][-1] for h in hits] == ["تقرير.txt"]
