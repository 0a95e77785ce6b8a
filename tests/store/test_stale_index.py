"""The stale-index policy lives in ``Case.open``: a library caller who opens a case whose
index was built by another Docket version, or whose index folder is gone, searches a
rebuilt index, never an empty one; a damaged index is an error, not zero hits."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from docket.case import Case, CaseError
from docket.store.fulltext import INDEX_VERSION
from docket.views.search import search
from tests.helpers import docket


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stale")
    src = root / "src"
    src.mkdir()
    (src / "a.txt").write_text("Transfer to Nuaimi of 500 dollars\n")
    (src / "b.txt").write_text("Nuaimi signed the roster\n")
    docket("ingest", src, case=root / "case")
    return root / "case"


def _copy(case: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "case"
    shutil.copytree(case, copy)
    return copy


def _age_the_index(case: Path) -> None:
    with sqlite3.connect(case / "case.db") as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'index_version'")


def _meta(case: Path, key: str) -> str | None:
    with sqlite3.connect(case / "case.db") as db:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


@pytest.mark.parametrize("readonly", [False, True])
def test_a_library_caller_gets_real_hits_from_an_old_index(
    ingested: Path, tmp_path: Path, readonly: bool
) -> None:
    case = _copy(ingested, tmp_path)
    _age_the_index(case)
    heard: list[str] = []
    c = Case.open(case, readonly=readonly, notify=heard.append)
    try:
        assert search(c, "Nuaimi")["total"] == 2
        assert not c.index_stale
    finally:
        c.close()
    assert _meta(case, "index_version") == INDEX_VERSION
    assert "another Docket version" in heard[0] and heard[1] == "2 items indexed"


def test_a_deleted_index_folder_is_rebuilt_not_read_empty(ingested: Path, tmp_path: Path) -> None:
    case = _copy(ingested, tmp_path)
    shutil.rmtree(case / "index")
    c = Case.open(case, readonly=True)
    try:
        assert search(c, "roster")["total"] == 1
    finally:
        c.close()


def test_a_readonly_open_that_cannot_rebuild_says_so(ingested: Path, tmp_path: Path) -> None:
    case = _copy(ingested, tmp_path)
    _age_the_index(case)
    writer = Case.open(case, repair_index=False)
    writer.lock()  # another process writing the case
    try:
        with pytest.raises(CaseError, match="docket reindex"):
            Case.open(case, readonly=True)
    finally:
        writer.unlock()
        writer.close()


def test_a_damaged_index_is_an_error_not_zero_hits(ingested: Path, tmp_path: Path) -> None:
    case = _copy(ingested, tmp_path)
    (case / "index" / "meta.json").write_text("{garbage")
    c = Case.open(case, readonly=True)
    try:
        with pytest.raises(CaseError, match="docket reindex"):
            search(c, "Nuaimi")
    finally:
        c.close()


def test_an_interrupted_rebuild_is_redone(ingested: Path, tmp_path: Path) -> None:
    case = _copy(ingested, tmp_path)
    with sqlite3.connect(case / "case.db") as db:  # what rebuild_index leaves mid-way
        db.execute("UPDATE meta SET value = '' WHERE key = 'index_version'")
        db.execute("UPDATE items SET indexed = 0")
    shutil.rmtree(case / "index")
    c = Case.open(case)
    try:
        assert search(c, "Nuaimi")["total"] == 2
    finally:
        c.close()
