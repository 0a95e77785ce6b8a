"""What the document page shows, read a window at a time.

An item can hold thousands of pages or sheet rows; the page shows one window of its
segments (``WINDOW_SEGMENTS``, at most ``WINDOW_CHARS`` characters) with links to the
next and previous windows, and reads only that window's text and mentions. Everything
else on the page (metadata, children, duplicates) is read with one query each.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from docket.case import Case
from docket.serve import queries, render
from docket.store.query import Terms
from docket.views.rows import loads

WINDOW_SEGMENTS = 50  # segments (pages, sheet rows, parts) shown at once
WINDOW_CHARS = 50_000  # and at most this much text (one long segment is shown whole)
MAX_CHILDREN = 500  # children listed on the page; the rest are counted
MAX_PAGE_IMAGES = 50  # page images beside a window; the rest are a download away
SEP = " | "  # how the tabular extractors join a row's cells into its segment


def window(case: Case, item_id: str, first: int) -> dict[str, Any]:
    """``{"segments", "first", "next", "previous", "total"}`` from segment ``first`` on."""
    db = case.catalogue.db
    total = int(
        db.execute("SELECT count(*) FROM segments WHERE item_id = ?", (item_id,)).fetchone()[0]
    )
    first = max(0, min(first, max(0, total - 1)))
    rows: list[dict[str, Any]] = []
    chars = 0
    for r in db.execute(
        "SELECT * FROM segments WHERE item_id = ? AND seq >= ? ORDER BY seq LIMIT ?",
        (item_id, first, WINDOW_SEGMENTS),
    ):
        if rows and chars + len(r["text"]) > WINDOW_CHARS:
            break
        rows.append(dict(r))
        chars += len(r["text"])
    end = rows[-1]["seq"] + 1 if rows else first
    return {
        "segments": rows,
        "first": first,
        "next": end if end < total else None,
        "previous": max(0, first - WINDOW_SEGMENTS) if first > 0 else None,
        "total": total,
    }


def window_start(case: Case, item_id: str, target: int) -> int:
    """The first segment of the window that shows segment ``target``.

    It is the window counted from the start of the item (segment 0, 50, 100…), so links
    to nearby rows share one window and the pager reads on from it as from the first;
    it starts later, up to ``target`` itself, when the segments before ``target`` in
    that window hold more than ``WINDOW_CHARS``: ``window`` would stop short of it."""
    first = target - target % WINDOW_SEGMENTS
    start, chars = target, 0
    for seq, n in case.catalogue.db.execute(
        "SELECT seq, length(text) FROM segments WHERE item_id = ? AND seq BETWEEN ? AND ? "
        "ORDER BY seq DESC",
        (item_id, first, target),
    ):
        if seq != target and chars + n > WINDOW_CHARS:
            break
        start, chars = seq, chars + n
    return start


def window_mentions(case: Case, item_id: str, first: int, last: int) -> list[dict[str, Any]]:
    """Mentions in segments ``first``..``last``, each with its resolved entity (or None)."""
    rows = queries._rows(
        case,
        'SELECT id, segment, start, "end", kind, text, value, attrs FROM mentions '
        "WHERE item_id = ? AND segment BETWEEN ? AND ? ORDER BY segment, start",
        (item_id, first, last),
    )
    ents = queries.mention_entities(case, [m["id"] for m in rows])
    for m in rows:
        m["attrs"] = loads(m["attrs"], {})
        m["entity"] = ents.get(m["id"])
    return rows


ENTITIES_SHOWN = 500  # the entities an item's page lists (a roster may name thousands)


def item_entities(case: Case, item_id: str) -> tuple[list[dict[str, Any]], int]:
    """The resolved entities mentioned anywhere in the item, most mentioned first: the
    first ``ENTITIES_SHOWN``, and how many there are."""
    joined = (
        "FROM mentions m JOIN entity_members em ON em.member = 'mention:' || m.id "
        "JOIN entities e ON e.id = em.entity_id WHERE m.item_id = ?"
    )
    rows = queries._rows(
        case,
        f"SELECT e.id, e.type, e.name, count(*) AS n {joined} "
        "GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?",
        (item_id, ENTITIES_SHOWN),
    )
    if len(rows) < ENTITIES_SHOWN:
        return rows, len(rows)
    total = case.catalogue.db.execute(
        f"SELECT count(DISTINCT e.id) {joined}", (item_id,)
    ).fetchone()[0]
    return rows, int(total)


def children(case: Case, item_id: str) -> tuple[list[dict[str, Any]], int]:
    """The first ``MAX_CHILDREN`` children (in order) and how many there are."""
    db = case.catalogue.db
    n = int(db.execute("SELECT count(*) FROM items WHERE parent_id = ?", (item_id,)).fetchone()[0])
    rows = queries._rows(
        case,
        "SELECT id, name, type, status FROM items WHERE parent_id = ? ORDER BY seq LIMIT ?",
        (item_id, MAX_CHILDREN),
    )
    return rows, n


def page_images(
    case: Case, item_id: str, win: dict[str, Any], count: int, wanted: int | None = None
) -> list[int]:
    """The pages whose images sit beside a window: those its text comes from, so that
    page 80's image is beside page 80's text. The first window starts at page 1, the
    last runs to the end, and pages without text before the next window's first page go
    with this one; with ``wanted`` (a page a link points at) that page too. At most
    ``MAX_PAGE_IMAGES``."""
    pages = [int(s["page"]) for s in win["segments"] if s.get("page")]
    if not pages:
        lo, hi = 1, count
    else:
        lo = 1 if win["previous"] is None else min(pages)
        hi = count if win["next"] is None else max(pages)
        if win["next"] is not None:
            got = case.catalogue.db.execute(
                "SELECT page FROM segments WHERE item_id = ? AND seq = ?", (item_id, win["next"])
            ).fetchone()
            if got and got[0]:
                hi = max(hi, int(got[0]) - 1)
    if wanted is not None and 1 <= wanted <= count:
        lo, hi = min(lo, wanted), max(hi, wanted)
    hi = min(hi, count, lo + MAX_PAGE_IMAGES - 1)
    if wanted is not None and hi < wanted <= count:
        lo, hi = wanted - MAX_PAGE_IMAGES + 1, wanted
    return list(range(lo, hi + 1))


def sheet_rows(
    segments: list[dict[str, Any]], terms: Terms, by_segment: dict[int, list[dict[str, Any]]]
) -> dict[str, list[tuple[int, int, list[Markup]]]]:
    """Segments with a row number as table rows per sheet, ``(row, seq, cells)``, each
    cell escaped and marked like prose: query words highlighted, names found in the cell
    linked to their entity. A mention is placed in the cell that holds its whole span
    (cells are joined by ``SEP`` in the segment, so offsets shift by each cell's start)."""
    sheets: dict[str, list[tuple[int, int, list[Markup]]]] = {}
    for s in segments:
        if s.get("row") is None:
            continue
        cells, start = [], 0
        mentions = by_segment.get(s["seq"], [])
        for cell in s["text"].split(SEP):
            end = start + len(cell)
            inside = [
                {**m, "start": m["start"] - start, "end": m["end"] - start}
                for m in mentions
                if start <= m["start"] and m["end"] <= end
            ]
            cells.append(render.mark_segment(cell, terms, inside))
            start = end + len(SEP)
        sheets.setdefault(s.get("sheet") or "", []).append((int(s["row"]), int(s["seq"]), cells))
    return sheets
