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
    assert query_keys("nuaimi") == ["a:nm", "as:n_m_", "aq:nuaimi"]  # the rules only


def test_a_broken_romanizer_leaves_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("no model")

    monkeypatch.setattr(arabic_name_romanizer, "transliterate", broken)
    xscript_roman.spellings.cache_clear()
    try:
        assert xscript_roman.spellings("شرودر") == ()
        assert query_keys("شرودر") == ["l:srdr", "ls:sr_dr", "lq:srudr"]
    finally:
        monkeypatch.undo()
        xscript_roman.spellings.cache_clear()


@pytest.mark.parametrize("order", [("fr", "fir"), ("fir", "fr")])
def test_the_spelling_with_the_querys_vowels_ranks_first(
    tmp_path: Path, order: tuple[str, str]
) -> None:
    # Both share Firmin's skeleton (frmn); only فيرمين writes its vowels where it has them.
    names = {"fr": "فريمان", "fir": "فيرمين"}
    ft = FullText(tmp_path / "index")
    for item_id in order:
        ft.put({"id": item_id, "path": [f"{item_id}.txt"], "type": "text"},
               f"ورد في الكشف اسم {names[item_id]} ضمن القائمة")  # fmt: skip
    ft.close()
    _, hits = ft.search(Builder(ft.schema).build(parse("Firmin")))
    assert [h.id for h in hits] == ["fir", "fr"]
