"""Typed records that enrich derives from an item's text: table rows (``Record``) and
sender → recipient links (``Relation``). Both are stored as JSON in the catalogue, so they
are ``TypedDict``s: plain dicts a type checker can read."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

# person / payment / row: a table's rows (enrich.tables); person, org, place, payment or
# row: a FollowTheMoney entity (enrich.ftm)
RecordKind = Literal["person", "org", "place", "payment", "row"]


class Record(TypedDict):
    """One row of a table read as a person, a payment or a plain row (enrich.tables), or
    one FollowTheMoney entity of an entity file (enrich.ftm)."""

    kind: RecordKind
    sheet: str | None
    row: int
    method: str  # "rule:table", "rule:ftm"
    fields: dict[str, Any]  # typed cells (name, date, amount…) and ``columns``


class Relation(TypedDict):
    """Sender → recipient of an e-mail or a letter (enrich.letters)."""

    kind: str  # "correspondence" (enrich.letters)
    source: str
    target: str
    date: str | None
    attrs: dict[str, Any]
    method: str
