"""Words are split through numpy in long texts (``normalize._split_array``): the words,
the folded tokens and the name keys must be exactly what the word pattern finds, on
English, Arabic and mixed texts with every kind of character that borders a word."""

from __future__ import annotations

import random
import re

import pytest

from docket.store.fulltext import name_keys, text_fields
from docket.text.normalize import MARKS, normalize, tokens, words
from docket.text.xscript import name_words, token_keys, word_tokens

# The definition, spelled out here: a word is a letter or digit followed by letters,
# digits and marks (harakat, tatweel, joiners, combining accents), underscore not a letter.
WORD = re.compile(rf"[^\W_]+(?:{MARKS}+[^\W_]*)*")
APOSTROPHE = re.compile(r"['’‘ʼ`](?<=[^\W\d_]['’‘ʼ`])(?=[^\W\d_])(?!(?:s|t|ll|re|ve|m)\b)")

ENGLISH = [
    "the", "ledger", "was", "signed", "by", "and", "of", "to", "2019", "500", "x1", "it's",
    "don't", "we'll", "well-known", "e-mail",
]  # fmt: skip
NAMES = [
    "Khalid", "Nuaimi", "O'Donnell", "D'Alema", "NUAIMI", "Schröder", "José", "Øster",
    "Ärzte", "İstanbul", "Ǆemal",
]  # fmt: skip
ARABIC = [
    "خالد", "النعيمي", "محمّد", "مـحـمـد", "عَبْدُ", "الله", "مصطفى", "گلستان", "ڨالمة",
    "نورالدين", "في", "من", "جعفر", "١٢٣", "۴۵", "ٱلرحمن", "إبراهيم", "ءامن", "ى",
]  # fmt: skip
ODD = [
    "\u064b", "\u0651", "\u0640", "\u0670", "\u200c", "\u200d", "\u200b", "\u200e", "\u200f",
    "\u202b", "\u2067", "\u061c", "\ufeff", "\u00ad", "\u0301", "e\u0301", "\u0300\u0301",
    "_", "__init__", "a_b", "-", "—", "'", "’", "`", "ʼ", "\U0001d400", "\U00020000", "😀",
    "\U000e0001", "\ud800", "①", "²", "½", "ﷲ", "ﻻ", "ﬁ", "㎏", "Ａｂｃ", "ß", "ǅ", "\t",
    "\n", "\x00", "\x01", " ", "\u00a0", "\u3000", "،", "؛", "؟", ".", ",", "(", ")", "«",
]  # fmt: skip
GLUE = ["", "", "", " ", " ", " ", "\n", ", ", ". ", "-", "'", "’", "_"]


BMP = [c for c in ODD if all(ord(x) < 0x10000 for x in c)]  # split by the arrays


def _text(rnd: random.Random, n: int, odd: list[str] = ODD) -> str:
    pools = [ENGLISH] * 6 + [NAMES] * 2 + [ARABIC] * 3 + [odd] * 2
    return "".join(rnd.choice(rnd.choice(pools)) + rnd.choice(GLUE) for _ in range(n))


def _texts() -> list[str]:
    rnd = random.Random(16)
    sizes = (1, 3, 20, 60, 300, 2000)
    out = [_text(rnd, rnd.choice(sizes), (ODD, BMP)[i % 2]) for i in range(400)]
    out += [
        "",
        " ",
        "\u064b\u064bمحمد",  # marks before a word belong to no word
        "\u064b" * 300 + "abc" + "\u064b" * 300,
        "_" * 400 + "x",
        "Ab" * 500,
        "z" * 500,
        "\U0001d400" * 300,
        ("لِ" + "\u0640" * 5 + "محمد ") * 60,
        ("a\u0301 " * 200) + "\u0301Z",
        ("O'Donnell and the Nuaimi's ledger. " * 20) + "خالد",
        # Longer than a piece of the split: cut at spaces, or by the pattern without one.
        _text(rnd, 30_000, BMP),
        _text(rnd, 30_000),
        "x " * 40_000 + "\u064b" + "y" * 70_000 + " Z",
        ("ab\u064b-" * 20_000) + " Zz " * 10,
        " " * 70_000 + "\u064bab",
    ]
    return out


TEXTS = _texts()
NOT_NAMES = "abcdefghijklmnopqrstuvwxyz0123456789"


def _name_words(text: str) -> list[str]:
    return WORD.findall(APOSTROPHE.sub("", text))


def _name_keys(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in _name_words(text):
        if word[0].isascii() and not word[0].isupper():
            continue
        for folded in word_tokens(word):
            for key in token_keys(folded):
                seen.setdefault(key, None)
    return list(seen)


def test_the_generated_texts_take_the_long_path() -> None:
    def arrays(t: str) -> bool:
        return len(t) >= 192 and all(ord(c) < 0x10000 for c in t)

    assert sum(arrays(t) and len(t) >= 2000 for t in TEXTS) > 30
    assert sum(arrays(t) and len(t) > 65536 for t in TEXTS) >= 4
    assert any(arrays(t) and "_" in t and "\u064b" in t and "\u200f" in t for t in TEXTS)
    assert any("_" in t and "\u064b" in t and "\U00020000" in t for t in TEXTS)


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_words_tokens_and_name_keys_are_the_patterns(i: int) -> None:
    text = TEXTS[i]
    assert words(text) == WORD.findall(text)
    assert tokens(text) == WORD.findall(normalize(text))
    assert name_words(text) == _name_words(text)
    candidates = [w for w in _name_words(text) if w[0] not in NOT_NAMES]
    assert words(APOSTROPHE.sub("", text), NOT_NAMES) == candidates
    assert name_keys(text) == _name_keys(text)
    fields = text_fields(text)
    assert (fields.text, fields.xscript) == (" ".join(tokens(text)), " ".join(_name_keys(text)))


def test_every_character_is_classed_as_the_pattern_classes_it() -> None:
    # One long text of every code point, each between spaces and after a letter: the
    # split and the pattern agree on what starts, continues or ends a word.
    for plane in (range(0x10000), range(0x110000)):  # the arrays' table, then the pattern
        every = [chr(c) for c in plane if c != 0x20]
        assert words(" ".join(every)) == WORD.findall(" ".join(every))
        glued = "".join("a" + c for c in every)
        assert words(glued) == WORD.findall(glued)
        assert words("\u064b".join(every)) == WORD.findall("\u064b".join(every))
