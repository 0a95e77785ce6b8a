"""Findings against the evidence they cite: each cited item must still be in the
catalogue, and each quote must still be words of that item at the cited page, sheet or
row (Unicode NFC, runs of white space counted as one space)."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_SPACE = re.compile(r"\s+")
_PLACE = (("page", "page"), ("sheet", "sheet"), ("row", '"row"'))


@dataclass(frozen=True, slots=True)
class FindingProblem:
    finding: int
    item: str | None
    detail: str


def _words(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _place(cite: dict[str, Any]) -> tuple[str, list[Any], str]:
    where, args, said = [], [], []
    for key, column in _PLACE:
        if cite.get(key) not in (None, ""):
            where.append(f"{column} = ?")
            args.append(cite[key])
            said.append(f"{key} {cite[key]}")
    return " AND ".join(where), args, ", ".join(said)


def check_findings(db: sqlite3.Connection, *, segments: bool) -> Iterator[FindingProblem | int]:
    """Yields each finding's id as it is checked, and a problem for each citation that
    no longer holds (``segments=False``: the segments table is gone, so no quote holds)."""
    for fid, title, cites_json in db.execute("SELECT id, title, cites FROM findings ORDER BY id"):
        yield int(fid)
        try:
            cites = json.loads(cites_json)
        except (TypeError, ValueError):
            yield FindingProblem(fid, None, f"finding {fid} ({title!r}): citations unreadable")
            continue
        for cite in cites if isinstance(cites, list) else []:
            item = cite.get("item") if isinstance(cite, dict) else None
            if not item:
                continue
            if db.execute("SELECT 1 FROM items WHERE id = ?", (item,)).fetchone() is None:
                yield FindingProblem(
                    fid, item, f"finding {fid} ({title!r}) cites an item not in the catalogue"
                )
                continue
            quote = cite.get("quote")
            if not quote:
                continue
            where, args, said = _place(cite)
            text = ""
            if segments:
                sql = "SELECT text FROM segments WHERE item_id = ?" + (
                    f" AND {where}" if where else ""
                )
                text = "\n".join(r[0] for r in db.execute(sql + " ORDER BY seq", (item, *args)))
            if _words(str(quote)) not in _words(text):
                at = f" at {said}" if said else ""
                yield FindingProblem(
                    fid,
                    item,
                    f"finding {fid} ({title!r}) quotes words that are not in the item{at}: "
                    f"{_words(str(quote))[:200]!r}",
                )
