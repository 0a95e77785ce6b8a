"""Dates written in the text against the document's own creation date.

A letter cannot cite a date months after it was created; a file created years after
every date its text mentions is a later copy, scan or transcription (or a backdated
text). Dates come from the date enricher's mentions (kind ``date``, ISO values).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from docket.verify.signals import ItemView, Signal
from docket.verify.signals._time import day, parse
from docket.verify.signals.times import FLOOR

AFTER = timedelta(days=92)  # plans and deadlines a quarter ahead are ordinary in letters
BEFORE = timedelta(days=730)  # re-scans and transcriptions are ordinary; say so quietly


def document_date(view: ItemView) -> tuple[str, datetime] | None:
    for key in ("created", "date", "taken"):
        when = parse(view.meta.get(key))
        if when is not None and when >= FLOOR:
            return key, when
    return None


def check(view: ItemView) -> Iterator[Signal]:
    own = document_date(view)
    if own is None or not view.text_dates:
        return
    key, when = own
    dated = [(d, w) for v, w in view.text_dates if (d := parse(v)) is not None]
    if not dated:
        return
    latest, latest_text = max(dated, key=lambda p: p[0])
    earliest = min(d for d, _ in dated)
    evidence = {key: view.meta.get(key), "text_dates": sorted({v for v, _ in view.text_dates})}
    if latest > when + AFTER:
        yield Signal(
            view.id,
            "text-date-after-document",
            "medium",
            f"the text mentions {latest_text!r} ({day(latest)}), {(latest - when).days} days "
            f"after the document's '{key}' date {day(when)}",
            evidence,
        )
    elif latest < when - BEFORE:
        yield Signal(
            view.id,
            "text-dates-before-document",
            "info",
            f"every date in the text ({day(earliest)} to {day(latest)}) is over two years "
            f"before the document's '{key}' date {day(when)}: a later copy, scan or "
            "transcription, or a backdated text",
            evidence,
        )
