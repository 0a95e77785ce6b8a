"""Arabic words of running text as the name reader takes them: each with its offsets, its
normalised form and whether only spaces separate it from the word before."""

from __future__ import annotations

from dataclasses import dataclass

from docket.text.names import lexicon as lx
from docket.text.scripts import AR_WORD

CLITICS = ("و", "ف", "ب", "ل", "ك")


@dataclass(slots=True)
class Token:
    text: str
    start: int
    end: int
    norm: str
    joined: bool  # only spaces between this token and the previous one


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    prev_end = -1
    for m in AR_WORD.finditer(text):
        gap = text[prev_end : m.start()] if prev_end >= 0 else "x"
        joined = prev_end >= 0 and gap.strip(" \u00a0\u200f\u200e") == ""
        out.append(Token(m.group(), m.start(), m.end(), lx.norm(m.group()), joined))
        prev_end = m.end()
    return out


def is_nisba(word: str) -> bool:
    """Shaped like a nisba (al-...i): "الجبوري", "النعيمى" (folded to ي)."""
    return (
        len(word) >= 5 and word.startswith("ال") and word.endswith("ي") and word not in lx.NOT_NISBA
    )


def strip_clitic(word: str) -> str | None:
    """The word without a leading و/ف/ب/ل/ك ("والشيخ" → "الشيخ"; "للأخ" → "الأخ")."""
    if word.startswith("لل") and len(word) > 3:
        return "ا" + word[1:]
    if len(word) > 3 and word[0] in CLITICS:
        return word[1:]
    return None
