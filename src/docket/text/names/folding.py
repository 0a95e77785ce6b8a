"""Latin keys of names: one folding of transliteration variants, and the key of one
name unit (a word, ``al-X``, an ``Abd …`` compound) in either script.

Latin spellings are folded so the usual variants meet: ou/oo/u (French ou before a
vowel: w), ee/i, e/i, o/u,
ay/ai/ei, q/k, doubled letters, a final y or h. Arabic units are romanised first
(``arabic-name-romanizer``, via ``xscript_roman.romanise``): romanising first lifted
cross-script matching from 0.83 to 0.97 top-1 in the design's measurements.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from docket.text.names import lexicon as lx
from docket.text.normalize import normalize
from docket.text.xscript import skeleton
from docket.text.xscript_roman import romanise, spellings

SPLIT = re.compile(r"[\s\-‐–—_/,.;:()\[\]\"“”«»]+")
APOS = re.compile(r"['’‘`ʿʾ]")
_ARABIC_SPLIT = re.compile(r"[^\w\u0600-\u06ff]+")
_ABD_REST = re.compile(r"^(?:[aeiou]{1,2}(?:sh|[lrsntdz]))")
# Ordered: digraphs before the single letters they contain.
_FOLDS = (
    ("ph", "f"), ("ck", "k"), ("q", "k"), ("dj", "j"), ("dh", "d"), ("ch", "sh"),
    ("oua", "wa"), ("oui", "wi"), ("oue", "we"),  # French ou for w: Issaoui, Ouahid
    ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ai", "ay"), ("ei", "ay"), ("ey", "ay"),
    ("e", "i"), ("o", "u"), ("c", "k"),
)  # fmt: skip
_DOUBLE = re.compile(r"(.)\1+")
_OCR_DIGITS = str.maketrans("105", "los")


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """The folded Latin form of one token: lower case ASCII letters with transliteration
    variants merged (``Noaimy`` and ``Nuaimi`` both give ``nuaymi``)."""
    text = unicodedata.normalize("NFKD", APOS.sub("", token)).lower()
    if any(c.isalpha() for c in text):
        text = text.translate(_OCR_DIGITS)  # OCR reads l as 1 and o as 0 inside words
    text = "".join(c for c in text if "a" <= c <= "z")
    if text.startswith("ei"):
        text = text[1:]  # a leading ayn + i: Eisawi / Issawi, Eid / Id
    for src, dst in _FOLDS:
        text = text.replace(src, dst)
    text = _DOUBLE.sub(r"\1", text)
    if len(text) > 2 and text.endswith("y") and text[-2] != "a":
        text = text[:-1] + "i"  # Noaimy, Tamimy, Aly (not the diphthong of Sayyaf's "ay")
    if len(text) > 3 and text.endswith("ayi"):
        text = text[:-1]  # a final hamza + i: al-Tayi / al-Tai, al-Karbalayi / al-Karbalai
    if len(text) > 3 and text.endswith("h") and text[-2] in "aiu":
        text = text[:-1]  # Fatimah/Fatima, Abdullah/Abdulla
    return text


def _letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", APOS.sub("", text)).lower()
    return "".join(c for c in text if "a" <= c <= "z")


def fold_abd(word: str, nxt: str | None = None) -> str:
    """``abd`` compounds in one folded form: Abdullah, Abd Allah, Abdallah → abdla;
    Abdurrahman, Abdul Rahman, Abd al-Rahman → abdrahman."""
    if nxt is not None:  # "Abd"/"Abdul" + a separate word: the article is already gone
        rest = _letters(nxt)
        rest = "lah" if rest in ("allah", "ullah", "illah", "lah") else rest
    else:
        rest = _ABD_REST.sub("", _letters(word)[3:])
    return fold("abd" + rest)


def _strip_article_latin(latin: str, lam: bool = False) -> str:
    """A romanised word written with ال without its article; ``lam``: the word itself
    starts with ل (اللامي), so a leading l after the article is the word's own."""
    words = [w for w in SPLIT.split(latin) if w]
    stripped = False
    while len(words) > 1 and words[0].lower() in lx.ARTICLES:
        words, stripped = words[1:], True
    word = "".join(words)
    if stripped:
        return word  # Al-Lami: the article was a word of its own
    low = word.lower()
    # Called only for tokens written with ال, so a leading al/el/l is that article.
    if low[:2] in ("al", "el") and len(low) > 4:
        return word[2:]  # Alhamdani
    if low.startswith("l") and len(low) > 3 and not lam:
        return word[1:]  # Labidi: the romaniser folded the article into the word
    return word


def _romanise(word: str) -> str:
    """The romaniser's spelling of an Arabic word, checked against its letters: when the
    best spelling's consonants are not the word's (قتادة as Guetada, a Maghrebi g for ق),
    the next spelling whose consonants are (Ketada) is taken instead; and دج, which the
    romaniser writes as French Dj (دجانة as Djana), keeps its d apart from the j."""
    latin = romanise(word)
    core = word[2:] if word.startswith("ال") and len(word) > 3 else word
    want = skeleton(core)
    if latin and skeleton(_strip_article_latin(latin, core[:1] == "ل").lower()) != want:
        for other in spellings(word):
            if skeleton(other) == want:
                return other
    if "دج" in word:
        latin = re.sub("dj", "daj", latin, flags=re.IGNORECASE)
    return latin


def _arabic_key(unit: str) -> str:
    words = [w for w in _ARABIC_SPLIT.split(normalize(unit)) if w]
    if not words:
        return ""
    if words[0] == lx.ABD and len(words) > 1:
        nxt = words[1][2:] if words[1].startswith("ال") else words[1]
        return fold_abd(romanise(lx.ABD + "ال" + nxt))
    w = words[0]
    if w.startswith(lx.ABD) and len(w) > 4:
        return fold_abd(romanise(w))
    if w.startswith("ال") and len(w) > 3:
        return fold(_strip_article_latin(_romanise(w), lam=w.startswith("الل")))
    return fold(_romanise(w))


def _latin_key(unit: str) -> str:
    words = [w.lower().rstrip(".") for w in SPLIT.split(APOS.sub("", unit)) if w]
    while len(words) > 1 and words[0] in lx.ARTICLES:
        words = words[1:]  # al-Nuaimi, al Nuaimi
    if not words:
        return ""
    first = words[0]
    if first.startswith("abd") and len(first) <= 5 and len(words) > 1:
        nxt = words[2] if words[1] in lx.ARTICLES and len(words) > 2 else words[1]
        return fold_abd(first, nxt)
    if first.startswith("abd") and len(first) > 5:
        return fold_abd(first)
    return fold(first)


@lru_cache(maxsize=200_000)
def unit_key(unit: str, arabic: bool) -> str:
    """The folded Latin key of one name unit as the parser hands it out: a word, a word
    with its article (``al-Nuaimi``, ``الجبوري``), an ``Abd`` compound (``Abd al-Rahman``,
    ``عبد الرحمن``)."""
    return _arabic_key(unit) if arabic else _latin_key(unit)
