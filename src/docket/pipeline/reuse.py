"""Identical bytes are read once. An item whose blob has already been extracted (an exact
duplicate at another path) gets a copy of that result — text, metadata, language and its
direct children — instead of a second extraction. (The enrich stage enriches it.)"""

from __future__ import annotations

from typing import Any

from docket.extract import types
from docket.model.blobs import BlobInfo
from docket.model.items import Segment
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
    # Extraction's warnings only: the enrich stage enriches this item as any other.
    result.warnings = [
        (r[0], r[1])
        for r in cat.db.execute(
            "SELECT code, message FROM warnings WHERE item_id = ? AND enricher IS NULL "
            "ORDER BY rowid",
            (twin_id,),
        )
    ]
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
