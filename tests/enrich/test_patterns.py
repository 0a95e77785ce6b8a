"""Pattern mentions (money, phone, e-mail, IBAN, URL) through the real enricher."""

from __future__ import annotations

import random
from typing import Any

from docket.enrich import patterns
from docket.model.items import Segment
from docket.model.results import ExtractResult
from docket.settings import DEFAULTS


def found(*texts: str) -> list[tuple[str, str, str]]:
    result = ExtractResult("text", "text/plain", False, "ok", segments=[Segment(t) for t in texts])
    patterns.enrich(result, DEFAULTS)
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


def test_phones_validated_per_numbering_plan() -> None:
    # Syrian: mobile (local 09x and international), Damascus landline; Arabic-Indic digits.
    assert patterns.phone_value("0933 123 456") == ("+963933123456", {"country": "SY"})
    assert patterns.phone_value("+963 11 234 5678") == ("+963112345678", {"country": "SY"})
    assert patterns.phone_value("٠٩٤٤ ١٢٣ ٤٥٦") == ("+963944123456", {"country": "SY"})
    # Iraqi: a local 07xx form is not a Syrian number, so the Iraqi plan reads it.
    assert patterns.phone_value("0790 123 4567") == ("+9647901234567", {"country": "IQ"})
    assert patterns.phone_value("٠٧٧٠ ١٢٣ ٤٥٦٧") == ("+9647701234567", {"country": "IQ"})
    assert patterns.phone_value("+964 750 123 4567") == ("+9647501234567", {"country": "IQ"})
    # Any other country, by its own prefix.
    assert patterns.phone_value("+90 532 123 4567") == ("+905321234567", {"country": "TR"})


def test_phone_look_alikes_the_regex_finds_are_dropped() -> None:
    # Each of these is a PHONE candidate; none is a valid number in its plan.
    for text in (
        "+2019 02 20",  # a date behind a plus sign
        "001500 000 000",  # an amount with a leading 00
        "+963 944 123 45",  # a Syrian mobile one digit short
        "0700 000 000",  # neither a Syrian nor an Iraqi number
        "+963 00 000 0000",  # no such Syrian range
    ):
        assert patterns.PHONE.search(text), text
        assert patterns.phone_value(text) is None, text
        assert kinds(f"رقم {text} فقط", "phone") == [], text


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
    # Country format, not just mod 97: a Syrian IBAN is 29 characters, an Iraqi one 23.
    assert patterns.iban_valid("IQ98 NBIQ 8501 2345 6789 012")
    assert not patterns.iban_valid("IQ98 NBIQ 8501 2345 6789 01")
    assert not patterns.iban_valid("IQ62NBIQ85012345678901")  # mod 97 passes; 22 long


def test_method_and_segment() -> None:
    result = ExtractResult(
        "text", "text/plain", False, "ok", segments=[Segment("x"), Segment("٧٥٠ دولار")]
    )
    patterns.enrich(result, DEFAULTS)
    (m,) = result.mentions
    assert (m.segment, m.start, m.end, m.method) == (1, 0, 9, "rule:money")
    assert m.attrs == {"amount": "750", "currency": "USD"}


def test_street_addresses_arabic_and_english() -> None:
    assert kinds("يقيم في حي الرميلة، شارع النور، بناء ٣ قرب السوق", "address") == [
        "حي الرميلة، شارع النور، بناء ٣"
    ]
    assert kinds("He lives at 12 Baghdad Street near the market", "address") == [
        "12 Baghdad Street"
    ]
    # "حي" is also "alive": without a definite name after it, it is not an address
    assert kinds("هو حي يرزق", "address") == []


def test_vehicle_plates_only_where_the_text_says_plate() -> None:
    assert kinds("The car, plate no. 45123 DH, was seen", "plate") == ["45123 DH"]
    assert kinds("سيارة لوحة رقم ٤٥١٢٣ دمشق", "plate") == ["45123 دمشق"]
    assert kinds("the plate was dirty; 45123 DH", "plate") == []


def test_patterns_found_where_they_can_be_are_those_of_the_whole_text() -> None:
    """Each pattern runs only where its matches can be (near digits, in a text with an
    "@"…); on text made of the pieces patterns are made of, in any order, ``scan``
    finds what every pattern run over the whole text finds."""
    rng = random.Random(16)
    pieces = [
        "1", "12", "1,500", "١٬٥٠٠", "٫٥", "2.5", "0944", "123", "456", "7890", "00", "+",
        "+963", "0791234567", "(11)", "00963", " 944", " 11", " 1234", "0944 123 456", "+963 (11) 1234 5678 9012 3456", " ", "  ", "\n", "-", ".", ",", "/", "$", "US$", "€", "£",
        "USD", "usd", "SYP", "dollars", "Dollar", "دولار", "دولاراً", "ليرة سورية", "دينار عراقي",
        "syrian pounds", "million", "thousand", "ألف", "مليون", "x", "word", "a", "ſ", "İ",
        "mail@example.org", "@", "www.", "WWW.", "http://", "site.com", "plate", "PLATE",
        "registration", "no.", "لوحة", "رقم", "نمرة", "حي", "طريق", "الرميلة", "شارع", "بناء",
        "Street", "St.", "Baghdad", "Old", "GB82 WEST 1234 5698 7654 32", "SY", "GB82",
    ]  # fmt: skip
    hits = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        whole = list(patterns.scan(text, whole=True))
        assert list(patterns.scan(text)) == whole, text
        hits += bool(whole)
        runs = [m.span() for m in patterns._DIGIT_RUN.finditer(text)]
        for pattern, span in ((patterns.PHONE, patterns._PHONE_SPAN),
                              (patterns.MONEY, patterns._MONEY_SPAN)):  # fmt: skip
            near = patterns._found(pattern, text, patterns._near(text, runs, span))
            assert [m.span() for m in near] == [m.span() for m in pattern.finditer(text)], text
    assert hits > 500  # the pieces make patterns, not only noise
