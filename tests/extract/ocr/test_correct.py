"""Post-correction of Tesseract's Arabic readings, and one-line images in either script."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docket.extract.ocr.correct import commas, correct, known, punctuation
from tests.conftest import text_of
from tests.extract.ocr.test_ocr import run
from tests.fixtures import scans


def test_a_guillemet_with_no_quotation_open_is_an_arabic_comma() -> None:
    assert punctuation("من العلم اعسر واضيق » والعلماء به اقل") == (
        "من العلم اعسر واضيق ، والعلماء به اقل"
    )
    assert punctuation("قال «لا اعلم» ثم مضى »") == "قال «لا اعلم» ثم مضى ،"
    assert punctuation("he said » then left") == "he said » then left"  # not Arabic


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("The committee met on Monday to review the transfers", ["committee", "transfers"]),
        ("اجتمعت اللجنة يوم الاثنين لمراجعة التحويلات", ["اللجنة", "التحويلات"]),
    ],
)
def test_a_one_line_image_is_read_in_its_script(
    tmp_path: Path, line: str, words: list[str]
) -> None:
    image = scans.page([line], size=30, width=1000)
    text = text_of(run(tmp_path, scans.encode(image), "line.png"))
    for word in words:
        assert word in text, text


def test_a_comma_read_as_a_final_hamza_is_given_back() -> None:
    # دجلة، read as دجلهء: the lexicon knows دجلة (folded like دجله), not دجلهء
    line = "غرقت نفسها في دجلهء فلا قوه الا بالله"
    assert commas(line) == "غرقت نفسها في دجله، فلا قوه الا بالله"
    # real final hamzas stay: after a seat, or a word the lexicon knows
    for word in ("السماء", "شيء", "جزء", "العلماء"):
        assert commas(f"ذكر {word} ثم") == f"ذكر {word} ثم"
    assert known("المصادرة") and not known("المصادرهء")


def test_correction_steps_can_be_turned_off_one_by_one() -> None:
    text = "في دجلهء ثم قال » لا"
    assert correct(text, frozenset()) == text
    assert correct(text, frozenset({"punct"})) == "في دجلهء ثم قال ، لا"
    assert correct(text, frozenset({"punct", "lexicon"})) == "في دجله، ثم قال ، لا"
