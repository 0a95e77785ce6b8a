"""Reading the many spellings of a time in metadata into comparable UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

# Metadata times often carry no zone (EXIF, zip entries, some Office files); a zone can
# move a time by up to 14 hours, so comparisons between sources allow a day.
ZONE_SLACK = timedelta(days=1)
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse(value: Any) -> datetime | None:
    """An aware UTC datetime from ISO text (``2019``, ``2019-02``, full ISO, ``Z``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    m = _PARTIAL.match(text)
    try:
        if m:
            year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
            return datetime(year, month, day, tzinfo=UTC)
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def day(when: datetime) -> str:
    return when.strftime("%Y-%m-%d")


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC")
