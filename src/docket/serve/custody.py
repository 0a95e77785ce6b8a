"""Custody events naming an item, read from ``custody.log``.

The log is one JSON line per event; ``items`` events hold item records
(``verify.records``: objects, or ``[id, sha256, size, status]`` in older cases).
Scanning a large log per page view would be slow, so the byte offsets of the lines naming
each item are indexed once (again only when the log grows: it is append-only), and a page
reads just those lines."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from docket.verify.records import normalise

_LOCK = threading.Lock()
_CACHE: dict[Path, tuple[int, dict[str, list[int]], list[dict[str, Any]]]] = {}


def _load(log: Path) -> tuple[dict[str, list[int]], list[dict[str, Any]]]:
    size = log.stat().st_size if log.exists() else 0
    with _LOCK:
        cached = _CACHE.get(log)
        if cached and cached[0] == size:
            return cached[1], cached[2]
        by_item: dict[str, list[int]] = {}
        runs: list[dict[str, Any]] = []
        if size:
            with log.open("rb") as f:
                offset = 0
                for raw in f:
                    at, offset = offset, offset + len(raw)
                    try:
                        event = json.loads(raw)
                    except ValueError:
                        continue
                    if event.get("event") == "items":
                        for entry in event.get("items") or []:
                            record = normalise(entry)
                            if record is not None:
                                by_item.setdefault(record["id"], []).append(at)
                    else:
                        runs.append(event)
        _CACHE[log] = (size, by_item, runs)
        return by_item, runs


def events(root: Path, item_id: str) -> list[dict[str, Any]]:
    """``[{"seq", "time", "event", "run", "sha256", "size", "status"}]`` for one item."""
    log = root / "custody.log"
    by_item, _ = _load(log)
    offsets = sorted(set(by_item.get(item_id, ())))
    out: list[dict[str, Any]] = []
    if not offsets:
        return out
    with log.open("rb") as f:
        for at in offsets:
            f.seek(at)
            event = json.loads(f.readline())
            for entry in event.get("items") or []:
                record = normalise(entry)
                if record is not None and record["id"] == item_id:
                    out.append(
                        {
                            "seq": event.get("seq"),
                            "time": event.get("time"),
                            "event": event.get("event"),
                            "run": event.get("run"),
                            "sha256": record.get("sha256"),
                            "size": record.get("size"),
                            "status": record.get("status"),
                        }
                    )
    return out
