"""Which script a word or a text is written in.

``ARABIC_LETTER`` is the Arabic letters proper (ء–ي), what a folded token carries;
``ARABIC_BLOCK`` the whole Arabic Unicode block, for "is there Arabic in this text"; an
``AR_WORD`` is a run of Arabic letters with their harakat and tatweel (not digits or
punctuation: ، ؛ ؟ are outside it).
"""

from __future__ import annotations

import re

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
