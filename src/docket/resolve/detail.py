"""The listing of resolved entities (``docket entities``); one entity in full is the read
model ``docket.views.person``."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Protocol


class ReadStore(Protocol):
    def entities(self, type_: str | None = None) -> list[dict[str, Any]]: ...
    def entity_members(self, entity_id: str | None = None) -> list[tuple[str, str]]: ...
    def rows_by_id(self, table: str, ids: Any) -> dict[int, dict[str, Any]]: ...


def _split_refs(refs: list[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for ref in refs:
        kind, ident = ref.split(":")[:2]
        out[kind].append(int(ident))
    return out


def entity_items(store: ReadStore) -> dict[str, list[str]]:
    """Entity id -> ids of the items its members were found in (first-seen order)."""
    pairs = store.entity_members()
    refs = _split_refs([ref for _, ref in pairs])
    item_of: dict[str, str] = {}
    for table, key in (("mentions", "mention"), ("records", "record"), ("relations", "relation")):
        for i, row in store.rows_by_id(table, refs.get(key, [])).items():
            item_of[f"{key}:{i}"] = row["item_id"]
    out: dict[str, list[str]] = defaultdict(list)
    for entity_id, ref in pairs:
        item = item_of.get(":".join(ref.split(":")[:2]))
        if item and item not in out[entity_id]:
            out[entity_id].append(item)
    return out


def listing(store: ReadStore, type_: str | None = None) -> list[dict[str, Any]]:
    items = entity_items(store)
    return [
        {
            "id": e["id"],
            "type": e["type"],
            "name": e["name"],
            "variants": e["variants"],
            "mentions": e["mentions"],
            "items": items.get(e["id"], []),
        }
        for e in store.entities(type_)
    ]
