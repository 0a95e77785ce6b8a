"""The alias read model: links between a name and another name of the same person, with
their evidence, as ``docket aliases``, a person's page (``person --json``, the desk's
``/person/ID``) and search (hits found through an alias) show them. The links are made by
``docket.resolve.aliases`` and kept in ``alias_links``."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, TypedDict

from docket.text.normalize import normalize
from docket.views.rows import items_brief, loads, rows

STATUSES = ("possible", "confirmed", "rejected")


class AliasLink(TypedDict):
    id: str
    name: str  # as first written
    alias: str  # as first written
    score: float
    status: str  # possible | confirmed | rejected
    decided: str  # evidence | analyst
    decision: int | None
    note: str  # why a strong link is held possible
    name_entity: str | None
    alias_entity: str | None
    spellings: dict[str, list[str]]  # "name", "alias": every spelling the evidence used
    evidence: list[dict[str, Any]]  # kind, item, path, quote, and where in the item


def links(
    db: sqlite3.Connection,
    status: str | None = None,
    entity: str | None = None,
    ids: list[str] | None = None,
) -> list[AliasLink]:
    """Alias links, strongest first; only those of ``status``, of ``entity`` (either
    end), or with the ``ids`` given."""
    where, params = ["1"], []
    if status:
        where.append("status = ?")
        params.append(status)
    if entity:
        where.append("(name_entity = ? OR alias_entity = ?)")
        params += [entity, entity]
    if ids is not None:
        where.append("id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(ids))
    found = rows(
        db, f"SELECT * FROM alias_links WHERE {' AND '.join(where)} ORDER BY score DESC, id", params
    )
    paths = items_brief(db, sorted({e["item"] for r in found for e in loads(r["evidence"], [])}))
    out: list[AliasLink] = []
    for r in found:
        evidence = loads(r["evidence"], [])
        for e in evidence:
            e["path"] = paths.get(e["item"], {}).get("path", [])
        out.append(
            AliasLink(
                id=r["id"],
                name=r["name"],
                alias=r["alias"],
                score=r["score"],
                status=r["status"],
                decided=r["decided"],
                decision=r["decision"],
                note=r["note"] or "",
                name_entity=r["name_entity"],
                alias_entity=r["alias_entity"],
                spellings=loads(r["spellings"], {}),
                evidence=evidence,
            )
        )
    return out


def find(db: sqlite3.Connection, prefix: str) -> list[str]:
    """Ids of the links starting with ``prefix`` (at most three)."""
    found = rows(
        db,
        "SELECT id FROM alias_links WHERE id >= ? AND id < ? ORDER BY id LIMIT 3",
        (prefix, prefix + "\uffff"),
    )
    return [r["id"] for r in found]


# The items an entity's members are in: each member kind's table, and its id in the ref.
_ITEMS = " UNION ".join(
    f"SELECT x.item_id FROM entity_members em JOIN {table} x ON x.id = {key} "
    f"WHERE em.entity_id = ?1 AND em.member > '{kind}:' AND em.member < '{kind};'"
    for kind, table, key in (
        ("mention", "mentions", "CAST(substr(em.member, 9) AS INTEGER)"),
        ("record", "records", "CAST(substr(em.member, 8) AS INTEGER)"),
        ("relation", "relations",
         "CAST(substr(em.member, 10, instr(substr(em.member, 10), ':') - 1) AS INTEGER)"),
    )
)  # fmt: skip


def _key(text: str) -> str:
    return " ".join(normalize(text).split()).strip(" .,:;-\"'")


def alias_hits(db: sqlite3.Connection, q: str) -> list[dict[str, Any]]:
    """Documents of the person a confirmed alias names, for a query that is that alias
    ("أبو عبيدة الشامي", quoted or not, or as ``person:"…"``), every one, in the order
    the search lists them after its own hits: each marked ``via_alias``. The caller
    leaves out those the search found itself (``views.search``)."""
    key = _key(q.strip().removeprefix("person:"))
    if not key:
        return []
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    confirmed = rows(
        db,
        "SELECT id, name, alias, spellings, name_entity FROM alias_links "
        "WHERE status = 'confirmed' ORDER BY score DESC, id",
    )
    for link in confirmed:
        spelt = [*loads(link["spellings"], {}).get("alias", []), link["alias"]]
        if key not in {_key(s) for s in spelt} or not link["name_entity"]:
            continue
        entity = link["name_entity"]
        person = rows(db, "SELECT name FROM entities WHERE id = ?", (entity,))
        found = rows(
            db,
            f"SELECT id, path, type, status FROM items WHERE id IN ({_ITEMS}) ORDER BY path",
            (entity,),
        )
        for item in found:
            if item["id"] in seen:
                continue
            seen.add(item["id"])
            out.append(
                {
                    "id": item["id"],
                    "path": loads(item["path"], []),
                    "type": item["type"],
                    "status": item["status"],
                    "score": 0.0,
                    "snippet": "",
                    "match": "alias",
                    "segment": None,
                    "via_alias": {
                        "link": link["id"],
                        "alias": link["alias"],
                        "entity": entity,
                        "name": person[0]["name"] if person else link["name"],
                    },
                }
            )
    return out
