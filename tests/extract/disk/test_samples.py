"""Small real images from ../shared/samples/drives (skipped when absent): the same ext2
volume as E01, VHD, VMDK and QCOW2 lists what ``fls`` lists; APFS through pyfsapfs; a
compressed DMG; an NTFS volume in QCOW2."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Extract
from tests.extract.disk.test_virtual import fls_files, listing, read
from tests.fixtures import disk
from tests.helpers import docket, docket_json, docket_lines


@pytest.fixture
def drives(samples: Path) -> Path:
    folder = samples / "drives"
    if not folder.is_dir():
        pytest.skip("../shared/samples/drives is not present")
    return folder


def as_raw(image: Path, tmp: Path) -> Path:
    if shutil.which("qemu-img") is None:
        pytest.skip("qemu-img is not installed (qemu-utils)")
    raw = tmp / (image.stem + ".raw")
    subprocess.run(
        ["qemu-img", "convert", "-O", "raw", str(image), str(raw)], check=True, timeout=60
    )
    return raw


@pytest.mark.parametrize("name", ["ext2.E01", "ext2.vhd", "ext2.vmdk", "ext2.qcow2"])
def test_ext2_in_each_container_lists_what_fls_lists(
    extract: Extract, drives: Path, tmp_path: Path, name: str
) -> None:
    reference = fls_files(as_raw(drives / "ext2.qcow2", tmp_path))
    r = read(extract, drives / name)
    assert r.status == "ok", (r.message, r.warnings)
    got = listing(r)
    assert {(p.split(" / ", 1)[1], d) for p, (d, _) in got.items()} == reference
    assert r.metadata["image_format"] == {"E01": "ewf", "qcow2": "qcow"}.get(
        name.split(".")[1], name.split(".")[1]
    )


def test_ext2_containers_hold_the_same_bytes(extract: Extract, drives: Path) -> None:
    seen = {name: listing(read(extract, drives / name)) for name in ("ext2.E01", "ext2.vhd",
            "ext2.vmdk", "ext2.qcow2")}  # fmt: skip
    first = seen.pop("ext2.E01")
    assert first and all(other == first for other in seen.values())


def test_apfs_volume_files_and_times(extract: Extract, drives: Path) -> None:
    r = read(extract, drives / "apfs.raw")
    assert (r.type, r.status) == ("disk", "ok"), (r.message, r.warnings)
    tops = [c for c in r.children if c.parent is None]
    assert [c.name for c in tops] == ["fs (APFS)"]
    assert tops[0].meta["volumes"] == 1
    (volume,) = [c for c in r.children if c.parent == tops[0].index]
    assert volume.name == "apfs_test" and volume.meta["fs"] == "APFS"
    files = {c.name: c for c in r.children if c.parent == volume.index}
    assert {"passwords.txt", "a_directory/a_file", "a_directory/another_file"} <= set(files)
    assert "a_link" not in files  # links are not files, as in the TSK walk
    a_file = files["a_directory/a_file"]
    assert extract.child_bytes(a_file).startswith(b"This is a text file.")
    assert a_file.meta["modified"].startswith("2022-01-14T07:19:41")
    assert a_file.meta["size"] == 53


def test_compressed_dmg_holds_an_hfs_volume(extract: Extract, drives: Path) -> None:
    r = read(extract, drives / "hfsplus_zlib.dmg")
    assert (r.type, r.status) == ("dmg", "ok"), (r.message, r.warnings)
    assert r.metadata["partition_table"] == "gpt"
    names = {c.name for c in r.children}
    assert {"p1 (HFS+)", "passwords.txt", "a_directory/a_file"} <= names


def test_ntfs_volume_in_qcow2_lists_what_fls_lists(
    extract: Extract, drives: Path, tmp_path: Path
) -> None:
    image = drives / "windows_volume.qcow2"
    reference = {
        (p, d)
        for p, d in fls_files(as_raw(image, tmp_path))
        if not p.startswith("$")  # NTFS metafiles and TSK's $OrphanFiles: structures
    }
    r = read(extract, image)
    assert (r.type, r.status) == ("qcow", "ok"), (r.message, r.warnings)
    got = {(p.split(" / ", 1)[1], d) for p, (d, _) in listing(r).items()}
    assert got == reference
    assert r.children[0].meta.get("shadow_copies", 0) == 0


def test_apfs_partition_of_a_gpt_disk_through_the_cli(drives: Path, tmp_path: Path) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    disk.partitioned(seized / "macbook.img", [drives / "apfs.raw"], "gpt")
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", case=case)
    rows = {" / ".join(r["path"][1:]): r for r in docket_lines("list", case=case)}
    passwords = rows["p1 (APFS) / apfs_test / passwords.txt"]
    assert (passwords["type"], passwords["status"]) == ("csv", "ok")  # place,user,password
    shown = docket_json("show", passwords["id"], case=case)
    assert shown["fs"]["fs"] == "APFS" and shown["fs"]["modified"].endswith("Z")
    assert docket_json("search", "superrich", case=case)["total"] == 1
