from __future__ import annotations

import json
from pathlib import Path

from docket.acquire.custody import CustodyLog, check_chain


def test_chain_links_each_line_to_the_one_before(tmp_path: Path) -> None:
    log = CustodyLog(tmp_path / "custody.log")
    for i in range(5):
        log.append("items", items=[[f"id{i}", "0" * 64, i]])
    assert check_chain(log.path, 5, log.head) == []
    reopened = CustodyLog(log.path)
    assert (reopened.seq, reopened.head) == (5, log.head)
    lines = log.path.read_text().splitlines()
    assert json.loads(lines[0])["prev"] == "0" * 64


def test_deleting_a_middle_line_is_detected(tmp_path: Path) -> None:
    log = CustodyLog(tmp_path / "custody.log")
    for i in range(4):
        log.append("note", n=i)
    lines = log.path.read_text().splitlines()
    del lines[1]
    log.path.write_text("\n".join(lines) + "\n")
    breaks = check_chain(log.path)
    assert breaks and breaks[0].line == 2


def test_torn_last_line_is_reported(tmp_path: Path) -> None:
    log = CustodyLog(tmp_path / "custody.log")
    log.append("note", n=1)
    with open(log.path, "ab") as f:
        f.write(b'{"seq": 2, "ev')
    assert any("torn" in b.reason or "JSON" in b.reason for b in check_chain(log.path))
