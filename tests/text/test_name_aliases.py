"""Alias phrases in running text (``docket.text.names.aliases``), Arabic and English."""

from __future__ import annotations

import pytest

from docket.text.names.aliases import find


@pytest.mark.parametrize(
    ("text", "name", "alias"),
    [
        ("قام محمد عبد الكريم الحسن المكنى بأبي عبيدة الشامي بتسليم المبلغ",
         "محمد عبد الكريم الحسن", "أبي عبيدة الشامي"),
        ("المدعو حسن الجبوري الملقب بالذيب في الحاجز", "حسن الجبوري", "الذيب"),
        ("محمد العلي المعروف باسم أبو دجانة", "محمد العلي", "أبو دجانة"),
        ("خالد العلي المدعو أبو حفص", "خالد العلي", "أبو حفص"),
        ("طارق إبراهيم الحمداني المكنى بأبي أنس المهاجر استلم", "طارق إبراهيم الحمداني",
         "أبي أنس المهاجر"),
        ("محمد العلي المعروف باسم أبو دجانة الذي وصل", "محمد العلي", "أبو دجانة"),
        ("أبو عبيدة الشامي واسمه الحقيقي خالد العلي", "خالد العلي", "أبو عبيدة الشامي"),
        ("Mohammed Abdulkarim al-Hassan, known as Abu Ubayda al-Shami, signed.",
         "Mohammed Abdulkarim al-Hassan", "Abu Ubayda al-Shami"),
        ("Khalid al-Ali a.k.a. Abu Dujana was paid", "Khalid al-Ali", "Abu Dujana"),
        ('Khalid al-Ali (alias "Abu Dujana") was paid', "Khalid al-Ali", "Abu Dujana"),
        ("Khalid al-Ali, whose nom de guerre is Abu Dujana al-Ansari, left.",
         "Khalid al-Ali", "Abu Dujana al-Ansari"),
        ("Abu Ubayda al-Shami (real name Mohammed al-Hassan) wrote",
         "Mohammed al-Hassan", "Abu Ubayda al-Shami"),
    ],
)  # fmt: skip
def test_phrases(text: str, name: str, alias: str) -> None:
    (p,) = find(text)
    assert (p.name, p.alias) == (name, alias)
    assert text[p.name_start : p.name_end] == name and text[p.alias_start : p.alias_end] == alias


@pytest.mark.parametrize(
    "text",
    [
        "حضر المدعو أبو علي إلى المقر.",  # المدعو with no name before it introduces one
        "the man known as Abu Ali",  # no name before the cue
        "The payment was made in March.",
        "وصل المبلغ المعروف إلى المكتب",
    ],
)
def test_no_phrase(text: str) -> None:
    assert find(text) == []


def test_words_before_a_cue_are_those_of_the_whole_text() -> None:
    """The words before an English cue are read from a whitespace not far before it, not
    from the text's start (a long text with many cues was read once per cue): the same
    words as reading it all."""
    import random

    from docket.text.names import aliases

    rng = random.Random(16)
    pieces = [
        "Abu", " ", "  ", "\n", "al-", "Omar", "x9", "9", ".", "’s", "-", "Dr.", "bin",
        "a.k.a.", "word", "Abdul-Rahman",
    ]  # fmt: skip
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 120)))
        at, n = rng.randint(0, len(text)), rng.randint(1, 3)
        whole = list(aliases._EN_WORD.finditer(text[:at]))[-n:]
        assert [m.span() for m in aliases._last_words(text, at, n)] == [m.span() for m in whole]
