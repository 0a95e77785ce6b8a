"""Search normalisation, one function used at index time and at query time.

Folds what Arabic writers vary freely and what no search engine folds by default: alef
and hamza seats, taa marbuta, alef maqsura, tatweel, diacritics, Persian and Urdu letter
forms, Arabic-Indic digits, bidi and zero-width marks; then NFKC and case folding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache, partial
from typing import TYPE_CHECKING

from docket.text.digits import TO_ASCII

if TYPE_CHECKING:
    import numpy as np

_FOLD: dict[int, str | None] = {}
for ch in "أإآٱٲٳ":
    _FOLD[ord(ch)] = "ا"
for src, dst in {
    "ة": "ه", "ۀ": "ه", "ھ": "ه", "ہ": "ه", "ە": "ه",
    "ى": "ي", "ی": "ي", "ې": "ي", "ے": "ي", "ئ": "ي",
    "ؤ": "و", "ۆ": "و", "ۇ": "و",
    "ک": "ك", "ڪ": "ك", "گ": "ك",
    "پ": "ب", "چ": "ج", "ژ": "ز", "ڤ": "ف",
}.items():  # fmt: skip
    _FOLD[ord(src)] = dst
for start, end in ((0x064B, 0x065F), (0x06D6, 0x06ED), (0x08D3, 0x08FF)):
    for cp in range(start, end + 1):
        _FOLD[cp] = None  # harakat, Quranic annotation marks
for cp in (0x0640, 0x0670, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD, 0x061C):
    _FOLD[cp] = None  # tatweel, dagger alef, zero-width and bidi marks, soft hyphen
for cp in range(0x202A, 0x202F):
    _FOLD[cp] = None
for cp in range(0x2066, 0x206A):
    _FOLD[cp] = None
_FOLD.update(
    {k: chr(v) for k, v in TO_ASCII.items()}
)  # Arabic-Indic and Extended (Persian/Urdu) digits

# Characters that belong inside a word before folding: letters, digits, combining marks,
# tatweel and joiners (so "محمّد" and "مـحـمـد" stay one token).
MARKS = r"[\u0640\u064B-\u065F\u0670\u06D6-\u06ED\u200C\u200D\u0300-\u036F]"
_WORD = re.compile(rf"[^\W_]+(?:{MARKS}+[^\W_]*)*")


def normalize(text: str) -> str:
    """The folded form of ``text``, for indexing and querying."""
    return _fold(unicodedata.normalize("NFKC", text)).casefold()


_DROP = 0xFFFFFFFF  # a code point the fold table deletes
# From this length the fold is a numpy table lookup: ``str.translate`` looks every
# character up in a dict, 0.4 ms of CPU for an 8 KB item (half of folding it for the
# index), against 0.03 ms; below it the array's set-up costs more than it saves.
_ARRAY_FROM = 192


_ARRAY_CHUNK = 1 << 16  # characters folded at a time: the arrays are 4 bytes a character


def _fold(text: str) -> str:
    """``text.translate(_FOLD)``, the same characters out."""
    if text.isascii():  # every character the table changes is outside ASCII
        return text
    if len(text) < _ARRAY_FROM:
        return text.translate(_FOLD)
    if len(text) <= _ARRAY_CHUNK:
        return _fold_array(text)
    # A long text in pieces, so that its arrays never hold more than a piece of it.
    step = range(0, len(text), _ARRAY_CHUNK)
    return "".join(_fold_array(text[i : i + _ARRAY_CHUNK]) for i in step)


def _fold_array(text: str) -> str:
    """``text.translate(_FOLD)`` through the lookup array of ``_fold_table``."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = _fold_table()
    if len(codes) and int(codes.max()) < len(table):
        codes = table[codes]
    else:  # a code point past the table's (outside the Basic Multilingual Plane)
        inside = codes < len(table)
        codes = np.where(inside, table[np.where(inside, codes, 0)], codes)
    folded: bytes = codes[codes != _DROP].tobytes()
    return folded.decode("utf-32-le", "surrogatepass")


@cache
def _fold_table() -> np.ndarray:
    """``_FOLD`` as a lookup array over code points (the Basic Multilingual Plane at
    least): what each one becomes, ``_DROP`` for those deleted."""
    import numpy as np

    table = np.arange(max(0x10000, max(_FOLD) + 1), dtype=np.uint32)
    for cp, to in _FOLD.items():
        table[cp] = _DROP if to is None else ord(to)
    return table


def normalize_many(texts: Sequence[str]) -> list[str]:
    """``[normalize(t) for t in texts]`` for many short texts (a word list), several
    times faster: NFKC text by text (one long string fails Unicode's quick check and is
    normalised character by character), then the fold over all of them in one numpy
    pass (``str.translate`` looks every character up in a dict) and one case folding."""
    joined = "\n".join(map(partial(unicodedata.normalize, "NFKC"), texts))
    if joined.count("\n") != len(texts) - 1:  # a text holding a line break, or none
        return [normalize(t) for t in texts]
    return _fold_array(joined).casefold().split("\n")


def tokens(text: str) -> list[str]:
    """Folded tokens of ``text``, in order."""
    return _split(normalize(text))


def words(text: str, skip: str = "") -> list[str]:
    """The words of ``text`` as written (not folded), in order: what ``token_spans`` and
    ``fold_word`` take; those whose first character is one of ``skip`` left out."""
    return _split(text, skip)


def _split(text: str, skip: str = "") -> list[str]:
    """``_WORD.findall(text)``, less the words whose first character is one of ``skip``;
    a long text through numpy (``_split_array``), in pieces cut at spaces (a space is in
    no word), so that its arrays never hold more than a piece of it."""
    if len(text) < _ARRAY_FROM:
        found = _WORD.findall(text)
        return [w for w in found if w[0] not in skip] if skip else found
    out: list[str] = []
    start = 0
    while len(text) - start > _ARRAY_CHUNK:
        cut = text.rfind(" ", start, start + _ARRAY_CHUNK)
        if cut <= start:  # no space in a whole piece: the rest by the pattern
            rest = _WORD.findall(text, start)
            return out + ([w for w in rest if w[0] not in skip] if skip else rest)
        out += _split_array(text[start:cut], skip)
        start = cut + 1
    return out + _split_array(text[start:], skip)


_OTHER, _LETTER, _MARK = 0, 1, 2  # the classes of ``_word_classes``
_SPACE = 32


def _split_array(text: str, skip: str = "") -> list[str]:
    """``_WORD.findall(text)`` (less the words whose first character is one of ``skip``)
    through numpy: the regular expression looks every character's class up one by one,
    0.2 ms of CPU for an 8 KB item, against a few array passes and a ``str.split``. A
    word is a run of letters and marks (``_word_classes``) from its first letter on:
    every other character becomes a space, and the text is split on spaces."""
    import numpy as np

    if not text:
        return []
    spaced = bytearray(text.encode("utf-32-le", "surrogatepass"))
    codes = np.frombuffer(spaced, dtype=np.uint32)
    table = _word_classes()
    if int(codes.max()) >= len(table):  # outside the Basic Multilingual Plane: the pattern
        found = _WORD.findall(text)
        return [w for w in found if w[0] not in skip] if skip else found
    kinds = table.take(codes)
    keep = kinds != _OTHER
    first = np.empty_like(keep)  # where a run of letters and marks starts
    first[0] = keep[0]
    np.greater(keep[1:], keep[:-1], out=first[1:])
    if (kinds[first] == _MARK).any():
        # Marks that open a run belong to no word: keep a character only when a letter
        # stands at or before it in its run.
        at = np.arange(len(codes), dtype=np.int32)
        gap = np.maximum.accumulate(np.where(keep, -1, at))
        letter = np.maximum.accumulate(np.where(kinds == _LETTER, at, -1))
        keep &= letter > gap
        first[0] = keep[0]
        np.greater(keep[1:], keep[:-1], out=first[1:])
    if skip:
        starts = np.flatnonzero(first)
        table = _skip_table(skip)
        dropped = table.take(np.minimum(codes[starts], len(table) - 1))
        if dropped.any():  # a word left out: all its characters, its first to its last
            ends = np.flatnonzero(keep[:-1] > keep[1:]) + 1  # past each word's last
            if keep[-1]:
                ends = np.append(ends, len(keep))
            inside = np.zeros(len(keep) + 1, dtype=np.int8)
            inside[starts[dropped]] = 1
            inside[ends[dropped]] -= 1
            keep &= np.cumsum(inside[:-1], dtype=np.int8) == 0
    np.copyto(codes, np.uint32(_SPACE), where=~keep)
    return spaced.decode("utf-32-le", "surrogatepass").split()


@lru_cache(maxsize=16)
def _skip_table(skip: str) -> np.ndarray:
    """Whether each code point up to the greatest of ``skip`` is one of them (the last,
    standing for every code point past it, is not)."""
    import numpy as np

    table = np.zeros(max(map(ord, skip)) + 2, dtype=bool)
    table[[ord(c) for c in skip]] = True
    return table


@cache
def _word_classes() -> np.ndarray:
    """Every code point's class for ``_WORD``: ``_LETTER`` (``[^\\W_]``: a letter or
    digit, tatweel too), ``_MARK`` (one of ``MARKS`` that is not a letter) or ``_OTHER``;
    read off the pattern's own classes, over the Basic Multilingual Plane (a few ms to
    make in each worker; a text with a character past it is split by the pattern)."""
    import numpy as np

    every = "".join(map(chr, range(0x10000)))
    table = np.zeros(0x10000, dtype=np.uint8)
    for kind, pattern in ((_MARK, MARKS), (_LETTER, r"[^\W_]")):
        marked = re.sub(pattern, "\x01", every).encode("utf-32-le", "surrogatepass")
        hits = np.frombuffer(marked, dtype=np.uint32) == 1
        hits[1] = bool(re.match(pattern, "\x01"))
        table[hits] = kind
    return table


@lru_cache(maxsize=262_144)
def fold_word(word: str) -> tuple[str, ...]:
    """The folded tokens of one word as written (usually one). Cached: words repeat, and
    folding them one by one was most of the index's cost for an item."""
    return tuple(_WORD.findall(normalize(word)))


def token_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, folded)`` for every token, with offsets into the original text."""
    for m in _WORD.finditer(text):
        for folded in fold_word(m.group()):
            yield m.start(), m.end(), folded


# Letters an Arabic word may carry glued in front of a name: "and", "by/with", "to/for",
# "so", "like" (ومحمد، لمحمد). A phrase still matches with one of them in front.
CLITICS = ("و", "ب", "ل", "ف", "ك", "وب", "ول", "فب", "فل")


def find_phrases(text: str, phrases: list[str]) -> list[tuple[int, int, str]]:
    """Every place in ``text`` where one of ``phrases`` is written, compared token by token
    in folded form (so spelling variants the folding unifies, case, diacritics and a
    clitic glued to the first Arabic word all match): ``(start, end, phrase)`` with offsets
    into ``text``, the longest phrase where two start at the same word."""
    by_first: dict[str, list[tuple[list[str], str]]] = {}
    for phrase in phrases:
        words = tokens(phrase)
        if words:
            by_first.setdefault(words[0], []).append((words, phrase))
    for candidates in by_first.values():
        candidates.sort(key=lambda c: -len(c[0]))
    spans = list(token_spans(text))
    folded = [t for _, _, t in spans]
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(folded):
        first = folded[i]
        heads = [first] + [first[len(c) :] for c in CLITICS if first.startswith(c)]
        match = None
        for head in heads:
            for words, phrase in by_first.get(head, ()):
                n = len(words)
                if folded[i + 1 : i + n] == words[1:] and (match is None or n > match[0]):
                    match = (n, phrase)
        if match is None:
            i += 1
            continue
        n, phrase = match
        found.append((spans[i][0], spans[i + n - 1][1], phrase))
        i += n
    return found
