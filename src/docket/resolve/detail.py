"""Read views over resolved entities: the listing and one entity's dossier (every mention
in context, its records and payments, the people it wrote to or heard from)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Protocol

SNIPPET = 80  # characters of context either side of a mention


class ReadStore(Protocol):
    def entities(self, type_: str | None = None) -> list[dict[str, Any]]: ...
    def entity(self, entity_id: str) -> dict[str, Any] | None: ...
    def entity_members(self, entity_id: str | None = None) -> list[tuple[str, str]]: ...
    def rows_by_id(self, table: str, ids: Any) -> dict[int, dict[str, Any]]: ...
    def item(self, item_id: str) -> dict[str, Any] | None: ...
    def segments(self, item_id: str, max_chars: int | None = None) -> list[dict[str, Any]]: ...


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


def dossier(store: ReadStore, entity_id: str) -> dict[str, Any]:
    """Everything about one entity; see docs/cli.md (``docket person``)."""
    entity = store.entity(entity_id)
    if entity is None:
        raise KeyError(entity_id)
    refs = [ref for _, ref in store.entity_members(entity_id)]
    ids = _split_refs(refs)
    mentions = store.rows_by_id("mentions", ids.get("mention", []))
    records = store.rows_by_id("records", ids.get("record", []))
    relations = store.rows_by_id("relations", ids.get("relation", []))
    items: dict[str, dict[str, Any]] = {}

    def path(item_id: str) -> list[str]:
        if item_id not in items:
            items[item_id] = store.item(item_id) or {"path": []}
        return list(items[item_id].get("path") or [])

    seg_cache: dict[str, list[dict[str, Any]]] = {}
    out_mentions = []
    for m in sorted(mentions.values(), key=lambda m: (m["item_id"], m["segment"], m["start"])):
        segs = seg_cache.setdefault(m["item_id"], store.segments(m["item_id"]))
        seg = segs[m["segment"]] if m["segment"] < len(segs) else {"text": ""}
        text = seg["text"]
        left, right = max(0, m["start"] - SNIPPET), min(len(text), m["end"] + SNIPPET)
        out_mentions.append({
            "id": m["id"], "item": m["item_id"], "path": path(m["item_id"]),
            "page": seg.get("page"), "sheet": seg.get("sheet"), "row": seg.get("row"),
            "text": m["text"], "snippet": text[left:right].replace("\n", " "),
        })  # fmt: skip
    for r in sorted(records.values(), key=lambda r: (r["item_id"], r["row"] or 0)):
        f = r["fields"]
        out_mentions.append({
            "id": f"record:{r['id']}", "item": r["item_id"], "path": path(r["item_id"]),
            "page": None, "sheet": r["sheet"], "row": r["row"],
            "text": f.get("name") or f.get("payee") or "", "snippet": _fields_line(f),
        })  # fmt: skip
    payments = [
        {"record": r["id"], "item": r["item_id"], "path": path(r["item_id"]), "sheet": r["sheet"],
         "row": r["row"], **{k: r["fields"].get(k) for k in ("amount", "currency", "date")},
         "note": r["fields"].get("note") or r["fields"].get("notes")}
        for r in records.values() if r["kind"] == "payment"
    ]  # fmt: skip
    return {
        "id": entity["id"],
        "type": entity["type"],
        "name": entity["name"],
        "variants": entity["variants"],
        "mentions": out_mentions,
        "payments": payments,
        "correspondents": _correspondents(store, refs, relations, path),
        "explain": entity["explain"],
    }


def _fields_line(fields: dict[str, Any]) -> str:
    return " | ".join(f"{k}: {v}" for k, v in fields.items() if v not in (None, ""))


def _correspondents(
    store: ReadStore, refs: list[str], relations: dict[int, dict[str, Any]], path: Any
) -> list[dict[str, Any]]:
    """The other end of each letter or e-mail this entity sent or received."""
    owner = {ref: e for e, ref in store.entity_members()}
    names = {e["id"]: e["name"] for e in store.entities()}
    out = []
    for ref in refs:
        parts = ref.split(":")
        if parts[0] != "relation" or len(parts) < 3:
            continue
        x = relations.get(int(parts[1]))
        if x is None or x["kind"] != "correspondence":
            continue
        other_end = "target" if parts[2] == "source" else "source"
        other = owner.get(f"relation:{x['id']}:{other_end}")
        out.append({
            "direction": "to" if parts[2] == "source" else "from",
            "entity": other, "name": names.get(other or "", x[other_end]),
            "as_written": x[other_end], "date": x["date"], "item": x["item_id"],
            "path": path(x["item_id"]), "subject": (x.get("attrs") or {}).get("subject"),
        })  # fmt: skip
    return sorted(out, key=lambda c: (c["date"] or "", c["item"]))
