"""The enrich stage: ``docket ingest`` extracts and indexes, then enriches in a second,
resumable pass. Whichever way enrichment gets done — right after extraction, later with
``docket enrich``, re-run with ``--only``, or resumed after kill -9 — the case ends the
same: the same mentions, records, relations, warnings, languages and entities."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from docket.demo.generator import generate
from tests.helpers import docket, docket_json


def _source(root: Path) -> Path:
    """The demo cache (Arabic and English letters, rosters, e-mail, archives) and enough
    English letters that enrichment takes long enough to be killed in the middle."""
    generate(root)
    extra = root / "more-letters"
    extra.mkdir()
    for i in range(60):
        (extra / f"letter-{i:02d}.txt").write_text(
            f"From: Ahmed Hassan al-Jubouri\nTo: Khalid Ibrahim\nDate: {i % 28 + 1} March 2019\n\n"
            f"Please transfer 1,{i:03d} USD to the Raqqa Finance Bureau for salaries. "
            "Call +963 944 123 456 or write to finance@example.org.\n"
        )
    return root


def snapshot(case: Path) -> dict[str, Any]:
    """What enrichment produced, independent of row numbers."""
    db = sqlite3.connect(case / "case.db")
    out: dict[str, Any] = {}
    out["items"] = db.execute("SELECT id, status, lang, metadata FROM items ORDER BY id").fetchall()
    # Which of two identical files is read and which copied depends on which worker
    # finishes first, in one stage or two alike: not enrichment's doing.
    out["items"] = [
        (
            i,
            s,
            lang,
            {k: v for k, v in json.loads(m or "{}").items() if k != "read_as_duplicate_of"},
        )
        for i, s, lang, m in out["items"]
    ]
    out["mentions"] = db.execute(
        'SELECT item_id, segment, start, "end", kind, text, value, method, attrs FROM mentions '
        "ORDER BY item_id, id"
    ).fetchall()
    out["records"] = db.execute(
        'SELECT item_id, sheet, "row", kind, fields, method FROM records ORDER BY item_id, id'
    ).fetchall()
    out["relations"] = db.execute(
        "SELECT item_id, kind, source, target, date, attrs, method FROM relations "
        "ORDER BY item_id, id"
    ).fetchall()
    out["warnings"] = db.execute(
        "SELECT item_id, code, message FROM warnings ORDER BY item_id, rowid"
    ).fetchall()
    out["entities"] = db.execute(
        "SELECT id, type, name, variants, mentions FROM entities ORDER BY id"
    ).fetchall()
    out["links"] = db.execute("SELECT * FROM entity_links ORDER BY a, b, kind").fetchall()
    db.close()
    return out


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _source(tmp_path_factory.mktemp("enrich") / "cache")


@pytest.fixture(scope="module")
def default_run(source: Path) -> tuple[Path, dict[str, Any]]:
    """The case as ``docket ingest`` leaves it with both stages in one command."""
    case = source.parent / "default"
    docket("ingest", source, "--jobs", "2", case=case)
    return case, snapshot(case)


def test_default_ingest_enriches_in_the_same_command(default_run: Any) -> None:
    case, expected = default_run
    assert len(expected["mentions"]) > 100
    assert {m[4] for m in expected["mentions"]} >= {"date", "person", "money", "phone"}
    assert expected["records"] and expected["relations"] and expected["entities"]
    stages = docket_json("status", case=case)["stages"]
    assert stages["extract"]["done"] == stages["extract"]["total"]
    assert stages["enrich"]["done"] == stages["enrich"]["total"] == stages["extract"]["total"]
    assert set(stages["enrich"]["by_enricher"]) >= {"dates", "ner-english", "tables"}
    assert docket_json("verify", case=case)["ok"]


def test_enrich_later_and_rerun_only_one_give_the_same_case(source: Path, default_run: Any) -> None:
    _, expected = default_run
    case = source.parent / "later"
    docket("ingest", source, "--jobs", "2", "--no-enrich", case=case)
    # Extraction committed: searchable already, nothing enriched yet.
    status = docket_json("status", case=case)
    assert status["stages"]["enrich"]["done"] == 0
    assert docket_json("search", "Raqqa", case=case)["total"] >= 60
    assert docket_json("search", "date:2019-03", case=case)["total"] == 0
    assert snapshot(case)["mentions"] == []
    assert 'id="enrich-progress"' in _search_page(case)  # the desk says it is still landing

    docket("enrich", "--jobs", "2", case=case)
    assert 'id="enrich-progress"' not in _search_page(case)
    assert snapshot(case) == expected
    assert docket_json("search", "date:2019-03", case=case)["total"] >= 60  # facets filled in
    assert docket_json("verify", case=case)["ok"]

    again = docket_json("enrich", case=case)  # nothing left: nothing redone
    assert again["processed"] == 0

    # A re-run of some enrichers replaces their output only; the case ends the same.
    rerun = docket_json("enrich", "--only", "dates", "--only", "ner-english", case=case)
    assert rerun["processed"] == rerun["total"] > 0
    assert snapshot(case) == expected
    report = docket_json("verify", case=case)
    assert report["ok"], report["problems"]


def _search_page(case: Path) -> str:
    from docket.serve.app import create_app
    from tests.serve.conftest import desk_client

    r = desk_client(create_app(case)).get("/search?q=Raqqa")
    assert r.status_code == 200
    return str(r.text)


def test_unknown_enricher_is_a_bad_argument(default_run: Any) -> None:
    case, _ = default_run
    proc = docket("enrich", "--only", "horoscope", case=case, check=False)
    assert proc.returncode == 2
    assert "horoscope" in proc.stderr


def test_kill_9_during_enrichment_then_resume(source: Path, default_run: Any) -> None:
    _, expected = default_run
    case = source.parent / "killed"
    docket("ingest", source, "--jobs", "2", "--no-enrich", case=case)
    total = docket_json("status", case=case)["stages"]["enrich"]["total"]
    env = {**os.environ, "DOCKET_COMMIT_SECONDS": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "docket", "enrich", "--jobs", "1", "--case", str(case)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    db = sqlite3.connect(f"file:{case / 'case.db'}?mode=ro", uri=True, timeout=30)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            n = db.execute("SELECT count(*) FROM enrichment WHERE enricher = 'dates'").fetchone()[0]
        except sqlite3.OperationalError:
            n = 0
        if n >= 5:
            break
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)  # coordinator, forkserver and workers at once
    proc.wait()
    db.close()
    done = docket_json("status", case=case)["stages"]["enrich"]["done"]
    assert 0 < done < total, "kill landed mid-stage"

    resumed = docket_json("enrich", "--jobs", "2", case=case)
    assert resumed["processed"] == total - done  # finished items are not redone
    assert snapshot(case) == expected
    report = docket_json("verify", case=case)
    assert report["ok"], report["problems"]
    runs = docket_json("status", case=case)["runs"]
    assert [r["status"] for r in runs] == ["completed", "interrupted", "completed"]


def test_status_counts_what_docket_enrich_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case ingested with only language tagging, then enriched with the defaults:
    status counts each default enricher against the items, not the ingest's one."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "letter.txt").write_text("From: Ahmed Hassan al-Jubouri\nTo: Khalid Ibrahim\n\n"
                                    "Paid 300 USD on 4 March 2019 in Raqqa.\n")  # fmt: skip
    (src / "رسالة.txt").write_text("من أبو بكر البغدادي إلى والي الرقة\nبتاريخ ١٢ رمضان ١٤٣٦\n")
    case = tmp_path / "case"
    monkeypatch.setenv("DOCKET_ENRICH", "language")
    docket("ingest", src, "--jobs", "1", case=case)
    assert set(docket_json("status", case=case)["stages"]["enrich"]["by_enricher"]) == {"language"}
    monkeypatch.delenv("DOCKET_ENRICH")
    docket("enrich", "--jobs", "1", case=case)
    enrich = docket_json("status", case=case)["stages"]["enrich"]
    assert {"dates", "ner-english", "ner-arabic"} <= set(enrich["by_enricher"])
    assert set(enrich["by_enricher"].values()) == {enrich["total"]} == {2}
    assert enrich["done"] == 2
