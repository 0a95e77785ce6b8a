"""A full disk is not a crash: ingest into a case on a small filesystem stops with a clear
message and exit 7, the run is recorded, the custody chain stays whole, and once there is
space the next run completes what the first could not.

The small filesystem is a real one: a tmpfs mounted for the test (root only; skipped
elsewhere, saying why)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import docket, docket_json


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_stops_the_run_clearly_and_it_resumes(tmp_path: Path, small_disk: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(6):  # 4.2 MB of bytes that do not compress, for a 3 MB disk
        (src / f"scan-{i}.bin").write_bytes(os.urandom(700_000))
    (src / "note.txt").write_text("the payroll note\n")
    case = small_disk / "case"

    first = docket("ingest", src, "--jobs", "2", case=case, check=False)
    assert first.returncode == 7, first.stderr
    assert "disk full" in first.stderr
    assert "free space and run `docket ingest` again" in first.stderr
    assert "Traceback" not in first.stderr
    runs = docket_json("status", case=case)["runs"]
    assert runs[0]["status"] == "disk-full" and runs[0]["reason"]
    pending = docket_json("status", case=case)["by_status"].get("pending", 0)
    assert pending > 0
    events = [json.loads(line) for line in (case / "custody.log").read_text().splitlines()]
    assert events[-1]["event"] == "run-end" and events[-1]["status"] == "disk-full"

    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    second = docket("ingest", src, "--jobs", "2", case=case)
    assert f"done: {pending} items processed" in second.stderr
    status = docket_json("status", case=case)
    assert status["items"] == 7 and "pending" not in status["by_status"]
    assert [r["status"] for r in status["runs"]] == ["disk-full", "completed"]
    assert docket_json("verify", case=case)["ok"]


def test_a_catalogue_that_cannot_grow_is_a_full_disk_too(tmp_path: Path, small_disk: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "first.txt").write_text("the first note\n")
    case = small_disk / "case"
    docket("ingest", src, "--jobs", "1", case=case)
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as f:  # every byte left: SQLite is the first to fail
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass
    for i in range(3):
        (src / f"more-{i}.txt").write_text(f"another note {i}\n")

    full = docket("ingest", src, "--jobs", "1", case=case, check=False)
    assert full.returncode == 7, full.stderr
    assert "disk full" in full.stderr and "Traceback" not in full.stderr

    filler.unlink()
    again = docket("ingest", src, "--jobs", "1", case=case)
    assert "done: 3 items processed" in again.stderr
    assert docket_json("status", case=case)["by_status"] == {"ok": 4}
    assert docket_json("verify", case=case)["ok"]
