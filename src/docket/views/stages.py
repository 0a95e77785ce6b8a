"""Each pipeline stage's progress over a case: what ``docket status`` and the desk show
while the enrich stage is still landing ("enrich: 1,234 of 2,000 items")."""

from __future__ import annotations

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
    return {
        "extract": StageProgress(done=cat.count("status != 'pending'"), total=cat.count()),
        "enrich": cast(StageProgress, cat.enrich_progress()),
    }
