"""Arabic people, organisations and places by the project's rules and gazetteers."""

from __future__ import annotations

from docket.enrich.ner import arabic
from docket.model.mentions import Mention


def mentions(text: str) -> list[Mention]:
    out = arabic.find(text, 0)
    for m in out:
        assert text[m.start : m.end] == m.text
    return out


def people(text: str) -> dict[str, dict[str, str]]:
    return {m.value: m.attrs for m in mentions(text) if m.kind == "person"}


def test_kunya_nisba_title_nasab() -> None:
    got = people(
        "نرجو تحويل مبلغ ١٥٠٠ دولار إلى الأخ حسن إبراهيم الجبوري عن رواتب المكتب. "
        "وقد استلم الشيخ خالد بن وليد العبيدي مبلغا. من: أبو عمّار النعيمى"
    )
    assert got == {
        "حسن إبراهيم الجبوري": {
            "title": "الأخ",
            "ism": "حسن",
            "nasab": "إبراهيم",
            "nisba": "الجبوري",
        },
        "خالد بن وليد العبيدي": {
            "title": "الشيخ",
            "ism": "خالد",
            "nasab": "وليد",
            "nisba": "العبيدي",
        },
        "أبو عمّار النعيمى": {"kunya": "أبو عمّار", "nisba": "النعيمى"},
    }


def test_title_is_kept_out_of_the_span() -> None:
    (m,) = [m for m in mentions("والي الرقة والشيخ أبو محمد العدناني") if m.kind == "person"]
    assert m.text == "أبو محمد العدناني"
    assert m.attrs["title"] == "والشيخ"
    assert m.method == "rule:title"


def test_weak_names_are_not_people() -> None:
    assert people("في الشهر الماضي تم الاستلام") == {}
    assert people("حسن") == {}  # a given name alone
    assert people("سمير عبد الله في البوكمال") == {
        "سمير عبد الله": {"ism": "سمير", "nasab": "عبد الله"}
    }


def test_places_and_orgs() -> None:
    found = [(m.kind, m.text, m.value) for m in mentions("إلى: ديوان بيت المال – مكتب الرقة")]
    assert ("org", "ديوان بيت المال", "ديوان بيت المال") in found
    assert ("org", "مكتب الرقة", "مكتب الرقة") in found
    assert ("place", "الرقة", "Raqqa") in found
    found = [(m.kind, m.text, m.value) for m in mentions("وصلنا بالموصل ثم إلى دير الزور")]
    assert found == [("place", "الموصل", "Mosul"), ("place", "دير الزور", "Deir ez-Zor")]
    places = [m for m in mentions("كتيبة في البوكمال") if m.kind == "place"]
    assert places[0].attrs == {"type": "town", "country": "SY"}
    assert [m.kind for m in mentions("أبو كمال")] == ["place"]  # not a kunya
