"""CSV export: entities, mentions, payments and correspondence, one file each, in a
folder or a zip. UTF-8 with a BOM so spreadsheet programs open Arabic correctly."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from docket.export.graph import CaseGraph

HEADERS = {
    "entities.csv": ("id", "type", "name", "variants", "mentions", "items"),
    "mentions.csv": ("mention", "entity", "kind", "text", "item", "path", "segment", "start"),
    "payments.csv": (
        "record", "payee", "payee_entity", "payer_entity", "amount", "currency", "date", "item",
        "path", "sheet", "row",
    ),
    "correspondence.csv": (
        "relation", "source", "source_entity", "target", "target_entity", "date", "subject",
        "item", "path",
    ),
}  # fmt: skip


def tables(graph: CaseGraph) -> dict[str, list[list[Any]]]:
    def path(item_id: str) -> str:
        return " / ".join((graph.items.get(item_id) or {}).get("path") or [])

    items_of: dict[str, set[str]] = {}
    for m in graph.mentions:
        if m["entity"]:
            items_of.setdefault(m["entity"], set()).add(m["item_id"])
    out: dict[str, list[list[Any]]] = {name: [list(cols)] for name, cols in HEADERS.items()}
    for e in graph.entities.values():
        out["entities.csv"].append([e["id"], e["type"], e["name"],
                                    json.dumps(e["variants"], ensure_ascii=False), e["mentions"],
                                    len(items_of.get(e["id"], ()))])  # fmt: skip
    for m in graph.mentions:
        out["mentions.csv"].append([m["id"], m["entity"] or "", m["kind"], m["text"], m["item_id"],
                                    path(m["item_id"]), m["segment"], m["start"]])  # fmt: skip
    for p in graph.payments:
        f = p["fields"]
        out["payments.csv"].append([p["id"], f.get("payee") or f.get("name") or "",
                                    p["payee_entity"] or "", p["payer_entity"] or "",
                                    f.get("amount"), f.get("currency"), f.get("date"),
                                    p["item_id"], path(p["item_id"]), p["sheet"], p["row"]])  # fmt: skip
    for x in graph.letters:
        out["correspondence.csv"].append([x["id"], x["source"], x["source_entity"] or "",
                                          x["target"], x["target_entity"] or "", x["date"],
                                          (x.get("attrs") or {}).get("subject"), x["item_id"],
                                          path(x["item_id"])])  # fmt: skip
    return out


def write_csv(graph: CaseGraph, target: Path) -> list[str]:
    """Write the tables into ``target``: a zip when it ends in .zip, else a folder."""
    files = {}
    for name, rows in tables(graph).items():
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        files[name] = "\ufeff" + buf.getvalue()
    if target.suffix.lower() == ".zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in files.items():
                z.writestr(name, text.encode("utf-8"))
    else:
        target.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (target / name).write_text(text, encoding="utf-8")
    return sorted(files)
