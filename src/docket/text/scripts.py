"""Which script a word or a text is written in.

``ARABIC_LETTER`` is the Arabic letters proper (ء–ي), what a folded token carries;
``ARABIC_BLOCK`` the whole Arabic Unicode block, for "is there Arabic in this text"; an
``AR_WORD`` is a run of Arabic letters with their harakat and tatweel (not digits or
punctuation: ، ؛ ؟ are outside it). ``letter_script``, ``script_letters`` and
``main_script`` name scripts by their ISO 15924 codes (``Arab``, ``Latn``, ``Hebr``,
``Cyrl``…), for language identification and a segment's recorded script.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
ARABIC_BLOCK = re.compile(r"[\u0600-\u06ff]")
AR_WORD = re.compile(
    r"[\u0621-\u063A\u0641-\u064A\u064B-\u065F\u0670\u0671-\u06D3\u06FA-\u06FF\u0640]+"
)
_LATIN_WORD = re.compile(r"^[a-z']+$")
_LATIN_ANY = re.compile(r"^[a-z'\u00c0-\u024f]+$")


def is_arabic(text: str) -> bool:
    """Whether ``text`` has any character of the Arabic block."""
    return bool(ARABIC_BLOCK.search(text))


def script(token: str) -> str | None:
    """``"a"`` for an Arabic-script token, ``"l"`` for a plain Latin one (folded a-z),
    None otherwise."""
    if ARABIC_LETTER.search(token):
        return "a"
    if _LATIN_WORD.match(token):
        return "l"
    return None


def script_any(token: str) -> str | None:
    """Like ``script``, but Latin letters with diacritics count as Latin."""
    kind = script(token)
    if kind is None and _LATIN_ANY.match(token):
        return "l"
    return kind


# ISO 15924 codes of the scripts language identification tells apart, by the first word
# of a letter's Unicode name ("ARABIC LETTER BEH" → Arab).
SCRIPT_CODES = {
    "LATIN": "Latn", "ARABIC": "Arab", "HEBREW": "Hebr", "CYRILLIC": "Cyrl", "GREEK": "Grek",
    "ARMENIAN": "Armn", "GEORGIAN": "Geor", "DEVANAGARI": "Deva", "BENGALI": "Beng",
    "GURMUKHI": "Guru", "GUJARATI": "Gujr", "TAMIL": "Taml", "TELUGU": "Telu", "THAI": "Thai",
    "HANGUL": "Hang", "HIRAGANA": "Jpan", "KATAKANA": "Jpan", "CJK": "Hani", "SYRIAC": "Syrc",
    "THAANA": "Thaa", "ETHIOPIC": "Ethi",
}  # fmt: skip


@lru_cache(maxsize=8192)
def letter_script(ch: str) -> str | None:
    """The ISO 15924 code of one letter's script (``Arab``, ``Latn``, ``Hebr``…), None
    for what is not a letter or a script not listed."""
    if not ch.isalpha():
        return None
    return SCRIPT_CODES.get(unicodedata.name(ch, "").split(" ", 1)[0])


def script_letters(text: str) -> dict[str, str]:
    """The letters of ``text`` by script: {"Arab": "...", "Latn": "..."}, each script's
    words joined by spaces (a mixed line gives its Arabic and its English apart); the
    scripts in the order they first appear. What is not a letter of a script splits its
    words; a letter of a script not listed is left out."""
    kinds = {ch: letter_script(ch) for ch in set(text)}
    first: dict[str, int] = {}
    for ch, kind in kinds.items():
        if kind is not None:
            at = text.index(ch)
            if at < first.get(kind, len(text)):
                first[kind] = at
    out: dict[str, str] = {}
    # Each script's letters kept, other characters made spaces (one pass of str.translate
    # a script, not a Python step a character: this runs on every item's text).
    for kind in sorted(first, key=first.__getitem__):
        table: dict[int, str | None] = {}
        for ch, k in kinds.items():
            if k != kind:
                table[ord(ch)] = None if k is None and ch.isalpha() else " "
        out[kind] = " ".join(text.translate(table).split())
    return out


def main_script(text: str) -> str | None:
    """The script most of ``text``'s letters are written in (the first met of equals)."""
    counts: dict[str, int] = {}
    # Counter counts in C; its keys keep the order of first occurrence, as a scan would.
    for ch, n in Counter(text).items():
        if kind := letter_script(ch):
            counts[kind] = counts.get(kind, 0) + n
    return max(counts, key=lambda k: counts[k]) if counts else None
