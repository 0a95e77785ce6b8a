"""Digits: Arabic-Indic (٠–٩) and Extended Arabic-Indic (Persian/Urdu ۰–۹) to ASCII.

One table, used by the search folding (``normalize``), the date parser and the pattern
rules, so ``١٤٤٠`` and ``۱۴۴۰`` are ``1440`` everywhere.
"""

from __future__ import annotations

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
EXTENDED = "۰۱۲۳۴۵۶۷۸۹"
# A character class matching a digit in any of the three scripts.
ANY_DIGIT = r"[0-9٠-٩۰-۹]"

# Same length in and out, so offsets into the folded text are offsets into the original.
TO_ASCII = str.maketrans(ARABIC_INDIC + EXTENDED, "0123456789" * 2)


def ascii_digits(text: str) -> str:
    """``text`` with every Arabic-Indic and Extended Arabic-Indic digit as ASCII."""
    return text.translate(TO_ASCII)
