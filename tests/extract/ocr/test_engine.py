"""Tesseract in-process through its C API (tesserocr), with the executable as a recorded
fallback: which engine ran is in every OCR'd item's metadata (``ocr.ocr_engine``), one
model is loaded per worker process and language set, and generated Arabic scans read
back with a bounded character error rate either way."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rigour.text.distance import raw_levenshtein

from docket.extract.ocr import capi, tesseract
from docket.text.normalize import normalize
from tests.conftest import text_of
from tests.extract.ocr.test_ocr import run
from tests.fixtures import scans

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")

ARABIC = [
    "اجتمعت اللجنة يوم الاثنين لمراجعة التحويلات",
    "وقرر المجلس صرف الرواتب في بداية الشهر القادم",
    "من: أبو عمار النعيمي إلى مكتب الشؤون المالية",
]


def cer(text: str, truth: list[str]) -> float:
    """Character error rate, both sides through the search normaliser, lines joined."""
    got, want = " ".join(normalize(text).split()), " ".join(normalize(" ".join(truth)).split())
    return raw_levenshtein(got, want) / len(want)


@pytest.fixture
def executable_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DOCKET_OCR_ENGINE", "cli")
    tesseract.engine.cache_clear()
    yield
    monkeypatch.delenv("DOCKET_OCR_ENGINE")
    tesseract.engine.cache_clear()


def test_arabic_page_is_read_in_process(tmp_path: Path) -> None:
    # on this page Tesseract's layout analysis returns only the last line: the two it
    # drops are found as ink no line covers and read (segment.py)
    result = run(tmp_path, scans.encode(scans.page(ARABIC)), "minutes.png")
    assert result.status == "ok", result.message
    meta = result.metadata["ocr"]
    assert meta["ocr_engine"] == "tesserocr" and "engine_note" not in meta
    assert "tesserocr" in meta["engine"]
    assert cer(text_of(result), ARABIC) <= 0.05


def test_arabic_line_image_is_read_in_process(tmp_path: Path) -> None:
    line = scans.page(ARABIC[:1], size=28, width=900)
    result = run(tmp_path, scans.encode(line), "line.png")
    assert result.metadata["ocr"]["ocr_engine"] == "tesserocr"
    assert cer(text_of(result), ARABIC[:1]) <= 0.05


def test_one_model_is_loaded_per_process_and_language_set(tmp_path: Path) -> None:
    pages = [scans.page(ARABIC), scans.page(ARABIC[::-1]), scans.page(ARABIC[1:])]
    run(tmp_path, scans.tiff_pages(pages), "batch.tif")
    mine = {langs: api for (pid, langs), api in capi._APIS.items() if pid == os.getpid()}
    assert "ara" in mine
    before = dict(mine)
    run(tmp_path, scans.encode(scans.page(ARABIC[:2])), "more.png")
    after = {langs: api for (pid, langs), api in capi._APIS.items() if pid == os.getpid()}
    # the second item loaded no model again: the same API objects serve it
    assert all(after[langs] is api for langs, api in before.items())


@pytest.mark.usefixtures("executable_only")
def test_the_executable_reads_when_asked_and_says_so(tmp_path: Path) -> None:
    result = run(tmp_path, scans.encode(scans.page(ARABIC)), "minutes.png")
    assert result.status == "ok", result.message
    meta = result.metadata["ocr"]
    assert meta["ocr_engine"] == "cli" and meta["engine_note"] == "DOCKET_OCR_ENGINE=cli"
    assert cer(text_of(result), ARABIC) <= 0.05


def test_without_tesserocr_the_executable_is_used_and_the_reason_kept() -> None:
    # a Python where tesserocr cannot be imported (as on a platform with no wheel)
    code = (
        "import sys; sys.modules['tesserocr'] = None\n"
        "from docket.extract.ocr import tesseract\n"
        "e = tesseract.engine(); print(e.name); print(e.note)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    assert out[0] == "cli"
    assert out[1].startswith("tesserocr cannot be imported")


def test_doctor_names_the_engine_and_the_reason_for_the_fallback(tmp_path: Path) -> None:
    def doctor(**env: str) -> str:
        cmd = [sys.executable, "-m", "docket", "doctor", "--case", str(tmp_path / "c")]
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=120, env={**os.environ, **env}
        )
        return proc.stdout

    assert "in-process (tesserocr)" in doctor()
    fallback = doctor(DOCKET_OCR_ENGINE="cli")
    assert "OCR in-process" in fallback and "DOCKET_OCR_ENGINE=cli" in fallback


def test_a_page_past_its_timeout_is_a_recorded_warning(tmp_path: Path) -> None:
    big = scans.page(ARABIC * 12)
    result = run(tmp_path, scans.encode(big), "big.png", ocr_timeout=0.001)
    assert result.status == "partial"
    assert [code for code, _ in result.warnings] == ["timeout"]
