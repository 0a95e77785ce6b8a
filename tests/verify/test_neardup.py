"""Near-duplicates: drafts, re-typed and re-scanned copies found, with what changed."""

from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path

import pytest

from docket.demo.writers.documents import make_docx, make_pdf
from docket.text.normalize import tokens
from docket.verify.neardup import near_duplicates, similarity
from docket.verify.worddiff import word_diff
from tests.helpers import docket, docket_json
from tests.verify.test_authenticity_fixtures import clean_cache

LETTER_AR = (
    "من أبو عمار النعيمي إلى مسؤول المالية في قاطع الموصل. "
    "نرجو صرف مبلغ ١٥٠٠ دولار رواتب حراس المستودع عن شهر آذار "
    "بموجب الأمر الإداري رقم ٤٥ الصادر عن المكتب المالي، مع قائمة الأسماء المرفقة."
)
MEMO_EN = (
    "Memorandum to the head of logistics. The convoy of fuel trucks will leave the northern "
    "depot on Tuesday morning; drivers must collect their permits from the records office "
    "before departure and return the signed receipts within three days of delivery."
)


def _ocr_noise(text: str, rng: random.Random, rate: float = 0.05) -> str:
    """What a re-scan does: a few words misread by a letter."""
    words = text.split()
    for i, w in enumerate(words):
        if rng.random() < rate and len(w) > 2:
            j = rng.randrange(len(w))
            words[i] = w[:j] + rng.choice("aeilnorst") + w[j + 1 :]
    return " ".join(words)


def _random_text(rng: random.Random, vocab: list[str], n: int = 80) -> str:
    return " ".join(rng.choice(vocab) for _ in range(n))


def test_known_pairs_are_found_and_unrelated_texts_are_not() -> None:
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(3000)]
    texts = [_random_text(rng, vocab) for _ in range(200)]
    pairs = set()
    for k in range(0, 40, 2):  # drafts: a few words changed
        words = texts[k].split()
        for pos in rng.sample(range(len(words)), 3):
            words[pos] = "changed"
        texts.append(" ".join(words))
        pairs.add((k, len(texts) - 1))
    for k in range(40, 60, 2):  # re-scans: OCR noise
        texts.append(_ocr_noise(texts[k], rng, 0.03))
        pairs.add((k, len(texts) - 1))
    groups = near_duplicates([tokens(t) for t in texts])
    found = {tuple(g.members) for g in groups}
    assert found == pairs
    assert all(0.6 <= g.similarity <= 1.0 for g in groups)


def test_arabic_amount_change_is_shown_as_written() -> None:
    changed = LETTER_AR.replace("١٥٠٠", "١٢٠٠")
    assert similarity(tokens(LETTER_AR), tokens(changed)) > 0.85  # 2 of 32 word pairs differ
    assert word_diff(LETTER_AR, changed) == [
        {"op": "replace", "old": "١٥٠٠", "new": "١٢٠٠", "context": "نرجو صرف مبلغ"}
    ]


def test_spelling_variants_are_not_changes() -> None:
    variant = LETTER_AR.replace("أبو", "ابو").replace("١٥٠٠", "1500").replace("الإداري", "الاداري")
    assert word_diff(LETTER_AR, variant) == []


def test_short_texts_take_no_part() -> None:
    assert near_duplicates([tokens("Received, thank you."), tokens("Received, thank you.")]) == []


@pytest.fixture(scope="module")
def dup_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("neardup")
    src = root / "src"
    (src / "scans").mkdir(parents=True)
    (src / "letter-ar.docx").write_bytes(make_docx([LETTER_AR], rtl=True))
    (src / "scans" / "letter-ar-retyped.txt").write_text(
        LETTER_AR.replace("١٥٠٠", "١٢٠٠"), encoding="utf-8"
    )
    (src / "memo.pdf").write_bytes(make_pdf([textwrap.wrap(MEMO_EN, 60)]))
    (src / "scans" / "memo-ocr.txt").write_text(_ocr_noise(MEMO_EN, random.Random(3), 0.06))
    (src / "zz-copy-of-memo.pdf").write_bytes((src / "memo.pdf").read_bytes())
    (src / "unrelated.txt").write_text(
        "Inventory of the kitchen: twelve plates, four pots, a kettle, two knives, "
        "a box of spoons, sugar, rice and flour for the month of March."
    )
    clean_cache(src / "clean")  # documents whose records agree: see the test at the end
    docket("ingest", src, "--jobs", "2", case=root / "case")
    return root / "case"


def test_duplicates_command(dup_case: Path) -> None:
    found = docket_json("duplicates", case=dup_case)
    assert found["exact_duplicates"] == [[["src/memo.pdf"], ["src/zz-copy-of-memo.pdf"]]]
    groups = {tuple(p[-1] for p in g["paths"]): g for g in found["near_duplicates"]}
    assert set(groups) == {
        ("src/letter-ar.docx", "src/scans/letter-ar-retyped.txt"),
        ("src/memo.pdf", "src/scans/memo-ocr.txt"),
    }
    letter = groups[("src/letter-ar.docx", "src/scans/letter-ar-retyped.txt")]
    assert letter["similarity"] > 0.85
    assert {"op": "replace", "old": "١٥٠٠", "new": "١٢٠٠", "context": "نرجو صرف مبلغ"} in letter[
        "diff"
    ][0]["changes"]
    # The exact copy is listed once, as an exact duplicate, not again as a near one.
    assert all(
        "src/zz-copy-of-memo.pdf" not in [p[-1] for p in g["paths"]] for g in groups.values()
    )


def test_duplicates_human_output(dup_case: Path) -> None:
    text = docket("duplicates", case=dup_case).stdout
    assert "1 groups of exact duplicates" in text and "2 groups of near-duplicates" in text
    assert "١٥٠٠" in text and "١٢٠٠" in text


def test_clean_documents_raise_no_signal(dup_case: Path) -> None:
    """A letter, a PDF, an e-mail with its Received chain, a camera photo and a note whose
    records agree, beside drafts and copies: duplicates are listed, no signal is raised."""
    report = docket_json("authenticity", case=dup_case)
    assert report["items_checked"] == 11
    assert report["signals"] == [], json.dumps(report["signals"], indent=1, ensure_ascii=False)
    assert len(report["exact_duplicates"]) == 1 and len(report["near_duplicates"]) == 2
