"""APFS snapshots as dated versions of their volume: a generated container (mkapfs)
given snapshots as macOS records them (``disk.apfs_snapshot``), through the CLI; the
shared sample with files, given a snapshot, whose files must come out byte for byte as
the live volume's (pyfsapfs) do; a snapshot list, and a snapshot's tree, that cannot be
read."""

from __future__ import annotations

import hashlib
import shutil
import stat
import struct
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

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
        assert (item["status"], item["code"]) == ("ok", None)
        fs = docket_json("show", item["id"], case=case)["fs"]
        assert (fs["version"], fs["fs"], fs["files"]) == (n, "APFS", 0)  # mkapfs: empty
    fs = docket_json("show", second["id"], case=case)["fs"]
    assert (fs["snapshot"], fs["name"]) == ("2024-03-02T09:00:30Z", ARABIC)
    assert docket_json("verify", case=case)["ok"]


def _live_files(image: Path) -> dict[str, tuple[str, int, str]]:
    """Each regular file of the sample's volume as pyfsapfs reads it: (sha256, size,
    modified; pyfsapfs names it the creation time, see ``apfs.py``)."""
    import pyfsapfs

    container = pyfsapfs.container()
    container.open(str(image))
    found: dict[str, tuple[str, int, str]] = {}
    stack = [(container.get_volume(0).get_root_directory(), "")]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.sub_file_entries:
            if stat.S_ISDIR(entry.file_mode):
                stack.append((entry, f"{prefix}{entry.name}/"))
            elif stat.S_ISREG(entry.file_mode):
                data = entry.read_buffer(entry.size) if entry.size else b""
                when = entry.creation_time.replace(tzinfo=UTC).isoformat()
                found[prefix + entry.name] = (
                    hashlib.sha256(data).hexdigest(),
                    len(data),
                    when.replace("+00:00", "Z"),
                )
    container.close()
    return found


def test_a_snapshot_of_the_sample_holds_its_files_byte_for_byte(
    samples: Path, tmp_path: Path
) -> None:
    source = samples / "drives" / "apfs.raw"
    if not source.exists():
        pytest.skip("drives/apfs.raw is not among the samples")
    seized = tmp_path / "seized"
    seized.mkdir()
    image = seized / "apfs.raw"
    shutil.copyfile(source, image)
    disk.apfs_snapshot(image, ARABIC, datetime(2024, 3, 1, 10, 15, tzinfo=UTC))
    live = _live_files(image)
    assert {"passwords.txt", "a_directory/a_file", "a_directory/another_file"} <= set(live)
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", case=case)
    items = by_path(case)
    volume = "apfs.raw / fs (APFS) / apfs_test"
    snap = items[f"{volume} / snapshot 1 2024-03-01T10:15:00Z {ARABIC}"]
    assert (snap["status"], snap["code"]) == ("ok", None)
    within = f"{volume} / snapshot 1 2024-03-01T10:15:00Z {ARABIC} / "
    files = {k[len(within) :]: v for k, v in items.items() if k.startswith(within)}
    files = {k: v for k, v in files.items() if " / " not in k}  # not what the files hold
    assert set(files) == set(live)
    for path, (sha256, size, _) in live.items():
        assert (files[path]["sha256"], files[path]["size"], files[path]["status"]) == (
            sha256,
            size,
            "ok",
        ), path
        assert items[f"{volume} / {path}"]["sha256"] == sha256  # the live volume's too
    fs = docket_json("show", files["a_directory/a_file"]["id"], case=case)["fs"]
    assert fs["modified"] == live["a_directory/a_file"][2] == "2022-01-14T07:19:41.201997Z"
    assert fs["created"] == fs["added"] == "2022-01-14T07:19:41.197370Z"  # created = added
    shown = docket_json("show", items[f"{volume} / a_directory/a_file"]["id"], case=case)["fs"]
    times = ("created", "modified", "changed", "accessed", "added", "inode", "uid", "gid")
    assert {k: fs[k] for k in times} == {k: shown[k] for k in times}  # as the live volume
    assert (fs["fs"], fs["size"], fs["mode"]) == ("APFS", 53, "0644")
    assert docket_json("show", snap["id"], case=case)["fs"]["files"] == len(live)
    assert docket_json("verify", case=case)["ok"]


def _snapshot_superblock(f: BinaryIO) -> tuple[int, bytearray]:
    """The block and bytes of the snapshot's volume superblock (a physical copy)."""
    n = 0
    while block := f.read(4096):
        if block[32:36] == b"APSB" and struct.unpack_from("<I", block, 24)[0] == 0x4000000D:
            return n, bytearray(block)
        n += 1
    raise AssertionError("no snapshot superblock")


def _rewrite(f: BinaryIO, n: int, block: bytearray) -> None:
    block[0:8] = disk._fletcher64(bytes(block))
    f.seek(n * 4096)
    f.write(block)


def _missing_root(f: BinaryIO) -> None:
    n, sb = _snapshot_superblock(f)
    struct.pack_into("<Q", sb, 136, 2**50)  # apfs_root_tree_oid: in no object map
    _rewrite(f, n, sb)


def _looping_tree(f: BinaryIO) -> None:
    """The snapshot's tree made physical, its root a branch whose child is itself."""
    n, sb = _snapshot_superblock(f)
    node = bytearray(4096)
    struct.pack_into("<QQI", node, 8, n - 1, 1, 0x40000002)  # oid, xid, physical node
    struct.pack_into("<HHIHHHH", node, 32, 1, 1, 1, 0, 8, 8, 0)  # root, level 1, one key
    struct.pack_into("<HHHH", node, 56, 0, 8, 8, 8)  # the key at 0, its value 8 from the end
    struct.pack_into("<Q", node, 56 + 8, 2**60 * 3 + 2)
    struct.pack_into("<Q", node, 4096 - 40 - 8, n - 1)  # the child: this node
    _rewrite(f, n - 1, node)
    struct.pack_into("<IQ", sb, 116, 0x40000002, 0)
    struct.pack_into("<Q", sb, 136, n - 1)
    _rewrite(f, n, sb)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [(_missing_root, "not in the volume's object map"), (_looping_tree, "a loop")],
)
def test_a_snapshot_whose_tree_cannot_be_read_is_recorded_corrupt(
    extract: Extract, tmp_path: Path, damage: Callable[[BinaryIO], None], reason: str
) -> None:
    image = disk.apfs(tmp_path / "mac.img", "Macintosh HD")
    disk.apfs_snapshot(image, TM, datetime(2024, 3, 1, tzinfo=UTC))
    with open(image, "r+b") as f:
        damage(f)
    r = read(extract, image)
    (volume,) = [c for c in r.children if c.name == "Macintosh HD"]
    assert volume.status == "ok" and volume.meta["snapshots"] == 1  # the live volume read
    (snap,) = [c for c in r.children if c.name.startswith("snapshot 1 ")]
    assert (snap.status, snap.code) == ("failed", "corrupt")
    assert "files cannot be read" in (snap.message or "") and reason in (snap.message or "")
    assert reason in (r.message or "") and r.status == "partial"


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


def test_a_snapshot_of_an_encrypted_volume_is_recorded_encrypted(
    extract: Extract, tmp_path: Path
) -> None:
    image = disk.apfs(tmp_path / "mac.img", "Macintosh HD")
    disk.apfs_snapshot(image, TM, datetime(2024, 3, 1, tzinfo=UTC))
    with open(image, "r+b") as f:  # the live volume's APFS_FS_UNENCRYPTED flag cleared
        n = 0
        while (block := bytearray(f.read(4096))) and not (
            block[32:36] == b"APSB" and struct.unpack_from("<I", block, 24)[0] == 0xD
        ):
            n += 1
        struct.pack_into("<Q", block, 264, struct.unpack_from("<Q", block, 264)[0] & ~1)
        _rewrite(f, n, block)
    r = read(extract, image)
    (snap,) = [c for c in r.children if c.name.startswith("snapshot 1 ")]
    assert (snap.status, snap.code) == ("encrypted", "encrypted")
    assert "encrypted volume" in (snap.message or "") and "mount_apfs -s" in (snap.message or "")


def test_a_snapshot_reads_its_tree_as_it_was_not_a_later_version(
    extract: Extract, tmp_path: Path
) -> None:
    """The volume's object map given a later version of the file-system tree's root (a
    transaction after the snapshot, pointing at a block of zeros): the snapshot keeps
    reading the version it was taken at."""
    image = disk.apfs(tmp_path / "mac.img", "Macintosh HD")
    disk.apfs_snapshot(image, TM, datetime(2024, 3, 1, tzinfo=UTC))
    with open(image, "r+b") as f:
        n, sb = _snapshot_superblock(f)
        snap_xid, root_oid = (
            struct.unpack_from("<Q", sb, 16)[0],
            struct.unpack_from("<Q", sb, 136)[0],
        )
        f.seek(struct.unpack_from("<Q", sb, 128)[0] * 4096)
        tree = struct.unpack_from("<Q", f.read(4096), 48)[0]
        f.seek(tree * 4096)
        node = bytearray(f.read(4096))
        nkeys = struct.unpack_from("<I", node, 36)[0]
        ts_off, ts_len, fs_off, fs_len = struct.unpack_from("<HHHH", node, 40)
        assert ts_len >= 4 * (nkeys + 1) and fs_len >= 32, "no room in the object map"
        toc, keys, end = 56 + ts_off, 56 + ts_off + ts_len, 4096 - 40
        used = max(struct.unpack_from("<HH", node, toc + 4 * i)[1] for i in range(nkeys))
        struct.pack_into("<HH", node, toc + 4 * nkeys, fs_off, used + 16)
        struct.pack_into("<QQ", node, keys + fs_off, root_oid, snap_xid + 1)
        struct.pack_into("<IIQ", node, end - used - 16, 0, 4096, n - 1)  # zeros there
        struct.pack_into("<I", node, 36, nkeys + 1)
        struct.pack_into("<HH", node, 44, fs_off + 16, fs_len - 32)
        _rewrite(f, tree, node)
    r = read(extract, image)
    (snap,) = [c for c in r.children if c.name.startswith("snapshot 1 ")]
    assert (snap.status, snap.meta["files"]) == ("ok", 0), snap.message


def test_a_snapshot_file_whose_extent_points_outside_is_kept_with_its_reason(
    extract: Extract, samples: Path, tmp_path: Path
) -> None:
    """The sample given a snapshot with its own copy of the file-system tree (one node),
    every extent of which is sent past the end of the container."""
    source = samples / "drives" / "apfs.raw"
    if not source.exists():
        pytest.skip("drives/apfs.raw is not among the samples")
    image = tmp_path / "apfs.raw"
    shutil.copyfile(source, image)
    disk.apfs_snapshot(image, TM, datetime(2024, 3, 1, tzinfo=UTC))
    with open(image, "r+b") as f:
        n, sb = _snapshot_superblock(f)
        f.seek(0)
        roots = []  # the newest file-system tree root node (type B-tree, subtype FS tree)
        for block in iter(lambda: f.read(4096), b""):
            if struct.unpack_from("<II", block, 24) == (2, 0xE):
                roots.append((struct.unpack_from("<Q", block, 16)[0], bytearray(block)))
        node = max(roots)[1]
        assert struct.unpack_from("<HH", node, 32) == (3, 0), "not a one-node tree"
        toc = 56 + struct.unpack_from("<H", node, 40)[0]
        keys = toc + struct.unpack_from("<H", node, 42)[0]
        moved = 0
        for i in range(struct.unpack_from("<I", node, 36)[0]):
            k_off, _, v_off, _ = struct.unpack_from("<HHHH", node, toc + 8 * i)
            if struct.unpack_from("<Q", node, keys + k_off)[0] >> 60 == 8:  # a file extent
                struct.pack_into("<Q", node, 4096 - 40 - v_off + 8, 2**40)
                moved += 1
        assert moved >= 3
        f.seek((n - 1) * 4096)
        assert not any(f.read(4096)), "the block before the snapshot's is in use"
        struct.pack_into("<QQI", node, 8, n - 1, 1, 0x40000002)
        _rewrite(f, n - 1, node)
        struct.pack_into("<I", sb, 116, 0x40000002)  # apfs_root_tree_type: physical
        struct.pack_into("<Q", sb, 136, n - 1)
        _rewrite(f, n, sb)
    r = read(extract, image)
    (snap,) = [c for c in r.children if c.name.startswith("snapshot 1 ")]
    assert snap.status == "ok"
    files = {c.name: c for c in r.children if c.parent == snap.index}
    assert {"passwords.txt", "a_directory/a_file"} <= set(files)
    for name, child in files.items():
        if child.meta["size"]:
            assert "past the end of the container" in child.meta["read_error"], name
    assert "past the end of the container" in (r.message or "")
    (live,) = [c for c in r.children if c.name == "passwords.txt" and c.parent != snap.index]
    assert "read_error" not in live.meta and live.blob is not None and live.blob.size == 116


def test_a_snapshot_files_bytes_follow_its_extents_and_holes(tmp_path: Path) -> None:
    """Two extents, the first a hole (block 0) of a sparse file, the second 4 KiB of
    known bytes in a free block; the file ends inside the second extent."""
    from docket.extract.disk.apfs_files import SnapFile, SnapshotTree
    from docket.extract.disk.apfs_snapshots import list_snapshots

    image = disk.apfs(tmp_path / "mac.img", "Macintosh HD")
    disk.apfs_snapshot(image, TM, datetime(2024, 3, 1, tzinfo=UTC))
    text = ("نص عربي " * 600).encode()[:4096]
    with open(image, "r+b") as f:
        n, _ = _snapshot_superblock(f)
        f.seek((n - 2) * 4096)
        f.write(text)
        ((snap,),) = list_snapshots(f).values()
        tree = SnapshotTree(f, snap)
        sparse = SnapFile("a", 16, 0o100644, 0, 0, 4096 + 1000, False, {},
                          [(0, 4096, 0), (4096, 4096, n - 2)])  # fmt: skip
        assert tree.read(sparse, 0, 10_000) == bytes(4096) + text[:1000]
        assert tree.read(sparse, 4090, 20) == bytes(6) + text[:14]
        gap = SnapFile("b", 17, 0o100644, 0, 0, 8192, False, {}, [(4096, 4096, n - 2)])
        with pytest.raises(OSError, match="no extent holds byte 0"):
            tree.read(gap, 0, 10)
