"""The network of people and organisations: edges from correspondence, payments and
co-occurrence, laid out in Python (a small Fruchterman–Reingold) and drawn as SVG, so the
page needs no script and no library."""

from __future__ import annotations

import math
import random
from collections import Counter
from itertools import combinations
from typing import Any

from docket.case import Case
from docket.serve import queries

MAX_NODES = 120  # beyond this a drawing is unreadable; the heaviest links are kept
SIZE = 900


def graph(
    case: Case, kind: str = "", min_weight: int = 1, date_from: str = "", date_to: str = ""
) -> dict[str, Any]:
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
        for r in queries.cooccurrences(case):
            per_item.setdefault(r["item_id"], set()).add(r["entity_id"])
            labels.setdefault(r["entity_id"], {"name": r["name"], "type": r["type"]})
        for ids in per_item.values():
            for a, b in combinations(sorted(ids)[:30], 2):
                weights[(a, b, "cooccurrence")] += 1
    known = queries.entity_names(case, [k for k in labels if not k.startswith("name:")])
    for k, v in known.items():
        labels[k] = {"name": v["name"], "type": v["type"]}
    edges = [
        {"a": a, "b": b, "kind": k, "weight": w}
        for (a, b, k), w in weights.items()
        if w >= min_weight
    ]
    edges.sort(key=lambda e: -e["weight"])
    degree: Counter[str] = Counter()
    for e in edges:
        degree[e["a"]] += e["weight"]
        degree[e["b"]] += e["weight"]
    keep = {n for n, _ in degree.most_common(MAX_NODES)}
    edges = [e for e in edges if e["a"] in keep and e["b"] in keep]
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


def layout(
    nodes: list[str], edges: list[tuple[str, str]], rounds: int = 80
) -> dict[str, tuple[int, int]]:
    """Deterministic force layout (seeded), scaled into the drawing with a margin."""
    if not nodes:
        return {}
    rnd = random.Random(7)
    pos = {n: [rnd.random(), rnd.random()] for n in nodes}
    k = math.sqrt(1.0 / len(nodes))
    temp = 0.1
    for _ in range(rounds):
        disp = {n: [0.0, 0.0] for n in nodes}
        for a, b in combinations(nodes, 2):
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = math.hypot(dx, dy) or 0.01
            f = k * k / d
            disp[a][0] += dx / d * f
            disp[a][1] += dy / d * f
            disp[b][0] -= dx / d * f
            disp[b][1] -= dy / d * f
        for a, b in edges:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = math.hypot(dx, dy) or 0.01
            f = d * d / k
            disp[a][0] -= dx / d * f
            disp[a][1] -= dy / d * f
            disp[b][0] += dx / d * f
            disp[b][1] += dy / d * f
        for n in nodes:
            dx, dy = disp[n]
            d = math.hypot(dx, dy) or 0.01
            pos[n][0] += dx / d * min(d, temp)
            pos[n][1] += dy / d * min(d, temp)
        temp *= 0.95
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x = (max(xs) - min(xs)) or 1
    span_y = (max(ys) - min(ys)) or 1
    margin = 60
    return {
        n: (
            round(margin + (p[0] - min(xs)) / span_x * (SIZE - 2 * margin)),
            round(margin + (p[1] - min(ys)) / span_y * (SIZE - 2 * margin)),
        )
        for n, p in pos.items()
    }


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
