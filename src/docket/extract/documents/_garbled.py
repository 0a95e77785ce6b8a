"""Whether a PDF page's text layer is garbage: what a reader gets from Type 3 fonts and
from fonts whose ToUnicode map is missing or wrong — glyph codes in the private-use area,
control characters, symbol soup, Latin-1 mojibake of another script, or letters shifted
to other letters (words with hardly a vowel).

Only a page that fails one of these checks is OCR'd instead, and its OCR text is kept
only if it passes them: a good text layer in any script (Arabic above all, whose letters
are letters like any other) is never replaced.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

MIN_CHARS = 20  # too little to judge: the scrap rule in pdf.py decides for these
BAD_SHARE = 0.10  # private-use, control, unassigned or replacement characters
ALNUM_SHARE = 0.40  # letters and digits among the visible characters
MIN_LATIN = 40  # Latin letters needed before judging their vowels
VOWEL_SHARE = 0.20  # English ~38%, French ~45%, Polish ~33%; shifted letters ~15%
MOJIBAKE_SHARE = 0.25  # Latin-1 accented letters: French has 2-5%, cp1256 read as Latin-1 > 50%
LOW_VOWELS = 0.30  # with no common word either: letters that do not spell words
MIN_WORDS = 8
_VOWELS = frozenset("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ")
# The most frequent short words of the Latin-script languages a cache holds (English,
# French, German, Spanish, Italian, Portuguese, Turkish): running text has some of them;
# a shifted code map leaves none. Only used together with a low vowel share, so a list
# of names or codes (no such words, ordinary vowels) is never judged garbage by it.
_COMMON_WORDS = (
    "the of and to in a is for on that with by at as from or be this are was it an "
    "le la les de des du et un une en est pour que qui dans au par sur "
    "der die das und ist zu den mit von im ein eine nicht "
    "el los las y con para es il di che per non o os e do da em um ve bir bu ile"
)
_COMMON = frozenset(_COMMON_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+")


def _bad(ch: str) -> bool:
    if ch == "\ufffd":
        return True
    return unicodedata.category(ch) in ("Co", "Cn", "Cs", "Cc")


def _latin(ch: str) -> bool:
    return ch < "\u0250" and ch.isalpha()


def garbled(text: str) -> bool:
    """True when ``text`` reads as glyph codes rather than words."""
    # Counted over the distinct characters (a page has a few dozen), not one by one.
    counts = Counter("".join(text.split()))  # the visible characters
    visible = sum(counts.values())
    if visible < MIN_CHARS:
        return False
    if sum(n for ch, n in counts.items() if _bad(ch)) > BAD_SHARE * visible:
        return True
    if sum(n for ch, n in counts.items() if ch.isalnum()) < ALNUM_SHARE * visible:
        return True
    latin: Counter[str] = Counter()  # every Latin letter (all are in words), lower-cased
    for ch, n in counts.items():
        if _latin(ch):
            latin[ch.lower()] += n
    letters = sum(latin.values())
    if letters < MIN_LATIN:
        return False
    vowels = sum(n for ch, n in latin.items() if ch in _VOWELS) / letters
    if vowels < VOWEL_SHARE:
        return True
    if vowels < LOW_VOWELS:
        words = [w.lower() for w in _WORD.findall(text) if all(map(_latin, w))]
        if len(words) >= MIN_WORDS and not _COMMON.intersection(words):
            return True
    accented = sum(n for ch, n in latin.items() if "\u00c0" <= ch <= "\u00ff")
    return accented > MOJIBAKE_SHARE * letters
