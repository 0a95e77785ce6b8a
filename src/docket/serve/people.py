"""The person page's summaries, counted in SQL: an entity can be made of tens of thousands
of mentions, and the page lists only the first of them (``MEMBERS_SHOWN``)."""

from __future__ import annotations

from typing import Any

from docket.case import Case
from docket.serve import queries

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


def documents(case: Case, entity_id: str) -> tuple[list[dict[str, Any]], int]:
    """The items citing the entity, most citing first (``DOCUMENTS_SHOWN`` of them), and
    how many items cite it in all."""
    parts = [
        f"SELECT x.item_id FROM entity_members em JOIN {table} x ON x.id = {key} "
        "WHERE em.entity_id = ? AND em.member > ? AND em.member < ?"
        for _, table, key in _MEMBER_TABLES
    ]
    params: list[Any] = []
    for kind, _, _ in _MEMBER_TABLES:
        params += [entity_id, kind + ":", kind + ";"]
    rows = queries._rows(
        case,
        f"SELECT item_id, count(*) AS n FROM ({' UNION ALL '.join(parts)}) "
        "GROUP BY item_id ORDER BY n DESC, item_id",
        params,
    )
    brief = queries.items_brief(case, [r["item_id"] for r in rows[:DOCUMENTS_SHOWN]])
    shown = [
        {"id": r["item_id"], "path": brief[r["item_id"]]["path"], "n": r["n"]}
        for r in rows[:DOCUMENTS_SHOWN]
        if r["item_id"] in brief
    ]
    return shown, len(rows)
