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


def scan(text: str) -> Iterator[tuple[str, int, int, str, dict[str, Any]]]:
    """(kind, start, end, value, attrs) for every pattern in ``text``, not overlapping;
    the more specific patterns (IBAN, e-mail, URL) win over phone numbers and money."""
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in IBAN.finditer(text):
        s = m.group()
        while len(s.replace(" ", "")) >= 15 and not iban_valid(s):
            s = s.rsplit(" ", 1)[0] if " " in s else ""  # an extra trailing group
        if s and iban_valid(s):
            taken.append((m.start(), m.start() + len(s)))
            yield "iban", m.start(), m.start() + len(s), s.replace(" ", ""), {"country": s[:2]}
    for m in EMAIL.finditer(text):
        taken.append(m.span())
        yield "email", m.start(), m.end(), m.group().lower(), {}
    for m in URL.finditer(text):
        end = m.start() + len(m.group().rstrip(".,;:!?)]}»"))
        if free(m.start(), end):
            taken.append((m.start(), end))
            yield "url", m.start(), end, text[m.start() : end], {}
    for m in PLATE.finditer(text):
        group = "en" if m.group("en") else "ar"
        start, end = m.span(group)
        if free(start, end):
            taken.append((start, end))
            value = re.sub(r"[\s/-]+", " ", ascii_digits(m.group(group))).strip().upper()
            yield "plate", start, end, value, {}
    for m in ADDRESS.finditer(text):
        end = m.start() + len(m.group().rstrip("،, "))
        if free(m.start(), end):
            taken.append((m.start(), end))
            yield "address", m.start(), end, text[m.start() : end], {}
    for m in PHONE.finditer(text):
        found = phone_value(m.group())
        if found and free(*m.span()):
            taken.append(m.span())
            yield "phone", m.start(), m.end(), found[0], found[1]
    for m in MONEY.finditer(text):
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
