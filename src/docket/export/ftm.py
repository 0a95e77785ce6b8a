"""FollowTheMoney entities (JSON lines) for Aleph, OpenSanctions tooling and friends.

Documents (with ``parent`` for archive members and attachments), Person, Organization
and Address (places) for resolved entities, Mention for every name found in a document,
Payment for payment rows, UnknownLink (role ``correspondence``) for letters and e-mails.
Ids are prefixed with ``docket-`` and derived from Docket's own stable ids, so a
re-export updates rather than duplicates entities in Aleph.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from followthemoney import model
from followthemoney.proxy import EntityProxy

from docket.export.graph import CaseGraph
from docket.model.ftm import FALLBACK_SCHEMA
from docket.model.ftm import KIND_SCHEMA as SCHEMA


def _doc_id(item_id: str) -> str:
    return f"docket-item-{item_id}"


def _ent_id(entity_id: str) -> str:
    return f"docket-{entity_id}"


def _make(schema: str, ident: str, **props: Any) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = ident
    for prop, values in props.items():
        for value in values if isinstance(values, list | tuple) else [values]:
            if value not in (None, ""):
                proxy.add(prop, value)
    return proxy


def entities(graph: CaseGraph) -> Iterator[EntityProxy]:
    for item in graph.items.values():
        yield _make(
            "Document",
            _doc_id(item["id"]),
            fileName=item["name"],
            contentHash=item.get("sha1"),
            mimeType=item.get("mime"),
            parent=_doc_id(item["parent_id"]) if item.get("parent_id") else None,
            title=item["name"],
        )
    for e in graph.entities.values():
        schema = SCHEMA.get(e["type"], FALLBACK_SCHEMA)
        if schema == "Address":
            spellings = [v for v in e["variants"] if v != e["name"]]
            yield _make(schema, _ent_id(e["id"]), full=e["name"], alias=spellings)
        else:
            other = graph.aliases.get(e["id"], {})
            aka = set(other.get("alias", []))
            names = [v for v in e["variants"] if v not in aka] or e["variants"] or [e["name"]]
            yield _make(schema, _ent_id(e["id"]), name=names, **other)
    for m in graph.mentions:
        if m["entity"] is None:
            continue
        kind = graph.entities.get(m["entity"], {}).get("type", "person")
        yield _make(
            "Mention",
            f"docket-mention-{m['id']}",
            document=_doc_id(m["item_id"]),
            name=m["text"],
            resolved=_ent_id(m["entity"]),
            detectedSchema=SCHEMA.get(kind, FALLBACK_SCHEMA),
        )
    for p in graph.payments:
        f = p["fields"]
        yield _make(
            "Payment",
            f"docket-payment-{p['id']}",
            beneficiary=_ent_id(p["payee_entity"]) if p["payee_entity"] else None,
            payer=_ent_id(p["payer_entity"]) if p["payer_entity"] else None,
            amount=f.get("amount"),
            currency=f.get("currency"),
            date=f.get("date"),
            description=f.get("note") or f.get("notes") or f.get("purpose"),
            proof=_doc_id(p["item_id"]),
        )
    for x in graph.letters:
        if not (x["source_entity"] and x["target_entity"]):
            continue
        yield _make(
            "UnknownLink",
            f"docket-letter-{x['id']}",
            subject=_ent_id(x["source_entity"]),
            object=_ent_id(x["target_entity"]),
            role="correspondence",
            date=x.get("date"),
            summary=(x.get("attrs") or {}).get("subject"),
            proof=_doc_id(x["item_id"]),
        )


def write_ftm(graph: CaseGraph, out: TextIO) -> int:
    """Write one entity per line; returns how many."""
    n = 0
    for proxy in entities(graph):
        out.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n
