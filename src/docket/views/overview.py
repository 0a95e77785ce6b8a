"""The case at a glance: what the desk's overview page (``/``) and ``/api/overview`` show.

Every list here is a top few with the number it was taken from and the page that lists
the rest, so nothing is cut without saying so. Other stages fill their tables at their
own pace: an empty table gives an empty list, never an error."""

from __future__ import annotations

import json
from typing import Any, TypedDict

from docket.case import Case
from docket.verify.findings import FindingProblem, check_findings
from docket.views.rows import loads, rows
from docket.views.stages import stage_progress

TOP = 10  # entries of each list shown; each says how many there are in all


class Ranked(TypedDict):
    shown: list[dict[str, Any]]
    total: int


def overview(case: Case) -> dict[str, Any]:
    """``{"items", "bytes", "by_status", "by_type", "by_lang", "failures", "years",
    "entities": {kind: Ranked}, "signals": Ranked, "duplicates": Ranked, "findings",
    "progress"}``."""
    cat = case.catalogue
    db = cat.db
    summary = cat.summary()
    by_lang = dict(
        db.execute(
            "SELECT coalesce(lang, '') AS lang, count(*) FROM items WHERE status != 'pending' "
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
    )
    return {
        **summary,
        "by_lang": by_lang,
        "failures": failures(case),
        "years": years(case),
        "entities": {kind: top_entities(case, kind) for kind in ("person", "place", "org")},
        "signals": strongest_signals(case),
        "duplicates": duplicate_groups(case),
        "findings": findings_state(case),
        "progress": progress(case),
    }


def failures(case: Case) -> dict[str, Any]:
    """Not-ok items grouped by reason: ``{"total", "groups": [{"status", "code",
    "message", "n", "example"}]}``, the largest groups first (``/failures`` lists all)."""
    groups = rows(
        case.catalogue.db,
        "SELECT status, coalesce(code, '') AS code, coalesce(min(message), '') AS message, "
        "count(*) AS n, min(id) AS example FROM items WHERE status NOT IN ('ok', 'pending') "
        "GROUP BY status, code ORDER BY n DESC, status, code",
    )
    return {"total": sum(g["n"] for g in groups), "groups": groups}


def years(case: Case) -> list[tuple[str, int]]:
    """Items by the year of their dates (each item once a year), oldest first: the years
    of the dates their text names, counted by the index over every item (as the search
    page's date facet), and for items whose text names none, the document's own date."""
    import tantivy

    index = case.fulltext.index
    index.reload()
    agg = {"years": {"terms": {"field": "year", "size": 10_000}}}
    counted: dict[str, int] = {}
    for b in index.searcher().aggregate(tantivy.Query.all_query(), agg)["years"]["buckets"]:
        counted[str(b["key"])] = int(b["doc_count"])
    for year, n in case.catalogue.db.execute(
        "SELECT y, count(*) FROM (SELECT substr(coalesce(json_extract(metadata, '$.date'), "
        "json_extract(metadata, '$.created')), 1, 4) AS y FROM items "
        "WHERE metadata IS NOT NULL AND json_valid(metadata) "
        "AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.item_id = items.id "
        "AND m.kind = 'date')) AS dated WHERE y IS NOT NULL GROUP BY y"
    ):
        if len(str(year)) == 4 and str(year).isdigit():  # a year, not a stray value
            counted[year] = counted.get(year, 0) + int(n)
    return sorted(counted.items())


def top_entities(case: Case, kind: str, limit: int = TOP) -> Ranked:
    db = case.catalogue.db
    shown = rows(
        db,
        "SELECT id, name, variants, mentions FROM entities WHERE type = ? "
        "ORDER BY mentions DESC, name LIMIT ?",
        (kind, limit),
    )
    for e in shown:
        e["variants"] = loads(e["variants"], [])
    total = int(db.execute("SELECT count(*) FROM entities WHERE type = ?", (kind,)).fetchone()[0])
    return Ranked(shown=shown, total=total)


SEVERITY_ORDER = (
    "CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END"
)


def strongest_signals(case: Case, limit: int = TOP) -> Ranked:
    """The most serious authenticity signals stored by ``docket authenticity``."""
    db = case.catalogue.db
    shown = rows(
        db,
        "SELECT s.item_id, s.kind, s.severity, s.detail, i.path FROM signals s "
        f"LEFT JOIN items i ON i.id = s.item_id ORDER BY {SEVERITY_ORDER}, s.kind, s.id LIMIT ?",
        (limit,),
    )
    for s in shown:
        s["path"] = loads(s["path"], [])
    total = int(db.execute("SELECT count(*) FROM signals").fetchone()[0])
    return Ranked(shown=shown, total=total)


def duplicate_groups(case: Case, limit: int = TOP) -> Ranked:
    """Groups of items sharing bytes (empty files left out, as ``docket duplicates``
    does), the largest first: ``{"sha256", "n", "paths"}``."""
    db = case.catalogue.db
    # Hashes held more than once, from the hash index alone; only their items are then
    # read for their size (a tenth of the time of reading every item's on 100,000).
    shared = "SELECT sha256 FROM items WHERE sha256 IS NOT NULL GROUP BY sha256 HAVING count(*) > 1"
    base = f"FROM items WHERE sha256 IN ({shared}) AND size > 0 GROUP BY sha256 HAVING count(*) > 1"
    groups = db.execute(f"SELECT sha256, count(*) AS n {base} ORDER BY n DESC, sha256").fetchall()
    top = [g[0] for g in groups[:limit]]
    paths = dict(
        db.execute(
            "SELECT sha256, json_group_array(json(path)) FROM items "
            "WHERE sha256 IN (SELECT value FROM json_each(?)) AND size > 0 GROUP BY sha256",
            (json.dumps(top),),
        ).fetchall()
    )
    shown = [{"sha256": h, "n": int(n), "paths": json.loads(paths[h])} for h, n in groups[:limit]]
    return Ranked(shown=shown, total=len(groups))


def findings_state(case: Case) -> dict[str, int]:
    """Findings by whether what they cite still holds (``docket verify``'s check):
    ``{"total", "holding", "broken"}``."""
    checked: set[int] = set()
    broken: set[int] = set()
    for x in check_findings(case.catalogue.db, segments=True):
        if isinstance(x, FindingProblem):
            broken.add(x.finding)
        else:
            checked.add(x)
    return {"total": len(checked), "holding": len(checked - broken), "broken": len(broken)}


def progress(case: Case) -> dict[str, Any]:
    """Each stage's progress, and whether one is still running (not every item done)."""
    stages = stage_progress(case)
    running = [
        name
        for name, s in stages.items()
        if s.get("total") is not None and s.get("done", 0) < s.get("total", 0)
    ]
    return {"stages": stages, "running": running}
