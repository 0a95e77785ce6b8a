"""A ``retry`` custody event (items an internal error failed, reset to pending by the
next run) logs each item's full record, as ``items`` events do, so verify checks the
reset items' metadata — code and message included — until the retried run records them
again. It logged bare ids once: a code written onto a reset item then went unnoticed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from docket.case import Case
from docket.pipeline.outcome import retry_internal
from docket.verify.records import item_records
from tests.helpers import docket, docket_json, small_cache


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, str]:
    """A case with one item failed by an internal error, as a run records it, and then
    reset by the next run's retry; returns the case and that item's id."""
    src = small_cache(tmp_path / "seized")
    root = tmp_path / "case"
    docket("ingest", src, "--jobs", "1", case=root)
    c = Case.open(root)
    try:
        c.lock()
        db = c.catalogue.db
        (item,) = db.execute("SELECT id FROM items WHERE name = 'notes.txt'").fetchone()
        c.catalogue.begin()
        db.execute(
            "UPDATE items SET status = 'failed', code = 'internal', "
            "message = 'KeyError: x (at a.py:1 in f)' WHERE id = ?",
            (item,),
        )
        c.log("items", run=1, items=item_records(db, [item]))
        c.catalogue.commit()
        c.committed()
        assert retry_internal(c, 1) == 1
    finally:
        c.unlock()
        c.close()
    return root, item


def _retry_event(root: Path) -> dict:
    events = [json.loads(line) for line in (root / "custody.log").read_text().splitlines()]
    (retry,) = [e for e in events if e["event"] == "retry"]
    return retry


def test_a_retry_logs_each_items_full_record(case: tuple[Path, str]) -> None:
    root, item = case
    (record,) = _retry_event(root)["items"]
    assert record["id"] == item and record["status"] == "pending"
    assert {"sha256", "path", "meta", "text", "derived"} <= set(record)
    assert docket_json("verify", case=root)["ok"]


def test_verify_checks_a_retried_items_metadata(case: tuple[Path, str]) -> None:
    root, item = case
    db = sqlite3.connect(root / "case.db")
    db.execute("UPDATE items SET code = 'corrupt', message = 'edited' WHERE id = ?", (item,))
    db.commit()
    db.close()
    proc = docket("verify", "--json", case=root, check=False)
    assert proc.returncode == 1
    problems = json.loads(proc.stdout)["problems"]
    assert [(p["code"], p["item"]) for p in problems] == [("metadata-mismatch", item)]
