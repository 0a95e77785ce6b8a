"""Bad arguments exit 2 and a broken case exits 3, each with a message and no traceback
(each of these printed a traceback once)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers import docket, docket_json


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exit")
    (root / "src").mkdir()
    (root / "src" / "a.txt").write_text("payroll of the northern office\n")
    docket("ingest", root / "src", "--jobs", "1", case=root / "case")
    return root / "case"


def _fails(code: int, *args: str | Path, case: Path) -> str:
    proc = docket(*args, case=case, check=False)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("search", "payroll", "--limit", "-1"),
        ("search", "payroll", "--limit", "0"),
        ("search", "payroll", "--offset", "-5"),
    ],
)
def test_bad_search_numbers_exit_2(case: Path, args: tuple[str, ...]) -> None:
    _fails(2, *args, case=case)


def test_deeply_nested_query_exits_2(case: Path) -> None:
    stderr = _fails(2, "search", "(" * 5000 + "payroll" + ")" * 5000, case=case)
    assert "too deeply nested" in stderr
    assert "too deeply nested" in _fails(2, "search", "x " + "-" * 5000 + "payroll", case=case)
    nested = "(" * 20 + "payroll" + ")" * 20  # a real query nests a little: still fine
    assert docket_json("search", nested, case=case)["total"] == 1


def test_unusable_secret_lists_exit_2_before_the_run(case: Path, tmp_path: Path) -> None:
    """An empty or missing --passwords/--key-file is told before anything is ingested."""
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    src = case.parent / "src"
    assert "--passwords: no passwords in" in _fails(
        2, "ingest", src, "--passwords", empty, case=case
    )
    assert "--key-file: no keys in" in _fails(2, "ingest", src, "--key-file", empty, case=case)
    missing = tmp_path / "missing.txt"
    assert "--key-file: cannot read" in _fails(2, "ingest", src, "--key-file", missing, case=case)
    assert "--passwords:" in _fails(2, "ingest", src, "--passwords", missing, case=case)


def test_export_to_a_missing_folder_exits_2(case: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent" / "x"
    for kind in ("report", "ftm", "gexf", "csv"):
        assert "no such folder" in _fails(2, "export", kind, "-o", missing, case=case)
    assert "is a folder" in _fails(2, "export", "report", "-o", tmp_path, case=case)
    assert not missing.parent.exists()


def test_a_damaged_index_exits_3_and_reindex_repairs_it(case: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    docket("ingest", case.parent / "src", "--jobs", "1", case=copy)
    (copy / "index" / "meta.json").write_text("{garbage")
    assert "docket reindex" in _fails(3, "search", "payroll", case=copy)
    assert "docket reindex" in _fails(3, "ingest", case.parent / "src", case=copy)
    docket("reindex", case=copy)
    assert docket_json("search", "payroll", case=copy)["total"] == 1


def test_a_missing_catalogue_table_exits_3(tmp_path: Path, case: Path) -> None:
    copy = tmp_path / "copy"
    docket("ingest", case.parent / "src", "--jobs", "1", case=copy)
    db = sqlite3.connect(copy / "case.db")
    db.execute("DROP TABLE segments")
    db.commit()
    db.close()
    for args in (("search", "payroll"), ("list",), ("status",), ("ingest", case.parent / "src")):
        assert "segments table is missing" in _fails(3, *args, case=copy)


def _subclasses(cls: type) -> set[type]:
    return {cls} | {s for sub in cls.__subclasses__() for s in _subclasses(sub)}


def test_every_error_class_exits_with_a_code_of_the_table() -> None:
    import docket.cli.main
    import docket.pipeline.cluster  # noqa: F401
    from docket.case import CaseError
    from docket.model.errors import EXIT_CODES, BrokenCase, ClusterFailure, DiskFull, DocketError
    from docket.pipeline.cluster import ClusterError

    for cls in _subclasses(DocketError) | {DiskFull}:
        assert cls.exit_code in EXIT_CODES, (
            f"{cls.__name__} exits {cls.exit_code}: not in the table"
        )
    assert issubclass(CaseError, BrokenCase) and CaseError.exit_code == 3
    assert issubclass(ClusterError, ClusterFailure) and ClusterError.exit_code == 4
    # A full disk must stay out of an extractor's `except Exception`.
    assert not issubclass(DiskFull, Exception)


def test_an_error_message_is_shown_literally(case: Path, tmp_path: Path) -> None:
    stderr = _fails(2, "xref", tmp_path / "[bold]list.csv", case=case)
    assert f"error: no such file: {tmp_path / '[bold]list.csv'}" in stderr
    stderr = _fails(2, "ingest", tmp_path / "[bold]gone", case=case)
    assert f"no such source: {tmp_path / '[bold]gone'}" in stderr
