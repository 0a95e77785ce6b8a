"""End to end through the CLI: ingest scans and letters, then search Arabic names, their
Latin spellings, dates and languages; a second ingest of the same scans reuses the OCR
cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fixtures import scans
from tests.helpers import docket, docket_json, docket_lines

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")


def make_sources(root: Path) -> Path:
    root.mkdir(parents=True)
    letter = ["من: أبو عمار النعيمي", "بتاريخ 20 شباط 2019", "الموضوع: طلب تحويل الرواتب"]
    (root / "letter.png").write_bytes(scans.encode(scans.page(letter, rotate=180)))
    (root / "list.jpg").write_bytes(
        scans.encode(scans.page(["Payment list", "Ahmed Jabouri 1500 USD"]), "JPEG")
    )
    (root / "note.txt").write_text("Meeting with al-Noaimy, Nuaimi's cousin.\n")
    (root / "memo.txt").write_text("كتاب النعيمى المؤرخ ١٤٤٠/٦/١٥ هـ\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("arabic")
    src = make_sources(tmp / "scans")
    case = tmp / "case"
    docket("ingest", src, case=case)
    return case


def hits(case: Path, q: str) -> list[dict]:
    return docket_json("search", q, case=case)["hits"]


def names(hs: list[dict]) -> list[str]:
    return [base(h["path"]) for h in hs]


def base(path: list[str]) -> str:
    return path[-1].rsplit("/", 1)[-1]


def test_scans_are_read(case: Path) -> None:
    items = {base(i["path"]): i for i in docket_lines("list", case=case)}
    assert items["letter.png"]["status"] == "ok"
    assert items["list.jpg"]["status"] == "ok"


def test_arabic_name_finds_spelling_variants_first_then_latin(case: Path) -> None:
    hs = hits(case, "النعيمي")
    assert set(names(hs)[:2]) == {"letter.png", "memo.txt"}
    assert [h["match"] for h in hs[:2]] == ["exact", "exact"]
    assert names(hs)[2:] == ["note.txt"]
    assert hs[2]["match"] == "cross-script" and 'class="xscript"' in hs[2]["snippet"]


def test_latin_name_finds_arabic_script_below_exact(case: Path) -> None:
    hs = hits(case, "Nuaimi")
    assert names(hs)[0] == "note.txt" and hs[0]["match"] == "exact"
    assert set(names(hs)[1:]) == {"letter.png", "memo.txt"}
    assert all(h["match"] == "cross-script" for h in hs[1:])
    assert hs[0]["score"] > max(h["score"] for h in hs[1:])
    assert names(hits(case, "Jabouri")) == ["list.jpg"]


def test_dates_and_languages_filter(case: Path) -> None:
    # the scan's "20 شباط 2019" (OCR) and the memo's Hijri date (1440/6/15 = 2019-02-20)
    assert set(names(hits(case, "date:2019-02"))) == {"letter.png", "memo.txt"}
    assert set(names(hits(case, "date:2019-02-20"))) == {"letter.png", "memo.txt"}
    assert set(names(hits(case, "lang:ara date:2019"))) == {"letter.png", "memo.txt"}


def test_terminal_output_is_readable(case: Path) -> None:
    out = docket("search", "Nuaimi", case=case).stdout
    assert "≈" in out  # cross-script hits are marked in the terminal too


def test_second_ingest_of_the_same_scans_uses_the_cache(case: Path, tmp_path: Path) -> None:
    cache = case / "ocr-cache"
    before = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.json")}
    assert len(before) == 2
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(case.parent / "scans" / "letter.png", copy / "letter.png")
    docket("ingest", copy, case=case)
    shown = [
        docket_json("show", i["id"], case=case)
        for i in docket_lines("list", case=case)
        if "copy/" in i["path"][0] and base(i["path"]) == "letter.png"
    ]
    assert shown and shown[0]["metadata"]["ocr"]["cached"] == 1
    assert shown[0]["metadata"]["ocr"]["ran"] == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.json")} == before


def test_no_ocr_keeps_images_skipped(tmp_path: Path) -> None:
    src = tmp_path / "s"
    src.mkdir()
    (src / "a.png").write_bytes(scans.encode(scans.page(["Nuaimi"])))
    docket("ingest", src, "--no-ocr", case=tmp_path / "c")
    (item,) = docket_lines("list", case=tmp_path / "c")
    assert (item["status"], item["code"]) == ("skipped", "no-ocr")
    assert "--no-ocr" in item["message"]
