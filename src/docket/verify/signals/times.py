"""Embedded times against each other, against the file system and against acquisition.

A document cannot be modified before it was created, saved after its file was last
written, or dated after the day it was seized. Each of these can have an innocent cause
(a wrong clock, a time zone, a tool that rewrites metadata), so each is a lead to check.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from docket.verify.signals import ItemView, Signal
from docket.verify.signals._time import ZONE_SLACK, parse, stamp

# Metadata keys that hold times the document claims for itself (see the extractors).
EMBEDDED = ("created", "modified", "printed", "taken", "date")
FLOOR = datetime(1981, 1, 1, tzinfo=UTC)  # zero dates (1601, 1899, DOS 1980) are not claims
SAME_SAVE = timedelta(minutes=1)  # Office writes created and modified from two clock reads


def embedded_times(view: ItemView) -> dict[str, datetime]:
    out = {}
    for key in EMBEDDED:
        when = parse(view.meta.get(key))
        if when is not None and when >= FLOOR:
            out[key] = when
    return out


def check(view: ItemView) -> Iterator[Signal]:
    times = embedded_times(view)
    created, modified = times.get("created"), times.get("modified")
    if created and modified and created > modified + SAME_SAVE:
        yield Signal(
            view.id,
            "created-after-modified",
            "medium",
            f"metadata says created {stamp(created)}, after it was last modified {stamp(modified)}",
            {"created": view.meta.get("created"), "modified": view.meta.get("modified")},
        )
    if view.acquired and times:
        late = {k: v for k, v in times.items() if v > view.acquired + ZONE_SLACK}
        if late:
            key, when = max(late.items(), key=lambda kv: kv[1])
            yield Signal(
                view.id,
                "time-after-acquisition",
                "high",
                f"metadata '{key}' is {stamp(when)}, after the cache was acquired "
                f"({stamp(view.acquired)})",
                {k: view.meta.get(k) for k in late} | {"acquired": view.acquired.isoformat()},
            )
    file_time = parse(view.fs.get("modified"))
    if file_time and file_time >= FLOOR and times:
        later = {k: v for k, v in times.items() if v > file_time + ZONE_SLACK}
        if later:
            key, when = max(later.items(), key=lambda kv: kv[1])
            yield Signal(
                view.id,
                "time-after-file-time",
                "medium",
                f"metadata '{key}' is {stamp(when)}, after the file itself was last written "
                f"({stamp(file_time)})",
                {k: view.meta.get(k) for k in later} | {"fs_modified": view.fs.get("modified")},
            )
