"""The one name lexicon and the one name parser, Arabic and Latin."""

from __future__ import annotations

import pytest

from docket.text.names import lexicon as lx
from docket.text.names.folding import unit_key
from docket.text.names.parser import kunya_name, parse, read_chain, read_name
from docket.text.names.tokens import tokenize


def test_lexicon_one_list_each_both_scripts() -> None:
    for word in ("الشيخ", "الاخ", "الأخ", "Sheikh", "العقيد", "sayyid", "al-akh"):
        assert lx.is_title(lx.norm(word)), word
    for word in ("م", "سيد", "شيخ"):  # only at the head of a name written on its own
        assert lx.is_title(lx.norm(word), on_its_own=True) and not lx.is_title(lx.norm(word))
    assert {"ابو", "ام", "abu", "umm", "abou"} <= lx.KUNYA_HEADS
    assert lx.norm("أبا") in lx.KUNYA_HEADS and lx.norm("أبى") in lx.KUNYA_HEADS
    assert {"بن", "ابن", "بنت", "bin", "ibn", "bint", "b"} <= lx.NASAB_LINKS
    assert {"al", "el", "ad", "ed", "ar", "er", "ash", "adh", "ath", "il"} <= lx.ARTICLES
    assert lx.norm("حسن") in lx.given_names()


def test_arabic_kunya_nisba() -> None:
    p = parse("أبو عمار النعيمي")
    assert (p.kunya, p.ism, p.nisba, p.script) == (("أبو عمار",), "", ("النعيمي",), "arabic")
    assert p.attrs() == {"kunya": "أبو عمار", "nisba": "النعيمي"}
    assert kunya_name(p.kunya[0]) == "عمار"


def test_arabic_title_ism_nasab_nisba() -> None:
    p = parse("الشيخ خالد بن الوليد العبيدي")
    assert p.titles == ("الشيخ",)
    assert (p.ism, p.nasab, p.nisba) == ("خالد", ("الوليد",), ("العبيدي",))
    p = parse("حسن إبراهيم الجبوري")
    assert p.attrs() == {"ism": "حسن", "nasab": "إبراهيم", "nisba": "الجبوري"}


def test_compound_isms_in_both_scripts() -> None:
    assert parse("عبد الرحمن الراشد").ism == "عبد الرحمن"
    assert parse("Abd al-Rahman el-Rashid").ism == "Abd al-Rahman"
    assert parse("Abdul Rahman").ism == "Abdul Rahman"
    keys = {unit_key(u, False) for u in ("Abd al-Rahman", "Abdul Rahman", "Abdurrahman")}
    assert keys | {unit_key("عبد الرحمن", True)} == {"abdrahman"}
    p = parse("أبو عبد الله المهاجر")
    assert (p.kunya, p.nisba) == (("أبو عبد الله",), ("المهاجر",))
    assert parse("Abu Abd al-Rahman al-Iraqi").kunya == ("Abu Abd al-Rahman",)


def test_latin_names() -> None:
    assert parse("Abu Ammar al-Nuaimi").attrs() == {"kunya": "Abu Ammar", "nisba": "al-Nuaimi"}
    assert parse("Sheikh Khalid bin Walid al-Obaidi").attrs() == {
        "title": "Sheikh",
        "ism": "Khalid",
        "nasab": "Walid",
        "nisba": "al-Obaidi",
    }
    assert parse("Hassan Ibrahim al-Jubouri").attrs() == {
        "ism": "Hassan",
        "nasab": "Ibrahim",
        "nisba": "al-Jubouri",
    }
    assert parse("Khalid b. Walid").nasab == ("Walid",)
    assert parse("Fatimah bint Muhammad").nasab == ("Muhammad",)
    p = parse("Abul-Walid al-Ansari")
    assert kunya_name(p.kunya[0]) == "Walid" and p.nisba == ("al-Ansari",)


@pytest.mark.parametrize(
    ("name", "nisba"),
    [
        ("Abu Ammar Nuaimi", ("Nuaimi",)),  # a lone -i name after a kunya is the nisba
        ("Muhammad Abdullah al-Tamimi", ("al-Tamimi",)),
        ("Muhammad Ahmad Tamimi", ("Tamimi",)),  # the last of three that reads like one
        ("Muhammad Ahmad", ()),
    ],
)
def test_nisba_without_an_article(name: str, nisba: tuple[str, ...]) -> None:
    assert parse(name).nisba == nisba


def test_titles_lead_the_name() -> None:
    assert parse("Hassan Amir").titles == ()  # a name, not a title, after the ism
    assert parse("Dr. Ayman al-Zawahiri").titles == ("Dr",)
    assert parse("م. أحمد الحسن").titles == ("م",)  # on its own, م is مهندس


def test_running_text_needs_a_cue_and_stops() -> None:
    text = "وصل الأخ أبو عمار النعيمي من الرقة"
    tokens = tokenize(text)
    chain = read_chain(tokens, 1)
    assert chain is not None and chain.cue == "title"
    assert chain.parts.attrs() == {"title": "الأخ", "kunya": "أبو عمار", "nisba": "النعيمي"}
    assert tokens[chain.end].norm == "من"  # a function word ends the name
    assert read_chain(tokenize("سنة ٢٠١٩ م أحمد"), 2) is None  # م here is the era mark
    assert read_name("أبو يوسف الأنصاري").attrs() == {"kunya": "أبو يوسف", "nisba": "الأنصاري"}
    assert read_name("زيد") is None  # a lone given name is too weak to call a person
    assert read_name("سيد قطب") is None  # سيد in running text is not a title
    assert parse("سيد قطب").titles == ("سيد",)  # at the head of a name on its own it is


def test_both_readers_give_the_same_parts_for_a_name_in_text() -> None:
    name = "أبو عمار حسن إبراهيم الجبوري"
    chain = read_chain(tokenize(name), 0)
    assert chain is not None
    assert chain.parts == parse(name)
    assert chain.parts.tokens == ("عمار", "حسن", "إبراهيم", "الجبوري")
