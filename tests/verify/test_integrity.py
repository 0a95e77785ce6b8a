"""``docket verify`` catches each way a case can be changed behind its custody log, by
code, through the real CLI: a real case is ingested once (English and Arabic text, a
zip in a zip), a finding is added through the library, and each test tampers with a
copy using sqlite3 directly, the way someone with the case folder could."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docket.case import Case
from docket.views import findings as findings_view
from tests.helpers import docket, small_cache

QUOTE = "أبو عمار النعيمي"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("integrity")
    src = small_cache(root / "seized")
    (src / "letters" / "utf8.txt").write_text("تقرير الحوالة إلى مكتب الشمال\n", encoding="utf-8")
    case = root / "case"
    docket("ingest", src, "--jobs", "1", case=case)
    c = Case.open(case)
    try:
        arabic = _id(c.catalogue.db, "arabic.txt")
        findings_view.add(
            c,
            title="Who asked for the transfer",
            tags=["payroll"],
            cites=[{"item": arabic, "quote": QUOTE}],
        )
    finally:
        c.close()
    return case


@pytest.fixture
def case(base: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "case"
    shutil.copytree(base, copy)
    return copy


def _id(db: sqlite3.Connection, name: str) -> str:
    row = db.execute("SELECT id FROM items WHERE name = ?", (name,)).fetchone()
    assert row is not None, name
    return str(row[0])


@pytest.fixture
def db(case: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(case / "case.db", isolation_level=None)
    yield conn
    conn.close()


def verify(case: Path) -> tuple[int, dict[str, Any]]:
    proc = docket("verify", "--json", case=case, check=False)
    assert proc.returncode in (0, 1, 6), proc.stderr  # never a traceback
    return proc.returncode, json.loads(proc.stdout)


def codes(report: dict[str, Any], item: str | None = None) -> set[str]:
    return {p["code"] for p in report["problems"] if item is None or p["item"] == item}


def test_the_intact_case_verifies_with_its_head_and_counts(base: Path) -> None:
    rc, report = verify(base)
    assert rc == 0 and report["ok"] and report["problems"] == []
    assert report["checked"]["items"] == 9
    assert report["checked"]["texts"] >= 5
    assert report["checked"]["findings"] == 1
    assert report["head"]["seq"] == report["checked"]["custody_lines"]
    last = (base / "custody.log").read_bytes().splitlines()[-1]
    assert report["head"]["hash"] == hashlib.sha256(last).hexdigest()
    text = docket("verify", case=base).stdout
    assert report["head"]["hash"] in text and "ok" in text


def test_a_deleted_row_is_named_and_its_finding_no_longer_holds(
    case: Path, db: sqlite3.Connection
) -> None:
    arabic = _id(db, "arabic.txt")
    db.execute("DELETE FROM items WHERE id = ?", (arabic,))
    rc, report = verify(case)
    assert rc == 1
    missing = [p for p in report["problems"] if p["code"] == "row-missing"]
    assert [p["item"] for p in missing] == [arabic]
    assert missing[0]["path"] == ["seized/letters/arabic.txt"]
    assert "finding-mismatch" in codes(report, arabic)


def test_a_planted_item_with_a_blob_of_its_own_is_unlogged(
    case: Path, db: sqlite3.Connection
) -> None:
    data = "إيصال مزور بمبلغ ٥٠٠٠ دولار".encode()
    sha = hashlib.sha256(data).hexdigest()
    blob = case / "blobs" / sha[:2] / sha[2:4] / sha
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(data)
    db.execute(
        "INSERT INTO items (id, path, name, depth, sha256, md5, sha1, size, status, type) "
        "VALUES ('feedfacefeedface', '[\"seized/receipt.txt\"]', 'receipt.txt', 0, ?, ?, ?, ?, "
        "'ok', 'text')",
        (sha, hashlib.md5(data).hexdigest(), hashlib.sha1(data).hexdigest(), len(data)),
    )
    db.execute(
        "INSERT INTO segments (item_id, seq, start, text) VALUES ('feedfacefeedface', 0, 0, ?)",
        (data.decode(),),
    )
    rc, report = verify(case)
    assert rc == 1
    assert codes(report) == {"row-unlogged"}
    (problem,) = report["problems"]
    assert problem["item"] == "feedfacefeedface" and problem["path"] == ["seized/receipt.txt"]


@pytest.mark.parametrize(
    ("sql", "code"),
    [
        ("UPDATE items SET path = '[\"seized/letters/other.txt\"]' WHERE id = ?", "path-mismatch"),
        ("UPDATE items SET md5 = '00000000000000000000000000000000' WHERE id = ?", "hash-mismatch"),
        ("UPDATE items SET sha1 = '0000000000000000000000000000000000000000' WHERE id = ?",
         "hash-mismatch"),
        ("UPDATE items SET size = size + 1 WHERE id = ?", "hash-mismatch"),
        ("UPDATE items SET status = 'failed' WHERE id = ?", "status-mismatch"),
        ("UPDATE items SET parent_id = 'feedfacefeedface' WHERE id = ?", "parent-mismatch"),
        ("UPDATE items SET metadata = json_set(coalesce(metadata, '{}'), '$.author', 'X') "
         "WHERE id = ?", "metadata-mismatch"),
        ("UPDATE items SET type = 'pdf' WHERE id = ?", "metadata-mismatch"),
    ],
)  # fmt: skip
def test_an_edited_item_field_is_caught(
    case: Path, db: sqlite3.Connection, sql: str, code: str
) -> None:
    request = _id(db, "request.txt")
    db.execute(sql, (request,))
    rc, report = verify(case)
    assert rc == 1
    assert codes(report) == {code}
    assert {p["item"] for p in report["problems"]} == {request}


def test_edited_extracted_text_is_caught(case: Path, db: sqlite3.Connection) -> None:
    utf8 = _id(db, "utf8.txt")
    changed = db.execute(
        "UPDATE segments SET text = replace(text, 'الشمال', 'الجنوب') WHERE item_id = ?", (utf8,)
    ).rowcount
    assert changed == 1
    rc, report = verify(case)
    assert rc == 1
    assert codes(report) == {"text-mismatch"}
    assert [p["item"] for p in report["problems"]] == [utf8]


def test_a_removed_segment_is_caught(case: Path, db: sqlite3.Connection) -> None:
    utf8 = _id(db, "utf8.txt")
    db.execute("DELETE FROM segments WHERE item_id = ?", (utf8,))
    rc, report = verify(case)
    assert rc == 1 and codes(report) == {"text-mismatch"}


def test_a_dropped_segments_table_is_a_mismatch_verify_names(
    case: Path, db: sqlite3.Connection
) -> None:
    """A catalogue without a core table is refused by every other command (exit 3);
    verify opens it anyway and names the table: a problem (exit 1), never a pass, never
    a traceback, and the rest of the case still checked."""
    db.execute("DROP TABLE segments")
    rc, report = verify(case)
    assert rc == 1
    missing = [p for p in report["problems"] if p["code"] == "table-missing"]
    assert [p["detail"] for p in missing] == ["the catalogue has no segments table (dropped?)"]
    assert report["checked"]["items"] > 0 and report["checked"]["blobs"] > 0
    proc = docket("verify", case=case, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "table-missing" in proc.stdout
    assert _fails_3("status", case) and _fails_3("search", case, "payroll")


def _fails_3(command: str, case: Path, *args: str) -> bool:
    proc = docket(command, *args, case=case, check=False)
    return proc.returncode == 3 and "segments table is missing" in proc.stderr


def test_a_dropped_findings_table_is_named(case: Path, db: sqlite3.Connection) -> None:
    db.execute("DROP TABLE findings")
    rc, report = verify(case)
    assert rc == 1
    assert codes(report) == {"table-missing"}
    assert "findings" in report["problems"][0]["detail"]


def test_an_edited_finding_quote_is_caught(case: Path, db: sqlite3.Connection) -> None:
    (cites,) = db.execute("SELECT cites FROM findings").fetchone()
    cited = json.loads(cites)
    cited[0]["quote"] = "أبو عمار الجبوري"
    db.execute("UPDATE findings SET cites = ?", (json.dumps(cited, ensure_ascii=False),))
    rc, report = verify(case)
    assert rc == 1
    assert codes(report) == {"finding-mismatch"}
    assert report["problems"][0]["item"] == cited[0]["item"]


def test_an_edited_mention_is_caught(case: Path, db: sqlite3.Connection) -> None:
    item, mention = db.execute(
        "SELECT item_id, id FROM mentions WHERE kind = 'person' ORDER BY id LIMIT 1"
    ).fetchone()
    db.execute("UPDATE mentions SET text = 'أبو عمار الجبوري' WHERE id = ?", (mention,))
    rc, report = verify(case)
    assert rc == 1
    assert codes(report) == {"derived-mismatch"}
    assert [p["item"] for p in report["problems"]] == [item]


def test_text_output_names_each_problem_with_its_code(case: Path, db: sqlite3.Connection) -> None:
    request = _id(db, "request.txt")
    db.execute("UPDATE items SET md5 = 'x' WHERE id = ?", (request,))
    proc = docket("verify", case=case, check=False)
    assert proc.returncode == 1
    assert "hash-mismatch" in proc.stdout and request in proc.stdout
    assert "request.txt" in proc.stdout
