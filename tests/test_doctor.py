"""``docket doctor`` run as a user runs it: each check with its fix, exit 1 on a missing
must-have; a missing OCR language or data file simulated for real (a language Tesseract
has no data for, a copy of the package without one of its files), never mocked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from docket.doctor import DATA_FILES
from tests.fixtures import scans
from tests.helpers import docket, docket_lines

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "docket"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")


def doctor(*args: str | Path, case: Path, env: dict[str, str] | None = None) -> tuple[int, Any]:
    cmd = [sys.executable, "-m", "docket", "doctor", "--json", "--case", str(case), *map(str, args)]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def by_name(report: Any) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in report["checks"]}


def test_the_data_file_list_is_every_non_python_file_of_the_package() -> None:
    shipped = {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert set(DATA_FILES) == shipped


@needs_tesseract
def test_a_ready_machine_passes_every_must_have(tmp_path: Path) -> None:
    code, report = doctor(case=tmp_path / "case")
    checks = by_name(report)
    assert code == 0 and report["ok"], [c for c in report["checks"] if not c["ok"]]
    for name in ("tesseract", "OCR language ara", "OCR language eng", "libarchive"):
        assert checks[name]["ok"] and checks[name]["must_have"]
    assert checks["package data files"]["ok"]
    assert checks["spaCy model"]["ok"] and "as recorded" in checks["spaCy model"]["detail"]
    assert checks["case folder"]["ok"]
    assert set(checks["chromium"]) == {"name", "ok", "must_have", "detail", "fix"}
    assert not checks["chromium"]["must_have"]


@needs_tesseract
def test_a_missing_ocr_language_fails_with_the_package_to_install(tmp_path: Path) -> None:
    case = tmp_path / "case"
    case.mkdir()
    (case / "settings.json").write_text(json.dumps({"ocr_lang": "ara+xyz"}))
    code, report = doctor(case=case)
    missing = by_name(report)["OCR language xyz"]
    assert code == 1 and not report["ok"]
    assert missing["must_have"] and not missing["ok"]
    assert missing["fix"] == "apt-get install tesseract-ocr-xyz"
    assert by_name(report)["OCR language ara"]["ok"]
    text = docket("doctor", case=case, check=False)
    assert text.returncode == 1
    assert "✗ OCR language xyz" in text.stdout
    assert "fix: apt-get install tesseract-ocr-xyz" in text.stdout
    assert "✓ OCR language ara" in text.stdout


@needs_tesseract
def test_ingest_skips_what_needs_the_missing_language_with_the_same_fix(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "scan.png").write_bytes(scans.encode(scans.page(["Transfer request"])))
    (src / "note.txt").write_text("Transfer request for the payroll.\n")
    case = tmp_path / "case"
    docket("ingest", src, "--ocr-lang", "eng+xyz", "--jobs", "1", case=case)
    items = {i["path"][-1].split("/")[-1]: i for i in docket_lines("list", case=case)}
    scan = items["scan.png"]
    assert (scan["status"], scan["code"]) == ("skipped", "ocr-language-missing")
    assert "apt-get install tesseract-ocr-xyz" in scan["message"]
    assert items["note.txt"]["status"] == "ok"


def test_ocr_languages_are_not_a_must_have_with_ocr_off(tmp_path: Path) -> None:
    code, report = doctor(case=tmp_path / "c", env={"DOCKET_OCR": "0", "DOCKET_OCR_LANG": "xyz"})
    checks = by_name(report)
    assert not checks["OCR language xyz"]["must_have"]
    assert "not needed" in checks["OCR language xyz"]["detail"]
    assert code == 0, [c for c in report["checks"] if not c["ok"]]


def test_a_case_folder_that_cannot_be_written_is_a_must_have(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, report = doctor(case=blocker / "case")
    folder = by_name(report)["case folder"]
    assert code == 1 and not folder["ok"] and folder["must_have"]
    assert "--case" in folder["fix"]


def test_free_disk_is_compared_with_the_source(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "big.bin").write_bytes(b"x" * 3_000_000)
    _, report = doctor(src, case=tmp_path / "case")
    disk = by_name(report)["free disk"]
    assert disk["ok"] and disk["must_have"]
    assert "needs about 6.0 MB" in disk["detail"]
    code, report = doctor(tmp_path / "nowhere", case=tmp_path / "case")
    assert code == 1 and not by_name(report)["free disk"]["ok"]


def test_a_data_file_missing_from_the_installed_package_is_named(tmp_path: Path) -> None:
    # A copy of the package without places.tsv, imported ahead of the checkout: what a
    # wheel built with incomplete package data installed (issue 13).
    junk = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(PACKAGE, tmp_path / "site" / "docket", ignore=junk)
    (tmp_path / "site" / "docket" / "enrich" / "ner" / "data" / "places.tsv").unlink()
    code, report = doctor(case=tmp_path / "case", env={"PYTHONPATH": str(tmp_path / "site")})
    data = by_name(report)["package data files"]
    assert code == 1 and not data["ok"] and data["must_have"]
    assert "enrich/ner/data/places.tsv" in data["detail"]
    assert str(tmp_path / "site") in data["detail"]
    assert "pip install --force-reinstall" in data["fix"]


def test_cluster_scheduler_and_worker_versions(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from tests.fixtures.cluster import LoopbackCluster

    with LoopbackCluster(workers=1) as c:
        code, report = doctor("--cluster", c.address, case=tmp_path / "case")
        assert code == 0, report
        assert by_name(report)["cluster workers"]["detail"].startswith("1 worker(s)")
        assert by_name(report)["cluster scheduler"]["ok"]
        c.add_worker(env={"DOCKET_TEST_FAKE_VERSION": "9.9.9"}, preload="tests.fixtures.cluster")
        c.wait_for(2)
        code, report = doctor("--cluster", c.address, case=tmp_path / "case")
    workers = by_name(report)["cluster workers"]
    assert code == 1 and not workers["ok"]
    assert "9.9.9" in workers["detail"] and "pip install docket==" in workers["fix"]


def test_an_unreachable_cluster_is_a_failed_must_have(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, report = doctor(
        "--cluster",
        f"tcp://127.0.0.1:{port}",
        case=tmp_path / "case",
        env={"DOCKET_CLUSTER_TIMEOUT": "2"},
    )
    scheduler = by_name(report)["cluster scheduler"]
    assert code == 1 and not scheduler["ok"] and "cannot reach" in scheduler["detail"]
