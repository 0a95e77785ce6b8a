"""The network of people and organisations: edges from correspondence, payments and
co-occurrence, laid out in Python (a small Fruchterman–Reingold) and drawn as SVG, so the
page needs no script and no library."""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

import numpy as np

from docket.case import Case
from docket.serve import queries

MAX_NODES = 120  # beyond this a drawing is unreadable; the heaviest links are kept
SIZE = 900
MAX_EDGES = 400
MAX_AROUND = 200  # first-ring entities whose documents feed a depth-2 ego network
LINK_KINDS = ("correspondence", "payment", "cooccurrence")


@dataclass(frozen=True)
class Filters:
    """What the network page and ``/api/network`` take as query parameters."""

    kind: str = ""  # one of LINK_KINDS; empty: all
    min_weight: int = 1
    date_from: str = ""
    date_to: str = ""
    person: str = ""  # an entity id: only its ego network
    depth: int = 1  # 1 or 2 links from ``person``

    def clean(self) -> Filters:
        return replace(
            self,
            kind=self.kind if self.kind in LINK_KINDS else "",
            min_weight=max(1, self.min_weight),
            depth=min(2, max(1, self.depth)),
        )


def graph(case: Case, filters: Filters | None = None) -> dict[str, Any]:
    """Nodes and edges laid out for drawing; with ``person``, only the ego network: the
    nodes within ``depth`` (1 or 2) links of that entity and the links among them."""
    f = (filters or Filters()).clean()
    kind, min_weight, date_from, date_to = f.kind, f.min_weight, f.date_from, f.date_to
    person, depth = f.person, f.depth
    weights: Counter[tuple[str, str, str]] = Counter()
    labels: dict[str, dict[str, Any]] = {}
    for r in queries.relations(case, kind or None, date_from, date_to):
        a = r["se"] or "name:" + r["source"]
        b = r["te"] or "name:" + r["target"]
        labels.setdefault(a, {"name": r["source"], "type": "person"})
        labels.setdefault(b, {"name": r["target"], "type": "person"})
        if a != b:
            weights[(*sorted((a, b)), r["kind"])] += 1
    if kind in ("", "cooccurrence") and not date_from and not date_to:
        per_item: dict[str, set[str]] = {}
        _collect(per_item, labels, queries.cooccurrences(case, around=[person] if person else None))
        if person and depth > 1:
            # The second ring: documents of the first ring's resolved entities.
            ring = _reach(weights + _cooccur(per_item), person, 1) - {person}
            around = sorted(n for n in ring if not n.startswith("name:"))[:MAX_AROUND]
            if around:
                _collect(per_item, labels, queries.cooccurrences(case, around=around))
        weights += _cooccur(per_item)
    if person:
        labels.setdefault(person, {"name": person.removeprefix("name:"), "type": "person"})
    known = queries.entity_names(case, [k for k in labels if not k.startswith("name:")])
    for k, v in known.items():
        labels[k] = {"name": v["name"], "type": v["type"]}
    edges = [
        {"a": a, "b": b, "kind": k, "weight": w}
        for (a, b, k), w in weights.items()
        if w >= min_weight
    ]
    if person:
        reach = _reach(
            Counter({(e["a"], e["b"], e["kind"]): e["weight"] for e in edges}), person, depth
        )
        edges = [e for e in edges if e["a"] in reach and e["b"] in reach]
    edges.sort(key=lambda e: -e["weight"])
    degree: Counter[str] = Counter()
    for e in edges:
        degree[e["a"]] += e["weight"]
        degree[e["b"]] += e["weight"]
    keep = {n for n, _ in degree.most_common(MAX_NODES)}
    if person:
        keep.add(person)  # the centre is drawn even when it has no link
    # The heaviest links only: thousands of hairlines hide the structure (and slow the layout).
    edges = [e for e in edges if e["a"] in keep and e["b"] in keep][:MAX_EDGES]
    pos = layout(sorted(keep), [(e["a"], e["b"]) for e in edges])
    nodes = [
        {
            "id": n,
            **labels[n],
            "x": pos[n][0],
            "y": pos[n][1],
            "degree": degree[n],
            "r": 5 + min(12, round(math.sqrt(degree[n]) * 2)),
            "href": f"/person/{n}" if not n.startswith("name:") else None,
        }
        for n in sorted(keep)
    ]
    for e in edges:
        e.update(
            x1=pos[e["a"]][0],
            y1=pos[e["a"]][1],
            x2=pos[e["b"]][0],
            y2=pos[e["b"]][1],
            w=min(8, 1 + e["weight"] // 2),
        )
    return {"nodes": nodes, "edges": edges, "size": SIZE}


def _collect(
    per_item: dict[str, set[str]], labels: dict[str, dict[str, Any]], rows: list[dict[str, Any]]
) -> None:
    for r in rows:
        per_item.setdefault(r["item_id"], set()).add(r["entity_id"])
        labels.setdefault(r["entity_id"], {"name": r["name"], "type": r["type"]})


def _cooccur(per_item: dict[str, set[str]]) -> Counter[tuple[str, str, str]]:
    """One link per pair of entities and item they share (the first 30 per item)."""
    return Counter(
        (a, b, "cooccurrence")
        for ids in per_item.values()
        for a, b in combinations(sorted(ids)[:30], 2)
    )


def _reach(weights: Counter[tuple[str, str, str]], start: str, depth: int) -> set[str]:
    """Nodes within ``depth`` links of ``start``."""
    nbrs: dict[str, set[str]] = {}
    for a, b, _ in weights:
        nbrs.setdefault(a, set()).add(b)
        nbrs.setdefault(b, set()).add(a)
    seen, ring = {start}, {start}
    for _ in range(depth):
        ring = {n for r in ring for n in nbrs.get(r, ())} - seen
        seen |= ring
    return seen


def layout(
    nodes: list[str], edges: list[tuple[str, str]], rounds: int = 80
) -> dict[str, tuple[int, int]]:
    """Deterministic force layout (seeded), scaled into the drawing with a margin; each
    round computed for all pairs at once with numpy."""
    if not nodes:
        return {}
    rnd = random.Random(7)
    pos = np.array([[rnd.random(), rnd.random()] for _ in nodes])
    index = {n: i for i, n in enumerate(nodes)}
    a = np.array([index[x] for x, _ in edges], dtype=int)
    b = np.array([index[y] for _, y in edges], dtype=int)
    k = math.sqrt(1.0 / len(nodes))
    temp = 0.1
    for _ in range(rounds):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        dist[dist == 0] = 0.01
        disp = (delta / dist[..., None] * (k * k / dist)[..., None]).sum(axis=1)
        if len(a):
            d = pos[a] - pos[b]
            dd = np.hypot(d[:, 0], d[:, 1])
            dd[dd == 0] = 0.01
            pull = d / dd[:, None] * (dd * dd / k)[:, None]
            np.add.at(disp, a, -pull)
            np.add.at(disp, b, pull)
        length = np.hypot(disp[:, 0], disp[:, 1])
        length[length == 0] = 0.01
        pos += disp / length[:, None] * np.minimum(length, temp)[:, None]
        temp *= 0.95
    lo, span = pos.min(axis=0), np.ptp(pos, axis=0)
    span[span == 0] = 1
    margin = 60
    scaled = np.rint(margin + (pos - lo) / span * (SIZE - 2 * margin)).astype(int)
    return {n: (int(scaled[i, 0]), int(scaled[i, 1])) for i, n in enumerate(nodes)}


def evidence(case: Case, a: str, b: str) -> list[dict[str, Any]]:
    """Items behind one edge: relations between the two, and items mentioning both."""
    ids: dict[str, str] = {}
    for r in queries.relations(case):
        ends = {r["se"] or "name:" + r["source"], r["te"] or "name:" + r["target"]}
        if ends == {a, b}:
            ids.setdefault(r["item_id"], r["kind"])
    per_item: dict[str, set[str]] = {}
    for r in queries.cooccurrences(case):
        per_item.setdefault(r["item_id"], set()).add(r["entity_id"])
    for item_id, ents in per_item.items():
        if a in ents and b in ents:
            ids.setdefault(item_id, "cooccurrence")
    brief = queries.items_brief(case, list(ids))
    return [{**brief[i], "kind": k} for i, k in ids.items() if i in brief]
