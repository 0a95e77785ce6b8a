"""The timeline read model: dated things in order, each an ``Event`` (Gregorian and Umm
al-Qura dates, what happened, where it was read). The desk's timeline page shows the
case's (``case_timeline``); a person's timeline (``views.person``) is built from that
person's records and relations (``person_timeline``), in the same shape."""

from __future__ import annotations

import sqlite3
from typing import Any, TypedDict

from docket.text.calendars import hijri_iso
from docket.views.rows import loads, rows

SHOWN = 2_000  # dated mentions, and dated items, read for the case's timeline


class Event(TypedDict):
    date: str  # ISO, a day or less precise
    hijri: str | None  # the Umm al-Qura date, None out of range
    kind: str  # "event" (a date mention), "item" (a dated document), or a record or
    # relation kind (payment, person, correspondence…)
    text: str
    item_id: str
    name: str  # the item's name
    path: list[str]
    seg: int | None  # where in the item it was read: a segment, or a sheet row
    sheet: str | None
    row: int | None


def event(
    date: str,
    kind: str,
    text: str,
    item: dict[str, Any],
    *,
    hijri: str | None = None,
    seg: int | None = None,
    sheet: str | None = None,
    row: int | None = None,
) -> Event:
    """One event read in ``item`` (a row with ``item_id``, ``name`` and ``path``)."""
    return Event(
        date=date,
        hijri=hijri or hijri_iso(date),
        kind=kind,
        text=text,
        item_id=item["item_id"],
        name=item.get("name") or "",
        path=list(item.get("path") or []),
        seg=seg,
        sheet=sheet,
        row=row,
    )


def case_timeline(db: sqlite3.Connection, date_from: str = "", date_to: str = "") -> list[Event]:
    """Dated events (date mentions, Hijri beside Gregorian) and dated documents, in order."""
    out: list[Event] = []
    for m in rows(
        db,
        "SELECT m.item_id, m.segment, m.text, m.value, m.attrs, i.path, i.name FROM mentions m "
        "JOIN items i ON i.id = m.item_id WHERE m.kind = 'date' AND m.value >= ? AND m.value <= ? "
        "ORDER BY m.value, m.item_id LIMIT ?",
        (date_from or "0", (date_to or "9999") + "\uffff", SHOWN),
    ):
        m["path"] = loads(m["path"], [])
        attrs = loads(m["attrs"], {}) or {}
        out.append(
            event(m["value"], "event", m["text"], m, hijri=attrs.get("hijri"), seg=m["segment"])
        )
    for d in rows(
        db,
        "SELECT id AS item_id, path, name, coalesce(json_extract(metadata, '$.date'), "
        "json_extract(metadata, '$.created')) AS date FROM items "
        "WHERE metadata IS NOT NULL AND date IS NOT NULL ORDER BY date LIMIT ?",
        (SHOWN,),
    ):
        day = str(d["date"])[:10]
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        d["path"] = loads(d["path"], [])
        out.append(event(day, "item", d["name"], d))
    out.sort(key=lambda e: (e["date"] or "", e["item_id"]))
    return out


def person_timeline(
    records: list[dict[str, Any]], relations: list[dict[str, Any]], fields: Any
) -> list[Event]:
    """An entity's dated records and relations in order: payments, letters, roster
    entries. ``fields`` gives a record's fields as shown (``views.person.record_fields``)."""
    out: list[Event] = []
    # A payroll row is a person record and a payment record: it is one event, the payment.
    paid = {(r["item_id"], r["sheet"], r["row"]) for r in records if r["kind"] == "payment"}
    for r in records:
        date = r["fields"].get("date")
        if r["kind"] != "payment" and (r["item_id"], r["sheet"], r["row"]) in paid:
            continue
        if date:
            what = " ".join(str(v) for k, v in fields(r["fields"]).items() if k != "date")
            out.append(event(date, r["kind"], what, r, sheet=r["sheet"], row=r["row"]))
    for r in relations:
        if r["date"]:
            seg = (r.get("attrs") or {}).get("segment")
            text = f"{r['source']} → {r['target']}"
            out.append(event(r["date"], r["kind"], text, r, seg=seg))
    out.sort(key=lambda e: (e["date"], e["item_id"]))
    return out


def months(events: list[Event]) -> list[tuple[str, int]]:
    """Events per month, for a timeline's bars."""
    counted: dict[str, int] = {}
    for e in events:
        if len(e["date"]) >= 7:
            counted[e["date"][:7]] = counted.get(e["date"][:7], 0) + 1
    return sorted(counted.items())
