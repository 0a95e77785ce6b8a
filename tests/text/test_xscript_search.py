"""Cross-script keys on a real index: a name found through the other script ranks below
the name as typed and its snippet says so; romanised spellings widen Arabic queries."""

from __future__ import annotations

from pathlib import Path

import arabic_name_romanizer
import pytest

from docket.store.fulltext import FullText
from docket.store.query import Builder, parse
from docket.text import xscript_roman
from docket.text.xscript import query_keys, token_keys
from docket.views.snippets import snippet_match

DOCS = {
    "latin": "Letter from Walter Schröder about the transfer.",
    "arabic": "رسالة من فالتر شرودر بخصوص التحويل",
    "other": "رسالة من خالد العبيدي بخصوص التحويل",
}


@pytest.fixture(scope="module")
def ft(tmp_path_factory: pytest.TempPathFactory) -> FullText:
    ft = FullText(tmp_path_factory.mktemp("xscript") / "index")
    for item_id, text in DOCS.items():
        ft.put({"id": item_id, "path": [f"{item_id}.txt"], "type": "text"}, text)
    ft.close()
    return ft


def search(ft: FullText, q: str) -> list[tuple[str, float, str]]:
    builder = Builder(ft.schema)
    _, hits = ft.search(builder.build(parse(q)))
    return [(h.id, h.score, snippet_match(DOCS[h.id], builder.terms)[1]) for h in hits]


@pytest.mark.parametrize(
    ("query", "exact", "crossed"),
    [("Schröder", "latin", "arabic"), ("شرودر", "arabic", "latin"), ("فالتر", "arabic", "latin")],
)
def test_other_script_ranks_below_exact_and_is_marked(
    ft: FullText, query: str, exact: str, crossed: str
) -> None:
    hits = search(ft, query)
    assert [(h[0], h[2]) for h in hits] == [(exact, "exact"), (crossed, "cross-script")]
    assert hits[0][1] > hits[1][1]


def test_cross_script_snippet_marks_the_name(ft: FullText) -> None:
    builder = Builder(ft.schema)
    builder.build(parse("Walter"))
    text, match = snippet_match(DOCS["arabic"], builder.terms)
    assert match == "cross-script" and '<b class="xscript">فالتر</b>' in text


def test_arabic_queries_also_look_up_romanised_spellings() -> None:
    spelled = xscript_roman.spellings("النعيمي")
    assert spelled and all(w.isascii() and not w.startswith("al") for w in spelled)
    keys = query_keys("النعيمي")
    assert all(token_keys(w)[0] in keys for w in spelled)
    assert query_keys("nuaimi") == ["a:nm"]  # the rules only


def test_a_broken_romanizer_leaves_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("no model")

    # The package's own function and the one Docket builds from it (on one thread).
    monkeypatch.setattr(arabic_name_romanizer, "transliterate", broken)
    monkeypatch.setattr(xscript_roman, "_transliterate", lambda: broken)
    xscript_roman.spellings.cache_clear()
    try:
        assert xscript_roman.spellings("شرودر") == ()
        assert query_keys("شرودر") == ["l:srdr"]
    finally:
        monkeypatch.undo()
        xscript_roman.spellings.cache_clear()


def _ranked(tmp_path: Path, query: str, names: list[str]) -> list[str]:
    """The names, each in its own Arabic document, in the order a search finds them."""
    ft = FullText(tmp_path / "index")
    for i, name in enumerate(names):
        ft.put({"id": str(i), "path": [f"{i}.txt"], "type": "text"},
               f"ورد في الكشف اسم {name} ضمن القائمة")  # fmt: skip
    ft.close()
    _, hits = ft.search(Builder(ft.schema).build(parse(query)))
    return [names[int(h.id)] for h in hits]


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
@pytest.mark.parametrize(
    ("query", "right", "other"),
    [
        # Both share the query's skeleton; the first writes its vowels where it has them.
        ("Firmin", "فيرمين", "فريمان"),
        ("Deron", "ديرون", "دارون"),
        ("Hesham", "هشام", "هاشم"),  # e for a short vowel Arabic leaves out
        ("Hashem", "هاشم", "هشام"),
        ("Mimi", "ميمي", "مايومي"),  # the same run of vowels, no more
        ("Salma", "سلمى", "سلمي"),  # a final ى says a
        ("Salmi", "سلمي", "سلمى"),
        ("Emile", "اميل", "إيميلو"),  # a final e often not said
        ("Ahmed", "أحمد", "الحميد"),  # an initial vowel is always written
        # Both share the query's consonant classes; the first has its letters.
        ("Saba", "سابا", "زابا"),
        ("Shakir", "شاكر", "ساكر"),
        ("Thamer", "ثامر", "تامر"),
        ("Khalidi", "خالدي", "حالدي"),
        ("Nuwas", "نواس", "نواض"),  # ض read as z: another reading, below the letter's own
    ],
)
def test_the_spelling_closest_to_the_query_ranks_first(
    tmp_path: Path, query: str, right: str, other: str, order: tuple[int, int]
) -> None:
    names = [[right, other][i] for i in order]
    assert _ranked(tmp_path, query, names) == [right, other]


def test_a_name_written_with_the_article_is_found_without_it(tmp_path: Path) -> None:
    assert _ranked(tmp_path, "Shehhi", ["ضاحي", "الشحي"])[0] == "الشحي"


def test_scores_do_not_depend_on_how_long_a_document_is(tmp_path: Path) -> None:
    # The same name in a long document and in a short one: an equal cross-script score.
    ft = FullText(tmp_path / "index")
    filler = " ".join(f"كلمة{i}" for i in range(300))
    ft.put({"id": "long", "path": ["long.txt"], "type": "text"}, f"{filler} فيرمين")
    ft.put({"id": "short", "path": ["short.txt"], "type": "text"}, "فيرمين")
    ft.close()
    _, hits = ft.search(Builder(ft.schema).build(parse("Firmin")))
    assert len(hits) == 2 and hits[0].score == pytest.approx(hits[1].score)
