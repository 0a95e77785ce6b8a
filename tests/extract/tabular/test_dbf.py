"""dBase tables: one segment per record (field names as row 1), Arabic in the declared
code page, deleted records kept and marked, damaged tables recorded, never a crash."""

from __future__ import annotations

from tests.conftest import text_of
from tests.fixtures.dbf import make_dbf

FIELDS = [("NAME", "C", 30, 0), ("PROVINCE", "C", 20, 0), ("AMOUNT", "N", 8, 2),
          ("PAID", "D", 8, 0), ("ACTIVE", "L", 1, 0)]  # fmt: skip
ROWS = [
    ["أبو عمار النعيمي", "نينوى", "500.00", "20190301", "T"],
    ["Azad Kashmir", "Pakistan", "1250.50", "20190302", "F"],
    ["عمر الحسن", "الأنبار", "75.00", "20190303", "T"],
]


def test_dbf_rows_with_arabic(extract):
    result = extract(make_dbf(FIELDS, ROWS), "roster.dbf")
    assert (result.type, result.status) == ("dbf", "ok"), result.message
    rows = {s.row: s.text for s in result.segments}
    assert rows[1] == "NAME | PROVINCE | AMOUNT | PAID | ACTIVE"
    assert rows[2] == "أبو عمار النعيمي | نينوى | 500.00 | 2019-03-01 | TRUE"
    assert rows[3] == "Azad Kashmir | Pakistan | 1250.50 | 2019-03-02 | FALSE"
    m = result.metadata
    assert (m["rows"], m["columns"], m["encoding"]) == (3, 5, "cp1256")
    assert m["modified"] == "2019-03-14"
    assert m["header"] == ["NAME", "PROVINCE", "AMOUNT", "PAID", "ACTIVE"]


def test_deleted_records_are_kept_and_marked(extract):
    result = extract(make_dbf(FIELDS, ROWS, deleted=[1]), "roster.dbf")
    deleted = [s for s in result.segments if s.part == "deleted"]
    assert [(s.row, s.text.split(" | ")[0]) for s in deleted] == [(3, "Azad Kashmir")]
    assert (result.metadata["rows"], result.metadata["deleted_rows"]) == (2, 1)


def test_no_code_page_is_guessed(extract):
    data = make_dbf(FIELDS, ROWS, codepage=0)
    result = extract(data, "old.dbf")
    assert result.metadata["encoding"] == "cp1256"
    assert "عمر الحسن" in text_of(result)


def test_detected_by_content(extract):
    assert extract(make_dbf(FIELDS, ROWS), "table.bin").type == "dbf"


def test_damaged_tables(extract):
    whole = make_dbf(FIELDS, ROWS)
    cut = extract(whole[: len(whole) - 80], "cut.dbf")
    assert (cut.status, cut.warnings[0][0]) == ("partial", "truncated")
    assert "أبو عمار النعيمي" in text_of(cut)
    # a record length that the fields do not add up to
    bad = bytearray(whole)
    bad[10] += 3
    broken = extract(bytes(bad), "bad.dbf")
    assert (broken.type, broken.status, broken.code) == ("dbf", "failed", "corrupt")
    assert "record length" in broken.message
    # the field list never ends
    header_only = whole[:32] + whole[32:64] * 3
    assert extract(header_only, "h.dbf").code == "corrupt"
