"""The person read model: one entity (a person, an organisation, a place) as the CLI's
``person --json``, the desk's person page and ``/api/person/ID`` all show it.

An entity can be made of tens of thousands of mentions, so everything listed from its
members is read in SQL, and with ``shown`` only the first that many of each kind (the
desk); the counts, documents, correspondents and co-occurring names always cover all.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, TypedDict

from docket.model.refs import MemberRef
from docket.views.aliases import AliasLink
from docket.views.aliases import links as alias_links
from docket.views.network import KIND as COOCCURRENCE
from docket.views.rows import items_brief, loads, rows
from docket.views.timeline import Event, person_timeline

SNIPPET = 80  # characters either side of a mention in its ``snippet`` (the CLI's)
CONTEXT = 60  # characters either side in ``before`` / ``after`` (the desk's sentence)
DOCUMENTS_SHOWN = 100  # documents listed, most citing first
NAMED_WITH = 15  # co-occurring people, organisations and places listed
MEMBER_KINDS = ("mention", "record", "relation")
_HIDDEN_FIELDS = ("name_parts", "columns", "amount_column")  # internal: the row shows them

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


class Mention(TypedDict):
    """Where the entity is named: a mention in a text, or a table record (``kind``)."""

    id: int | str  # a mention's row id; "record:N" for a record
    kind: str  # "mention" | "record"
    item: str
    name: str  # the item's name
    path: list[str]
    page: int | None
    sheet: str | None
    row: int | None
    segment: int | None
    text: str  # as written
    snippet: str  # SNIPPET characters either side, on one line
    before: str  # the words around it, CONTEXT characters either side, "…" where cut
    quote: str
    after: str


class Payment(TypedDict):
    """A payment row of a sheet (``record``) or a payment stated in a document."""

    record: int | None
    item: str
    name: str
    path: list[str]
    sheet: str | None
    row: int | None
    seg: int | None
    date: str | None
    amount: Any
    currency: str | None
    payer: str | None
    payee: str | None
    note: str | None


class Letter(TypedDict):
    """One letter or e-mail the entity sent (``to``) or received (``from``)."""

    direction: str
    entity: str | None  # the other end's entity, when resolved
    name: str  # its name, or the other end as written
    as_written: str
    date: str | None
    item: str
    path: list[str]
    subject: str | None


class Correspondent(TypedDict):
    """Letters exchanged with one correspondent, every letter counted."""

    name: str
    entity: str | None
    sent: int
    received: int


class Person(TypedDict):
    id: str
    type: str
    name: str
    variants: list[str]
    explain: Any
    n_mentions: int  # the entity's mention count, as resolution stored it
    counts: dict[str, int]  # members of each kind
    mentions: list[Mention]
    records: list[dict[str, Any]]  # id, item_id, sheet, row, kind, fields, path, name
    relations: list[dict[str, Any]]  # id, item_id, kind, source, target, date, attrs, path, name
    payments: list[Payment]
    correspondents: list[Letter]
    correspondent_totals: list[Correspondent]
    documents: list[dict[str, Any]]  # id, path, n: the items citing it most
    n_documents: int
    named_with: dict[str, list[dict[str, Any]]]  # people (id, name, type, n), places (name, n)
    timeline: list[Event]
    aliases: list[AliasLink]  # links to the entity's other names, with their evidence


class ItemPlaces:
    """The distinct places each item names, read once for the whole case (what a
    caller keeps until the case changes): then the places named with an entity cost a
    count over its items' few distinct places, not a walk over every mention of every
    item citing it (a 6,000-mention report cites nearly everyone)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        import numpy as np

        found = db.execute(
            "SELECT i.rowid, d.value FROM (SELECT DISTINCT item_id, value FROM mentions "
            "WHERE kind = 'place' AND value != '') d JOIN items i ON i.id = d.item_id"
        ).fetchall()
        number: dict[str, int] = {}
        item = np.fromiter((r[0] for r in found), np.int64, len(found))
        place = np.fromiter(
            (number.setdefault(r[1], len(number)) for r in found), np.int64, len(found)
        )
        order = np.argsort(item, kind="stable")
        self.item, self.place = item[order], place[order]
        self.names = list(number)

    def top(self, items: list[int], limit: int) -> list[dict[str, Any]]:
        """The places most named in ``items`` (rowids): ``{"name", "n"}``, ``n`` the items
        naming it, most first, ties by name."""
        import numpy as np

        wanted = np.asarray(sorted(set(items)), dtype=np.int64)
        lo = np.searchsorted(self.item, wanted, "left")
        hi = np.searchsorted(self.item, wanted, "right")
        sizes = hi - lo  # each item's entries: self.item[lo:hi]
        # Entry k of all those ranges: lo of its item, plus k less the entries before it.
        picked = np.repeat(lo - (np.cumsum(sizes) - sizes), sizes) + np.arange(int(sizes.sum()))
        counts = np.bincount(self.place[picked], minlength=len(self.names))
        ranked = sorted((-int(counts[i]), self.names[i]) for i in np.flatnonzero(counts))
        return [{"name": name, "n": -n} for n, name in ranked[:limit]]


def person(
    db: sqlite3.Connection,
    entity_id: str,
    shown: int | None = None,
    places: ItemPlaces | None = None,
) -> Person | None:
    """Everything shown about one entity; None when there is no such entity. With
    ``shown``, the first that many mentions, records and relations of it are listed;
    ``places``: the case's ``ItemPlaces`` when the caller keeps them (else counted in SQL)."""
    found = rows(db, "SELECT * FROM entities WHERE id = ?", (entity_id,))
    if not found:
        return None
    e = found[0]
    members = _members(db, entity_id, shown)
    mentions = _mentions(db, members["mention"]) + [_record_line(r) for r in members["record"]]
    letters = letters_of(db, entity_id)
    documents, n_documents = _documents(db, entity_id)
    return Person(
        id=e["id"],
        type=e["type"],
        name=e["name"],
        variants=loads(e["variants"], []),
        explain=loads(e.get("explain"), None),
        n_mentions=int(e.get("mentions") or 0),
        counts=_counts(db, entity_id),
        mentions=mentions,
        records=members["record"],
        relations=members["relation"],
        payments=_payments(members["record"], members["relation"]),
        correspondents=letters,
        correspondent_totals=totals(letters),
        documents=documents,
        n_documents=n_documents,
        named_with=_named_with(db, entity_id, places),
        timeline=person_timeline(members["record"], members["relation"], record_fields),
        aliases=alias_links(db, entity=entity_id),
    )


def record_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A record's fields as shown: what the enricher read from the row (the row itself as
    written, ``columns``, is shown in its own column)."""
    return {k: v for k, v in fields.items() if k not in _HIDDEN_FIELDS and v not in ("", None)}


def _members(
    db: sqlite3.Connection, entity_id: str, limit: int | None
) -> dict[str, list[dict[str, Any]]]:
    """The entity's mentions, records and relations, each with its item's path and name."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, table, cols in (
        ("mention", "mentions", "x.id, x.item_id, x.segment, x.start, x.\"end\", x.text, x.value, x.kind"),
        ("record", "records", "x.id, x.item_id, x.sheet, x.row, x.kind, x.fields"),
        ("relation", "relations", "x.id, x.item_id, x.kind, x.source, x.target, x.date, x.attrs"),
    ):  # fmt: skip
        # A range on the primary key (entity_id, member): "mention;" sorts after "mention:…".
        ids = sorted(
            {
                MemberRef.parse(r["member"]).id
                for r in rows(
                    db,
                    "SELECT member FROM entity_members WHERE entity_id = ? AND member > ? "
                    "AND member < ? ORDER BY member LIMIT ?",
                    (entity_id, kind + ":", kind + ";", -1 if limit is None else limit),
                )
            }
        )
        found = rows(
            db,
            f"SELECT {cols}, i.path, i.name FROM {table} x LEFT JOIN items i ON i.id = x.item_id "
            "WHERE x.id IN (SELECT value FROM json_each(?)) ORDER BY x.item_id, x.id",
            (json.dumps(ids),),
        )
        for r in found:
            r["path"] = loads(r.get("path"), [])
            r["name"] = r.get("name") or ""
            for key in ("fields", "attrs"):
                if key in r:
                    r[key] = loads(r[key], {}) or {}
        out[kind] = found
    return out


def _mentions(db: sqlite3.Connection, members: list[dict[str, Any]]) -> list[Mention]:
    """Each mention in its words, cut from its segment in SQL, so a mention in a
    thousand-page report costs what one in a note does."""
    ctx = {
        r["id"]: r
        for r in rows(
            db,
            "SELECT m.id, s.page, s.sheet, s.row, length(s.text) AS size, substr(s.text, "
            'max(0, m.start - ?1) + 1, m."end" - max(0, m.start - ?1) + ?1) AS ctx '
            "FROM mentions m JOIN segments s ON s.item_id = m.item_id AND s.seq = m.segment "
            "WHERE m.id IN (SELECT value FROM json_each(?2))",
            (SNIPPET, json.dumps([m["id"] for m in members])),
        )
    }
    out: list[Mention] = []
    for m in sorted(members, key=lambda m: (m["item_id"], m["segment"], m["start"])):
        s = ctx.get(m["id"]) or {}
        text = s.get("ctx") or ""
        start, end = m["start"], m["end"]
        lo = max(0, start - SNIPPET)  # where ``text`` starts in the segment
        near = max(0, start - CONTEXT)  # where the desk's shorter context starts
        words = text[near - lo : end + CONTEXT - lo]
        cut, stop = start - near, end - near
        out.append(
            Mention(
                id=m["id"],
                kind="mention",
                item=m["item_id"],
                name=m["name"],
                path=m["path"],
                page=s.get("page"),
                sheet=s.get("sheet"),
                row=s.get("row"),
                segment=m["segment"],
                text=m["text"],
                snippet=text.replace("\n", " "),
                before=("…" if near else "") + " ".join(words[:cut].split()) + " " if text else "",
                quote=words[cut:stop] if text else m["text"],
                after=" "
                + " ".join(words[stop:].split())
                + ("…" if end + CONTEXT < (s.get("size") or 0) else "")
                if text
                else "",
            )
        )
    return out


def _record_line(r: dict[str, Any]) -> Mention:
    """A record citing the entity, listed among its mentions as its row reads."""
    f = r["fields"]
    line = " | ".join(f"{k}: {v}" for k, v in f.items() if v not in (None, ""))
    return Mention(
        id=str(MemberRef("record", r["id"])),
        kind="record",
        item=r["item_id"],
        name=r["name"],
        path=r["path"],
        page=None,
        sheet=r["sheet"],
        row=r["row"],
        segment=None,
        text=f.get("name") or f.get("payee") or "",
        snippet=line,
        before="",
        quote="",
        after="",
    )


def _payments(records: list[dict[str, Any]], relations: list[dict[str, Any]]) -> list[Payment]:
    """Payment rows of sheets and payments stated in documents, by date."""
    out: list[Payment] = []
    for r in records:
        f = r["fields"]
        if r["kind"] == "payment":
            out.append(Payment(record=r["id"], item=r["item_id"], name=r["name"], path=r["path"],
                               sheet=r["sheet"], row=r["row"], seg=None, date=f.get("date"),
                               amount=f.get("amount"), currency=f.get("currency"),
                               payer=f.get("payer"), payee=f.get("payee"),
                               note=f.get("note") or f.get("notes")))  # fmt: skip
    for r in relations:
        a = r.get("attrs") or {}
        if r["kind"] == "payment":
            out.append(Payment(record=None, item=r["item_id"], name=r["name"], path=r["path"],
                               sheet=None, row=None, seg=a.get("segment"), date=r["date"],
                               amount=a.get("amount"), currency=a.get("currency"),
                               payer=r["source"], payee=r["target"], note=None))  # fmt: skip
    out.sort(key=lambda p: (p["date"] or "9999", p["item"]))
    return out


def letters_of(db: sqlite3.Connection, entity_id: str) -> list[Letter]:
    """Every letter or e-mail with an end resolved to the entity, by date."""
    found = rows(
        db,
        "SELECT r.id, r.item_id, r.source, r.target, r.date, r.attrs, i.path, "
        "(SELECT entity_id FROM entity_members WHERE member = 'relation:' || r.id || ':source') AS se, "
        "(SELECT entity_id FROM entity_members WHERE member = 'relation:' || r.id || ':target') AS te "
        "FROM relations r LEFT JOIN items i ON i.id = r.item_id WHERE r.kind = 'correspondence' "
        "AND r.id IN (SELECT CAST(substr(member, 10) AS INTEGER) FROM entity_members "
        "WHERE entity_id = ? AND member >= 'relation:' AND member < 'relation;')",
        (entity_id,),
    )  # fmt: skip
    others = {x for r in found for x in (r["se"], r["te"]) if x}
    names = {
        r["id"]: r["name"]
        for r in rows(
            db,
            "SELECT id, name FROM entities WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(others)),),
        )
    }
    out: list[Letter] = []
    for r in found:
        for end, other_end in (("source", "target"), ("target", "source")):
            if r["se" if end == "source" else "te"] != entity_id:
                continue
            other = r["te" if end == "source" else "se"]
            out.append(Letter(
                direction="to" if end == "source" else "from", entity=other,
                name=names.get(other or "", r[other_end]), as_written=r[other_end],
                date=r["date"], item=r["item_id"], path=loads(r["path"], []),
                subject=(loads(r["attrs"], {}) or {}).get("subject"),
            ))  # fmt: skip
    return sorted(out, key=lambda c: (c["date"] or "", c["item"]))


def totals(letters: list[Letter]) -> list[Correspondent]:
    """Who the entity wrote to and heard from, most letters first."""
    other: dict[str, Correspondent] = {}
    for x in letters:
        c = other.setdefault(
            x["entity"] or "name:" + x["as_written"],
            Correspondent(name=x["as_written"], entity=x["entity"], sent=0, received=0),
        )
        c["sent" if x["direction"] == "to" else "received"] += 1
    return sorted(other.values(), key=lambda c: (-(c["sent"] + c["received"]), c["name"]))


def _counts(db: sqlite3.Connection, entity_id: str) -> dict[str, int]:
    """How many mentions, records and relations the entity is made of."""
    out = {}
    for kind in MEMBER_KINDS:
        found = rows(
            db,
            "SELECT count(*) AS n FROM entity_members WHERE entity_id = ? AND member > ? "
            "AND member < ?",
            (entity_id, kind + ":", kind + ";"),
        )
        out[kind] = int(found[0]["n"]) if found else 0
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


def _documents(db: sqlite3.Connection, entity_id: str) -> tuple[list[dict[str, Any]], int]:
    """The items citing the entity, most citing first (``DOCUMENTS_SHOWN`` of them), and
    how many items cite it in all."""
    cited, params = _citing(entity_id)
    found = rows(
        db,
        f"SELECT item_id, count(*) AS n FROM ({cited}) GROUP BY item_id ORDER BY n DESC, item_id",
        params,
    )
    brief = items_brief(db, [r["item_id"] for r in found[:DOCUMENTS_SHOWN]])
    shown = [
        {"id": r["item_id"], "path": brief[r["item_id"]]["path"], "n": r["n"]}
        for r in found[:DOCUMENTS_SHOWN]
        if r["item_id"] in brief
    ]
    return shown, len(found)


def _named_with(
    db: sqlite3.Connection, entity_id: str, known: ItemPlaces | None = None
) -> dict[str, list[dict[str, Any]]]:
    """People and organisations named in the same items (the co-occurrence count of
    ``views.network``), and the places most named in the items citing the entity."""
    # Each end by its own index (an OR of the two would read every link).
    people = rows(
        db,
        "SELECT l.id, e.name, e.type, l.n FROM (SELECT b AS id, weight AS n FROM entity_links "
        "WHERE a = ?1 AND kind = ?3 UNION ALL SELECT a, weight FROM entity_links "
        "WHERE b = ?1 AND kind = ?3) l JOIN entities e ON e.id = l.id "
        "ORDER BY l.n DESC, e.name LIMIT ?2",
        (entity_id, NAMED_WITH, COOCCURRENCE),
    )
    cited, params = _citing(entity_id)
    if known is not None:
        items = db.execute(
            f"SELECT i.rowid FROM (SELECT DISTINCT item_id FROM ({cited})) c "
            "JOIN items i ON i.id = c.item_id",
            params,
        ).fetchall()
        return {"people": people, "places": known.top([r[0] for r in items], NAMED_WITH)}
    # From the citing items to their mentions (``+kind``: not through the index of every
    # place in the case).
    places = rows(
        db,
        f"SELECT m.value AS name, count(DISTINCT m.item_id) AS n FROM (SELECT DISTINCT item_id "
        f"FROM ({cited})) c JOIN mentions m ON m.item_id = c.item_id WHERE +m.kind = 'place' "
        "AND m.value != '' GROUP BY m.value ORDER BY n DESC, m.value LIMIT ?",
        [*params, NAMED_WITH],
    )
    return {"people": people, "places": places}
