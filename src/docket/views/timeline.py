"""The timeline read model: dated things in order, each an ``Event`` (Gregorian and Umm
al-Qura dates, what happened, where it was read). The desk's timeline page shows the
case's (``case_timeline``); a person's timeline (``views.person``) is built from that
person's records and relations (``person_timeline``), in the same shape."""

from __future__ import annotations

import sqlite3
from typing import Any, NamedTuple, TypedDict

from docket.text.calendars import hijri_iso
from docket.views.rows import loads, rows

SHOWN = 2_000  # events read for one page of the case's timeline, unless told otherwise


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


class TimelinePage(NamedTuple):
    events: list[Event]
    total: int  # events in the range, of which ``events`` is one page


# Date mentions and dated documents as one list, so that one ORDER BY pages through both.
_EVENTS = (
    "SELECT m.value AS date, 'event' AS kind, m.text AS text, m.item_id AS item_id, "
    "m.segment AS segment, m.attrs AS attrs, i.path AS path, i.name AS name FROM mentions m "
    "JOIN items i ON i.id = m.item_id WHERE m.kind = 'date' AND m.value >= ?1 AND m.value <= ?2 "
    "UNION ALL SELECT day, 'item', name, id, NULL, NULL, path, name FROM ("
    "SELECT substr(coalesce(json_extract(metadata, '$.date'), json_extract(metadata, "
    "'$.created')), 1, 10) AS day, name, id, path FROM items WHERE metadata IS NOT NULL "
    "AND json_valid(metadata)) AS dated WHERE day IS NOT NULL AND day >= ?1 AND day <= ?2"
)


def case_timeline(
    db: sqlite3.Connection,
    date_from: str = "",
    date_to: str = "",
    limit: int = SHOWN,
    offset: int = 0,
) -> TimelinePage:
    """Dated events (date mentions, Hijri beside Gregorian) and dated documents, in
    order: ``limit`` of them from ``offset``, and how many there are in the range."""
    bounds = (date_from or "0", (date_to or "9999") + "\uffff")
    out: list[Event] = []
    for m in rows(
        db, f"{_EVENTS} ORDER BY date, item_id, kind LIMIT ?3 OFFSET ?4", (*bounds, limit, offset)
    ):
        m["path"] = loads(m["path"], [])
        if m["kind"] == "item":
            out.append(event(m["date"], "item", m["text"], m))
            continue
        attrs = loads(m["attrs"], {}) or {}
        out.append(
            event(m["date"], "event", m["text"], m, hijri=attrs.get("hijri"), seg=m["segment"])
        )
    counted = rows(db, f"SELECT count(*) AS n FROM ({_EVENTS})", bounds)
    return TimelinePage(out, int(counted[0]["n"]) if counted else len(out))


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
