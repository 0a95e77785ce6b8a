"""The one Hijri ↔ Gregorian conversion (Umm al-Qura, via hijridate) and the month names."""

from __future__ import annotations

from datetime import date

import pytest

from docket.text.calendars import (
    fold_for_dates,
    gregorian_to_hijri,
    hijri_iso,
    hijri_to_gregorian,
    month_number,
)


@pytest.mark.parametrize(
    ("hijri", "gregorian"),
    [
        ((1440, 6, 15), date(2019, 2, 20)),
        ((1440, 9, 1), date(2019, 5, 6)),  # 1 Ramadan 1440 by Umm al-Qura
        ((1435, 9, 1), date(2014, 6, 28)),
        ((1445, 1, 1), date(2023, 7, 19)),
    ],
)
def test_pairs_both_ways(hijri: tuple[int, int, int], gregorian: date) -> None:
    assert hijri_to_gregorian(*hijri) == gregorian
    assert gregorian_to_hijri(gregorian) == hijri


def test_out_of_the_table_is_none_not_a_guess() -> None:
    assert hijri_to_gregorian(1300, 1, 1) is None  # before 1343: not in Umm al-Qura
    assert hijri_to_gregorian(1440, 13, 1) is None
    assert gregorian_to_hijri(date(1900, 1, 1)) is None
    assert hijri_iso("2019-02-20") == "1440-06-15"
    assert hijri_iso("2019-02") is None
    assert hijri_iso(None) is None


@pytest.mark.parametrize(
    ("name", "hijri", "number"),
    [
        ("جمادى الآخرة", True, 6),
        ("Jumada al-Akhirah", True, 6),
        ("ربيع الأول", True, 3),
        ("Rabi al-Thani", True, 4),
        ("رمضان", True, 9),
        ("Dhu al-Hijjah", True, 12),
        ("آذار", False, 3),
        ("مارس", False, 3),
        ("تشرين الأول", False, 10),
        ("كانون الثاني", False, 1),
        ("February", False, 2),
        ("sept", False, 9),
        ("رمضان", False, 0),
    ],
)
def test_month_names(name: str, hijri: bool, number: int) -> None:
    assert month_number(name, hijri) == number


def test_fold_for_dates_keeps_offsets() -> None:
    text = "١٥ جمادى الآخرة ١٤٤٠ هـ"
    folded = fold_for_dates(text)
    assert len(folded) == len(text)
    assert folded == "15 جمادي الاخره 1440 هـ"
