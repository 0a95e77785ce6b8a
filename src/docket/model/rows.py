"""Typed catalogue rows: what ``docket.store.catalogue.Catalogue`` takes and returns, one
``TypedDict`` per table (the schema is ``store/schema.sql``). JSON columns come back
decoded (``path`` a list, ``metadata`` / ``fields`` / ``attrs`` dicts)."""

from __future__ import annotations

from typing import Any, TypedDict

from docket.model.records import RecordKind


class ItemRow(TypedDict, total=False):
    """One item. Rows written by acquire and the pipeline carry the columns they know
    (``id``, ``path``, ``name``, ``depth`` and ``status`` always); rows read back carry
    every column."""

    rowid: int
    id: str
    parent_id: str | None
    seq: int
    path: list[str]
    name: str
    depth: int
    source: str | bytes | None  # path on disk (files from a source only); bytes if not UTF-8
    sha256: str | None
    md5: str | None
    sha1: str | None
    size: int | None
    type: str | None
    mime: str | None
    extension: str | None
    ext_mismatch: int
    deleted: int
    fs: dict[str, Any] | None
    metadata: dict[str, Any] | None
    status: str  # model.items.Status
    code: str | None
    message: str | None
    extractor: str | None
    lang: str | None
    duplicate_of: str | None
    indexed: int
    run_id: int | None


class SegmentRow(TypedDict):
    item_id: str
    seq: int
    start: int  # offset of the segment in the item's text
    text: str
    page: int | None
    sheet: str | None
    row: int | None
    part: str | None


class WarningRow(TypedDict):
    code: str
    message: str


class MentionRow(TypedDict):
    id: int
    item_id: str
    segment: int
    start: int
    end: int
    kind: str  # model.mentions.KINDS
    text: str
    value: str | None
    method: str
    attrs: dict[str, Any]


class RecordRow(TypedDict):
    id: int
    item_id: str
    sheet: str | None
    row: int | None
    kind: RecordKind
    fields: dict[str, Any]
    method: str


class RelationRow(TypedDict):
    id: int
    item_id: str
    kind: str
    source: str
    target: str
    date: str | None
    attrs: dict[str, Any]
    method: str


class RunRow(TypedDict):
    id: int
    started: str
    finished: str | None
    command: str  # argv as JSON
    docket: str
    actor: str  # {"user", "host", "pid"} as JSON
    sources: str | None
    executor: str | None
    status: str
    reason: str | None
