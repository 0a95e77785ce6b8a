"""Workbooks: generated Arabic rosters in XLSX and ODS, and the shared real samples."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from docket.demo.writers.cfb import make_cfb
from docket.demo.writers.tabular import make_ods, make_xlsx
from tests.conftest import text_of

ROSTER = [
    ["الاسم", "الكنية", "الراتب", "التاريخ"],
    ["محمد عبد الله", "أبو أحمد", 150000, dt.date(2014, 3, 2)],
    ["عمر الحسن", "أبو خالد", 125000.5, dt.date(2014, 4, 1)],
]
PAYMENTS = [["رقم", "المبلغ"], [1, 300], [], [3, 450]]


def test_xlsx_roster_rows_and_properties(extract) -> None:
    data = make_xlsx(
        {"الكشف": ROSTER, "الدفعات": PAYMENTS},
        creator="أمين الصندوق",
        created=dt.datetime(2014, 3, 1, 8, 0),
        modified=dt.datetime(2014, 3, 5, 8, 0),
    )
    r = extract(data, "roster.xlsx")
    assert (r.type, r.status) == ("xlsx", "ok")
    rows = [(s.sheet, s.row, s.text) for s in r.segments]
    assert rows[0] == ("الكشف", 1, "الاسم | الكنية | الراتب | التاريخ")
    assert rows[1] == ("الكشف", 2, "محمد عبد الله | أبو أحمد | 150000 | 2014-03-02")
    assert rows[2][2].startswith("عمر الحسن | أبو خالد | 125000.5")
    # The empty third payment row is skipped but numbering keeps the sheet's own rows.
    assert [(s.sheet, s.row) for s in r.segments[3:]] == [
        ("الدفعات", 1),
        ("الدفعات", 2),
        ("الدفعات", 4),
    ]
    assert r.metadata["sheets"] == ["الكشف", "الدفعات"]
    assert r.metadata["rows"] == {"الكشف": 3, "الدفعات": 3}
    assert r.metadata["author"] == "أمين الصندوق"
    assert r.metadata["created"].startswith("2014-03-01T08:00")


def test_xlsx_rows_below_a1_keep_their_numbers(extract) -> None:
    rows = [[None], [None], ["", "تقرير", "x"], [None], ["", "a", "", "b"]]
    data = make_xlsx({"S": rows}, merged={"S": ["B3:C3"]})
    r = extract(data, "offset.xlsx")
    # Leading empty columns of the used range are cropped; rows keep their numbers.
    assert [(s.row, s.text) for s in r.segments] == [(3, "تقرير"), (5, "a |  | b")]


def test_ods_roster(extract) -> None:
    r = extract(make_ods({"الكشف": ROSTER}), "roster.ods")
    assert (r.type, r.status) == ("ods", "ok")
    assert r.segments[1].text == "محمد عبد الله | أبو أحمد | 150000 | 2014-03-02"
    assert r.segments[2].row == 3 and r.segments[2].sheet == "الكشف"


def test_encrypted_ooxml_container(extract) -> None:
    # An encrypted OOXML file is an OLE container holding EncryptedPackage.
    data = make_cfb(
        {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 60, "EncryptedPackage": b"\0" * 600}
    )
    r = extract(data, "secret.xlsx")
    assert (r.status, r.code) == ("encrypted", "encrypted")


def test_corrupt_workbook(extract) -> None:
    # A sound zip whose workbook part is garbage: still an xlsx, but unreadable.
    good = zipfile.ZipFile(io.BytesIO(make_xlsx({"S": [["a"]]})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in good.infolist():
            broken = info.filename == "xl/workbook.xml"
            z.writestr(info.filename, b"<workbook><sheets><sheet" if broken else good.read(info))
    r = extract(out.getvalue(), "broken.xlsx")
    assert (r.type, r.status, r.code) == ("xlsx", "failed", "corrupt")
    assert "workbook" in r.message


ENCRYPTED = [
    "password.xls",
    "protect.xlsx",
    "protectedFile.xlsx",
    "testEXCEL_protected_passtika.xls",
    "testEXCEL_protected_passtika.xlsx",
    "testEXCEL_protected_passtika_2.xlsx",
]


@pytest.mark.parametrize("name", ENCRYPTED)
def test_encrypted_samples(extract, samples, name) -> None:
    r = extract(samples / "formats" / name)
    assert (r.status, r.code) == ("encrypted", "encrypted")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("protectedSheets.xlsx", "защищена формула от чтения в С3"),  # sheet protection only
        ("test-columnar.ods", "This is row            0 of           10"),
        ("testFooter.ods", "Data 3 | Data 4"),
        ("LibreOfficeCalc_ods_1.3.ods", "This | is | an | example | spreadsheet"),
    ],
)
def test_readable_samples(extract, samples, name, expected) -> None:
    r = extract(samples / "formats" / name)
    assert r.status == "ok"
    assert expected in text_of(r)


def test_sample_properties_and_embedded_objects(extract, samples) -> None:
    r = extract(samples / "formats" / "testExcel_embeddedPDF.xlsx")
    assert r.metadata["author"] == "Allison, Timothy B."
    assert [c.name for c in r.children] == ["xl/embeddings/oleObject1.bin"]
    r = extract(samples / "formats" / "testExcel_embeddedPDF.xls")
    assert r.metadata["application"] == "Microsoft Excel"


def test_every_workbook_sample_ends_with_a_status(extract, samples) -> None:
    for path in sorted((samples / "formats").glob("*.xls*")) + sorted(
        (samples / "formats").glob("*.ods")
    ):
        r = extract(path)
        assert r.status in ("ok", "partial", "failed", "encrypted", "unsupported"), path.name


def _with_last_printed(xlsx: bytes, printed: str) -> bytes:
    """The same workbook with cp:lastPrinted added to docProps/core.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                tail = b"</cp:coreProperties>"
                assert tail in data
                data = data.replace(
                    tail, f"<cp:lastPrinted>{printed}</cp:lastPrinted>".encode() + tail
                )
            dst.writestr(info, data)
    return out.getvalue()


def test_xlsx_print_date_is_printed_and_reaches_the_time_signal(extract) -> None:
    # Workbooks once stored this as "last_printed", which the time checks never read.
    from docket.verify.signals import ItemView
    from docket.verify.signals.times import check

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["الاسم", "المبلغ"])
    book.properties.creator = "أمين الصندوق"
    book.properties.created = dt.datetime(2014, 3, 1, 8, 0)
    book.properties.modified = dt.datetime(2014, 3, 5, 8, 0)
    buf = io.BytesIO()
    book.save(buf)
    r = extract(_with_last_printed(buf.getvalue(), "2031-06-01T09:00:00Z"), "roster.xlsx")
    assert r.status == "ok"
    assert r.metadata["printed"] == "2031-06-01T09:00:00Z"
    assert "last_printed" not in r.metadata
    view = ItemView(
        {"id": "x", "metadata": r.metadata}, acquired=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    late = [s for s in check(view) if s.kind == "time-after-acquisition"]
    assert late and "printed" in late[0].evidence
