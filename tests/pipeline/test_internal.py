"""An internal error is a bug, and bugs are loud: the run that keeps hitting one stops
(exit 5), says what it was and where, and the re-run after the fix processes exactly the
items it failed (and those it never reached), never the data's own failures.

The bug is real code run the real way: an extractor plugin, installed through the
``docket.extractors`` entry point, whose ``score`` raises on CSV files."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from pathlib import Path

import pytest

from docket.pipeline.outcome import ABORT_MIN, abort_reason
from docket.pipeline.tasks import internal_failure, internal_signature
from tests.helpers import docket, docket_json

BUGGY = """
from docket.extract.base import Extractor


class Buggy(Extractor):
    name = "buggy"

    def score(self, detection):
        if detection.type == "csv":
            return {}["csv"]  # the bug: a KeyError on every CSV file
        return 0
"""
FIXED = BUGGY.replace('return {}["csv"]  # the bug: a KeyError on every CSV file', "return 0")


def _install_plugin(root: Path, source: str) -> Path:
    """A one-module distribution on PYTHONPATH, found by importlib.metadata like any
    installed one."""
    root.mkdir(exist_ok=True)
    (root / "docket_buggy_plugin.py").write_text(source)
    info = root / "docket_buggy_plugin-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: docket-buggy-plugin\nVersion: 1.0\n"
    )
    (info / "entry_points.txt").write_text(
        "[docket.extractors]\nbuggy = docket_buggy_plugin:Buggy\n"
    )
    return root


def _source(root: Path) -> Path:
    """In processing order: a broken PDF (a data failure), four CSV files (the bug), then
    text files the aborted run never reaches."""
    root.mkdir()
    (root / "0-broken.pdf").write_bytes(b"%PDF-1.4\nthis is not a pdf body at all\n")
    for i in range(4):
        (root / f"a-{i}.csv").write_text(f"name,amount\nrow{i},{i}\n")
    for i in range(30):
        (root / f"b-{i:02d}.txt").write_text(f"note {i} about the payroll\n")
    return root


def _runs_of_items(case: Path) -> dict[str, tuple[int, str, str | None]]:
    db = sqlite3.connect(case / "case.db")
    try:
        rows = db.execute("SELECT name, run_id, status, code FROM items").fetchall()
    finally:
        db.close()
    return {name: (run, status, code) for name, run, status, code in rows}


def _head(case: Path) -> tuple[int, str]:
    lines = (case / "custody.log").read_bytes().splitlines()
    return len(lines), hashlib.sha256(lines[-1]).hexdigest()


def test_a_recurring_internal_error_aborts_and_the_rerun_redoes_exactly_its_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _source(tmp_path / "src")
    case = tmp_path / "case"
    plugin = _install_plugin(tmp_path / "plugin", BUGGY)
    monkeypatch.setenv("PYTHONPATH", str(plugin))
    monkeypatch.setenv("DOCKET_COMMIT_SECONDS", "0")  # check after every result

    first = docket("ingest", src, "--jobs", "1", case=case, check=False)
    assert first.returncode == 5, first.stderr
    err = first.stderr
    assert "aborted" in err
    assert "internal error" in err
    # The traceback's last line, with where it was raised.
    assert "KeyError: 'csv' (at docket_buggy_plugin.py:" in err
    assert "in score)" in err
    # Data failures are grouped apart, by status, code and message.
    assert re.search(r"1 × failed\s+corrupt", err), err
    seq, head = _head(case)
    assert f"custody log head: line {seq}, sha256 {head}" in err

    after_abort = _runs_of_items(case)
    internal = {n for n, (_, _, code) in after_abort.items() if code == "internal"}
    assert len(internal) >= ABORT_MIN
    assert internal <= {f"a-{i}.csv" for i in range(4)}
    assert after_abort["0-broken.pdf"] == (1, "failed", "corrupt")
    never_reached = {n for n, (_, status, _) in after_abort.items() if status == "pending"}
    assert len(never_reached) >= 28  # the run stopped; it did not go on failing items

    status = docket_json("status", case=case)
    assert {"items", "bytes", "by_status", "by_type", "failures"} <= set(status)
    assert {Path(f["path"][-1]).name for f in status["internal"]} == internal
    assert all("KeyError" in f["message"] for f in status["internal"])
    assert status["runs"][0]["status"] == "aborted"
    assert "KeyError at docket_buggy_plugin.py" in status["runs"][0]["reason"]
    shown = docket_json("show", status["internal"][0]["id"], case=case)
    assert shown["warnings"][0]["code"] == "internal"
    assert shown["warnings"][0]["message"].startswith("Traceback (most recent call last)")
    assert "docket_buggy_plugin.py" in shown["warnings"][0]["message"]
    text = docket("status", case=case).stdout
    assert "items failed with an internal error" in text
    events = [json.loads(line) for line in (case / "custody.log").read_text().splitlines()]
    end = [e for e in events if e["event"] == "run-end"][-1]
    assert end["status"] == "aborted" and "KeyError" in end["reason"]

    _install_plugin(plugin, FIXED)  # the fix
    monkeypatch.delenv("DOCKET_COMMIT_SECONDS")
    second = docket("ingest", src, "--jobs", "1", case=case)
    redo = internal | never_reached
    assert f"done: {len(redo)} items processed" in second.stderr
    assert "retried" in second.stderr
    after_fix = _runs_of_items(case)
    assert {n for n, (run, _, _) in after_fix.items() if run == 2} == redo
    assert after_fix["0-broken.pdf"] == (1, "failed", "corrupt")  # data failures stay done
    assert all(after_fix[n][1] == "ok" for n in redo)
    assert docket_json("status", case=case)["internal"] == []
    assert docket_json("verify", case=case)["ok"]

    third = docket("ingest", src, "--jobs", "1", case=case)  # nothing left: a no-op
    assert "done: 0 items processed" in third.stderr


def test_the_same_bug_is_one_group_whatever_its_message() -> None:
    def fail(name: str) -> None:
        raise KeyError(name)

    messages = []
    for name in ("a.csv", "b.csv"):
        try:
            fail(name)
        except KeyError as exc:
            result = internal_failure(exc)
            assert result.code == "internal"
            assert "Traceback" in result.warnings[0][1]  # kept whole for docket show
            messages.append(result.message)
    assert messages[0] != messages[1]
    assert internal_signature(messages[0]) == internal_signature(messages[1])
    assert internal_signature(messages[0]).startswith("KeyError at test_internal.py:")


def test_abort_needs_over_five_percent_and_at_least_three() -> None:
    assert abort_reason({"E at x.py:1 in f": 2}, 2) is None  # fewer than three
    assert abort_reason({"E at x.py:1 in f": 3}, 60) is None  # exactly 5%
    assert abort_reason({"E at x.py:1 in f": 3, "F at y.py:2 in g": 2}, 100) is None
    reason = abort_reason({"E at x.py:1 in f": 4}, 60)
    assert reason and "4 of 60" in reason and "E at x.py:1 in f" in reason


SLOPPY = """
from docket.extract.base import Extractor


class Buggy(Extractor):
    name = "buggy"

    def score(self, detection):
        return 1000 if detection.type == "csv" else 0

    def extract(self, path, sink, detection):
        if path.read_bytes().startswith(b"name"):
            return detection.no_such_field  # the bug: an AttributeError in the extractor
        int("not a number")  # a parser choking on the file's bytes: the file's fault
"""


def test_a_bug_inside_an_extractor_is_internal_and_bad_bytes_are_corrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "roster.csv").write_text("name,amount\nعلي,3\n")
    (src / "garbled.csv").write_text("xx;;\n")
    monkeypatch.setenv("PYTHONPATH", str(_install_plugin(tmp_path / "plugin", SLOPPY)))
    case = tmp_path / "case"
    docket("ingest", src, "--jobs", "1", case=case, check=False)
    items = _runs_of_items(case)
    assert items["roster.csv"][1:] == ("failed", "internal")
    assert items["garbled.csv"][1:] == ("failed", "corrupt")
    listed = docket_json("status", case=case)["internal"]
    assert [Path(f["path"][-1]).name for f in listed] == ["roster.csv"]
    assert "AttributeError" in listed[0]["message"]
    assert "docket_buggy_plugin.py" in listed[0]["message"]
