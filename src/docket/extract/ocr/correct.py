"""Post-correction of what Tesseract's Arabic model reliably gets wrong in print.

Punctuation (``punct``): the model reads the Arabic comma ``،`` as a closing guillemet
``»`` (and, attached to a word, sometimes as ``ء``). On the development books of
``bench/accuracy/ocr.py`` that one confusion was 17-30% of all character errors, while
a real ``»`` closes a ``«`` earlier on its line (where a quotation is open, it is kept).

Lexicon (``lexicon``): a comma attached to a word is read as a final hamza
(``دجلة،`` → ``دجلهء``). A word ending in ``ء`` after a letter that is no hamza seat,
unknown to the lexicon while the word without it is known, gets its comma back. The
lexicon is the Arabic list of the ``wordfreq`` package (620,000 word forms from open
corpora: Wikipedia, subtitles, news, web text; 95-98% of the words of the development
books' ground truth are in it once search-folded), held per process as a sorted array of
the hashes of its folded forms (4 MB, built in about a second when first needed).
Correcting any unknown word to its one known neighbour at edit distance one was also
tried and changed the development books' error rate by under 0.05 points: with this
many forms most misreads are either real words or have several neighbours, so it is
not done.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from docket.text.normalize import normalize, normalize_many

_ARABIC_LETTER = re.compile(r"[\u0620-\u064A]")
_MARKS = re.compile(r"[\u064B-\u0652\u0670\u0640]")  # harakat, dagger alef, tatweel
_HAMZA_WORD = re.compile(
    r"[\u0620-\u064A\u064B-\u0652\u0670\u0640]+ء[\u064B-\u0652]*(?![\u0620-\u064A])"
)
_SEATS = frozenset("اوىيئؤآأإء")  # letters a final hamza follows in ordinary spelling


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


@cache
def _lexicon() -> np.ndarray:
    try:
        import wordfreq
    except ImportError:  # the correction needs it; without it words stay as read
        return np.zeros(0, dtype=np.int64)
    forms = normalize_many(list(wordfreq.iter_wordlist("ar", wordlist="large")))
    # sorted, not made unique: a form folded alike twice is found all the same
    return np.sort(np.fromiter(map(hash, filter(None, forms)), dtype=np.int64))


def known(word: str) -> bool:
    """Is ``word`` (any spelling that folds like it) in the lexicon?"""
    lex = _lexicon()
    key = hash(normalize(word))
    i = int(np.searchsorted(lex, key))
    return i < len(lex) and int(lex[i]) == key


def _hamza(m: re.Match[str]) -> str:
    word = m.group()
    letters = _MARKS.sub("", word)
    if len(letters) < 3 or letters[-2] in _SEATS:
        return word
    stem = word[: word.rindex("ء")]
    return stem + "،" if known(stem) and not known(word) else word


def commas(line: str) -> str:
    """A final ``ء`` that the lexicon says is a comma, made one."""
    return _HAMZA_WORD.sub(_hamza, line) if "ء" in line else line


def correct(text: str, steps: frozenset[str]) -> str:
    if "punct" in steps:
        text = "\n".join(punctuation(x) for x in text.split("\n"))
    if "lexicon" in steps:
        text = "\n".join(commas(x) for x in text.split("\n"))
    return text
