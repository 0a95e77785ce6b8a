"""Language identification: every language lingua knows is named, short lines of the
common ones too; each segment gets its language and script; a mixed Arabic and English
document gets both languages, and the index files it under each."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.enrich.language import detect_language, detect_languages, enrich
from docket.model.items import Segment
from docket.model.results import ExtractResult
from docket.settings import DEFAULTS
from docket.store.fulltext import FullText
from docket.store.query import Builder, parse
from docket.text.scripts import letter_script, main_script, script_letters

# Generated for these tests: one report sentence per language, and a short line of it.
TEXTS = {
    "fra": ("Le bureau a reçu hier la liste des salaires du mois de mars et l'a envoyée au juge",
            "La liste des salaires de mars"),
    "heb": ("המשרד קיבל אתמול את רשימת המשכורות של חודש מרץ ושלח אותה לשופט",
            "רשימת המשכורות של חודש מרץ"),
    "fas": ("دفتر دیروز فهرست حقوق ماه مارس را دریافت کرد و آن را برای قاضی فرستاد",
            "فهرست حقوق ماه مارس را دریافت کرد"),
    "tur": ("Büro dün mart ayının maaş listesini aldı ve onu hakime gönderdi",
            "Mart ayının maaş listesini aldı"),
    "urd": ("دفتر نے کل مارچ کے مہینے کی تنخواہوں کی فہرست وصول کی اور جج کو بھیج دی",
            "مارچ کی تنخواہوں کی فہرست وصول کی"),
    "rus": ("Вчера бюро получило список зарплат за март и отправило его судье",
            "Список зарплат за март получен"),
    "deu": ("Das Büro hat gestern die Gehaltsliste für März erhalten und an den Richter geschickt",
            "Die Gehaltsliste für März erhalten"),
    "spa": ("La oficina recibió ayer la lista de salarios de marzo y la envió al juez",
            "La lista de salarios de marzo recibida"),
    "ara": ("استلم المكتب أمس قائمة رواتب شهر آذار وأرسلها إلى القاضي",
            "قائمة رواتب شهر آذار"),
    "eng": ("The office received the payroll for March yesterday and sent it to the judge",
            "The payroll for March received"),
    "ita": ("L'ufficio ha ricevuto ieri l'elenco degli stipendi di marzo e lo ha inviato al giudice",
            "L'elenco degli stipendi di marzo"),
}  # fmt: skip


def _result(*texts: str) -> ExtractResult:
    result = ExtractResult("text", "text/plain", False, "ok", segments=[Segment(t) for t in texts])
    enrich(result, DEFAULTS)
    return result


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_each_language_is_named(lang: str) -> None:
    sentence, line = TEXTS[lang]
    assert _result(sentence).lang == lang
    assert detect_language(" ".join([sentence] * 3)) == lang  # long text: all languages
    assert detect_language(line) == lang  # short text


def test_the_default_is_every_language_and_a_list_still_restricts() -> None:
    assert DEFAULTS.languages == "all"
    # Restricted to Arabic and English, Italian can only be read as one of them.
    assert detect_language(TEXTS["ita"][0], ("ara", "eng")) in ("ara", "eng")


def test_too_little_text_gets_no_language() -> None:
    assert _result("12 / 04 / 2019 — 300").lang is None


def test_each_segment_gets_its_language_and_script() -> None:
    result = _result(TEXTS["ara"][0], TEXTS["eng"][0], TEXTS["heb"][0], TEXTS["rus"][0], "1440")
    assert result.metadata["segment_languages"] == ["ara", "eng", "heb", "rus", None]
    assert result.metadata["segment_scripts"] == ["Arab", "Latn", "Hebr", "Cyrl", None]


def test_a_mixed_document_gets_both_languages() -> None:
    result = _result(f"{TEXTS['ara'][0]}. {TEXTS['eng'][0]}")
    assert set(result.metadata["languages"]) == {"ara", "eng"}
    assert result.lang in ("ara", "eng")
    assert detect_languages(TEXTS["fra"][0]) == [("fra", pytest.approx(60, abs=10))]


def test_lang_filter_finds_a_mixed_document_under_each_language(tmp_path: Path) -> None:
    mixed = _result(f"{TEXTS['ara'][0]}. {TEXTS['eng'][0]}")
    french = _result(TEXTS["fra"][0])
    ft = FullText(tmp_path / "index")
    for item_id, result, text in (("mixed", mixed, TEXTS["ara"][0]), ("fr", french, "bureau")):
        item = {"id": item_id, "path": [f"{item_id}.txt"], "type": "text", "lang": result.lang,
                "metadata": result.metadata}  # fmt: skip
        ft.put(item, text)
    ft.close()

    def ids(q: str) -> set[str]:
        return {h.id for h in ft.search(Builder(ft.schema).build(parse(q)))[1]}

    assert ids("lang:ara") == ids("lang:eng") == {"mixed"}
    assert ids("lang:fra") == {"fr"}


def test_scripts_are_named_by_iso_15924() -> None:
    assert letter_script("ب") == "Arab" and letter_script("a") == "Latn"
    assert letter_script("ש") == "Hebr" and letter_script("ж") == "Cyrl"
    assert letter_script("1") is None
    assert main_script("Report عن الرواتب الشهرية") == "Arab"
    assert script_letters("أبو بكر Abu Bakr") == {"Arab": "أبو بكر", "Latn": "Abu Bakr"}
    # Scripts in the order they first appear; a letter of a script not listed is left out
    # without splitting its word; anything else that is not a letter splits words.
    assert script_letters("12 abᏣcd، بكر-x\nש") == {"Latn": "abcd x", "Arab": "بكر", "Hebr": "ש"}
    assert main_script("a بتث") == "Arab" and main_script("ab بب cd") == "Latn"
    assert main_script("ab بب") == "Latn"  # equal counts: the first met


@pytest.mark.parametrize("lang", ["eng", "fra", "deu", "ara", "fas", "tur", "ita"])
def test_a_long_text_is_named_from_its_two_ends(lang: str) -> None:
    # Long enough that its first and last lines are read before the whole of it.
    assert detect_language(" ".join([TEXTS[lang][0]] * 12)) == lang


def test_a_long_text_that_changes_language_is_read_whole() -> None:
    # Its first lines are English, most of it French: the ends disagree, so the whole
    # sample decides, as it did before the ends were read first.
    english = " ".join([TEXTS["eng"][0]] * 3)
    french = " ".join([TEXTS["fra"][0]] * 12)
    assert detect_language(f"{english} {french}") == "fra"
    assert detect_language(f"{french} {english}") == "fra"


def test_each_page_of_a_paged_item_gets_its_language() -> None:
    # A report in English (its first 4,000 characters decide the item's language) with a
    # French annex, an Italian one and an Arabic letter: the pages in the item's language
    # are confirmed cheaply, the others read afresh.
    def page(lang: str, n: int) -> list[Segment]:
        return [Segment(" ".join([TEXTS[lang][0]] * 8), page=n) for _ in range(2)]

    pages = [segment for n, lang in enumerate(["eng"] * 4 + ["fra", "ita", "ara"], 1)
             for segment in page(lang, n)]  # fmt: skip
    result = ExtractResult("pdf", "application/pdf", False, "ok", segments=pages)
    enrich(result, DEFAULTS)
    assert result.lang == "eng"
    assert result.metadata["page_languages"] == {
        **dict.fromkeys("1234", "eng"), "5": "fra", "6": "ita", "7": "ara"
    }  # fmt: skip
