"""A bug in an enricher is loud in the enrich stage too: the item keeps what extraction
found, `status` lists it with the internal errors, and it stays to do, so the next
`docket enrich` (after the fix) runs it again — it is never marked done."""

from __future__ import annotations

from pathlib import Path

from docket.case import Case
from docket.model.errors import Code
from docket.model.results import ExtractResult
from docket.pipeline.enrichment import EnrichProgress, _Pass, stage_names
from tests.helpers import docket, docket_json

BUG = "KeyError: 'amount' (at tables.py:88 in enrich)"


def _extracted_case(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    source.mkdir()
    (source / "letter.txt").write_text("Please pay 1,200 USD to Ahmed Hassan on 3 March 2019.\n")
    (source / "note.txt").write_text("Meeting in Raqqa on 5 March 2019.\n")
    case = tmp_path / "case"
    docket("ingest", source, "--no-enrich", case=case)
    return case


def test_an_internal_error_in_an_enricher_is_listed_and_left_to_do(tmp_path: Path) -> None:
    case_path = _extracted_case(tmp_path)
    case = Case.open(case_path)
    try:
        names = stage_names(case)
        item_id = case.catalogue.db.execute(
            "SELECT id FROM items WHERE name = 'letter.txt'"
        ).fetchone()[0]
        versions = case.catalogue.enricher_versions(names)
        todo = {row[1]: row[2] for row in case.catalogue.enrich_todo(versions, 0, 100)}
        progress = EnrichProgress()
        stage = _Pass(case, 0, None, names, progress, None)
        # What a worker sends back when an enricher raised: the traceback's last line.
        failure = ExtractResult.failure(Code.INTERNAL, BUG)
        stage.results.append((item_id, tuple(todo[item_id]), failure))
        stage.flush()
        assert progress.internal == {"KeyError at tables.py:88 in enrich": 1}
        left = {row[1] for row in case.catalogue.enrich_todo(versions, 0, 100)}
        assert item_id in left  # not marked done: the next enrich stage runs it again
    finally:
        case.close()

    status = docket_json("status", "--json", case=case_path)
    listed = {f["id"]: f for f in status["internal"]}
    assert listed[item_id]["message"].endswith(BUG)
    assert listed[item_id]["status"] == "ok"  # extraction's result stands
    assert status["stages"]["enrich"]["done"] < status["stages"]["enrich"]["total"]

    # Once the bug is gone, `docket enrich` finishes the item and the warning goes.
    docket("enrich", case=case_path)
    status = docket_json("status", "--json", case=case_path)
    assert status["internal"] == []
    assert status["stages"]["enrich"]["done"] == status["stages"]["enrich"]["total"]
