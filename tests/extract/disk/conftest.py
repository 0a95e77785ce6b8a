"""Images shared by the disk tests, built once per session (a few MB each)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import disk


@pytest.fixture(scope="session")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("disk-images")


@pytest.fixture(scope="session")
def ext4_img(images: Path) -> Path:
    return disk.ext4(images / "ext4.img")


@pytest.fixture(scope="session")
def fat_img(images: Path) -> Path:
    return disk.fat(images / "fat.img")


@pytest.fixture(scope="session")
def ntfs_img(images: Path) -> Path:
    return disk.ntfs(images / "ntfs.img", stream=("ledger.csv", "hidden", b"stream payload tiger"))


@pytest.fixture(scope="session")
def mbr_img(images: Path, fat_img: Path, ext4_img: Path) -> Path:
    return disk.partitioned(images / "mbr.img", [fat_img, ext4_img], "dos")


@pytest.fixture(scope="session")
def gpt_img(images: Path, ntfs_img: Path, ext4_img: Path) -> Path:
    return disk.partitioned(images / "gpt.img", [ntfs_img, ext4_img], "gpt")
