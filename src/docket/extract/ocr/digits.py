"""Post-correction of digits in OCR output.

Tesseract's Arabic model reads a number digit by digit and often mixes scripts inside
one number (``١٤4٠``) or reads Arabic-Indic zero as a dot. A run of digits is one number,
so it is written in one script: the script most of its digits were read in (ties go to
Arabic-Indic on a line with Arabic letters). Search folds every script to ASCII anyway;
this keeps the stored text readable and dates parseable.
"""

from __future__ import annotations

import re
from functools import partial

_ASCII = "0123456789"
_ARABIC = "٠١٢٣٤٥٦٧٨٩"
_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ALL = _ASCII + _ARABIC + _PERSIAN
_RUN = re.compile(f"[{_ALL}]+")
_LETTER_AR = re.compile(r"[\u0620-\u064A]")
_TO = {
    "ascii": str.maketrans(_ARABIC + _PERSIAN, _ASCII * 2),
    "arabic": str.maketrans(_ASCII + _PERSIAN, _ARABIC * 2),
    "persian": str.maketrans(_ASCII + _ARABIC, _PERSIAN * 2),
}


def _script(ch: str) -> str:
    return "ascii" if ch in _ASCII else "arabic" if ch in _ARABIC else "persian"


def fix_digits(text: str) -> str:
    """Make every run of digits use a single script, line by line."""
    lines = []
    for line in text.split("\n"):
        arabic_line = bool(_LETTER_AR.search(line))
        lines.append(_RUN.sub(partial(_one_match, arabic_line=arabic_line), line))
    return "\n".join(lines)


def _one_match(m: re.Match[str], arabic_line: bool) -> str:
    return _one_script(m.group(), arabic_line)


def _one_script(run: str, arabic_line: bool) -> str:
    counts = {"ascii": 0, "arabic": 0, "persian": 0}
    for ch in run:
        counts[_script(ch)] += 1
    if sum(1 for n in counts.values() if n) == 1:
        return run
    # Persian digits in an Arabic document are misreads of Arabic-Indic ones.
    arabic = counts["arabic"] + counts["persian"]
    if arabic > counts["ascii"] or (arabic == counts["ascii"] and arabic_line):
        return run.translate(_TO["arabic"])
    return run.translate(_TO["ascii"])
