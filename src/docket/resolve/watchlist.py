"""Cross-referencing a list of names (a watchlist, a sanctions list) against the case's
entities: every candidate match with a score and the reason.

Input: CSV with a header (``name``, ``aliases`` separated by ``;`` or ``|``, ``notes``)
or FollowTheMoney entities as JSON lines. Matches across scripts are marked and ranked
below exact ones (Aleph users could not tell transliterated hits from real ones).
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docket.resolve.cluster import block_keys
from docket.resolve.names import parse
from docket.resolve.run import place_key, spelling_key
from docket.resolve.score import compare
from docket.text.names.parser import NameParts
from docket.text.scripts import is_arabic

_ALIAS_SPLIT = re.compile(r"\s*[;|]\s*")


@dataclass(slots=True)
class Entry:
    id: str
    names: list[str]
    notes: str = ""
    schema: str = "Person"
    extra: dict[str, Any] = field(default_factory=dict)


def read_watchlist(path: Path) -> list[Entry]:
    """Entries from a CSV file or a FollowTheMoney JSON-lines file (by content)."""
    return parse_watchlist(path.read_text(encoding="utf-8-sig"))


def parse_watchlist(text: str) -> list[Entry]:
    """Entries from the text of a watchlist (CSV or FtM JSON lines, by content): what
    ``docket xref`` reads from a file and the desk from an upload."""
    if text.lstrip().startswith("{"):
        return list(_ftm_entries(text))
    rows = list(csv.DictReader(text.splitlines()))
    out = []
    for n, row in enumerate(rows, start=1):
        low = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        name = low.get("name") or ""
        aliases = [a for a in _ALIAS_SPLIT.split(low.get("aliases") or low.get("alias") or "") if a]
        if name or aliases:
            out.append(Entry(low.get("id") or f"row-{n}", [x for x in [name, *aliases] if x],
                             low.get("notes") or low.get("note") or ""))  # fmt: skip
    return out


def _ftm_entries(text: str) -> Iterable[Entry]:
    for line in text.splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        props = data.get("properties", {})
        names = [*props.get("name", []), *props.get("alias", []), *props.get("weakAlias", [])]
        if names:
            yield Entry(str(data.get("id")), names, "; ".join(props.get("notes", [])),
                        data.get("schema", "Person"))  # fmt: skip


def xref(
    entries: list[Entry], entities: list[dict[str, Any]], limit: int = 10
) -> list[dict[str, Any]]:
    """For each entry, candidate entities, best first."""
    parsed: list[tuple[dict[str, Any], str, NameParts]] = []
    blocks: dict[str, list[int]] = defaultdict(list)
    by_key: dict[str, list[int]] = defaultdict(list)
    orgs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entities:
        if e["type"] != "person":
            orgs[place_key(e["name"])].append(e)
            for v in e["variants"]:
                orgs[place_key(v)].append(e)
            continue
        for v in e["variants"]:
            n = len(parsed)
            parsed.append((e, v, parse(v)))
            by_key[spelling_key(v)].append(n)
            for key in block_keys(parsed[n][2]):
                blocks[key].append(n)
    out = []
    for entry in entries:
        best: dict[str, dict[str, Any]] = {}
        for name in entry.names:
            if entry.schema not in ("Person", "LegalEntity"):
                for e in orgs.get(place_key(name), []):
                    best.setdefault(
                        e["id"], _hit(e, name, e["name"], 1.0, ["same key"], False, False)
                    )
                continue
            q = parse(name)
            exact = set(by_key.get(spelling_key(name), []))
            cands = exact | {i for k in block_keys(q) for i in blocks.get(k, [])}
            for i in cands:
                e, variant, p = parsed[i]
                if i in exact:
                    hit = _hit(e, name, variant, 1.0, ["same spelling"], True, False)
                else:
                    v = compare(q, p)
                    if not v.match:
                        continue
                    cross = is_arabic(name) != is_arabic(variant)
                    hit = _hit(e, name, variant, v.score, v.agree, False, cross)
                old = best.get(e["id"])
                if old is None or _rank(hit) < _rank(old):
                    best[e["id"]] = hit
        matches = sorted(best.values(), key=_rank)[:limit]
        out.append({"entry": entry.id, "names": entry.names, "notes": entry.notes,
                    "matches": matches})  # fmt: skip
    return out


def _hit(e: dict[str, Any], query: str, variant: str, score: float, reason: list[str],
         exact: bool, cross: bool) -> dict[str, Any]:  # fmt: skip
    return {"entity": e["id"], "type": e["type"], "name": e["name"], "query": query,
            "matched": variant, "score": round(score, 3), "exact": exact,
            "cross_script": cross, "reason": reason, "mentions": e["mentions"]}  # fmt: skip


def _rank(hit: dict[str, Any]) -> tuple[bool, bool, float]:
    return (not hit["exact"], hit["cross_script"], -hit["score"])
