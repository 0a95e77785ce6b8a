"""Virtual-machine disks (VHD, VHDX, VMDK monolithic and split, QCOW2) read as the disk
they hold: the same files as the raw image, the same as The Sleuth Kit's ``fls`` lists,
deleted entries included; and broken headers recorded with a reason."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from docket.extract.run import extract_file
from docket.model.results import ExtractResult
from docket.settings import DEFAULTS, Settings
from tests.conftest import Extract
from tests.fixtures import disk
from tests.helpers import docket, docket_json, docket_lines

FORMATS = {  # name: (qemu-img format, subformat, file name)
    "vhd": ("vpc", "dynamic", "drive.vhd"),
    "vhdx": ("vhdx", None, "drive.vhdx"),
    "vmdk": ("vmdk", "monolithicSparse", "drive.vmdk"),
    "vmdk-split": ("vmdk", "twoGbMaxExtentSparse", "split.vmdk"),
    "qcow": ("qcow2", None, "drive.qcow2"),
}


def read(extract: Extract, image: Path, settings: Settings = DEFAULTS) -> ExtractResult:
    """Extract ``image`` as a top-level file: its siblings (extents) are found next to it."""
    return extract_file(
        image,
        extract.blobs,
        extension=image.suffix[1:],
        size=image.stat().st_size,
        name=image.name,
        source=str(image),
        settings=settings,
    )


def listing(r: ExtractResult) -> dict[str, tuple[bool, str | None]]:
    """Each file's lineage below the image: (deleted, sha256)."""
    names = {i: c.name for i, c in enumerate(r.children)}
    out = {}
    for c in r.children:
        if c.parent is None:
            continue
        out[f"{names[c.parent]} / {c.name}"] = (c.deleted, c.blob.sha256 if c.blob else None)
    return out


def fls_files(image: Path, offset: int = 0, kind: str = "raw") -> set[tuple[str, bool]]:
    """Regular files (deleted ones too) as ``fls -r -p`` lists them: (path, deleted)."""
    if shutil.which("fls") is None:
        pytest.skip("fls is not installed (sleuthkit)")
    out = subprocess.run(
        ["fls", "-i", kind, "-r", "-p", "-o", str(offset), str(image)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    found = set()
    for line in out.splitlines():
        kinds, _, rest = line.partition(" ")
        if not kinds.endswith("/r"):
            continue
        deleted = rest.startswith("* ")
        found.add((rest.split(":\t", 1)[1], deleted))
    return found


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_lists_the_raw_disk(
    extract: Extract, mbr_img: Path, tmp_path: Path, name: str
) -> None:
    fmt, sub, filename = FORMATS[name]
    raw = mbr_img
    if name == "vmdk-split":  # past 2 GiB so the set really is split (sparse: no bytes)
        raw = tmp_path / "big.img"
        shutil.copyfile(mbr_img, raw)
        with open(raw, "r+b") as f:
            f.truncate(2200 * disk.MB)
    image = disk.virtual(raw, tmp_path / filename, fmt, sub)
    expected = listing(extract(mbr_img))
    r = read(extract, image)
    assert (r.type, r.status) == (name.split("-")[0], "ok"), (r.message, r.warnings)
    assert r.metadata["partition_table"] == "mbr"
    got = listing(r)
    assert got == expected
    (ext4,) = [c for c in r.children if c.name == "p2 (ext4)"]
    sectors = ext4.meta["offset"] // disk.SECTOR
    assert {(p.split(" / ", 1)[1], d) for p, (d, _) in got.items() if p.startswith("p2")} == (
        fls_files(mbr_img, sectors)
    )
    assert ("p2 (ext4) / old/burned.txt") in got and got["p2 (ext4) / old/burned.txt"][0]
    if name == "vmdk-split":
        assert r.metadata["image_segments"] == ["split-s001.vmdk", "split-s002.vmdk"]


def test_split_vmdk_end_to_end_extents_kept_and_skipped(tmp_path: Path, ext4_img: Path) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    raw = tmp_path / "big.img"
    shutil.copyfile(ext4_img, raw)
    with open(raw, "r+b") as f:
        f.truncate(2200 * disk.MB)
    disk.virtual(raw, seized / "server.vmdk", "vmdk", "twoGbMaxExtentSparse")
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", case=case)
    rows = {" / ".join([r["path"][0].rsplit("/", 1)[-1], *r["path"][1:]]): r
            for r in docket_lines("list", case=case)}  # fmt: skip
    assert (rows["server.vmdk"]["type"], rows["server.vmdk"]["status"]) == ("vmdk", "ok")
    extent = rows["server-s001.vmdk"]
    assert (extent["status"], extent["code"]) == ("skipped", "image-segment")
    assert "server.vmdk" in extent["message"]
    assert rows["server.vmdk / fs (ext4) / letters/arabic.txt"]["status"] == "ok"


def test_missing_extent_is_recorded(extract: Extract, tmp_path: Path, ext4_img: Path) -> None:
    image = disk.virtual(ext4_img, tmp_path / "split.vmdk", "vmdk", "twoGbMaxExtentSparse")
    (tmp_path / "split-s001.vmdk").unlink()
    r = read(extract, image)
    assert (r.status, r.code) == ("failed", "truncated")
    assert "split-s001.vmdk" in (r.message or "")


@pytest.mark.parametrize(
    ("fmt", "sub", "filename"),
    [("vmdk", "monolithicSparse", "bad.vmdk"), ("qcow2", None, "bad.qcow2"),
     ("vhdx", None, "bad.vhdx")],
)  # fmt: skip
def test_corrupt_or_truncated_headers_are_reasons_not_crashes(
    extract: Extract, tmp_path: Path, ext4_img: Path, fmt: str, sub: str | None, filename: str
) -> None:
    image = disk.virtual(ext4_img, tmp_path / filename, fmt, sub)
    data = image.read_bytes()
    truncated = extract(data[:600], name=filename)
    assert truncated.status in ("failed", "unsupported"), truncated
    assert truncated.message
    broken = bytearray(data)
    # the header's sizes and offsets; VHDX keeps two copies of its header, 64 KiB apart
    start, end = (64 * 1024, 192 * 1024) if fmt == "vhdx" else (8, 64)
    broken[start:end] = b"\xff" * (end - start)
    r = extract(bytes(broken), name=filename)
    assert r.status in ("failed", "partial", "unsupported") and r.message, r
    assert not [c for c in r.children if c.blob is not None]


NEW_FILE = "بعد اللقطة/ملف جديد.txt"


@pytest.mark.parametrize(("fmt", "ext"), [("qcow2", "qcow2"), ("vmdk", "vmdk"), ("vpc", "vhd")])
def test_differencing_disk_read_over_its_parent(
    extract: Extract, tmp_path: Path, fmt: str, ext: str
) -> None:
    # 8 MiB: the new file changes one of the VHD's four 2 MiB blocks, the others are read
    # from the parent
    base = disk.ext4(tmp_path / "base.img", size_mb=8)
    changed = disk.ext4(
        tmp_path / "changed.img",
        size_mb=8,
        files={**disk.FILES, NEW_FILE: "أضيف بعد اللقطة\n".encode()},
    )
    folder = tmp_path / "vm"
    folder.mkdir()
    child = disk.differencing(base, changed, folder, fmt)
    assert child.stat().st_size < changed.stat().st_size / 2  # only the changes
    r = read(extract, child)
    assert (r.status, r.metadata["parent_images"]) == ("ok", [f"base.{ext}"]), r.message
    assert listing(r) == listing(read(extract, changed))  # the child as the guest saw it
    assert "fs (ext4) / " + NEW_FILE in listing(r)
    assert "fs (ext4) / " + NEW_FILE not in listing(read(extract, folder / f"base.{ext}"))
    # without its parent next to it: unsupported, naming the parent
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / child.name).write_bytes(child.read_bytes())
    r = read(extract, alone / child.name)
    assert (r.status, r.code) == ("unsupported", "unsupported")
    assert f"base.{ext}" in (r.message or "") and "not next to it" in (r.message or "")


def test_qcow_overlay_and_its_backing_file_through_the_cli(tmp_path: Path, ext4_img: Path) -> None:
    changed = disk.ext4(
        tmp_path / "changed.img", files={**disk.FILES, NEW_FILE: "أضيف بعد اللقطة\n".encode()}
    )
    seized = tmp_path / "seized"
    seized.mkdir()
    disk.differencing(ext4_img, changed, seized, "qcow2")
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", case=case)
    rows = {" / ".join([r["path"][0].rsplit("/", 1)[-1], *r["path"][1:]]): r
            for r in docket_lines("list", case=case)}  # fmt: skip
    assert rows["child.qcow2"]["status"] == "ok"
    assert docket_json("show", rows["child.qcow2"]["id"], case=case)["metadata"][
        "parent_images"
    ] == ["base.qcow2"]
    assert rows[f"child.qcow2 / fs (ext4) / {NEW_FILE}"]["status"] == "ok"
    assert f"base.qcow2 / fs (ext4) / {NEW_FILE}" not in rows
    assert rows["base.qcow2 / fs (ext4) / letters/arabic.txt"]["status"] == "ok"


def test_flat_vmdk_read_once_through_its_descriptor(tmp_path: Path, ext4_img: Path) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    disk.virtual(ext4_img, seized / "vm.vmdk", "vmdk", "monolithicFlat")
    assert (seized / "vm-flat.vmdk").is_file()
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", case=case)
    rows = {" / ".join([r["path"][0].rsplit("/", 1)[-1], *r["path"][1:]]): r
            for r in docket_lines("list", case=case)}  # fmt: skip
    assert (rows["vm.vmdk"]["type"], rows["vm.vmdk"]["status"]) == ("vmdk", "ok")
    flat = rows["vm-flat.vmdk"]
    assert (flat["status"], flat["code"]) == ("skipped", "image-segment")
    assert "vm.vmdk" in flat["message"]
    assert [p for p in rows if p.endswith("letters/arabic.txt")] == [
        "vm.vmdk / fs (ext4) / letters/arabic.txt"
    ]


def test_descriptor_cannot_reach_outside_its_folder(
    extract: Extract, tmp_path: Path, ext4_img: Path
) -> None:
    """Extents named with a path (``../x``, ``/abs/x``) are looked for by base name only,
    next to the descriptor: the files outside are never read."""
    disk.virtual(ext4_img, tmp_path / "real.vmdk", "vmdk", "twoGbMaxExtentSparse")
    inner = tmp_path / "inner"
    inner.mkdir()
    text = (tmp_path / "real.vmdk").read_bytes()
    evil = text.replace(b'"real-s001.vmdk"', f'"{tmp_path}/real-s001.vmdk"'.encode())
    (inner / "evil.vmdk").write_bytes(evil)
    r = read(extract, inner / "evil.vmdk")
    assert (r.status, r.code) == ("failed", "truncated"), r
    assert "real-s001.vmdk" in (r.message or "") and not r.children
    ok = read(extract, tmp_path / "real.vmdk")
    assert ok.status == "ok"  # the same extent, next to its own descriptor


def test_every_format_through_the_cli(tmp_path: Path, ext4_img: Path) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    for name, (fmt, sub, filename) in FORMATS.items():
        if name != "vmdk-split":  # its own end-to-end test above
            disk.virtual(ext4_img, seized / filename, fmt, sub)
    case = tmp_path / "case"
    docket("ingest", seized, case=case)
    rows = {" / ".join([r["path"][0].rsplit("/", 1)[-1], *r["path"][1:]]): r
            for r in docket_lines("list", case=case)}  # fmt: skip
    for filename, kind in (("drive.vhd", "vhd"), ("drive.vhdx", "vhdx"),
                           ("drive.vmdk", "vmdk"), ("drive.qcow2", "qcow")):  # fmt: skip
        assert (rows[filename]["type"], rows[filename]["status"]) == (kind, "ok"), filename
        shown = docket_json("show", rows[filename]["id"], case=case)
        assert shown["metadata"]["image_format"] == kind
        deleted = rows[f"{filename} / fs (ext4) / old/burned.txt"]
        assert deleted["status"] == "ok"
    hits = docket_json("search", "رواتب", case=case)["hits"]
    assert sorted(h["path"][0].rsplit("/", 1)[-1] for h in hits) == [
        "drive.qcow2", "drive.vhd", "drive.vhdx", "drive.vmdk"
    ]  # fmt: skip
    found = docket_json("search", "deleted:true quartermaster", case=case)["total"]
    assert found == 4
