"""A known-hashes file leaves a custody record; a disk's own file cap (disk_max_files)
stops storing files past it and says how many were left out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from docket.acquire.blobstore import BlobStore
from docket.acquire.custody import check_chain
from docket.extract.run import extract_file
from docket.extract.sink import Limits
from docket.model.errors import Code
from docket.settings import DEFAULTS, Settings
from tests.fixtures import disk
from tests.helpers import docket, docket_lines


def test_loading_known_hashes_is_a_custody_event(tmp_path: Path, fat_img: Path) -> None:
    listed = [disk.FILES["ledger.csv"], b"some other program file\n"]
    known = tmp_path / "os-files.sha256"
    known.write_text(
        "# operating-system files\n"
        + "".join(f"{hashlib.sha256(d).hexdigest()}  file{i}\n" for i, d in enumerate(listed))
    )
    case = tmp_path / "case"
    docket("ingest", fat_img, "--known-hashes", known, case=case)
    events = [json.loads(x) for x in (case / "custody.log").read_text().splitlines()]
    (loaded,) = [e for e in events if e["event"] == "known-hashes"]
    assert loaded["file"] == "os-files.sha256"
    assert loaded["sha256"] == hashlib.sha256(known.read_bytes()).hexdigest()
    assert (loaded["hashes"], loaded["format"]) == (2, "hash-list")
    assert check_chain(case / "custody.log") == []
    ledger = [r for r in docket_lines("list", case=case) if r["path"][-1] == "ledger.csv"]
    assert [(r["status"], r["code"]) for r in ledger] == [("skipped", "known-file")]


def test_nsrl_format_is_named(tmp_path: Path, fat_img: Path) -> None:
    known = tmp_path / "NSRLFile.txt"
    known.write_text(
        '"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"\n'
        f'"{"AB" * 20}","{"CD" * 16}","00000000","x.dll",1,1,"1",""\n'
    )
    case = tmp_path / "case"
    docket("ingest", fat_img, "--known-hashes", known, case=case)
    events = [json.loads(x) for x in (case / "custody.log").read_text().splitlines()]
    (loaded,) = [e for e in events if e["event"] == "known-hashes"]
    assert (loaded["file"], loaded["hashes"], loaded["format"]) == ("NSRLFile.txt", 2, "nsrl-rds")


def test_disk_cap_is_separate_from_max_members(tmp_path: Path, mbr_img: Path) -> None:
    def run(settings: Settings, limits: Limits | None = None):
        return extract_file(
            mbr_img,
            BlobStore(tmp_path / "blobs"),
            size=mbr_img.stat().st_size,
            limits=limits,
            settings=settings,
        )

    # An archive's member cap of 3 does not cut a drive: its own cap governs.
    whole = run(DEFAULTS, Limits(max_members=3))
    assert whole.status == "ok", whole.warnings
    files = [c for c in whole.children if c.parent is not None]
    assert len(files) == 8  # 4 files (one deleted) in each of two partitions

    cut = run(DEFAULTS.replace(disk_max_files=5))
    assert cut.status == "partial"
    assert len([c for c in cut.children if c.parent is not None]) == 5
    assert cut.metadata["disk"]["left_out"] == 3
    (code, message) = cut.warnings[-1]
    assert code == Code.TOO_MANY_MEMBERS
    assert "disk_max_files (5)" in message and "3 more files" in message
    parts = [c for c in cut.children if c.parent is None]
    assert [p.meta.get("left_out") for p in parts] == [None, 3]
    assert parts[1].meta["files"] == 1


def test_a_drive_is_not_cut_by_the_archive_byte_limit(tmp_path: Path, mbr_img: Path) -> None:
    # A byte cap meant for archives (here 16 bytes) does not stop a drive: its files are
    # bounded by twice the drive's own size instead.
    res = extract_file(
        mbr_img,
        BlobStore(tmp_path / "blobs"),
        size=mbr_img.stat().st_size,
        limits=Limits(max_expanded=16),
    )
    assert res.status == "ok", res.warnings
    assert len([c for c in res.children if c.parent is not None]) == 8
