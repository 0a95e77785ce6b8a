"""Dates in Arabic and English, Hijri (Umm al-Qura) and Gregorian, to ISO dates."""

from __future__ import annotations

import random

import pytest

from docket.enrich import dates
from docket.enrich.dates import date_value, enrich, find_dates
from docket.model.items import Segment
from docket.model.results import ExtractResult
from docket.settings import DEFAULTS
from docket.text.calendars import fold_for_dates


def found(text: str) -> list[tuple[str, str, str | None]]:
    return [(text[s:e], v, a.get("hijri")) for s, e, v, _m, a in find_dates(text)]


@pytest.mark.parametrize(
    ("text", "original", "iso", "hijri"),
    [
        ("التاريخ: ١٤٤٠/٦/١٥ هـ", "١٤٤٠/٦/١٥ هـ", "2019-02-20", "1440-06-15"),
        ("في ١٥ جمادى الآخرة ١٤٤٠", "١٥ جمادى الآخرة ١٤٤٠", "2019-02-20", "1440-06-15"),
        ("dated 15 Jumada al-Akhirah 1440 AH", "15 Jumada al-Akhirah 1440 AH", "2019-02-20", "1440-06-15"),
        ("بتاريخ 15 شباط 2019", "15 شباط 2019", "2019-02-15", None),
        ("٣ كانون الثاني ٢٠١٩", "٣ كانون الثاني ٢٠١٩", "2019-01-03", None),
        ("يوم 15 فبراير 2019", "15 فبراير 2019", "2019-02-15", None),
        ("on 15 February 2019.", "15 February 2019", "2019-02-15", None),
        ("February 20, 2019", "February 20, 2019", "2019-02-20", None),
        ("ref 2019-02-15 x", "2019-02-15", "2019-02-15", None),
        ("ref 15/02/2019 x", "15/02/2019", "2019-02-15", None),
        ("US style 02/15/2019", "02/15/2019", "2019-02-15", None),
        ("in March 2019 we", "March 2019", "2019-03", None),
        ("الموافق 2019/2/20م", "2019/2/20م", "2019-02-20", None),
    ],
)  # fmt: skip
def test_dates_are_found_and_normalised(
    text: str, original: str, iso: str, hijri: str | None
) -> None:
    assert found(text) == [(original, iso, hijri)]


def test_not_dates() -> None:
    assert found("tel 0791234567, version 12.5.3, 31/02/2019, 1500 USD") == []


def test_enricher_appends_mentions_with_spans() -> None:
    r = ExtractResult("text", "text/plain", False, "ok")
    r.segments = [Segment("x"), Segment("كتاب رقم ٤ بتاريخ ١٤٤٠/٦/١٥ هـ الموافق 20 شباط 2019")]
    enrich(r, DEFAULTS)
    assert [(m.kind, m.value, m.segment, m.attrs["calendar"]) for m in r.mentions] == [
        ("date", "2019-02-20", 1, "hijri"),
        ("date", "2019-02-20", 1, "gregorian"),
    ]
    m = r.mentions[0]
    assert r.segments[1].text[m.start : m.end] == m.text == "١٤٤٠/٦/١٥ هـ"
    assert m.method == "rule:hijri-numeric"


def test_date_value_for_records() -> None:
    """One parser: a record's cell is read by ``find_dates`` too (its first whole day)."""
    assert date_value("١٤٤٠/٦/١٥ هـ") == "2019-02-20"
    assert date_value("٣ آذار ٢٠١٩") == "2019-03-03"
    assert date_value("2 March 2019") == "2019-03-02"
    assert date_value("2018-11-01T00:00:00") == "2018-11-01"
    assert date_value("February 2019") is None  # a month, not a day
    assert date_value("no date") is None


def _whole_text(text: str) -> list[tuple[int, int, str, str, dict[str, object]]]:
    """``find_dates`` as it was: every pattern over the whole text, not near years only."""
    folded = fold_for_dates(text)
    taken: list[tuple[int, int]] = []
    out = []
    for method, pattern in dates._PATTERNS:
        for m in pattern.finditer(folded):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            got = dates._value(method, m)
            if got is not None:
                end = len(text[:end].rstrip(" ,،."))
                taken.append((start, end))
                out.append((start, end, got[0], method, got[1]))
    return sorted(out)


def test_dates_found_near_years_are_those_of_the_whole_text() -> None:
    """The patterns run only near four-digit runs (``dates._windows``); on text made of
    the pieces dates are made of, in any order and spacing, they find the same dates."""
    rng = random.Random(16)
    pieces = [
        "15", "3", "٢٠", "2019", "1440", "١٤٤٠", "20190", "/", "-", ".", ",", "،", " ", "  ",
        "\n", "\t", "February", "feb", "FEBRUARY", "Jumada al-Akhirah", "jumada  al akhirah",
        "Rabi' al-Awwal", "ربيع الأول", "جمادى الآخرة", "شباط", "كانون الثاني", "فبراير",
        "هـ", "ه", "هجري", "AH", "A.H.", "H", "م", "st", "th", "x", "word", "في", "ref",
        "the", "Dhu al-Hijjah", "محرم", "12/02/", "2019-02-", "a1440",
    ]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        assert find_dates(text) == _whole_text(text), text
