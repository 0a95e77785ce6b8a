"""Mentions: spans of an item's text that an enrich stage recognised (a date, a sum of
money, a person's name…), with where they are and how they were found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = (
    "date", "money", "phone", "email", "iban", "url", "address", "plate", "person", "org",
    "place", "id", "alias", "contact",
)  # fmt: skip


@dataclass(slots=True)
class Mention:
    kind: str  # one of KINDS
    text: str  # exactly as written
    value: str  # normalised: ISO date, "1500 USD", E.164 phone, the name as found…
    segment: int  # index of the segment in the item
    start: int  # character offsets within that segment's text
    end: int
    method: str  # how it was found: "rule:hijri-numeric", "spacy:en_core_web_sm", "gazetteer"…
    attrs: dict[str, Any] = field(default_factory=dict)  # e.g. {"calendar": "hijri"}

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its fields in order: a worker sends about a hundred an item, and the
        # single writer loads these four times faster than the slots dataclass's state.
        return (Mention, (self.kind, self.text, self.value, self.segment, self.start,
                          self.end, self.method, self.attrs))  # fmt: skip
