"""Delimited text: Arabic code pages, UTF-16 and BOMs, delimiters, quoting, ragged rows."""

from __future__ import annotations

import pytest

from docket.demo.writers.tabular import make_csv
from docket.extract.encoding import guess_encoding
from docket.extract.sink import Limits
from tests.conftest import text_of

ROSTER = [
    ["الاسم", "الكنية", "الراتب", "التاريخ"],
    ["محمد عبد الله", "أبو أحمد", "150000", "2014-03-02"],
    ["عمر الحسن", "أبو خالد", "125000", "2014-04-01"],
]


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("cp1256", "cp1256"), ("utf-8-sig", "utf-8"), ("utf-16", "utf-16-le"), ("utf-8", "utf-8")],
)
def test_arabic_roster_encodings(extract, encoding, reported) -> None:
    r = extract(make_csv(ROSTER, encoding=encoding), "roster.csv")
    assert (r.type, r.status) == ("csv", "ok")
    assert r.metadata["encoding"] == reported
    assert [(s.sheet, s.row) for s in r.segments] == [(None, 1), (None, 2), (None, 3)]
    assert r.segments[0].text == "الاسم | الكنية | الراتب | التاريخ"
    assert r.segments[1].text == "محمد عبد الله | أبو أحمد | 150000 | 2014-03-02"
    assert r.metadata["header"] == ROSTER[0]
    assert (r.metadata["rows"], r.metadata["columns"]) == (3, 4)


def test_iso_8859_6_is_not_read_as_latin() -> None:
    data = "كشف رواتب شهر آذار لعناصر الكتيبة\n".encode("iso8859-6")
    assert guess_encoding(data) in ("iso8859-6", "cp1256")
    assert data.decode(guess_encoding(data)).startswith("كشف رواتب")


def test_windows_1252_stays_latin(extract) -> None:
    data = make_csv(
        [["name", "city"], ["José Núñez", "Málaga"], ["Zoë", "Köln"]], encoding="cp1252"
    )
    r = extract(data, "people.csv")
    assert "José Núñez | Málaga" in text_of(r)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_sniffing(extract, delimiter) -> None:
    rows = [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]]
    r = extract(make_csv(rows, encoding="utf-8", delimiter=delimiter), "t.csv")
    assert r.metadata["delimiter"] == delimiter
    assert r.segments[1].text == "1 | 2 | 3"


def test_quoted_newlines_and_ragged_rows(extract) -> None:
    data = 'id,note,amount\r\n1,"سطر أول\r\nسطر ثان, مع فاصلة",10\r\n2,short\r\n3,"a ""quote""",30,extra\r\n'
    r = extract(data.encode("cp1256"), "ragged.csv")
    assert r.status == "ok"
    assert [s.row for s in r.segments] == [1, 2, 3, 4]
    assert r.segments[1].text == "1 | سطر أول\r\nسطر ثان, مع فاصلة | 10"
    assert r.segments[2].text == "2 | short"
    assert r.segments[3].text == '3 | a "quote" | 30 | extra'
    assert r.metadata["columns"] == 4


def test_large_csv_is_cut_at_the_text_limit(extract) -> None:
    data = b"".join(b"%d,row,%d\n" % (i, i * 2) for i in range(50_000))
    r = extract(data, "big.csv", limits=Limits(max_text=10_000))
    assert r.status == "partial" and r.code == "too-large"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("foo.csv", "123 | abc def | -987"),
        ("testCSV.csv", " | 15 | 225"),
        ("test-columnar.csv", "This is row            0 of           10"),
    ],
)
def test_samples(extract, samples, name, expected) -> None:
    r = extract(samples / "formats" / name)
    assert r.status == "ok"
    assert expected in text_of(r)
