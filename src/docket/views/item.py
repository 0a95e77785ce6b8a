"""One item in full, for ``docket show`` and the web desk."""

from __future__ import annotations

from typing import Any

from docket.case import Case

SHOW_TEXT_CHARS = 2_000_000


def item_detail(case: Case, item_id: str) -> dict[str, Any]:
    cat = case.catalogue
    item = cat.item(item_id)
    if item is None:
        raise KeyError(item_id)
    segments = cat.segments(item_id, SHOW_TEXT_CHARS)
    return {
        "id": item["id"],
        "path": item["path"],
        "sha256": item["sha256"],
        "md5": item["md5"],
        "sha1": item["sha1"],
        "size": item["size"],
        "type": item["type"],
        "mime": item["mime"],
        "status": item["status"],
        "code": item["code"],
        "message": item["message"],
        "parent_id": item["parent_id"],
        "duplicate_of": item["duplicate_of"],
        "deleted": item["deleted"],
        "extension_mismatch": item["ext_mismatch"],
        "fs": item["fs"] or {},
        "metadata": item["metadata"] or {},
        "warnings": cat.warnings(item_id),
        "children": [c["id"] for c in cat.children(item_id)],
        "segments": [
            {k: s[k] for k in ("start", "page", "sheet", "row", "part") if s[k] is not None}
            for s in segments
        ],
        "text": "\n".join(s["text"] for s in segments),
    }
