"""Keeping the full-text index in step with the catalogue: items are indexed after they
are committed, and an index built by another Docket version (``INDEX_VERSION``) is
rebuilt from the catalogue, which holds everything the index is made from.

Takes the two stores, not a case: ``docket.case`` decides when to rebuild (its stale-index
policy) and calls these; nothing here imports it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from docket.model.items import Status
from docket.store.catalogue import Catalogue
from docket.store.fulltext import FullText, TextFields


def facets(mentions: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Index facets from an item's mentions: dates at year, month and day precision (so
    ``date:2019`` and ``date:2019-02`` both match), and names of people, organisations and
    places."""
    out: dict[str, set[str]] = {}
    for m in mentions:
        kind, value = m["kind"], m["value"] or ""
        if kind == "date" and value[:4].isdigit():
            out.setdefault("date", set()).update(value[:n] for n in (4, 7, 10) if len(value) >= n)
        elif kind in ("person", "org", "place") and value:
            out.setdefault(kind, set()).add(value)
    return {k: sorted(v) for k, v in out.items()}


def index_items(
    cat: Catalogue,
    ft: FullText,
    ids: Iterable[str],
    fields: Mapping[str, TextFields] | None = None,
) -> None:
    """Put finished items into the index, commit it, then mark them indexed. ``fields``:
    index fields a worker made from an item's text (used when the text is the same)."""
    ids = list(ids)
    if not ids:
        return
    add_items(cat, ft, ids, fields)
    commit_items(cat, ft, ids)


def add_items(
    cat: Catalogue,
    ft: FullText,
    ids: Iterable[str],
    fields: Mapping[str, TextFields] | None = None,
) -> None:
    """Put finished items into the index writer, not committed yet: until
    ``commit_items`` they stay unindexed in the catalogue (a run killed before then
    indexes them again, ``index_pending``)."""
    fields = fields or {}
    for item_id in ids:
        item = cat.item(item_id)
        if item is not None and item["status"] != Status.PENDING:
            item["facets"] = facets(cat.mentions(item_id))
            ft.put(item, cat.text(item_id), fields.get(item_id))


def commit_items(cat: Catalogue, ft: FullText, ids: Iterable[str]) -> None:
    """Commit the index, then mark ``ids`` (put since the last commit) indexed."""
    ids = list(ids)
    if not ids:
        return
    ft.commit()
    cat.begin()
    cat.db.executemany("UPDATE items SET indexed = 1 WHERE id = ?", [(i,) for i in ids])
    cat.commit()


def index_pending(cat: Catalogue, ft: FullText) -> int:
    """Index every finished item not yet in the index (after a crash, or a rebuild)."""
    done = 0
    while True:
        rows = cat.db.execute(
            "SELECT id FROM items WHERE indexed = 0 AND status != 'pending' LIMIT 1000"
        ).fetchall()
        if not rows:
            return done
        index_items(cat, ft, [r[0] for r in rows])
        done += len(rows)
