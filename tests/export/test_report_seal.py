"""``docket export report`` carries the custody head it was made at and, with ``--seal``,
the seal it was checked against — so a reader can later prove the case was not rewritten."""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

import pytest

from tests.helpers import docket, small_cache


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    case = tmp_path / "case"
    docket("ingest", small_cache(tmp_path / "seized"), case=case)
    return case


def _report(case: Path, *args: str | Path) -> str:
    return docket("export", "report", *args, case=case).stdout


def test_the_report_names_the_custody_head(case: Path) -> None:
    lines = (case / "custody.log").read_text().splitlines()
    page = _report(case)
    head = hashlib.sha256(lines[-1].encode()).hexdigest()
    assert f"line {len(lines)}, SHA-256 <code>{head}</code>" in page
    assert "No seal was given" in page


def test_the_report_shows_checks_and_embeds_the_seal(case: Path, tmp_path: Path) -> None:
    seal_file = tmp_path / "seal.json"
    docket("seal", "-o", seal_file, case=case)
    sealed = json.loads(seal_file.read_text())
    page = _report(case, "--seal", seal_file)
    assert sealed["head"]["hash"] in page and sealed["key_fingerprint"] in page
    assert "the case extends the sealed chain" in page
    assert html.escape(sealed["signature"]) in page  # embedded verbatim, to re-check
    # A seal altered after signing is reported as such in the report itself.
    sealed["items"] += 5
    seal_file.write_text(json.dumps(sealed))
    page = _report(case, "--seal", seal_file)
    assert "does NOT extend" in page and "seal-signature" in page


def test_a_file_that_is_not_a_seal_is_refused(case: Path, tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[]")
    proc = docket("export", "report", "--seal", tmp_path / "x.json", case=case, check=False)
    assert proc.returncode == 2 and "docket-seal/1" in proc.stderr
