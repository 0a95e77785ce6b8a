"""APFS snapshots listed as dated versions of their volume: a generated container (mkapfs)
given snapshots as macOS records them (``disk.apfs_snapshot``), through the CLI; the
shared sample with files, given snapshots; a snapshot list that cannot be read. No
library Docket can use opens a snapshot, so each is listed `unsupported`, saying so."""

from __future__ import annotations

import shutil
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import Extract
from tests.extract.disk.test_layers import by_path
from tests.extract.disk.test_virtual import read
from tests.fixtures import disk
from tests.helpers import docket, docket_json

TM = "com.apple.TimeMachine.2024-03-01-101500.local"
ARABIC = "قبل الحذف"


def test_snapshots_listed_as_dated_versions_through_the_cli(tmp_path: Path) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    image = disk.apfs(seized / "mac.img", "Macintosh HD")
    disk.apfs_snapshot(image, TM, datetime(2024, 3, 1, 10, 15, tzinfo=UTC))
    disk.apfs_snapshot(image, ARABIC, datetime(2024, 3, 2, 9, 0, 30, tzinfo=UTC))
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", case=case)
    items = by_path(case)
    volume = items["mac.img / fs (APFS) / Macintosh HD"]
    assert volume["status"] == "ok"  # the live volume is read as before
    assert docket_json("show", volume["id"], case=case)["fs"]["snapshots"] == 2
    under = "mac.img / fs (APFS) / Macintosh HD / "
    first = items[f"{under}snapshot 1 2024-03-01T10:15:00Z {TM}"]
    second = items[f"{under}snapshot 2 2024-03-02T09:00:30Z {ARABIC}"]
    for n, item in ((1, first), (2, second)):
        assert (item["status"], item["code"]) == ("unsupported", "unsupported")
        assert "files not read" in item["message"] and "mount_apfs -s" in item["message"]
        fs = docket_json("show", item["id"], case=case)["fs"]
        assert (fs["version"], fs["fs"]) == (n, "APFS")
    fs = docket_json("show", second["id"], case=case)["fs"]
    assert (fs["snapshot"], fs["name"]) == ("2024-03-02T09:00:30Z", ARABIC)
    assert docket_json("verify", case=case)["ok"]


def test_the_sample_volume_with_snapshots_keeps_its_files(
    extract: Extract, samples: Path, tmp_path: Path
) -> None:
    source = samples / "drives" / "apfs.raw"
    if not source.exists():
        pytest.skip("drives/apfs.raw is not among the samples")
    image = tmp_path / "apfs.raw"
    shutil.copyfile(source, image)
    disk.apfs_snapshot(image, TM, datetime(2024, 3, 1, 10, 15, tzinfo=UTC))
    r = read(extract, image)
    (volume,) = [c for c in r.children if c.name == "apfs_test"]
    under = [c for c in r.children if c.parent == volume.index]
    assert {"passwords.txt", "a_directory/a_file"} <= {c.name for c in under}
    (snap,) = [c for c in under if c.name.startswith("snapshot ")]
    assert snap.name == f"snapshot 1 2024-03-01T10:15:00Z {TM}"
    assert snap.meta["xid"] >= 1 and volume.meta["snapshots"] == 1


def test_a_damaged_snapshot_list_is_a_warning_and_the_volume_is_still_read(
    extract: Extract, tmp_path: Path
) -> None:
    image = disk.apfs(tmp_path / "mac.img", "Macintosh HD")
    disk.apfs_snapshot(image, TM, datetime(2024, 3, 1, tzinfo=UTC))
    with open(image, "r+b") as f:  # the snapshot tree's root made a branch to nowhere
        while (block := f.read(4096)) and not (
            # the live volume superblock is a virtual object (type 0xD), the copies physical
            block[32:36] == b"APSB" and struct.unpack_from("<I", block, 24)[0] == 0xD
        ):
            pass
        tree = struct.unpack_from("<Q", block, 152)[0]
        f.seek(tree * 4096)
        node = bytearray(f.read(4096))
        struct.pack_into("<H", node, 34, 1)  # level 1: values are child addresses
        v_off = struct.unpack_from("<H", node, 56 + struct.unpack_from("<H", node, 40)[0] + 4)[0]
        struct.pack_into("<Q", node, 4096 - 40 - v_off, 2**40)
        node[0:8] = disk._fletcher64(bytes(node))
        f.seek(tree * 4096)
        f.write(node)
    r = read(extract, image)
    assert (r.status, r.code) == ("partial", "corrupt"), (r.status, r.message)
    assert "cannot list the APFS snapshots" in (r.message or "")
    (volume,) = [c for c in r.children if c.name == "Macintosh HD"]
    assert volume.status == "ok" and "snapshots" not in volume.meta
