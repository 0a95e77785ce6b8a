"""What extracting (and then enriching) one item produces: an ``ExtractResult`` with its
status, metadata, text segments, children, and the enrich stage's annotations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docket.model.blobs import BlobInfo
from docket.model.items import Segment, Status
from docket.model.mentions import Mention
from docket.model.records import Record, Relation


@dataclass(slots=True)
class Child:
    """A member, attachment or embedded file found inside an item."""

    name: str
    blob: BlobInfo | None
    meta: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False
    parent: int | None = None  # index of another child this one sits in (disk volumes)
    index: int = -1  # position among the sink's children
    status: str | None = None  # set when the child could not be read
    code: str | None = None
    message: str | None = None


@dataclass(slots=True)
class ExtractResult:
    type: str
    mime: str
    ext_mismatch: bool
    status: str
    code: str | None = None
    message: str | None = None
    extractor: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    lang: str | None = None  # set by the enrich stage
    mentions: list[Mention] = field(default_factory=list)  # set by the enrich stage
    records: list[Record] = field(default_factory=list)  # table rows (enrich.tables)
    relations: list[Relation] = field(default_factory=list)  # sender -> recipient

    @classmethod
    def failure(cls, code: str, message: str) -> ExtractResult:
        """A failed result with no type known: a task whose bytes could not be read, or
        whose worker was killed or died."""
        return cls("binary", "application/octet-stream", False, Status.FAILED, code, message)
