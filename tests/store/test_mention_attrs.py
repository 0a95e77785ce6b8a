"""Mention attrs, table records' fields and relations' attrs are stored as
``json.dumps(value, ensure_ascii=False)`` writes them (one encoder made per call, not one
per value): the text the custody records hash and the desk reads back."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from docket.model.mentions import Mention
from docket.store.catalogue import Catalogue

ATTRS: list[dict[str, Any]] = [
    {},
    {"calendar": "hijri", "hijri": "1436-07-19"},
    {"amount": "4800", "currency": "USD", "n": 3, "x": 2.5, "ok": True, "none": None},
    {"z": 1, "a": 2},  # key order kept, not sorted
    {"name": "خالد النعيمي", "rtl": "\u200f‏x", "wide": "😀\U00020000", "ctl": '\x1e\n\t\\"'},
    {"nested": [1, {"k": ["v", {"deep": "ﷲ"}]}, []], "same": [1, 2]},
    {"shared": ["s", "s"], "again": {"shared": ["s", "s"]}},
]


def _mentions(attrs: list[dict[str, Any]]) -> list[Mention]:
    return [
        Mention("person", f"n{i}", f"n{i}", 0, i, i + 1, "test", a) for i, a in enumerate(attrs)
    ]


def _stored(cat: Catalogue, item_id: str) -> list[str | None]:
    rows = cat.db.execute("SELECT attrs FROM mentions WHERE item_id = ? ORDER BY id", (item_id,))
    return [r[0] for r in rows]


def test_attrs_are_stored_as_json_dumps_writes_them(tmp_path: Path) -> None:
    cat = Catalogue(tmp_path / "case.db", create=True)
    cat.replace_mentions("a", _mentions(ATTRS))
    expected = [json.dumps(a, ensure_ascii=False) if a else None for a in ATTRS]
    assert _stored(cat, "a") == expected
    assert [m["attrs"] for m in cat.mentions("a")] == ATTRS


def test_a_value_json_cannot_hold_fails_the_call_and_the_next_call_is_right(
    tmp_path: Path,
) -> None:
    cat = Catalogue(tmp_path / "case.db", create=True)
    circular: dict[str, Any] = {"a": []}
    circular["a"].append(circular)
    for bad in ({"x": {"set"}}, circular):
        with pytest.raises((TypeError, ValueError)):
            cat.replace_mentions("a", _mentions([{"ok": 1}, bad]))
        cat.replace_mentions("b", _mentions(ATTRS))
        assert _stored(cat, "b") == [
            json.dumps(a, ensure_ascii=False) if a else None for a in ATTRS
        ]


def test_threads_encoding_at_once_each_store_their_own(tmp_path: Path) -> None:
    # The desk server has threads: each call's encoder is its own.
    many = ATTRS * 200
    expected = [json.dumps(a, ensure_ascii=False) if a else None for a in many]
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            cat = Catalogue(tmp_path / "case.db")
            for _ in range(5):
                cat.db.execute("BEGIN IMMEDIATE")
                cat.replace_mentions(f"t{n}", _mentions(many))
                cat.db.execute("COMMIT")
                assert _stored(cat, f"t{n}") == expected
        except BaseException as exc:  # reported below
            errors.append(exc)

    Catalogue(tmp_path / "case.db", create=True)
    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_record_fields_and_relation_attrs_are_stored_as_json_dumps_writes_them(
    tmp_path: Path,
) -> None:
    cat = Catalogue(tmp_path / "case.db", create=True)
    cat.replace_records(
        "a", [{"kind": "row", "fields": a, "method": "test", "row": i} for i, a in enumerate(ATTRS)]
    )
    cat.replace_relations(
        "a",
        [
            {"kind": "correspondence", "source": "x", "target": "y", "attrs": a, "method": "t"}
            for a in ATTRS
        ],
    )
    dumped = [json.dumps(a, ensure_ascii=False) for a in ATTRS]
    assert [r[0] for r in cat.db.execute("SELECT fields FROM records ORDER BY id")] == dumped
    assert [r[0] for r in cat.db.execute("SELECT attrs FROM relations ORDER BY id")] == dumped
    assert [r["fields"] for r in cat.records("a")] == ATTRS
