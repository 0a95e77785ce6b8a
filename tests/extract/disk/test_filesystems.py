"""Each file system and partition table read through the real extractor."""

from __future__ import annotations

import shutil
from pathlib import Path

from docket.extract.detect import detect
from docket.extract.disk.filesystem import OVERWRITTEN
from docket.model.errors import Code
from tests.conftest import Extract
from tests.fixtures import disk


def names(result) -> dict[str, object]:
    return {c.name: c for c in result.children}


def test_ext4_files_metadata_and_deleted(extract: Extract, ext4_img: Path) -> None:
    r = extract(ext4_img, name="drive.img")
    assert (r.type, r.status) == ("disk", "ok")
    kids = names(r)
    assert kids["fs (ext4)"].blob is None and kids["fs (ext4)"].meta["fs"] == "ext4"
    arabic = kids["letters/arabic.txt"]
    assert extract.child_bytes(arabic).decode() == disk.ARABIC
    assert arabic.parent == kids["fs (ext4)"].index
    assert {"created", "modified", "accessed", "changed", "inode", "uid"} <= set(arabic.meta)
    assert arabic.meta["modified"].endswith("Z") and arabic.meta["size"] == len(
        disk.ARABIC.encode()
    )
    gone = kids["old/burned.txt"]
    assert gone.deleted and extract.child_bytes(gone) == disk.DELETED["old/burned.txt"]
    assert gone.meta["note"] == OVERWRITTEN and gone.meta["recovered_bytes"] == 46
    assert not kids["ledger.csv"].deleted


def test_fat_deleted_entry_keeps_its_content(extract: Extract, fat_img: Path) -> None:
    r = extract(fat_img)
    kids = names(r)
    assert "fs (FAT16)" in kids and "letters/request.txt" in kids
    # FAT overwrites a deleted name's first byte; TSK shows it as "_".
    (gone,) = [c for c in r.children if c.deleted]
    assert gone.name.endswith("urned.txt") and extract.child_bytes(gone).startswith(b"destroyed")
    assert not any("Volume Label" in n for n in kids)


def test_ntfs_alternate_data_stream_is_an_item(extract: Extract, ntfs_img: Path) -> None:
    r = extract(ntfs_img)
    kids = names(r)
    assert extract.child_bytes(kids["ledger.csv:hidden"]) == b"stream payload tiger"
    assert kids["ledger.csv:hidden"].meta["stream"] == "hidden"
    assert extract.child_bytes(kids["ledger.csv"]).startswith(b"name,amount")
    assert not any(n.startswith("$MFT") for n in kids)  # structures, not files


def test_iso9660(extract: Extract, images: Path) -> None:
    r = extract(disk.iso(images / "cd.iso"))
    assert r.type == "iso"
    assert extract.child_bytes(names(r)["letters/arabic.txt"]).decode() == disk.ARABIC


def test_exfat_detected_and_walked(extract: Extract, images: Path) -> None:
    disk.need("mkfs.exfat")
    path = images / "exfat.img"
    path.write_bytes(b"\0" * 8 * disk.MB)
    disk.run("mkfs.exfat", path)
    assert detect(path).type == "disk"
    r = extract(path)
    assert "fs (exFAT)" in names(r), r.message


def test_mbr_and_gpt_partitions_nest_their_files(
    extract: Extract, mbr_img: Path, gpt_img: Path
) -> None:
    r = extract(mbr_img)
    assert r.metadata["partition_table"] == "mbr"
    parts = [c for c in r.children if c.parent is None]
    assert [p.name for p in parts] == ["p1 (FAT16)", "p2 (ext4)"]
    assert parts[1].meta["offset"] > parts[0].meta["offset"] >= 512
    in_p2 = [c.name for c in r.children if c.parent == parts[1].index]
    assert "letters/arabic.txt" in in_p2 and "old/burned.txt" in in_p2
    g = extract(gpt_img)
    assert g.metadata["partition_table"] == "gpt"
    assert [c.name for c in g.children if c.parent is None] == ["p1 (NTFS)", "p2 (ext4)"]


def test_detection_is_by_content(images: Path, mbr_img: Path, ntfs_img: Path) -> None:
    odd = images / "evidence.jpg"
    shutil.copy(mbr_img, odd)
    assert detect(odd, "jpg").type == "disk"
    assert detect(ntfs_img).notes["layout"] == "ntfs"
    assert detect(mbr_img).notes["layout"] == "mbr"


def test_truncated_image_gives_partial_results(
    extract: Extract, images: Path, mbr_img: Path
) -> None:
    cut = images / "cut.img"
    data = mbr_img.read_bytes()
    cut.write_bytes(data[: len(data) // 2 + 512 * 1024])  # p1 whole, p2 cut short
    r = extract(cut)
    assert r.status == "partial"
    assert r.code == Code.TRUNCATED and "p2" in r.message
    assert "letters/request.txt" in names(r)  # p1's files still read


def test_corrupt_partition_table_entry_is_recorded(
    extract: Extract, images: Path, fat_img: Path
) -> None:
    bad = images / "badtable.img"
    disk.partitioned(bad, [fat_img])
    with open(bad, "r+b") as f:  # a second entry pointing at garbage inside the disk
        f.seek(446 + 16)
        f.write(
            bytes([0, 0, 0, 0, 0x07, 0, 0, 0])
            + (100).to_bytes(4, "little")
            + (50).to_bytes(4, "little")
        )
    r = extract(bad)
    kids = names(r)
    assert "letters/request.txt" in kids  # the good partition is read
    (broken,) = [c for c in r.children if c.parent is None and c.status == "unsupported"]
    assert broken.name.startswith("p") and "no readable file system" in broken.message


def test_directory_loop_is_cut(extract: Extract, images: Path) -> None:
    path = disk.ext4(images / "loop.img")
    disk.run("debugfs", "-w", "-R", "link letters letters/again", path)
    r = extract(path)
    assert r.status == "partial" and any("loop" in m for _, m in r.warnings)
    assert "letters/arabic.txt" in names(r)
