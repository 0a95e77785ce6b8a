"""Post-correction of Tesseract's Arabic readings, and one-line images in either script."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docket.extract.ocr.correct import punctuation
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
