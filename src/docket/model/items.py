"""Item statuses and text segments (an item as the catalogue stores it is
``model.rows.ItemRow``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """Where an item stands. Every item ends in one of the states after ``pending``."""

    PENDING = "pending"
    OK = "ok"
    PARTIAL = "partial"  # some parts failed; the rest was read
    FAILED = "failed"
    ENCRYPTED = "encrypted"
    UNSUPPORTED = "unsupported"  # type recorded, bytes kept
    SKIPPED = "skipped"  # known file, filtered or deferred; reason kept


@dataclass(slots=True)
class Segment:
    """A run of text with where it came from (page, sheet and row, or part)."""

    text: str
    page: int | None = None
    sheet: str | None = None
    row: int | None = None
    part: str | None = None
