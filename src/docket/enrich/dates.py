"""Dates in Arabic and English text, Hijri and Gregorian, to ISO dates.

Found: numeric dates (``2019-02-15``, ``15/02/2019``, ``١٤٤٠/٦/١٥ هـ``), day-month-year
with month names (``15 جمادى الآخرة 1440``, ``15 Jumada al-Akhirah 1440``, ``15 شباط
2019``, ``15 فبراير 2019``, ``15 February 2019``, ``February 15, 2019``) and month-year
(``February 2019`` -> ``2019-02``). Hijri dates are converted with the Umm al-Qura
calendar (``docket.text.calendars``, the one conversion); the Hijri date is kept in ``attrs["hijri"]`` and the text as
written in ``text``.

Numeric dates are read day first (the Arab and European order) unless the middle number
cannot be a month. A numeric year from 1343 to 1500 is Hijri even without هـ: no seized
document dates itself in the fifteenth century.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from docket.model.mentions import Mention
from docket.model.results import ExtractResult
from docket.settings import Settings
from docket.text.calendars import (
    GREGORIAN_MONTHS,
    HIJRI_MONTHS,
    fold_for_dates,
    hijri_to_gregorian,
)


def _alternation(months: dict[int, tuple[str, ...]]) -> tuple[str, dict[str, int]]:
    lookup = {name: n for n, names in months.items() for name in names}
    # Longest first, so "ربيع الاخر" wins over a shorter name; spaces and hyphens vary.
    names = sorted(lookup, key=len, reverse=True)
    pats = [
        r"[\s\-]+".join(re.escape(part).replace("'", "['’ʿ‘]?") for part in re.split(r"[\s\-]+", n))
        for n in names
    ]
    return "|".join(pats), lookup


_H_ALT, _H_LOOKUP = _alternation(HIJRI_MONTHS)
_G_ALT, _G_LOOKUP = _alternation(GREGORIAN_MONTHS)
_B, _E = r"(?<![\w])", r"(?![\d])"  # a year may run into هـ or م
_HMARK = r"(?:\s*(?:هـ|ه|هجري|هجريه|AH|A\.H\.|H)(?![\w]))"
_GMARK = r"(?:\s*م(?![\w]))?"
_D, _Y = r"(?P<d>\d{1,2})", r"(?P<y>\d{4})"
_SEP = r"[\s,،.]*"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("rule:hijri-numeric", re.compile(
        rf"{_B}(?:(?P<d>\d{{1,2}})[/\-.](?P<m>\d{{1,2}})[/\-.](?P<y>1[34]\d\d)|(?P<y2>1[34]\d\d)[/\-.](?P<m2>\d{{1,2}})[/\-.](?P<d2>\d{{1,2}})){_HMARK}", re.I)),
    ("rule:hijri-month", re.compile(
        rf"{_B}(?:{_D}{_SEP})?(?P<mon>{_H_ALT}){_SEP}(?P<y>1[34]\d\d){_E}{_HMARK}?", re.I)),
    ("rule:gregorian-month", re.compile(
        rf"{_B}{_D}{_SEP}(?P<mon>{_G_ALT}){_SEP}{_Y}{_E}{_GMARK}", re.I)),
    ("rule:gregorian-month", re.compile(
        rf"{_B}(?P<mon>{_G_ALT})\.?\s+{_D}(?:st|nd|rd|th)?,?\s+{_Y}{_E}", re.I)),
    ("rule:gregorian-month", re.compile(rf"{_B}(?P<mon>{_G_ALT}){_SEP}{_Y}{_E}{_GMARK}", re.I)),
    ("rule:iso", re.compile(rf"{_B}{_Y}[-/.](?P<m>\d{{1,2}})[-/.]{_D}{_E}{_GMARK}")),
    ("rule:numeric", re.compile(rf"{_B}{_D}[/\-.](?P<m>\d{{1,2}})[/\-.]{_Y}{_E}{_GMARK}")),
)  # fmt: skip


# Every date above has a year of four digits, and around it only a few characters more
# than separators and digits: a month name and an ordinal's "st" before it, marks after.
# So the patterns run only near runs of four digits or more (``_windows``), not over the
# whole text, and find there exactly what they would find over it.
_YEARS = re.compile(r"\d{4,}")
_LEFT_FREE = frozenset(",،.-/'’ʿ‘")  # with whitespace and digits: any number of them
_LEFT_WORD = 2 + max(len(re.sub(r"[\s\-'’ʿ‘]", "", n)) for n in (*_H_LOOKUP, *_G_LOOKUP))
_RIGHT = frozenset("/-.هـجريمAHah")  # with whitespace and digits: all a date has after its year


def _windows(folded: str) -> list[tuple[int, int]]:
    """Spans of ``folded`` holding every match of ``_PATTERNS``, disjoint, in order. A
    match contains its year's digits; before them at most ``_LEFT_WORD`` characters that
    are not separators or digits (a month name, "st"); after them only ``_RIGHT``
    characters, whitespace and digits, so a window ends just past the first other
    character, which no match can end with or run across (every date ends with a digit
    or a mark): a pattern run up to there finds what it finds in the whole text."""
    out: list[tuple[int, int]] = []
    size = len(folded)
    for m in _YEARS.finditer(folded):
        start, budget = m.start(), _LEFT_WORD + 1
        while start > 0:
            c = folded[start - 1]
            if not (c in _LEFT_FREE or c.isspace() or c.isdecimal()):
                if not budget:
                    break
                budget -= 1
            start -= 1
        end = m.end()
        while end < size:
            c = folded[end]
            end += 1
            if not (c in _RIGHT or c.isspace() or c.isdecimal()):
                break
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def find_dates(text: str) -> list[tuple[int, int, str, str, dict[str, Any]]]:
    """``(start, end, value, method, attrs)`` for every date in ``text``."""
    folded = fold_for_dates(text)
    windows = _windows(folded)
    taken: list[tuple[int, int]] = []
    found = []
    for method, pattern in _PATTERNS:
        for m in (m for a, b in windows for m in pattern.finditer(folded, a, b)):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            got = _value(method, m)
            if got is None:
                continue
            value, attrs = got
            end = len(text[:end].rstrip(" ,،."))
            taken.append((start, end))
            found.append((start, end, value, method, attrs))
    return sorted(found)


def _value(method: str, m: re.Match[str]) -> tuple[str, dict[str, Any]] | None:
    g = m.groupdict()
    year = int(g.get("y") or g.get("y2") or 0)
    day = int(g.get("d") or g.get("d2") or 0)
    if g.get("mon"):
        name = re.sub(r"[\s\-]+", " ", g["mon"].lower()).replace("’", "'")
        lookup = _H_LOOKUP if method == "rule:hijri-month" else _G_LOOKUP
        month = lookup.get(name) or lookup.get(name.replace("-", " ")) or _loose(lookup, name)
    else:
        month = int(g.get("m") or g.get("m2") or 0)
    hijri = method.startswith("rule:hijri") or (
        method in ("rule:iso", "rule:numeric") and 1343 <= year <= 1500
    )
    if method == "rule:numeric" and month > 12 and 1 <= day <= 12:
        day, month = month, day  # month first (US): 02/15/2019
    if hijri:
        return _hijri(year, month, day, method)
    if not 1800 <= year <= 2200:
        return None
    try:
        if day:
            return date(year, month, day).isoformat(), {"calendar": "gregorian"}
        date(year, month, 1)
        return f"{year:04d}-{month:02d}", {"calendar": "gregorian"}
    except ValueError:
        return None


def _loose(lookup: dict[str, int], name: str) -> int:
    """Month number of a name written with other apostrophes or hyphens."""
    key = re.sub(r"['’ʿ‘\-\s]", "", name)
    return next((n for k, n in lookup.items() if re.sub(r"['\-\s]", "", k) == key), 0)


def _hijri(year: int, month: int, day: int, method: str) -> tuple[str, dict[str, Any]] | None:
    greg = hijri_to_gregorian(year, month, day or 1)
    if greg is None:
        return None
    if not day:
        return f"{greg.year:04d}-{greg.month:02d}", {
            "calendar": "hijri",
            "hijri": f"{year:04d}-{month:02d}",
        }
    hijri = f"{year:04d}-{month:02d}-{day:02d}"
    return greg.isoformat(), {"calendar": "hijri", "hijri": hijri}


def enrich(result: ExtractResult, settings: Settings) -> None:
    """Enricher: a ``date`` mention for every date in every segment."""
    for seq, segment in enumerate(result.segments):
        for start, end, value, method, attrs in find_dates(segment.text):
            result.mentions.append(
                Mention("date", segment.text[start:end], value, seq, start, end, method, attrs)
            )


def date_value(text: str) -> str | None:
    """The ISO day of one written date (a record's cell, a letter's date line):
    "2019-02-20", "2 March 2019", "٣ آذار ٢٠١٩", "١٤٤٠/٦/١٥ هـ" (Hijri, converted); None
    when the first date in ``text`` is not a whole day."""
    found = find_dates(text)
    return found[0][2] if found and re.fullmatch(r"\d{4}-\d\d-\d\d", found[0][2]) else None
