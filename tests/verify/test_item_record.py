"""The writer's custody record of an item (``item_record``, every line of an item encoded
in one call) hashes exactly the lines ``docket verify`` hashes row by row
(``catalogue_records``) and the lines as the record's definition writes them: compact,
key-sorted JSON, one ``[tag, column…]`` a line, so a chain written before still verifies."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from docket.store.catalogue import Catalogue
from docket.verify.records import catalogue_records, item_record, item_records

# Values that look like the encoding's own seams: separators, brackets, the control
# character rows are joined by, quotes, new lines, Arabic, RTL marks, non-BMP characters.
TRICKY = [
    "plain", "],[", "]\x1e[", "\x1e", '"]\n["', "a,b", "[", "]", "خالد النعيمي", "\u200f‏x",
    "😀 \U00020000", "\\", "\x00\x1f", "", "tab\there", "null", "1.5", "ﷲ",
]  # fmt: skip


def _line(tag: str, row: tuple[Any, ...]) -> bytes:
    text = json.dumps([tag, *row], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass") + b"\n"


def _reference(db: sqlite3.Connection, item_id: str) -> tuple[str, str]:
    """The text and derived hashes by the record's definition, row by row."""
    segs = db.execute(
        'SELECT seq, start, page, sheet, "row", part, text FROM segments WHERE item_id = ? '
        "ORDER BY seq",
        (item_id,),
    )
    text = hashlib.sha256(b"".join(_seg(tuple(r)) for r in segs))
    derived = hashlib.sha256()
    for tag, sql in (
        ("m", 'SELECT segment, start, "end", kind, text, value, method, attrs FROM mentions'),
        ("r", 'SELECT sheet, "row", kind, fields, method FROM records'),
        ("x", "SELECT kind, source, target, date, attrs, method FROM relations"),
    ):
        for r in db.execute(sql + " WHERE item_id = ? ORDER BY id", (item_id,)):
            derived.update(_line(tag, tuple(r)))
    return text.hexdigest(), derived.hexdigest()


def _seg(row: tuple[Any, ...]) -> bytes:
    text = json.dumps(list(row), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass") + b"\n"


@pytest.fixture()
def cat(tmp_path: Path) -> Catalogue:
    cat = Catalogue(tmp_path / "case.db", create=True)
    db = cat.db
    for n, item_id in enumerate(("a1", "b2", "c3")):
        db.execute(
            "INSERT INTO items (id, path, name, depth, status, metadata) VALUES (?, ?, ?, 0, 'ok', ?)",
            (item_id, json.dumps([f"/x/{item_id}"]), item_id, json.dumps({"n": TRICKY[n]})),
        )
    for seq, value in enumerate(TRICKY):
        db.execute(
            "INSERT INTO segments (item_id, seq, start, page, text) VALUES ('a1', ?, ?, ?, ?)",
            (seq, seq * 10, seq if seq % 2 else None, value),
        )
        db.execute(
            'INSERT INTO mentions (item_id, segment, start, "end", kind, text, value, method, '
            "attrs) VALUES ('a1', ?, ?, ?, 'person', ?, ?, 'test', ?)",
            (seq, seq, seq + 3, value, value or None,
             json.dumps({"v": value, "n": [1, {"k": value}]}, ensure_ascii=False) if seq % 3 else None),
        )  # fmt: skip
        db.execute(
            'INSERT INTO records (item_id, sheet, "row", kind, fields, method) '
            "VALUES ('a1', ?, ?, 'row', ?, 'test')",
            (value, seq, json.dumps({"f": value, "x": 2.5}, ensure_ascii=False)),
        )
        db.execute(
            "INSERT INTO relations (item_id, kind, source, target, date, attrs, method) "
            "VALUES ('a1', 'correspondence', ?, ?, ?, ?, 'test')",
            (value, "]" + value + "[", None, json.dumps([value]) if seq % 2 else None),
        )
    db.execute(  # one mention only: an item with a single line
        'INSERT INTO mentions (item_id, segment, start, "end", kind, text, value, method) '
        "VALUES ('b2', 0, 0, 1, 'date', '2019', '2019', 'test')"
    )
    return cat


def test_the_writers_record_is_the_verifiers_and_the_definitions(cat: Catalogue) -> None:
    db = cat.db
    verifier = {r["id"]: r for r in catalogue_records(db)}
    for item_id in ("a1", "b2", "c3"):
        record = item_record(db, item_id)
        assert record == verifier[item_id]
        assert record is not None and (record["text"], record["derived"]) == _reference(db, item_id)
    assert verifier["c3"]["derived"] == hashlib.sha256(b"").hexdigest()
    assert [r["id"] for r in item_records(db, ["c3", "zz", "a1"])] == ["c3", "a1"]


def test_a_changed_mention_changes_the_record(cat: Catalogue) -> None:
    before = item_record(cat.db, "a1")
    cat.db.execute("UPDATE mentions SET text = text || ',' WHERE item_id = 'a1' AND segment = 1")
    after = item_record(cat.db, "a1")
    assert before is not None and after is not None
    assert before["derived"] != after["derived"] and before["text"] == after["text"]
