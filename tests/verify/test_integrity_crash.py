"""A crash between the custody log's fsync and the catalogue's commit is an interrupted
run, not tampering: ``docket verify`` says so with its own code and exit status (6), and
the next ``docket ingest`` resumes and leaves a case that verifies.

The crash is real: a real ingest runs in its own process, which ends itself with
``os._exit`` right after ``Case.log`` wrote a line and before the commit that line
belongs to (no cleanup, no rollback, as under ``kill -9``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import docket, small_cache

CRASH = """
import os, sys
from pathlib import Path
from docket.case import Case
from docket.pipeline.ingest import ingest

when = sys.argv[3]
real = Case.log

def log(self, event, **fields):
    real(self, event, **fields)
    if event == ("acquired" if when == "acquire" else "items"):
        os._exit(9)  # the line is fsynced, the catalogue transaction still open

Case.log = log
ingest(Case.open(Path(sys.argv[1]), create=True, jobs=1), [Path(sys.argv[2])], argv=["docket"])
"""


def _crash(case: Path, src: Path, when: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASH, str(case), str(src), when],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, stderr = proc.communicate(timeout=120)
    finally:
        try:  # its worker processes, if any outlived it
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == 9, stderr


@pytest.mark.parametrize("when", ["acquire", "flush"])
def test_a_crash_between_log_and_commit_is_named_interrupted(tmp_path: Path, when: str) -> None:
    src = small_cache(tmp_path / "seized")
    case = tmp_path / "case"
    _crash(case, src, when)

    proc = docket("verify", "--json", case=case, check=False)
    assert proc.returncode == 6, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert [p["code"] for p in report["problems"]] == ["interrupted"]
    assert "docket ingest" in report["problems"][0]["detail"]
    text = docket("verify", case=case, check=False)
    assert text.returncode == 6
    assert "interrupted run, resume with `docket ingest`" in text.stdout
    assert "MISMATCH" not in text.stdout

    docket("ingest", src, "--jobs", "1", case=case)
    proc = docket("verify", "--json", case=case, check=False)
    assert proc.returncode == 0, proc.stdout
    events = [json.loads(line) for line in (case / "custody.log").read_text().splitlines()]
    recovered = [e for e in events if e["event"] == "recovered"]
    assert len(recovered) == 1 and recovered[0]["marker"] is True
    first, last = recovered[0]["uncommitted"]
    assert first == last == recovered[0]["seq"] - 1
    assert not (case / ".pending-commit").exists()


def test_interrupted_and_tampered_is_tampering(tmp_path: Path) -> None:
    """An interrupted commit does not hide a change to what was committed before it."""
    import sqlite3

    src = small_cache(tmp_path / "seized")
    case = tmp_path / "case"
    docket("ingest", src, "--jobs", "1", case=case)
    (src / "late.txt").write_text("a file added after the first run\n")
    _crash(case, src, "acquire")
    with sqlite3.connect(case / "case.db") as db:
        db.execute("UPDATE items SET md5 = 'x' WHERE name = 'notes.txt'")
    db.close()
    proc = docket("verify", "--json", case=case, check=False)
    assert proc.returncode == 1
    codes = {p["code"] for p in json.loads(proc.stdout)["problems"]}
    assert codes == {"interrupted", "hash-mismatch"}


def test_lines_appended_without_a_marker_are_a_mismatch(tmp_path: Path) -> None:
    """The marker is what makes a longer log an interruption: without it, extra lines
    (someone appending to the log) are a custody-chain problem."""
    src = small_cache(tmp_path / "seized")
    case = tmp_path / "case"
    _crash(case, src, "flush")
    (case / ".pending-commit").unlink()
    proc = docket("verify", "--json", case=case, check=False)
    assert proc.returncode == 1
    assert "custody-chain" in {p["code"] for p in json.loads(proc.stdout)["problems"]}


def test_while_an_ingest_holds_the_lock_the_pending_commit_is_in_progress(tmp_path: Path) -> None:
    """The same state, while a writer holds the case's lock, is a commit about to happen
    (verify run during an ingest): ``in-progress``, exit 6, not "resume"."""
    import fcntl

    src = small_cache(tmp_path / "seized")
    case = tmp_path / "case"
    _crash(case, src, "flush")
    with open(case / ".lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as Case.lock does
        proc = docket("verify", "--json", case=case, check=False)
        text = docket("verify", case=case, check=False)
    assert proc.returncode == 6
    assert [p["code"] for p in json.loads(proc.stdout)["problems"]] == ["in-progress"]
    assert "writing the case" in text.stdout and "resume" not in text.stdout
    assert docket("verify", case=case, check=False).returncode == 6  # lock released


def test_any_writer_after_a_crash_names_the_uncommitted_lines_first(tmp_path: Path) -> None:
    """Not only ingest: whoever appends next (a seal, say) logs the recovery before its
    own line, so the uncommitted records never count as committed."""
    from docket.case import Case

    src = small_cache(tmp_path / "seized")
    case = tmp_path / "case"
    _crash(case, src, "flush")
    c = Case.open(case)
    try:
        c.lock()
        c.log("sealed", head={"seq": 0, "hash": ""}, key_fingerprint="test", file=None)
    finally:
        c.unlock()
        c.close()
    proc = docket("verify", "--json", case=case, check=False)
    assert proc.returncode == 0, proc.stdout
    events = [json.loads(line) for line in (case / "custody.log").read_text().splitlines()]
    assert [e["event"] for e in events[-2:]] == ["recovered", "sealed"]
