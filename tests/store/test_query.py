from __future__ import annotations

import re

import pytest

from docket.store.query import QueryError, Terms, parse
from docket.views.snippets import snippet


def _shape(q: str) -> str:
    def show(n) -> str:  # type: ignore[no-untyped-def]
        if n.kind in ("and", "or"):
            return f"{n.kind}(" + " ".join(show(c) for c in n.children) + ")"
        if n.kind == "not":
            return "-" + show(n.children[0])
        if n.kind == "filter":
            return f"{n.field}:{n.value}{'*' if n.prefix else ''}"
        return (f'"{n.value}"' if n.kind == "phrase" else n.value) + ("*" if n.prefix else "")

    return show(parse(q))


def test_parse_shapes() -> None:
    assert _shape('"transfer request" OR payroll') == 'or("transfer request" payroll)'
    assert _shape("a b -c") == "and(a b -c)"
    assert _shape("pay* type:pdf lang:ara") == "and(pay* type:pdf lang:ara)"
    assert _shape("(a OR b) c") == "and(or(a b) c)"
    assert _shape("http://example.org") == "http://example.org"  # not a known field
    assert _shape('person:"abu ammar"') == "person:abu ammar"


@pytest.mark.parametrize("bad", ["", "a )", "(a b"])
def test_bad_queries_raise(bad: str) -> None:
    with pytest.raises(QueryError):
        parse(bad)


def test_snippet_highlights_and_escapes() -> None:
    text = "<script>x</script> The transfer request was signed by أبو عمّار in Raqqa."
    s = snippet(text, Terms(words={"transfer", "عمار"}))
    assert "<b>transfer</b>" in s and "<b>عمّار</b>" in s
    assert "<script>" not in s and "&lt;script&gt;" in s


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("transfers and a transfer", ["transfer"]),  # not the start of a longer word
        ("retransfer, Transfer!", ["Transfer"]),  # nor its end; case folds
        ("تحويـــل مبلغ التحويل", ["تحويـــل"]),  # tatweel inside; the article is a new word
        ("تحويلٌ ثم تحويل", ["تحويلٌ", "تحويل"]),  # a trailing diacritic belongs to the word
        ("a \u064btransfer b", ["transfer"]),  # a stray mark after a space starts nothing
        ("x\u064btransfer", []),  # a mark between letters joins them into one word
        ("transfer_log transfer2 transfer", ["transfer", "transfer"]),  # _ splits, as indexed
    ],
)
def test_snippet_marks_whole_words_only(text: str, marked: list[str]) -> None:
    s = snippet(text, Terms(words={"transfer", "تحويل"}))
    assert re.findall("<b>(.*?)</b>", s) == marked, s
