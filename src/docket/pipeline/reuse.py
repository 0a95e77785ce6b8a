"""Identical bytes are read once. An item whose blob has already been extracted (an exact
duplicate at another path) gets a copy of that result — text, metadata, mentions,
records, relations and its direct children — instead of a second extraction."""

from __future__ import annotations

from typing import Any

from docket.extract import types
from docket.model.blobs import BlobInfo
from docket.model.items import Segment
from docket.model.mentions import Mention
from docket.model.records import Record, Relation
from docket.model.results import Child, ExtractResult
from docket.store.catalogue import Catalogue

# Disk images nest files under partitions; they are read again rather than copied.
_NOT_REUSED = ("disk-image",)


def done_twin(cat: Catalogue, sha256: str, item_id: str) -> str | None:
    """The id of a finished item with the same bytes, if any."""
    row = cat.db.execute(
        "SELECT id, type FROM items WHERE sha256 = ? AND id != ? AND status != 'pending' "
        "AND extractor IS NOT NULL ORDER BY rowid LIMIT 1",
        (sha256, item_id),
    ).fetchone()
    if row is None or types.get(row["type"] or "binary").family in _NOT_REUSED:
        return None
    return str(row["id"])


def copied_result(cat: Catalogue, twin_id: str, extension: str) -> ExtractResult:
    """The twin's result, as if it had just been extracted from these bytes."""
    twin = cat.item(twin_id)
    assert twin is not None
    metadata = {k: v for k, v in (twin["metadata"] or {}).items() if k != "extension_mismatch"}
    mismatch = not types.extension_matches(twin["type"], extension)
    if mismatch:
        metadata["extension_mismatch"] = f".{extension} but content is {twin['type']}"
    metadata["read_as_duplicate_of"] = twin_id
    result = ExtractResult(
        twin["type"],
        twin["mime"],
        mismatch,
        twin["status"],
        twin["code"],
        twin["message"],
        extractor=twin["extractor"],
        metadata=metadata,
        lang=twin["lang"],
    )
    result.segments = [
        Segment(s["text"], page=s["page"], sheet=s["sheet"], row=s["row"], part=s["part"])
        for s in cat.segments(twin_id)
    ]
    result.warnings = [(w["code"], w["message"]) for w in cat.warnings(twin_id)]
    result.mentions = [
        Mention(
            m["kind"],
            m["text"],
            m["value"] or "",
            m["segment"],
            m["start"],
            m["end"],
            m["method"],
            m["attrs"],
        )
        for m in cat.mentions(twin_id)
    ]
    result.records = [
        Record(kind=r["kind"], sheet=r["sheet"], row=r["row"] or 0, method=r["method"],
               fields=r["fields"])
        for r in cat.records(twin_id)
    ]  # fmt: skip
    result.relations = [
        Relation(kind=x["kind"], source=x["source"], target=x["target"], date=x["date"],
                 attrs=x["attrs"], method=x["method"])
        for x in cat.relations(twin_id)
    ]  # fmt: skip
    result.children = [_child(c) for c in cat.children(twin_id)]
    return result


def _child(row: dict[str, Any]) -> Child:
    blob = None
    if row["sha256"]:
        blob = BlobInfo(row["sha256"], row["md5"], row["sha1"], row["size"])
    done_without_bytes = blob is None
    return Child(
        name=row["name"],
        blob=blob,
        meta=row["fs"] or {},
        deleted=row["deleted"],
        status=row["status"] if done_without_bytes else None,
        code=row["code"] if done_without_bytes else None,
        message=row["message"] if done_without_bytes else None,
    )
