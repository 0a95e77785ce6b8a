"""A key file given after ingest: encrypted volumes that a case recorded ``encrypted``
inside disk images are opened now, without reading anything else again.

``docket ingest drive.img --key-file keys.txt`` run again finds, under the run's sources,
each disk image holding volumes recorded ``encrypted`` (no key fitted then) and sends the
image to a worker once more with the names of those volumes (``Task.reopen``): the walk
goes down only to them (``extract.disk.walk``). What comes back is matched with what the
case holds by name under each parent. A volume a key now opens takes its new record
(status ``ok``, ``unlocked_with``: the key's kind and line, never its value) and its files
are added as new pending items, extracted like any others; a custody event
``key-opened`` says which volume and which line of the key file. A volume that still
does not open stays as it was."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from docket.model.results import Child, ExtractResult
from docket.model.rows import ItemRow
from docket.pipeline.tasks import Task
from docket.store.catalogue import Catalogue

_ENCRYPTED = "status = 'encrypted' AND code = 'encrypted' AND fs LIKE '%\"encryption\"%'"


def reopen_tasks(cat: Catalogue, sources: Sequence[str]) -> list[Task]:
    """One task per disk image under ``sources`` with encrypted volumes in it."""
    roots = tuple(s.rstrip(os.sep) for s in sources)
    wanted: dict[str, list[tuple[str, ...]]] = {}
    images: dict[str, dict[str, Any]] = {}
    for row in cat.items(_ENCRYPTED):
        image = _image_of(cat, row)
        if image is None or not _under(_source_of(cat, image), roots):
            continue
        images[image["id"]] = image
        wanted.setdefault(image["id"], []).append(tuple(row["path"][len(image["path"]) :]))
    return [
        Task(
            item_id=image["id"],
            name=image["name"],
            extension=image["extension"] or "",
            depth=image["depth"],
            sha256=image["sha256"],
            size=image["size"] or 0,
            source=image["source"],
            reopen=tuple(wanted[image["id"]]),
        )
        for image in images.values()
        if image["sha256"]
    ]


def _image_of(cat: Catalogue, row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The disk image a volume item lies in: its nearest ancestor read as one."""
    parent = row["parent_id"]
    while parent:
        item = cat.item(parent)
        if item is None:
            return None
        if item["extractor"] == "disk-image":
            return item
        parent = item["parent_id"]
    return None


def _source_of(cat: Catalogue, item: Mapping[str, Any]) -> str:
    """The source file the item came from (its top-level ancestor's)."""
    while item["parent_id"]:
        parent = cat.item(item["parent_id"])
        if parent is None:
            return ""
        item = parent
    source = item["source"]
    return os.fsdecode(source) if isinstance(source, bytes) else str(source or "")


def _under(path: str, roots: Sequence[str]) -> bool:
    return any(path == r or path.startswith(r + os.sep) for r in roots)


AddChild = Callable[[Mapping[str, Any], int, Child], tuple[ItemRow, list[str]]]


def apply_reopen(
    cat: Catalogue,
    log: Callable[..., None],
    run_id: int,
    task: Task,
    result: ExtractResult,
    add_child: AddChild,
) -> tuple[list[str], list[str]]:
    """Merge a reopen walk into the case: (ids whose records changed, for custody; ids
    to index). The image item itself is left as it was."""
    image = cat.item(task.item_id)
    if image is None:
        return [], []
    rows: list[Mapping[str, Any]] = []
    changed: list[str] = []
    reindex: list[str] = []
    for seq, child in enumerate(result.children):
        parent = image if child.parent is None else rows[child.parent]
        found = cat.db.execute(
            "SELECT id FROM items WHERE parent_id = ? AND name = ?", (parent["id"], child.name)
        ).fetchone()
        existing = cat.item(found[0]) if found else None
        if existing is None:
            row, added = add_child(parent, seq, child)
            rows.append(row)
            changed.extend(added)
            continue
        rows.append(existing)
        if existing["status"] == "encrypted" and child.status != "encrypted":
            fields = {"status": child.status or "ok", "code": child.code,
                      "message": child.message, "fs": child.meta, "run_id": run_id}  # fmt: skip
            cat.update_item(existing["id"], **fields)
            changed.append(existing["id"])
            reindex.append(existing["id"])
            if child.meta.get("unlocked_with"):
                log(
                    "key-opened",
                    run=run_id,
                    item=existing["id"],
                    path=existing["path"],
                    unlocked_with=child.meta["unlocked_with"],
                )
    return changed, reindex
