"""Replaying the custody log: the latest record of an item wins, a recovery takes back
the records of lines that were never committed, a retry expects the item pending, and
cases written before item records (``[id, sha256, size, status]`` lists) still verify."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from docket.acquire.custody import GENESIS
from docket.verify.replay import Replay
from tests.helpers import docket, small_cache


def _rec(item: str, status: str, sha: str | None = None) -> dict[str, object]:
    return {"id": item, "parent": None, "path": [item], "sha256": sha, "status": status}


def test_the_latest_record_wins_and_a_recovery_takes_back_uncommitted_lines() -> None:
    replay = Replay()
    replay(1, {"event": "acquired", "items": [_rec("a", "pending"), _rec("b", "pending")]})
    replay(2, {"event": "items", "items": [_rec("a", "ok", "aa")]})
    replay(3, {"event": "items", "items": [_rec("b", "ok", "bb"), _rec("c", "ok", "cc")]})
    assert replay.expected["a"]["status"] == "ok"
    # Line 3 was written, then the process died before its commit.
    replay(4, {"event": "recovered", "uncommitted": [3, 3]})
    assert replay.expected["b"]["status"] == "pending"
    assert "c" not in replay.expected
    assert replay.expected["a"]["sha256"] == "aa"  # committed work stays


def test_a_retry_expects_the_item_pending() -> None:
    replay = Replay()
    replay(1, {"event": "items", "items": [{**_rec("a", "failed"), "meta": "m"}]})
    replay(2, {"event": "retry", "items": ["a"]})
    assert replay.expected["a"]["status"] == "pending"
    assert "meta" not in replay.expected["a"]  # code and message were cleared


def test_legacy_list_records_are_read_and_an_unreadable_one_is_reported() -> None:
    replay = Replay()
    replay(1, {"event": "items", "items": [["a", "aa", 3, "ok"], {"no": "id"}]})
    assert replay.expected["a"] == {"id": "a", "sha256": "aa", "size": 3, "status": "ok"}
    assert replay.unreadable == [1]


def _legacy(case: Path) -> None:
    """Rewrite the log as an earlier Docket wrote it: 4-element records, re-chained, with
    the catalogue's head updated."""
    log = case / "custody.log"
    prev, out = GENESIS, []
    for raw in log.read_bytes().splitlines():
        event = json.loads(raw)
        if event["event"] in ("items", "acquired"):
            event["event"] = "items"
            event["items"] = [
                [r["id"], r["sha256"], r["size"], r["status"]] for r in event["items"]
            ]
        event["prev"] = prev
        line = json.dumps(event, ensure_ascii=False, sort_keys=True).encode()
        prev = hashlib.sha256(line).hexdigest()
        out.append(line)
    log.write_bytes(b"\n".join(out) + b"\n")
    with sqlite3.connect(case / "case.db") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'custody_head'", (prev,))
    db.close()


def test_a_case_with_legacy_records_verifies_and_their_fields_are_checked(tmp_path: Path) -> None:
    case = tmp_path / "case"
    docket("ingest", small_cache(tmp_path / "seized"), "--jobs", "1", case=case)
    _legacy(case)
    assert docket("verify", case=case, check=False).returncode == 0
    with sqlite3.connect(case / "case.db") as db:
        db.execute("UPDATE items SET size = size + 1 WHERE name = 'notes.txt'")
    db.close()
    proc = docket("verify", "--json", case=case, check=False)
    assert proc.returncode == 1
    assert {p["code"] for p in json.loads(proc.stdout)["problems"]} == {"hash-mismatch"}
