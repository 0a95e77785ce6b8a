"""Pattern mentions: money with its currency, phone numbers (kept only when valid in their
numbering plan, by ``phonenumbers``), e-mail addresses, IBANs (kept only when valid for
their country, by ``python-stdnum``), URLs, street addresses and vehicle plates, in
Arabic and Latin text.

Values are normalised so the same thing written two ways compares equal: "١٬٥٠٠ دولار"
and "$1,500" are both "1500 USD"; "0944 123 456" is "+963944123456".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import phonenumbers
from stdnum import iban as stdnum_iban

from docket.model.mentions import Mention
from docket.model.results import ExtractResult
from docket.settings import Settings

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬٫", "01234567890123456789,.")
D = r"[0-9٠-٩۰-۹]"

# Currency words and symbols → ISO 4217. Arabic words are matched with their case
# endings and the "ات"/"ا" forms ("دولاراً", "دولارات"); ليرة alone is the Syrian pound.
CURRENCIES: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "دولار": "USD", "دولارا": "USD", "دولاراً": "USD", "دولارات": "USD", "دولار أمريكي": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "يورو": "EUR",
    "£": "GBP", "gbp": "GBP",
    "syp": "SYP", "s.p.": "SYP", "ل.س": "SYP", "ليرة": "SYP", "ليرة سورية": "SYP",
    "ليرات": "SYP", "ليرة سوري": "SYP", "syrian pounds": "SYP", "syrian pound": "SYP",
    "iqd": "IQD", "dinar": "IQD", "dinars": "IQD", "دينار": "IQD", "دنانير": "IQD",
    "دينار عراقي": "IQD", "iraqi dinars": "IQD", "iraqi dinar": "IQD",
    "try": "TRY", "tl": "TRY", "ليرة تركية": "TRY", "turkish lira": "TRY",
    "jod": "JOD", "دينار أردني": "JOD", "sar": "SAR", "ريال": "SAR", "ريال سعودي": "SAR",
    "lbp": "LBP", "ليرة لبنانية": "LBP",
}  # fmt: skip
SCALE = {"thousand": 1_000, "million": 1_000_000, "ألف": 1_000, "الف": 1_000, "مليون": 1_000_000}

_NUM = rf"{D}{{1,3}}(?:[,٬]{D}{{3}})+(?:[.٫]{D}+)?|{D}+(?:[.٫]{D}+)?"
_CUR_WORDS = "|".join(
    re.escape(k) for k in sorted(CURRENCIES, key=len, reverse=True) if k[0].isalpha() or k[0] in "ل"
)
_SCALE = "|".join(SCALE)
_SYMBOL = r"US\$|\$|€|£"
MONEY = re.compile(
    rf"(?:(?P<pre>{_SYMBOL}|USD|EUR|SYP|IQD)\s?(?P<n1>{_NUM})(?:\s?(?P<s1>{_SCALE}))?)"
    rf"|(?:(?<![\w.,٬])(?P<n2>{_NUM})(?:\s?(?P<s2>{_SCALE}))?\s?(?P<post>{_SYMBOL}|{_CUR_WORDS})(?![\w]))",
    re.IGNORECASE,
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'،]+", re.IGNORECASE)
IBAN = re.compile(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
# Street addresses: a house number and a street type in English ("12 Baghdad Street"); in
# Arabic a street, quarter or road word and the definite name it introduces ("حي الرميلة،
# شارع النور، بناء ٣") — the article keeps "حي" (also "alive") from matching on its own.
_AR = "[\u0621-\u064a]"
_AR_PLACE = rf"(?:حي|شارع|طريق|جادة|ساحة|منطقة)\s+ال{_AR}+(?:\s+ال{_AR}+)?"
_AR_BUILDING = rf"(?:بناء|بناية|مبنى|عمارة|منزل|دار)\s+(?:رقم\s*)?{D}+"
ADDRESS = re.compile(
    rf"(?<![\w]){_AR_PLACE}(?:\s*[،,]?\s*(?:{_AR_PLACE}|{_AR_BUILDING}))*"
    r"|\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][a-z'-]+\s+){1,3}"
    r"(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Boulevard|Blvd\.|Square)(?!\w)"
)
# Vehicle plates, only where the text says so ("plate", "لوحة", "نمرة"): plate numbers
# have no shape of their own to find them by.
PLATE = re.compile(
    rf"(?:(?:licen[cs]e\s+)?plate|registration)(?:\s+(?:no\.?|number|#))?\s*[:\-]?\s*"
    rf"(?P<en>[A-Z]{{0,3}}[\s-]?{D}{{2,7}}(?:[\s-]?[A-Z]{{1,3}})?)(?![\w])"
    rf"|(?:رقم\s+اللوحة|لوحة(?:\s+رقم)?|نمرة)\s*[:\-]?\s*(?P<ar>{D}{{2,7}}(?:\s*[/-]?\s*{_AR}{{2,12}})?)",
    re.IGNORECASE,
)

# Candidates only: the international form (+ or 00 and a country code), or the local
# mobile forms of Syria (09x) and Iraq (07x), which rosters use without a prefix.
# phone_value keeps those that are valid numbers in their numbering plan.
PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00){D}{{1,3}}[\s.-]?(?:\({D}{{1,4}}\)[\s.-]?)?{D}{{2,4}}(?:[\s.-]?{D}{{2,4}}){{1,4}}"
    rf"|[0٠۰][79٧٩۷۹]{D}{{2}}[\s.-]?{D}{{3}}[\s.-]?{D}{{3,4}})(?!\w)"
)
# A number written without a country code is read in these numbering plans, in order.
LOCAL_REGIONS = ("SY", "IQ")
LOCAL_PREFIXES = ("09", "07")  # the local mobile forms PHONE finds


def ascii_digits(text: str) -> str:
    return text.translate(DIGITS)


def currency_code(word: str) -> str | None:
    """ISO code of a currency word or symbol ("دولار", "$", "SYP"), or None."""
    word = " ".join(word.strip().split()).lower()
    return CURRENCIES.get(word) or CURRENCIES.get(word.removeprefix("ال"))


def number(text: str) -> float | None:
    """A written amount as a number: "1,500", "١٥٠٠", "1.500,00" is not guessed at."""
    raw = ascii_digits(text).strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", raw):
        return float(raw.replace(",", ""))
    return None


def amount_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")


def iban_valid(iban: str) -> bool:
    """ISO 13616: the country's length and format and the mod-97 check (python-stdnum)."""
    return bool(stdnum_iban.is_valid(iban))


def phone_value(written: str) -> tuple[str, dict[str, str]] | None:
    """A written phone number in E.164 form and its country, when it is a valid number in
    its numbering plan (phonenumbers); None for a look-alike (a date, an amount, an
    unassigned range). A local form is tried as Syrian, then Iraqi."""
    digits = re.sub(r"\D", "", ascii_digits(written))
    candidates: list[tuple[str, str | None]]
    if written.lstrip().startswith("+"):
        candidates = [("+" + digits, None)]
    elif digits.startswith("00"):
        candidates = [("+" + digits[2:], None)]
    elif digits[:2] in LOCAL_PREFIXES:
        candidates = [(digits, region) for region in LOCAL_REGIONS]
    else:
        return None
    for candidate, region in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            country = phonenumbers.region_code_for_number(number)
            return value, {"country": country} if country and country != "001" else {}
    return None


def _money(m: re.Match[str]) -> tuple[str, dict[str, Any]] | None:
    amount = number(m.group("n1") or m.group("n2"))
    code = currency_code(m.group("pre") or m.group("post"))
    if amount is None or code is None:
        return None
    scale = m.group("s1") or m.group("s2")
    if scale:
        amount *= SCALE[scale.lower()]
    return f"{amount_text(amount)} {code}", {"amount": amount_text(amount), "currency": code}


# Each pattern runs only where its matches can be, and finds there exactly what it finds
# over the whole text: a text without what every match contains (an IBAN's country and
# check digits, "@", "://" or "www.", a plate's or a street's word) is skipped, and
# phone numbers and money are looked for near digits only (``_near``).
_IBAN_HINT = re.compile(r"[A-Z]{2}[0-9]{2}")
# Lower case for the tests of IGNORECASE patterns, with the letters such a pattern also
# matches for an ASCII one (dotted and dotless i, long s, Kelvin sign) made that letter.
_CASELESS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_PLATE_WORDS = ("plate", "registration", "لوحة", "نمرة")
_ADDRESS_WORDS = (
    "Street", "St.", "Road", "Rd.", "Avenue", "Ave.", "Lane", "Boulevard", "Blvd.", "Square",
)  # fmt: skip
_ADDRESS_HINT = re.compile(
    "|".join(rf"{w}\s+ال" for w in ("حي", "شارع", "طريق", "جادة", "ساحة", "منطقة"))
)
_DIGIT_RUN = re.compile(rf"{D}+")
_NUMBER_CHARS = frozenset("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹,٬.٫")  # what _NUM is made of
# Characters a match may have before and after a number (the number's own digits and
# separators aside), one more for a look-behind or look-ahead, and one to spare. Money:
# "US$" and a space before; a space, a scale word, a space and a currency word after.
_MONEY_SPAN = (3 + 1 + 2, 1 + max(map(len, SCALE)) + 1 + max(map(len, CURRENCIES)) + 2)
# A phone number: "+" before its first digit; after it, at most the longest number the
# pattern takes ("+963 (11) 1234 5678 9012 3456 7890": 37 characters).
_PHONE_SPAN = (1 + 2, 37 + 2)


def _near(text: str, runs: list[tuple[int, int]], span: tuple[int, int]) -> list[tuple[int, int]]:
    """Disjoint spans of ``text``, in order, that hold every match of a pattern whose
    matches hold a run of digits (``runs``) and reach at most ``span`` characters before
    and after the number the run is part of. A path of the pattern that ran past a span's
    end would have to reach the digits of a later run first, whose span would have met
    this one (and been merged into it), so a pattern run up to the end of a span (endpos)
    finds what it finds in the whole text there."""
    before, after = span
    size = len(text)
    out: list[tuple[int, int]] = []
    for start, end in runs:
        while start > 0 and text[start - 1] in _NUMBER_CHARS:
            start -= 1
        while end < size and text[end] in _NUMBER_CHARS:
            end += 1
        start, end = max(0, start - before), min(size, end + after)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _found(
    pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]] | None
) -> Iterator[re.Match[str]]:
    if spans is None:
        return pattern.finditer(text)
    return (m for a, b in spans for m in pattern.finditer(text, a, b))


def scan(text: str, *, whole: bool = False) -> Iterator[tuple[str, int, int, str, dict[str, Any]]]:
    """(kind, start, end, value, attrs) for every pattern in ``text``, not overlapping;
    the more specific patterns (IBAN, e-mail, URL) win over phone numbers and money.
    ``whole``: run every pattern over the whole text (what the tests compare with)."""
    taken: list[tuple[int, int]] = []
    low = text.lower()
    if any(c in text for c in "\u0130\u0131\u017f\u212a"):
        low = text.translate(_CASELESS).lower()
    runs = [m.span() for m in _DIGIT_RUN.finditer(text)]

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def when(test: bool) -> list[tuple[int, int]] | None:
        return None if whole or test else []  # None: the whole text

    for m in _found(IBAN, text, when(bool(_IBAN_HINT.search(text)))):
        s = m.group()
        while len(s.replace(" ", "")) >= 15 and not iban_valid(s):
            s = s.rsplit(" ", 1)[0] if " " in s else ""  # an extra trailing group
        if s and iban_valid(s):
            taken.append((m.start(), m.start() + len(s)))
            yield "iban", m.start(), m.start() + len(s), s.replace(" ", ""), {"country": s[:2]}
    for m in _found(EMAIL, text, when("@" in text)):
        taken.append(m.span())
        yield "email", m.start(), m.end(), m.group().lower(), {}
    for m in _found(URL, text, when("://" in text or "www." in low)):
        end = m.start() + len(m.group().rstrip(".,;:!?)]}»"))
        if free(m.start(), end):
            taken.append((m.start(), end))
            yield "url", m.start(), end, text[m.start() : end], {}
    for m in _found(PLATE, text, when(any(w in low for w in _PLATE_WORDS))):
        group = "en" if m.group("en") else "ar"
        start, end = m.span(group)
        if free(start, end):
            taken.append((start, end))
            value = re.sub(r"[\s/-]+", " ", ascii_digits(m.group(group))).strip().upper()
            yield "plate", start, end, value, {}
    for m in _found(
        ADDRESS,
        text,
        when(any(w in text for w in _ADDRESS_WORDS) or bool(_ADDRESS_HINT.search(text))),
    ):
        end = m.start() + len(m.group().rstrip("،, "))
        if free(m.start(), end):
            taken.append((m.start(), end))
            yield "address", m.start(), end, text[m.start() : end], {}
    for m in _found(PHONE, text, None if whole else _near(text, runs, _PHONE_SPAN)):
        found = phone_value(m.group())
        if found and free(*m.span()):
            taken.append(m.span())
            yield "phone", m.start(), m.end(), found[0], found[1]
    for m in _found(MONEY, text, None if whole else _near(text, runs, _MONEY_SPAN)):
        money = _money(m)
        if money and free(*m.span()):
            taken.append(m.span())
            yield "money", m.start(), m.end(), money[0], money[1]


def enrich(result: ExtractResult, settings: Settings) -> None:
    """Enricher: pattern mentions in every segment."""
    for n, seg in enumerate(result.segments):
        for kind, start, end, value, attrs in scan(seg.text):
            result.mentions.append(
                Mention(kind, seg.text[start:end], value, n, start, end, f"rule:{kind}", attrs)
            )
