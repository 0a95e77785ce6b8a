"""Contents of FAT12, FAT32, ext2, ext3 and exFAT images: every file, its bytes, its
times (FAT and exFAT as a zone-less local clock), and the deleted file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from docket.extract.disk.filesystem import OVERWRITTEN
from tests.conftest import Extract
from tests.fixtures import disk

BUILDERS: dict[str, Callable[[Path], Path]] = {
    "FAT12": lambda p: disk.fat(p, size_mb=2, bits=12),
    "FAT32": lambda p: disk.fat(p, size_mb=34, bits=32),
    "ext2": lambda p: disk.ext4(p, kind="ext2"),
    "ext3": lambda p: disk.ext4(p, kind="ext3"),
    "exFAT": disk.exfat,
}
LOCAL = {"FAT12", "FAT32", "exFAT"}


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_files_contents_times_and_deleted(extract: Extract, tmp_path: Path, kind: str) -> None:
    image = BUILDERS[kind](tmp_path / f"{kind}.img")
    r = extract(image)
    assert (r.type, r.status) == ("disk", "ok"), (r.message, r.warnings)
    (part,) = [c for c in r.children if c.parent is None]
    assert part.name == f"fs ({kind})" and part.meta["fs"] == kind
    live = {c.name: c for c in r.children if c.parent is not None and not c.deleted}
    assert set(live) == set(disk.FILES)
    for name, data in disk.FILES.items():
        child = live[name]
        assert extract.child_bytes(child) == data, name
        assert child.meta["size"] == len(data) and child.meta["fs"] == kind
        if kind in LOCAL:
            assert child.meta["modified"] == disk.WHEN.isoformat()
            assert child.meta["time_zone"] == "local"
        else:
            assert child.meta["modified"] == disk.WHEN.isoformat() + "Z"
            assert "time_zone" not in child.meta and child.meta["mode"] == "0644"
    (gone,) = [c for c in r.children if c.deleted]
    # FAT overwrites the first letter of a deleted short name (TSK shows "_"); ext and
    # exFAT keep the whole name.
    want = "old/_urned.txt" if kind.startswith("FAT") else "old/burned.txt"
    assert gone.name.lower() == want
    assert extract.child_bytes(gone) == disk.DELETED["old/burned.txt"]
    assert gone.meta["note"] == OVERWRITTEN
    assert r.metadata["disk"]["files"] == len(disk.FILES) + 1
    assert r.metadata["disk"]["deleted"] == 1
