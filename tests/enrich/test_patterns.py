"""Pattern mentions (money, phone, e-mail, IBAN, URL) through the real enricher."""

from __future__ import annotations

from typing import Any

from docket.enrich import patterns
from docket.extract.run import ExtractResult
from docket.model.items import Segment


def found(*texts: str) -> list[tuple[str, str, str]]:
    result = ExtractResult("text", "text/plain", False, "ok", segments=[Segment(t) for t in texts])
    patterns.enrich(result, {})
    for m in result.mentions:  # spans cite the segment exactly
        assert result.segments[m.segment].text[m.start : m.end] == m.text
    return [(m.kind, m.text, m.value) for m in result.mentions]


def kinds(text: str, kind: str) -> list[Any]:
    return [value for k, _, value in found(text) if k == kind]


def test_money_arabic_and_english() -> None:
    assert kinds("نرجو تحويل مبلغ ١٥٠٠ دولار إلى الأخ", "money") == ["1500 USD"]
    assert kinds("مبلغ ١٬٥٠٠ ليرة سورية", "money") == ["1500 SYP"]
    assert kinds("٢٥٠ ألف دينار", "money") == ["250000 IQD"]
    assert kinds("Please transfer 1,500 USD to", "money") == ["1500 USD"]
    assert kinds("paid $1,500, €200.50 and 450000 SYP", "money") == [
        "1500 USD",
        "200.5 EUR",
        "450000 SYP",
    ]
    assert kinds("2 million dinars", "money") == ["2000000 IQD"]
    assert kinds("in 2019 there were 4 offices", "money") == []


def test_phone_numbers_normalised() -> None:
    assert kinds("هاتف: ٠٩٤٤١٢٣٤٥٦", "phone") == ["+963944123456"]
    assert kinds("call +963 944 123 456 or 07701234567", "phone") == [
        "+963944123456",
        "+9647701234567",
    ]
    assert kinds("00964 770 123 4567", "phone") == ["+9647701234567"]
    assert kinds("dated 2019-02-20, total 48,250", "phone") == []


def test_email_url_iban() -> None:
    text = (
        "mail Nuaimi.Office@example.org, see www.example.org/a. "
        "IBAN DE89 3704 0044 0532 0130 00 and GB82WEST12345698765432; "
        "bad GB82WEST12345698765433"
    )
    got = found(text)
    assert ("email", "Nuaimi.Office@example.org", "nuaimi.office@example.org") in got
    assert ("url", "www.example.org/a", "www.example.org/a") in got
    ibans = [v for k, _, v in got if k == "iban"]
    assert ibans == ["DE89370400440532013000", "GB82WEST12345698765432"]  # mod-97 fails: out
    assert patterns.iban_valid("GB82 WEST 1234 5698 7654 32")
    assert not patterns.iban_valid("GB82WEST12345698765433")


def test_method_and_segment() -> None:
    result = ExtractResult(
        "text", "text/plain", False, "ok", segments=[Segment("x"), Segment("٧٥٠ دولار")]
    )
    patterns.enrich(result, {})
    (m,) = result.mentions
    assert (m.segment, m.start, m.end, m.method) == (1, 0, 9, "rule:money")
    assert m.attrs == {"amount": "750", "currency": "USD"}


def test_date_value_for_records() -> None:
    assert patterns.date_value("١٤٤٠/٦/١٥ هـ") == "2019-02-20"
    assert patterns.date_value("٣ آذار ٢٠١٩") == "2019-03-03"
    assert patterns.date_value("2 March 2019") == "2019-03-02"
    assert patterns.date_value("2018-11-01T00:00:00") == "2018-11-01"
    assert patterns.date_value("no date") is None
