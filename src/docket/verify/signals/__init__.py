"""Authenticity signals: one module per kind of evidence, listed here in one place.

A check is a pure function of what the catalogue knows about an item (an ``ItemView``)
that yields ``Signal``s; case-wide checks (outliers within the cache) see every view at
once. Checks never write: ``docket.verify.authenticity`` runs them and stores the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

SEVERITIES = ("high", "medium", "low", "info")  # most serious first


@dataclass(slots=True)
class Signal:
    item_id: str
    kind: str
    severity: str  # one of SEVERITIES
    detail: str  # one plain-language sentence
    evidence: dict[str, Any] = field(default_factory=dict)  # the values compared


@dataclass(slots=True)
class ItemView:
    """An item as the checks see it: its catalogue row and what was looked up for it."""

    item: dict[str, Any]
    acquired: datetime | None = None  # start of the run that stored it
    text_dates: list[tuple[str, str]] = field(default_factory=list)  # (ISO value, as written)
    blob: Path | None = None  # the original bytes in the blob store (read-only)
    group: int | None = None  # near-duplicate group number, if any

    @property
    def id(self) -> str:
        return str(self.item["id"])

    @property
    def meta(self) -> dict[str, Any]:
        return self.item.get("metadata") or {}

    @property
    def fs(self) -> dict[str, Any]:
        return self.item.get("fs") or {}


ItemCheck = Callable[[ItemView], Iterable[Signal]]
CaseCheck = Callable[[Sequence[ItemView]], Iterable[Signal]]


def item_checks() -> tuple[ItemCheck, ...]:
    """The built-in per-item checks, in report order."""
    from docket.verify.signals import email, filetype, image, pdf, producers, textdates, times

    return (
        filetype.check,
        times.check,
        textdates.check,
        producers.check,
        pdf.check,
        image.check,
        email.check,
    )


def case_checks() -> tuple[CaseCheck, ...]:
    """The built-in checks that compare items with the rest of the cache."""
    from docket.verify.signals import outliers

    return (outliers.rare_producers, outliers.odd_authors)
