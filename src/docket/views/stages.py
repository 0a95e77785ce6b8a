"""Each pipeline stage's progress over a case: what ``docket status`` and the desk show
while the enrich stage is still landing ("enrich: 1,234 of 2,000 items")."""

from __future__ import annotations

import json
from typing import Any, TypedDict, cast

from docket.case import Case


class StageProgress(TypedDict, total=False):
    done: int
    total: int
    by_enricher: dict[str, int]  # enrich only: items each enricher is done for


def stage_progress(case: Case) -> dict[str, Any]:
    """``{"extract": {"done", "total"}, "enrich": {"done", "total", "by_enricher"}}``:
    extraction over every item, enrichment over the items extraction finished."""
    cat = case.catalogue
    # Every item counted once, the few pending ones through the status index: each page
    # that shows progress reads it fresh (three scans of every item cost 12 ms at 100,000).
    total = cat.count()
    done = total - cat.count("status = 'pending'")
    return {
        "extract": StageProgress(done=done, total=total),
        "enrich": cast(StageProgress, cat.enrich_progress(finished=done)),
    }


def enrich_internal(case: Case) -> list[dict[str, Any]]:
    """Items an enricher failed on with an internal error (a bug in Docket): the item is
    otherwise as extraction left it and stays to do for the enrich stage."""
    sql = (
        "SELECT w.item_id, w.enricher, w.message, i.path, i.status FROM warnings w "
        "JOIN items i ON i.id = w.item_id WHERE w.code = 'internal' AND w.enricher IS NOT NULL "
        "ORDER BY i.rowid"
    )
    return [
        {
            "id": item_id,
            "path": json.loads(path),
            "status": status,
            "code": "internal",
            "message": message,
            "enricher": enricher,
        }
        for item_id, enricher, message, path, status in case.catalogue.db.execute(sql)
    ]
