"""The case as a graph of entities, read once for every export format: entities with
their members, mentions, payments and correspondence, each tied to the item it came
from, and co-occurrence as the desk counts it (``docket.views.network``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from docket.model.refs import MemberRef
from docket.store.catalogue import Catalogue
from docket.views.aliases import links as alias_links
from docket.views.network import cooccurrence


@dataclass(slots=True)
class CaseGraph:
    entities: dict[str, dict[str, Any]]
    owner: dict[str, str]  # member ref -> entity id
    items: dict[str, dict[str, Any]]  # every item referenced, by id
    mentions: list[dict[str, Any]] = field(default_factory=list)  # with "entity"
    payments: list[dict[str, Any]] = field(default_factory=list)  # records of kind payment
    letters: list[dict[str, Any]] = field(default_factory=list)  # correspondence relations
    # (a, b, items naming both), a < b: the one co-occurrence count, the desk's
    cooccurrence: list[tuple[str, str, int]] = field(default_factory=list)
    # entity id -> {"alias": confirmed aliases, "weakAlias": possible ones}, as written
    aliases: dict[str, dict[str, list[str]]] = field(default_factory=dict)


def read_graph(cat: Catalogue) -> CaseGraph:
    entities = {e["id"]: e for e in cat.entities()}
    owner = {ref: e for e, ref in cat.entity_members()}
    ids: dict[str, list[int]] = defaultdict(list)
    for ref in owner:
        member = MemberRef.parse(ref)
        ids[member.kind].append(member.id)
    mentions = cat.rows_by_id("mentions", ids["mention"])
    records = cat.rows_by_id("records", ids["record"])
    payment_rows = cat.db.execute("SELECT id FROM records WHERE kind = 'payment'").fetchall()
    records.update(cat.rows_by_id("records", [r[0] for r in payment_rows]))
    letter_rows = cat.db.execute("SELECT id FROM relations WHERE kind = 'correspondence'")
    relations = cat.rows_by_id("relations", [r[0] for r in letter_rows])
    graph = CaseGraph(entities, owner, {}, cooccurrence=cooccurrence(cat.db))
    for m in sorted(mentions.values(), key=lambda m: m["id"]):
        graph.mentions.append({**m, "entity": owner.get(str(MemberRef("mention", m["id"])))})
    for r in sorted(records.values(), key=lambda r: r["id"]):
        if r["kind"] == "payment":
            graph.payments.append({**r, "payee_entity": owner.get(str(MemberRef("record", r["id"]))),
                                   "payer_entity": owner.get(str(MemberRef("record", r["id"], "payer")))})  # fmt: skip
    for x in sorted(relations.values(), key=lambda x: x["id"]):
        graph.letters.append({**x, "source_entity": owner.get(str(MemberRef("relation", x["id"], "source"))),
                              "target_entity": owner.get(str(MemberRef("relation", x["id"], "target")))})  # fmt: skip
    graph.items = {item["id"]: item for item in cat.items()}  # documents and parents
    graph.aliases = aliases_by_entity(cat)
    return graph


def aliases_by_entity(cat: Catalogue) -> dict[str, dict[str, list[str]]]:
    """Each entity's other names from alias links: a confirmed link's alias spellings
    are ``alias``; a possible link's are ``weakAlias`` of the name's entity (and the
    name's of the alias's); rejected links give nothing."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"alias": [], "weakAlias": []})
    for link in alias_links(cat.db):
        if link["status"] == "rejected":
            continue
        prop = "alias" if link["status"] == "confirmed" else "weakAlias"
        sides = [(link["name_entity"], link["spellings"].get("alias") or [link["alias"]])]
        if prop == "weakAlias":
            sides.append((link["alias_entity"], link["spellings"].get("name") or [link["name"]]))
        for entity, names in sides:
            if entity:
                out[entity][prop] += [n for n in names if n not in out[entity][prop]]
    return dict(out)
