"""Calendars: the one Hijri ↔ Gregorian conversion and the month names of both.

The conversion is the Umm al-Qura calendar of ``hijridate``, whose table covers the Hijri
years 1343–1500 (1924–2077 CE); outside it there is no answer (None), never a guess.

Month names are listed in the folded form ``fold_for_dates`` gives (أ إ آ ٱ → ا, ى → ي,
ة → ه, digits to ASCII; same length, so offsets into the folded text are offsets into the
original): the Levantine and Egyptian names of the Gregorian months and the common Latin
spellings of the Hijri ones.
"""

from __future__ import annotations

from datetime import date

from hijridate import Gregorian, Hijri

from docket.text.digits import ARABIC_INDIC, EXTENDED

HIJRI_YEARS = (1343, 1500)  # the Umm al-Qura table's range

HIJRI_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("محرم", "المحرم", "muharram"),
    2: ("صفر", "safar"),
    3: ("ربيع الاول", "ربيع اول", "rabi al-awwal", "rabi' al-awwal", "rabi al awwal", "rabi i"),
    4: ("ربيع الاخر", "ربيع الثاني", "ربيع ثاني", "rabi al-thani", "rabi' al-thani",
        "rabi al-akhir", "rabi' al-akhir", "rabi al thani", "rabi ii"),
    5: ("جمادي الاولي", "جمادي الاول", "جمادي الاوله", "jumada al-ula", "jumada al-awwal",
        "jumada al-oula", "jumada al ula", "jumada i"),
    6: ("جمادي الاخره", "جمادي الاخر", "جمادي الثانيه", "جمادي الثاني", "jumada al-akhirah",
        "jumada al-akhira", "jumada al-thani", "jumada al-thaniyah", "jumada al akhirah",
        "jumada ii"),
    7: ("رجب", "rajab"),
    8: ("شعبان", "sha'ban", "shaban", "shaaban"),
    9: ("رمضان", "ramadan", "ramadhan"),
    10: ("شوال", "shawwal"),
    11: ("ذو القعده", "ذي القعده", "dhu al-qadah", "dhu al-qa'dah", "dhul-qadah",
         "dhu al-qi'dah", "dhu al-qidah"),
    12: ("ذو الحجه", "ذي الحجه", "dhu al-hijjah", "dhul-hijjah", "dhu al hijjah"),
}  # fmt: skip
# Levantine and Iraqi (كانون الثاني …) and Egyptian (يناير …) names, English and its
# abbreviations.
GREGORIAN_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("كانون الثاني", "يناير", "january", "jan"),
    2: ("شباط", "فبراير", "february", "feb"),
    3: ("اذار", "مارس", "march", "mar"),
    4: ("نيسان", "ابريل", "april", "apr"),
    5: ("ايار", "مايو", "may"),
    6: ("حزيران", "يونيو", "يونيه", "june", "jun"),
    7: ("تموز", "يوليو", "يوليه", "july", "jul"),
    8: ("اب", "اغسطس", "august", "aug"),
    9: ("ايلول", "سبتمبر", "september", "sept", "sep"),
    10: ("تشرين الاول", "اكتوبر", "october", "oct"),
    11: ("تشرين الثاني", "نوفمبر", "november", "nov"),
    12: ("كانون الاول", "ديسمبر", "december", "dec"),
}  # fmt: skip

_SAME_LENGTH = str.maketrans(ARABIC_INDIC + EXTENDED + "أإآٱىة", "0123456789" * 2 + "اااايه")


def fold_for_dates(text: str) -> str:
    """``text`` with digits in ASCII and the alef, alef maqsura and taa marbuta forms
    folded as the month tables are written; every character keeps its offset."""
    return text.translate(_SAME_LENGTH)


def month_number(name: str, hijri: bool) -> int:
    """The number of a month written by name (folded or not), 0 when it is none."""
    key = " ".join(fold_for_dates(name).lower().replace("-", " ").split())
    table = HIJRI_MONTHS if hijri else GREGORIAN_MONTHS
    for n, names in table.items():
        if any(" ".join(x.replace("-", " ").split()) == key for x in names):
            return n
    return 0


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of an Umm al-Qura Hijri date; None outside the table or for a
    day that month does not have."""
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(g.year, g.month, g.day)


def gregorian_to_hijri(day: date) -> tuple[int, int, int] | None:
    """``(year, month, day)`` in the Umm al-Qura calendar; None outside its table."""
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
    except (ValueError, OverflowError):
        return None
    return h.year, h.month, h.day


def hijri_iso(iso: str | None) -> str | None:
    """The Hijri date (``1440-06-15``) of an ISO day (``2019-02-20``), or None when the
    text is not a whole day or the day is outside the table."""
    if not iso or len(iso) < 10:
        return None
    try:
        day = date(int(iso[:4]), int(iso[5:7]), int(iso[8:10]))
    except ValueError:
        return None
    got = gregorian_to_hijri(day)
    return f"{got[0]:04d}-{got[1]:02d}-{got[2]:02d}" if got else None
