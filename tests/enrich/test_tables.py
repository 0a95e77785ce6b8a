"""Tables to records, through the real extractors (XLSX via calamine, CSV)."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl

from docket.demo import content as c
from docket.demo.writers import tabular as t
from docket.enrich import tables
from docket.settings import DEFAULTS


def xlsx(rows: list[list[object]], merge: list[str] = ()) -> bytes:  # type: ignore[assignment]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "كشف"
    for row in rows:
        ws.append(row)
    for cells in merge:
        ws.merge_cells(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def records(extract, data: bytes, name: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = extract(data, name)
    tables.enrich(result, DEFAULTS)
    return result.records


def test_demo_roster_header_below_a_title(extract) -> None:  # type: ignore[no-untyped-def]
    data = t.make_xlsx(
        {"الرواتب": [["قائمة عناصر مكتب دير الزور"], [], c.ROSTER_HEADER, *c.ROSTER]}
    )
    got = records(extract, data, "roster.xlsx")
    people = [r for r in got if r["kind"] == "person"]
    pays = [r for r in got if r["kind"] == "payment"]
    assert [(r["sheet"], r["row"]) for r in people] == [("الرواتب", n) for n in (4, 5, 6, 7)]
    first = people[0]["fields"]
    assert first["name"] == "حسن إبراهيم الجبوري"
    assert first["kunya"] == "أبو علي"
    assert first["name_parts"] == {"ism": "حسن", "nasab": "إبراهيم", "nisba": "الجبوري"}
    assert first["columns"]["المكتب"] == "دير الزور"
    assert pays[2]["fields"] | {"columns": None} == {
        "payee": "سمير عبد الله",
        "amount": "200",
        "currency": "USD",
        "date": "2017-06-01",
        "amount_column": "الراتب",
        "columns": None,
    }


def test_csv_payments_cp1256(extract) -> None:  # type: ignore[no-untyped-def]
    data = t.make_csv([c.PAYMENTS_HEADER, *c.PAYMENTS], encoding="cp1256")
    pays = [r for r in records(extract, data, "payments.csv") if r["kind"] == "payment"]
    assert [(r["row"], r["fields"]["payee"], r["fields"]["amount"], r["fields"]["currency"], r["fields"]["date"]) for r in pays] == [
        (2, "حسن إبراهيم الجبوري", "1500", "USD", "2019-02-20"),
        (3, "خالد بن وليد العبيدي", "750", "USD", "2019-01-18"),
        (4, "أبو عمار التميمي", "900", "USD", "2019-03-05"),
        (5, "سمير عبد الله", "450000", "SYP", "2019-03-28"),
    ]  # fmt: skip


def test_merged_two_row_header_english(extract) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["Payroll, Mosul office, March 2019"],
        ["No.", "Name", "Alias", "Payment", None, "Phone"],
        [None, None, None, "Amount", "Currency", None],
        [1, "Abu Ammar al-Nuaimi", "Abu Ammar", 1500, "$", "0944 123 456"],
        [2, "Samir Abdullah", None, "200", "USD", "+964 770 123 4567"],
    ]
    got = records(extract, xlsx(rows, ["A1:F1", "D2:E2"]), "payroll.xlsx")
    person = next(r for r in got if r["kind"] == "person")["fields"]
    assert person["phone"] == "+963944123456"
    assert person["kunya"] == "Abu Ammar"
    assert person["id"] == "1"
    assert person["columns"]["Payment / Amount"] == "1500"
    pays = [r["fields"] for r in got if r["kind"] == "payment"]
    assert [(p["payee"], p["amount"], p["currency"]) for p in pays] == [
        ("Abu Ammar al-Nuaimi", "1500", "USD"),
        ("Samir Abdullah", "200", "USD"),
    ]


def test_columns_typed_by_values_without_known_headers(extract) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["المجموعة", "الفرد", "الدفعة", "يوم"],
        ["أ", "أبو حفص الحمداني", "٢٥٠ دولار", "2019-01-20"],
        ["ب", "عمر فاروق الحمداني", "١٠٠ دولار", datetime(2019, 2, 1)],
    ]
    got = records(extract, xlsx(rows), "list.xlsx")
    pays = [r["fields"] for r in got if r["kind"] == "payment"]
    assert [(p["payee"], p["amount"], p["currency"], p["date"]) for p in pays] == [
        ("أبو حفص الحمداني", "250", "USD", "2019-01-20"),
        ("عمر فاروق الحمداني", "100", "USD", "2019-02-01"),
    ]


def test_no_header_no_records(extract) -> None:  # type: ignore[no-untyped-def]
    assert records(extract, b"just some text\nnot a table\n", "notes.csv") == []
