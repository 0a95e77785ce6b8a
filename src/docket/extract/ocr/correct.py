"""Post-correction of what Tesseract's Arabic model reliably gets wrong in print.

Punctuation (``punct``): the model reads the Arabic comma ``،`` as a closing guillemet
``»`` (and, attached to a word, sometimes as ``ء``). On the development books of
``bench/accuracy/ocr.py`` that one confusion was 17-30% of all character errors, while
a real ``»`` closes a ``«`` earlier on its line (where a quotation is open, it is kept).
"""

from __future__ import annotations

import re

_ARABIC_LETTER = re.compile(r"[\u0620-\u064A]")


def punctuation(line: str) -> str:
    """``»`` with no ``«`` open before it on an Arabic line is ``،``."""
    if "»" not in line or not _ARABIC_LETTER.search(line):
        return line
    out, depth = [], 0
    for ch in line:
        if ch == "«":
            depth += 1
        elif ch == "»":
            if depth:
                depth -= 1
            else:
                ch = "،"
        out.append(ch)
    return "".join(out)


def correct(text: str, steps: frozenset[str]) -> str:
    if "punct" in steps:
        text = "\n".join(punctuation(x) for x in text.split("\n"))
    return text
