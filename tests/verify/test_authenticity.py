"""`docket authenticity`: planted inconsistencies raise their signal (clean controls, which
must raise none, share the near-duplicate case in test_neardup to save an ingest)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from docket.case import Case
from docket.demo.writers.documents import make_docx
from docket.model.mentions import Mention
from docket.verify.authenticity import CAVEAT, stored_signals
from tests.helpers import docket, docket_json
from tests.verify.test_authenticity_fixtures import batch_cache, planted_cache, ts

DRAFT = [
    "Order number 45 from the finance office of the northern sector to the warehouse.",
    "Pay the guards of the warehouse one thousand five hundred dollars for March.",
    "Signed by the head of the finance office.",
]


def _mixed_cache(src: Path) -> dict[str, str]:
    """One ingest for all planted cases (an ingest costs seconds): a folder per theme."""
    want = planted_cache(src / "planted")
    batch_cache(src / "batch")
    drafts = src / "drafts"
    drafts.mkdir()
    (drafts / "order-v1.docx").write_bytes(
        make_docx(DRAFT, author="Ahmed Saleh", created=ts(2014, 3, 1), modified=ts(2014, 3, 1))
    )
    changed = [DRAFT[0], DRAFT[1].replace("five hundred", "two hundred"), DRAFT[2]]
    (drafts / "order-v2.docx").write_bytes(
        make_docx(changed, author="Omar Khalil", created=ts(2014, 3, 2), modified=ts(2014, 3, 2))
    )
    dates = src / "dates"
    dates.mkdir()
    (dates / "letter.docx").write_bytes(
        make_docx(["A letter about the payroll."], created=ts(2014, 1, 1), modified=ts(2014, 1, 2))
    )
    (dates / "copy.docx").write_bytes(
        make_docx(["A letter typed again."], created=ts(2019, 1, 1), modified=ts(2019, 1, 2))
    )
    (dates / "backdated.docx").write_bytes(
        make_docx(
            ["Minutes of the meeting held on 15 March 2016 about the payroll."],
            created=ts(2014, 1, 1),
            modified=ts(2014, 1, 2),
        )
    )
    return want


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict]:
    root = tmp_path_factory.mktemp("planted")
    want = _mixed_cache(root / "src")
    docket("ingest", root / "src", "--jobs", "2", case=root / "case")
    # Date mentions put in through the catalogue, so the signal is tested whatever the
    # date enricher finds; the end-to-end test below relies on the enricher.
    c = Case.open(root / "case")
    ids = {i["path"][-1]: i["id"] for i in c.catalogue.items()}
    c.catalogue.replace_mentions(
        ids["src/dates/letter.docx"],
        [Mention("date", "15 آذار 2016", "2016-03-15", 0, 0, 5, "test")],
    )
    c.catalogue.replace_mentions(
        ids["src/dates/copy.docx"],
        [Mention("date", "١٤٣٥/٣/١٥ هـ", "2014-01-16", 0, 0, 5, "test", {"calendar": "hijri"})],
    )
    c.close()
    report = docket_json("authenticity", case=root / "case")
    return root / "case", want, report


def _name(signal: dict) -> str:
    return signal["path"][-1].rsplit("/", 1)[-1]


def _kinds(report: dict, name: str) -> set[str]:
    return {s["kind"] for s in report["signals"] if _name(s) == name}


@pytest.mark.parametrize(
    "name",
    [
        "memo.pdf", "backwards.docx", "future.docx", "old-file.docx", "word2019.pdf",
        "edited.pdf", "form.pdf", "script.pdf", "stripped.jpg", "photoshopped.jpg",
        "taken-later.jpg", "late-date.eml", "foreign-id.eml",
    ],
)  # fmt: skip
def test_each_planted_inconsistency_is_found(planted: tuple, name: str) -> None:
    _, want, report = planted
    assert want[name] in _kinds(report, name), _kinds(report, name)


def test_signals_carry_evidence_and_come_most_serious_first(planted: tuple) -> None:
    case, _, report = planted
    order = ["high", "medium", "low", "info"]
    ranks = [order.index(s["severity"]) for s in report["signals"]]
    assert ranks == sorted(ranks)
    anachronism = next(s for s in report["signals"] if s["kind"] == "producer-anachronism")
    assert anachronism["severity"] == "high"
    assert anachronism["evidence"]["released"] == "2018-09-24"
    assert "2019" in anachronism["detail"] and anachronism["evidence"]["source"]
    # Stored in the case for the web desk and the report, the same as printed.
    c = Case.open(case, readonly=True)
    stored = stored_signals(c.catalogue)
    assert [(s["id"], s["kind"]) for s in stored] == [
        (s["id"], s["kind"]) for s in report["signals"]
    ]
    assert report["caveat"] == CAVEAT


def test_signals_are_recomputed_not_accumulated(planted: tuple) -> None:
    case, _, report = planted
    again = docket_json("authenticity", case=case)
    assert len(again["signals"]) == len(report["signals"])
    c = Case.open(case, readonly=True)
    assert len(stored_signals(c.catalogue)) == len(report["signals"])


def test_human_output_has_the_caveat(planted: tuple) -> None:
    case, _, _ = planted
    text = docket("authenticity", case=case).stdout
    assert "producer-anachronism" in text and "word2019.pdf" in text
    assert "leads, not findings" in text


def test_outliers_within_the_cache(planted: tuple) -> None:
    _, _, report = planted
    flagged = {(_name(s), s["kind"]) for s in report["signals"] if "/batch/" in s["path"][-1]}
    assert flagged == {
        ("report-odd.pdf", "producer-outlier"),
        ("report-other-author.pdf", "author-outlier"),
    }


def test_author_differs_within_near_duplicates(planted: tuple) -> None:
    _, _, report = planted
    groups = [g for g in report["near_duplicates"] if any("order-v1" in p[-1] for p in g["paths"])]
    assert len(groups) == 1 and len(groups[0]["items"]) == 2
    flagged = [(_name(s), s["kind"]) for s in report["signals"] if "/drafts/" in s["path"][-1]]
    assert flagged == [("order-v2.docx", "author-outlier")]


def test_text_dates_far_from_document_dates(planted: tuple) -> None:
    _, _, report = planted
    by_name = {(_name(s), s["kind"]): s for s in report["signals"]}
    after = by_name[("letter.docx", "text-date-after-document")]
    assert after["severity"] == "medium" and "15 آذار 2016" in after["detail"]
    assert by_name[("copy.docx", "text-dates-before-document")]["severity"] == "info"


@pytest.mark.skipif(
    importlib.util.find_spec("docket.enrich.dates") is None, reason="date enricher not there yet"
)
def test_text_dates_end_to_end(planted: tuple) -> None:
    _, _, report = planted
    assert _kinds(report, "backdated.docx") == {"text-date-after-document"}


def test_library_reads_the_stored_signals_of_one_item(planted: tuple) -> None:
    case, _, report = planted
    c = Case.open(case, readonly=True)
    first = report["signals"][0]
    mine = stored_signals(c.catalogue, first["id"])
    assert mine and all(s["id"] == first["id"] for s in mine)
    assert mine[0]["evidence"] == first["evidence"]
