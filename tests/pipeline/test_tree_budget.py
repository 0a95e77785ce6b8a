"""One source file's whole tree has a budget: nested copies of an archive pass every
per-container cap, yet used to multiply catalogue rows (an 18 KB file gave 4,369 items)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fixtures import hostile as h
from tests.helpers import docket, docket_json, docket_lines


def test_nested_copies_stop_at_the_tree_budget(tmp_path: Path) -> None:
    bomb = tmp_path / "copies.zip"
    bomb.write_bytes(h.nested_copies(copies=16, levels=4))  # ~12 KB, 4,369 items unchecked
    case = tmp_path / "case"
    docket("ingest", bomb, "--jobs", "2", case=case)
    items = docket_lines("list", case=case)
    # the first 1,000 members are always allowed; ~12 KB / 16 bytes is fewer
    assert len(items) == 1 + 1000
    cut = [i for i in items if i["code"] == "zip-bomb"]
    assert cut and all(i["status"] == "partial" for i in cut)
    assert "budget over every nesting level" in cut[0]["message"]
    status = docket_json("status", case=case)
    assert {f["id"] for f in status["failures"]} >= {i["id"] for i in cut}
    docket("ingest", bomb, "--jobs", "2", case=case)  # a re-run adds nothing
    assert len(docket_lines("list", case=case)) == len(items)
    docket("verify", case=case)


def test_expanded_bytes_over_the_tree_budget(tmp_path: Path) -> None:
    inner = h.zip_of({"zeros.bin": b"\0" * (3 * 1024 * 1024)})
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "outer.zip").write_bytes(
        h.zip_of({"a.zip": inner, "b.zip": inner, "c.txt": b"small"})
    )
    case = tmp_path / "case"
    case.mkdir()
    (case / "settings.json").write_text(json.dumps({"max_tree_expanded_mb": 4}))
    docket("ingest", tmp_path / "src", "--jobs", "1", case=case)
    by_path = {tuple(i["path"][1:]): i for i in docket_lines("list", case=case)}
    # outer.zip expands a.zip, b.zip, c.txt (small); the first zeros.bin fits in 4 MiB,
    # the second does not: its zip ends zip-bomb and the member is not recorded.
    assert ("a.zip", "zeros.bin") in by_path
    assert ("b.zip", "zeros.bin") not in by_path
    assert by_path[("b.zip",)]["code"] == "zip-bomb"
    assert by_path[("a.zip",)]["status"] == "ok"
