"""Items and text segments, as the catalogue stores them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """Where an item stands. Every item ends in one of the states after ``pending``."""

    PENDING = "pending"
    OK = "ok"
    PARTIAL = "partial"  # some parts failed; the rest was read
    FAILED = "failed"
    ENCRYPTED = "encrypted"
    UNSUPPORTED = "unsupported"  # type recorded, bytes kept
    SKIPPED = "skipped"  # known file, filtered or deferred; reason kept


DONE_STATUSES = tuple(s.value for s in Status if s is not Status.PENDING)


@dataclass(slots=True)
class Segment:
    """A run of text with where it came from (page, sheet and row, or part)."""

    text: str
    page: int | None = None
    sheet: str | None = None
    row: int | None = None
    part: str | None = None

    def locator(self) -> dict[str, Any]:
        """The non-empty position fields, for citing the segment."""
        out: dict[str, Any] = {}
        for key in ("page", "sheet", "row", "part"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(slots=True)
class Item:
    """One logical file: a file on disk, an archive member, an e-mail, an attachment."""

    id: str
    path: list[str]
    parent_id: str | None = None
    sha256: str | None = None
    md5: str | None = None
    sha1: str | None = None
    size: int | None = None
    type: str | None = None
    mime: str | None = None
    extension: str = ""
    status: str = Status.PENDING
    code: str | None = None
    message: str | None = None
    deleted: bool = False
    fs: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def depth(self) -> int:
        """Nesting depth: 0 for a file from the source, 1 for a member of it, and so on."""
        return len(self.path) - 1
