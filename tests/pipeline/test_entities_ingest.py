"""End to end on the sample case: mentions, records and relations land in the catalogue,
read with sqlite3 (the documented interface)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from docket.demo import content as c
from docket.demo.generator import generate
from tests.helpers import docket


def test_entities_records_relations_end_to_end(tmp_path: Path) -> None:
    """One test, one ingest: xdist would otherwise build the case on each worker."""
    db = ingest_demo(tmp_path)
    check_mentions(db)
    check_records(db)
    check_relations(db)


def ingest_demo(root: Path) -> sqlite3.Connection:
    generate(root / "cache")  # the sample case, less its damaged and hostile files
    parts = ("letters", "rosters", "mail", "archives/backup.zip")
    docket("ingest", *(root / "cache" / p for p in parts), "--jobs", "2", case=root / "case")
    return sqlite3.connect(Path(root / "case" / "case.db"))


def check_mentions(entities_db: sqlite3.Connection) -> None:
    rows = entities_db.execute(
        'SELECT m.kind, m.text, m.value, m.start, m."end", s.text, m.attrs FROM mentions m '
        "JOIN segments s ON s.item_id = m.item_id AND s.seq = m.segment"
    ).fetchall()
    assert rows
    for kind, text, _, start, end, seg_text, _ in rows:
        assert seg_text[start:end] == text, (kind, text)
    values = {(k, v) for k, _, v, *_ in rows}
    for key in ("nuaimi", "tamimi", "hassan", "khalid", "yusuf", "samir"):
        assert ("person", c.PEOPLE[key][0]) in values or ("person", c.PEOPLE[key][1]) in values
    assert {("money", "1500 USD"), ("place", "Raqqa"), ("place", "Deir ez-Zor")} <= values
    assert ("email", "nuaimi.office@example.org") in values
    kunya = [json.loads(a) for k, _, v, *_, a in rows if v == "أبو عمار النعيمي"]
    assert kunya and kunya[0] == {"kunya": "أبو عمار", "nisba": "النعيمي"}


def check_records(entities_db: sqlite3.Connection) -> None:
    rows = entities_db.execute(
        "SELECT i.name, r.sheet, r.row, r.kind, r.fields FROM records r "
        "JOIN items i ON i.id = r.item_id"
    ).fetchall()
    pays = {
        (name, json.loads(f)["payee"], json.loads(f)["amount"], json.loads(f)["currency"])
        for name, _, _, kind, f in rows
        if kind == "payment"
    }
    assert ("payments-2019.csv", "سمير عبد الله", "450000", "SYP") in pays
    assert ("ledger.xlsx", "أبو عمار التميمي", "900", "USD") in pays
    roster = [
        (s, r, json.loads(f)) for n, s, r, k, f in rows if n == "roster-1440.xlsx" and k == "person"
    ]
    assert next((s, r, f["name"], f["kunya"]) for s, r, f in roster) == (
        "الرواتب",
        4,
        "حسن إبراهيم الجبوري",
        "أبو علي",
    )


def check_relations(entities_db: sqlite3.Connection) -> None:
    rows = set(entities_db.execute("SELECT source, target, date, method FROM relations").fetchall())
    assert ("أبو يوسف الأنصاري", "أبو عمار التميمي", "2019-03-03", "rule:letter-header") in rows
    assert ("أبو عمار النعيمي", "ديوان بيت المال – مكتب الرقة", "2019-02-20", "rule:letter-header") in rows  # fmt: skip
    assert ("Samir Abdullah", "Abu Yusuf al-Ansari", "2019-04-15", "rule:email-headers") in rows
    assert all(
        kind == "correspondence" for (kind,) in entities_db.execute("SELECT kind FROM relations")
    )
