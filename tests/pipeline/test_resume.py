"""Kill the ingest with a real SIGKILL mid-run, run it again, and check that it finishes
the work, does nothing twice, and leaves catalogue, index and custody log consistent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import docket, docket_json, docket_lines, write_zip

N_FILES = 1500


def _make_source(root: Path) -> Path:
    root.mkdir()
    for i in range(N_FILES):
        sub = root / f"batch-{i // 100:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"doc-{i:05d}.txt").write_text(f"record {i} token{i:05d} of the payroll\n")
    for i in range(5):
        write_zip(
            root / f"archive-{i}.zip",
            {f"member-{j}.txt": f"archived token-a{i}m{j}".encode() for j in range(20)},
        )
    return root


def test_kill_9_then_resume(tmp_path: Path) -> None:
    src = _make_source(tmp_path / "src")
    case = tmp_path / "case"
    env = {**os.environ, "DOCKET_COMMIT_SECONDS": "0.2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "docket", "ingest", str(src), "--jobs", "2", "--case", str(case)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    log = case / "custody.log"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if log.exists() and log.read_text().count('"event": "items"') >= 3:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # coordinator, forkserver and workers at once
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    interrupted = docket_json("status", case=case)
    assert 0 < interrupted["by_status"].get("ok", 0) < interrupted["items"], "kill landed mid-run"

    docket("ingest", src, "--jobs", "2", case=case)

    items = docket_lines("list", case=case)
    expected = N_FILES + 5 + 5 * 20
    assert len(items) == expected
    assert len({i["id"] for i in items}) == expected
    assert all(i["status"] == "ok" for i in items)
    # The index holds each item once: a unique token per file is found exactly once.
    # (The killed run committed the catalogue every 0.2 s but the index less often, so
    # items it committed unindexed were indexed by the second run.)
    for i in (0, 777, N_FILES - 1):
        hits = docket_json("search", f"token{i:05d}", case=case)
        assert hits["total"] == 1, hits
    assert docket_json("search", "type:text", case=case)["total"] == N_FILES + 100
    assert docket_json("search", "archived", case=case)["total"] == 100
    # The custody chain is intact and says what happened.
    report = docket_json("verify", case=case)
    assert report["ok"], report["problems"]
    runs = docket_json("status", case=case)["runs"]
    assert [r["status"] for r in runs] == ["interrupted", "completed"]
