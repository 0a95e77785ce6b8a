"""Sources as a user gives them: names that are not UTF-8, a folder that holds the case,
an empty argument, absurd --jobs. Each was found by trying it, through the real CLI."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tests.helpers import docket, docket_json, docket_lines


def _bytes_name(folder: Path, name: bytes, data: bytes) -> None:
    with open(os.path.join(os.fsencode(folder), name), "wb") as f:
        f.write(data)


def test_a_name_that_is_not_utf8_is_an_item_like_any_other(tmp_path: Path) -> None:
    src = tmp_path / "seized"
    src.mkdir()
    _bytes_name(src, b"bad\xffname.txt", b"wire transfer to the northern office\n")
    os.mkdir(os.path.join(os.fsencode(src), b"sub\xfedir"))
    _bytes_name(src / os.fsdecode(b"sub\xfedir"), b"caf\xe9.txt", b"latin-1 folder\n")
    (src / "plain.txt").write_text("plain\n")
    case = tmp_path / "case"
    docket("ingest", src, "--jobs", "1", case=case)

    items = {tuple(i["path"]): i for i in docket_lines("list", case=case)}
    assert set(items) == {
        ("seized/bad\\xffname.txt",),
        ("seized/sub\\xfedir/caf\\xe9.txt",),
        ("seized/plain.txt",),
    }
    assert {i["status"] for i in items.values()} == {"ok"}
    bad = items[("seized/bad\\xffname.txt",)]
    shown = docket_json("show", bad["id"], case=case)
    assert shown["fs"]["name_bytes"] == b"bad\xffname.txt".hex()  # nothing lost
    assert "northern office" in shown["text"]
    assert docket_json("search", "northern", case=case)["hits"][0]["id"] == bad["id"]
    runs = docket_json("status", case=case)["runs"]
    assert [r["status"] for r in runs] == ["completed"]
    docket("verify", case=case)  # exits 1 on any mismatch


def test_a_source_named_with_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    src = os.path.join(os.fsencode(tmp_path), b"seized\xff")
    os.mkdir(src)
    _bytes_name(Path(os.fsdecode(src)), b"a.txt", b"kept\n")
    case = tmp_path / "case"
    docket("ingest", os.fsdecode(src), "--jobs", "1", case=case)
    assert [i["path"] for i in docket_lines("list", case=case)] == [["seized\\xff/a.txt"]]
    assert docket_json("status", case=case)["runs"][0]["status"] == "completed"
    docket("verify", case=case)


def test_a_folder_holding_the_case_is_ingested_without_it(tmp_path: Path) -> None:
    (tmp_path / "letter.txt").write_text("a letter\n")
    first = docket("ingest", ".", "--jobs", "1", cwd=tmp_path)
    assert "left out" in first.stderr
    docket("ingest", ".", "--jobs", "1", cwd=tmp_path)
    case = tmp_path / "docket-case"
    items = docket_lines("list", case=case)
    assert [i["path"] for i in items] == [[f"{tmp_path.name}/letter.txt"]]
    db = sqlite3.connect(case / "case.db")
    assert (
        db.execute("SELECT count(*) FROM items WHERE path LIKE '%docket-case%'").fetchone()[0] == 0
    )


def test_a_source_inside_the_case_or_empty_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a\n")
    case = tmp_path / "case"
    docket("ingest", tmp_path / "a.txt", "--jobs", "1", case=case)
    inside = docket("ingest", case / "blobs", case=case, check=False)
    assert inside.returncode == 2 and "inside the case" in inside.stderr
    empty = docket("ingest", "", case=tmp_path / "other", check=False, cwd=tmp_path)
    assert empty.returncode == 2 and "empty source" in empty.stderr
    assert not (tmp_path / "other").exists()


def test_jobs_is_capped_zero_means_all_cores_negative_is_refused(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("a\n")
    case = tmp_path / "case"
    negative = docket("ingest", tmp_path / "src", "--jobs", "-1", case=case, check=False)
    assert negative.returncode == 2 and "--jobs" in negative.stderr
    huge = docket("ingest", tmp_path / "src", "--jobs", "100000", case=case)
    cap = 4 * (os.cpu_count() or 1)
    assert f"capped to {cap}" in huge.stderr
    assert docket_json("status", case=case)["runs"][-1]["executor"] == f"local:{cap}"
    docket("ingest", tmp_path / "src", "--jobs", "0", case=case)
    assert docket_json("status", case=case)["runs"][-1]["executor"] == f"local:{os.cpu_count()}"
