from __future__ import annotations

import pytest

from docket.text.normalize import normalize, normalize_many, token_spans, tokens


@pytest.mark.parametrize(
    "variant",
    [
        "النعيمي",
        "النعيمى",
        "النعيميّ",
        "ٱلنعيمي",
        "النـعـيـمي",
        "الن\u200cعيمي",
        "\u200fالنعيمي\u200f",
    ],
)
def test_arabic_spelling_variants_fold_together(variant: str) -> None:
    assert tokens(variant) == ["النعيمي"]


def test_hamza_seats_taa_marbuta_and_digits() -> None:
    assert tokens("أحمد إبراهيم آمنة مدرسة ١٤٤٠ ۱۴۴۰") == [
        "احمد",
        "ابراهيم",
        "امنه",
        "مدرسه",
        "1440",
        "1440",
    ]


def test_latin_is_case_folded_and_split() -> None:
    assert tokens("Abu-Ammar AL_NUAIMI") == ["abu", "ammar", "al", "nuaimi"]
    assert normalize("Straße") == "strasse"


def test_token_spans_point_into_the_original() -> None:
    text = "من: أبو عمّار"
    spans = list(token_spans(text))
    assert [text[s:e] for s, e, _ in spans] == ["من", "أبو", "عمّار"]
    assert [t for _, _, t in spans] == ["من", "ابو", "عمار"]


def test_digits_and_scripts() -> None:
    from docket.text.digits import ascii_digits
    from docket.text.scripts import is_arabic, script, script_any

    assert ascii_digits("١٤٤٠/٦/١٥ و ۱۴۴۰") == "1440/6/15 و 1440"
    assert normalize("٢٠١٩") == "2019"
    assert (script("النعيمي"), script("nuaimi"), script("2019")) == ("a", "l", None)
    assert script("schröder") is None and script_any("schröder") == "l"
    assert is_arabic("From: أبو عمار") and not is_arabic("From: Abu Ammar")


def test_many_texts_fold_as_one_by_one() -> None:
    """``normalize_many`` (the OCR lexicon's fold of a 600,000-word list) gives exactly
    what ``normalize`` gives each text: spelling variants, marks, digits of every script,
    ligatures and presentation forms (NFKC), case, a code point outside the BMP."""
    texts = [
        "أحمد",
        "إبراهيمُ",
        "مدرسة",
        "النـعـيـمى",
        "\u200fآمنة\u200f",
        "١٤٤٠",
        "۱۴۴۰",
        "ﻻ",
        "ﷲ",
        "Straße",
        "İstanbul",
        "ﬁle",
        "𝟙𝟚 😀",
        "",
        "پچژگ",
    ]
    assert normalize_many(texts) == [normalize(t) for t in texts]
    assert normalize_many(["a\nB", "Ç"]) == ["a\nb", "ç"]  # a line break inside a text
    assert normalize_many([]) == []


def test_a_long_text_folds_as_its_parts() -> None:
    """A long text (an item's, folded for the index through a lookup array) folds to
    exactly what its words fold to one by one: Arabic variants, marks and bidi controls
    dropped, digits, case, a code point outside the BMP and an undecodable byte kept."""
    parts = ["أحمد", "إبراهيمُ", "\u200fآمنة\u200f", "۱۴۴۰", "Straße", "İstanbul", "ﬁle",
             "𝟙𝟚", "😀", "\udcff", "النـعـيـمى", "soft\u00adhyphen", "plain"]  # fmt: skip
    long = " ".join(parts * 30)
    assert len(long) > 1000
    assert normalize(long) == " ".join([normalize(p) for p in parts] * 30)
    assert tokens(long) == [t for p in parts * 30 for t in tokens(p)]
