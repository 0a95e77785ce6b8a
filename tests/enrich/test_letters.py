"""Correspondence relations from letters (any format) and e-mails."""

from __future__ import annotations

from datetime import UTC, datetime

from docket.demo import content as c
from docket.demo.writers import documents as d
from docket.demo.writers import email as e
from docket.enrich import letters
from docket.settings import DEFAULTS


def relations(extract, data: bytes, name: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = extract(data, name)
    letters.enrich(result, DEFAULTS)
    return result.relations


def test_arabic_letter_docx_hijri_date(extract) -> None:  # type: ignore[no-untyped-def]
    (rel,) = relations(extract, d.make_docx(c.LETTER_AR, rtl=True), "letter.docx")
    assert rel["kind"] == "correspondence"
    assert (rel["source"], rel["target"]) == ("أبو عمار النعيمي", "ديوان بيت المال – مكتب الرقة")
    assert rel["date"] == "2019-02-20"  # 15 Jumada II 1440
    assert rel["attrs"]["subject"] == "طلب تحويل رواتب شهر جمادى الآخرة"
    assert rel["method"] == "rule:letter-header"


def test_arabic_memo_pdf_and_english_letter(extract) -> None:  # type: ignore[no-untyped-def]
    (rel,) = relations(extract, d.make_pdf(c.MEMO_AR), "memo.pdf")
    assert (rel["source"], rel["target"], rel["date"]) == (
        "أبو يوسف الأنصاري",
        "أبو عمار التميمي",
        "2019-03-03",
    )
    (rel,) = relations(extract, d.make_docx(c.LETTER_EN), "letter.docx")
    assert (rel["source"], rel["target"], rel["date"]) == (
        "Abu Ammar al-Nuaimi",
        "Finance Bureau, Raqqa office",
        "2019-03-02",
    )
    assert rel["attrs"]["subject"] == "Transfer request for the March payroll"
    # As plain text the same letter reads as RFC 822 headers: names without addresses.
    rels = relations(extract, "\n".join(c.LETTER_EN).encode(), "letter.txt")
    assert {(r["source"], r["target"]) for r in rels} == {
        ("Abu Ammar al-Nuaimi", "Finance Bureau"),
        ("Abu Ammar al-Nuaimi", "Raqqa office"),
    }


def test_email_headers_each_recipient(extract) -> None:  # type: ignore[no-untyped-def]
    m = c.EMAILS[1]
    data = e.make_eml(
        m["sender"], m["to"], m["subject"], m["body"], date=m["date"].replace(tzinfo=UTC)
    )
    (rel,) = relations(extract, data, "mail.eml")
    assert (rel["source"], rel["target"], rel["date"]) == (
        "Samir Abdullah",
        "Abu Yusuf al-Ansari",
        "2019-04-15",
    )
    assert rel["attrs"]["source_address"] == "samir.a@example.org"
    assert rel["attrs"]["target_address"] == "ansari@example.org"
    assert rel["attrs"]["subject"] == "Quarterly report"
    assert rel["method"] == "rule:email-headers"
    assert datetime  # imported for the fixture's dates


def test_one_labelled_line_is_not_a_letter(extract) -> None:  # type: ignore[no-untyped-def]
    assert relations(extract, b"Subject: notes\nFrom: nobody knows", "n.txt") == []
