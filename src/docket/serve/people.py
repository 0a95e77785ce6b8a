"""The person page's summaries, counted in SQL: an entity can be made of tens of thousands
of mentions, and the page lists only the first of them (``MEMBERS_SHOWN``)."""

from __future__ import annotations

import json
from typing import Any

from docket.case import Case
from docket.serve import anchors, links, queries

MEMBERS_SHOWN = 100  # mentions, records and relations listed, of each kind
DOCUMENTS_SHOWN = 100  # documents listed, most citing first

# Each member kind's table and how its id is cut out of ``entity_members.member``.
_MEMBER_TABLES = (
    ("mention", "mentions", "CAST(substr(em.member, 9) AS INTEGER)"),
    ("record", "records", "CAST(substr(em.member, 8) AS INTEGER)"),
    (
        "relation",
        "relations",
        "CAST(substr(em.member, 10, instr(substr(em.member, 10), ':') - 1) AS INTEGER)",
    ),
)


def counts(case: Case, entity_id: str) -> dict[str, int]:
    """How many mentions, records and relations the entity is made of."""
    out = {}
    for kind, _, _ in _MEMBER_TABLES:
        rows = queries._rows(
            case,
            "SELECT count(*) AS n FROM entity_members WHERE entity_id = ? AND member > ? "
            "AND member < ?",
            (entity_id, kind + ":", kind + ";"),
        )
        out[kind] = int(rows[0]["n"]) if rows else 0
    return out


def _citing(entity_id: str) -> tuple[str, list[Any]]:
    """SQL for the item of each of the entity's members (an item once per member)."""
    parts = [
        f"SELECT x.item_id FROM entity_members em JOIN {table} x ON x.id = {key} "
        "WHERE em.entity_id = ? AND em.member > ? AND em.member < ?"
        for _, table, key in _MEMBER_TABLES
    ]
    params: list[Any] = []
    for kind, _, _ in _MEMBER_TABLES:
        params += [entity_id, kind + ":", kind + ";"]
    return " UNION ALL ".join(parts), params


def documents(case: Case, entity_id: str) -> tuple[list[dict[str, Any]], int]:
    """The items citing the entity, most citing first (``DOCUMENTS_SHOWN`` of them), and
    how many items cite it in all."""
    cited, params = _citing(entity_id)
    rows = queries._rows(
        case,
        f"SELECT item_id, count(*) AS n FROM ({cited}) GROUP BY item_id ORDER BY n DESC, item_id",
        params,
    )
    brief = queries.items_brief(case, [r["item_id"] for r in rows[:DOCUMENTS_SHOWN]])
    shown = [
        {"id": r["item_id"], "path": brief[r["item_id"]]["path"], "n": r["n"]}
        for r in rows[:DOCUMENTS_SHOWN]
        if r["item_id"] in brief
    ]
    return shown, len(rows)


# -- what the person page shows beyond its members -------------------------------------
CONTEXT = 60  # characters of the segment shown either side of a mention
NAMED_WITH = 15  # co-occurring people, organisations and places listed
_HIDDEN_FIELDS = ("name_parts", "columns", "amount_column")  # internal: the row shows them


def in_context(case: Case, mentions: list[dict[str, Any]]) -> None:
    """Give each mention its words around it (``before``, ``after``), cut from its segment
    in SQL, so a mention in a thousand-page report costs what one in a note does."""
    rows = queries._rows(
        case,
        'SELECT m.id, m.start, m."end", max(0, m.start - ?1) AS lo, length(s.text) AS size, '
        'substr(s.text, max(0, m.start - ?1) + 1, m."end" - max(0, m.start - ?1) + ?1) AS ctx '
        "FROM mentions m JOIN segments s ON s.item_id = m.item_id AND s.seq = m.segment "
        "WHERE m.id IN (SELECT value FROM json_each(?2))",
        (CONTEXT, json.dumps([m["id"] for m in mentions])),
    )
    found = {r["id"]: r for r in rows}
    for m in mentions:
        r = found.get(m["id"])
        if r is None or r["ctx"] is None:
            m["before"] = m["after"] = ""
            continue
        cut, end = r["start"] - r["lo"], r["end"] - r["lo"]
        m["before"] = ("…" if r["lo"] else "") + " ".join(r["ctx"][:cut].split()) + " "
        m["quote"] = r["ctx"][cut:end]
        m["after"] = (
            " " + " ".join(r["ctx"][end:].split()) + ("…" if r["end"] + CONTEXT < r["size"] else "")
        )


def record_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A record's fields as the page shows them: what the enricher read from the row, and
    the row itself as written (``columns``) kept for its own column."""
    return {k: v for k, v in fields.items() if k not in _HIDDEN_FIELDS and v not in ("", None)}


def payments(members: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Payment rows of sheets and payments stated in documents, by date: ``date``,
    ``amount``, ``currency``, ``payer``, ``payee``, and where each was read."""
    out = []
    for r in members.get("record", []):
        f = r["fields"]
        if r["kind"] == "payment":
            out.append({"date": f.get("date") or "", "amount": f.get("amount") or "",
                        "currency": f.get("currency") or "", "payer": f.get("payer") or "",
                        "payee": f.get("payee") or "", "item_id": r["item_id"], "name": r["name"],
                        "at": anchors.anchor(sheet=r["sheet"], row=r["row"])})  # fmt: skip
    for r in members.get("relation", []):
        a = r.get("attrs") or {}
        if r["kind"] == "payment":
            out.append({"date": r["date"] or "", "amount": a.get("amount") or "",
                        "currency": a.get("currency") or "", "payer": r["source"],
                        "payee": r["target"], "item_id": r["item_id"], "name": r["name"],
                        "at": anchors.anchor(seg=a.get("segment"))})  # fmt: skip
    out.sort(key=lambda p: (p["date"] or "9999", p["item_id"]))
    return out


def timeline(members: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The entity's dated records and relations in order: payments, letters, roster
    entries (``date``, ``kind``, ``text``, where it was read)."""
    out = []
    # A payroll row is a person record and a payment record: it is one event, the payment.
    paid = {(r["item_id"], r["sheet"], r["row"]) for r in members.get("record", []) if r["kind"] == "payment"}  # fmt: skip
    for r in members.get("record", []):
        date = r["fields"].get("date")
        if r["kind"] != "payment" and (r["item_id"], r["sheet"], r["row"]) in paid:
            continue
        if date:
            what = " ".join(str(v) for k, v in record_fields(r["fields"]).items() if k != "date")
            out.append({"date": date, "kind": r["kind"], "text": what, "item_id": r["item_id"],
                        "name": r["name"], "at": anchors.anchor(sheet=r["sheet"], row=r["row"])})  # fmt: skip
    for r in members.get("relation", []):
        if r["date"]:
            out.append({"date": r["date"], "kind": r["kind"], "text": f"{r['source']} → {r['target']}",
                        "item_id": r["item_id"], "name": r["name"],
                        "at": anchors.anchor(seg=(r.get("attrs") or {}).get("segment"))})  # fmt: skip
    out.sort(key=lambda e: (e["date"], e["item_id"]))
    return out


def correspondents(case: Case, entity_id: str) -> list[dict[str, Any]]:
    """Who the entity wrote to and heard from (``name``, ``entity`` when resolved,
    ``sent``, ``received``), every letter counted, most letters first."""
    rows = [r for r in links.relations_of(case, [entity_id]) if r["kind"] == "correspondence"]
    other: dict[str, dict[str, Any]] = {}
    for r in rows:
        sent = r["se"] == entity_id
        name, ent = (r["target"], r["te"]) if sent else (r["source"], r["se"])
        c = other.setdefault(
            ent or "name:" + name, {"name": name, "entity": ent, "sent": 0, "received": 0}
        )
        c["sent" if sent else "received"] += 1
    return sorted(other.values(), key=lambda c: (-(c["sent"] + c["received"]), c["name"]))


def named_with(case: Case, entity_id: str) -> dict[str, list[dict[str, Any]]]:
    """People and organisations named in the same items (``entity_links``: every item),
    and the places most named in the items citing the entity, by how many items."""
    # Each end by its own index (an OR of the two would read every link).
    people = queries._rows(
        case,
        "SELECT l.id, e.name, e.type, l.n FROM (SELECT b AS id, weight AS n FROM entity_links "
        "WHERE a = ?1 AND kind = 'cooccurrence' UNION ALL SELECT a, weight FROM entity_links "
        "WHERE b = ?1 AND kind = 'cooccurrence') l JOIN entities e ON e.id = l.id "
        "ORDER BY l.n DESC, e.name LIMIT ?2",
        (entity_id, NAMED_WITH),
    )
    cited, params = _citing(entity_id)
    # From the citing items to their mentions (``+kind``: not through the index of every
    # place in the case).
    places = queries._rows(
        case,
        f"SELECT m.value AS name, count(DISTINCT m.item_id) AS n FROM (SELECT DISTINCT item_id "
        f"FROM ({cited})) c JOIN mentions m ON m.item_id = c.item_id WHERE +m.kind = 'place' "
        "AND m.value != '' GROUP BY m.value ORDER BY n DESC, m.value LIMIT ?",
        [*params, NAMED_WITH],
    )
    return {"people": people, "places": places}
