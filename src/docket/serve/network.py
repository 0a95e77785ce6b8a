"""The network of people and organisations: edges from correspondence, payments and
co-occurrence (the one count of ``docket.views.network``), laid out in Python
(a small Fruchterman–Reingold) and drawn as SVG, so the page needs no script. Communities
and centrality come from networkx; ``static/network.js`` adds zoom, pan, drag and find
to the drawing when script runs."""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

import numpy as np
from markupsafe import Markup, escape

from docket.case import Case
from docket.views import findings as findings_view
from docket.views import network as links

if TYPE_CHECKING:
    from docket.serve.app import Desk

MAX_NODES = 120  # beyond this a drawing is unreadable; the heaviest links are kept
SIZE = 900
MAX_EDGES = 400
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


def desk_graph(desk: Desk, case: Case, f: Filters) -> dict[str, Any]:
    """The graph as the desk serves it: kept until the case changes, with the
    co-occurrence arrays read once per rebuild of the links (a new finding changes the
    case, not the links), for every filter."""

    db = case.catalogue.db

    def ensured() -> str | None:
        links.ensure(db)
        return links.built(db)

    def table() -> links.Cooccurrence:
        # Whether the catalogue's links are fresh is read once until the case changes
        # (two counts over every membership: a tenth of a new ego network's time).
        token = desk.cached(("links-built",), ensured)
        if token is None:  # links of a read-only catalogue: kept until the case changes
            links.ensure(db)  # (built for each connection, in a temporary table)
            return desk.reading(("cooccurrence",), lambda: links.Cooccurrence.load(db))
        return desk.readings.get(("cooccurrence", token), lambda: links.Cooccurrence.load(db))

    def counted(kind: str, date_from: str, date_to: str) -> Relations:
        # Every ego network and weight filter of one kind and date range counts the same
        # relations: counted once until the case changes.
        return desk.cached(
            ("relation-weights", kind, date_from, date_to),
            lambda: relation_weights(case, kind, date_from, date_to),
        )

    return desk.cached(("network", f), lambda: graph(case, f, table, counted))


@dataclass
class Relations:
    """Relations of one kind and date range counted by their two ends (sorted) and kind,
    a label for each end, and what every network drawn from them reads again: the links
    of at least a weight, and each end's neighbours through them (kept per weight)."""

    weights: Counter[tuple[str, str, str]]
    labels: dict[str, dict[str, Any]]
    _by_weight: dict[int, _Kept] = field(default_factory=dict)

    def kept(self, min_weight: int) -> dict[tuple[str, str, str], int]:
        """The links of at least ``min_weight``."""
        return self._at(min_weight).links

    def neighbours(self, min_weight: int) -> dict[str, set[str]]:
        """Each end's other ends through links of at least ``min_weight``."""
        return self._at(min_weight).neighbours

    def sums(self, min_weight: int, among: set[str] | None) -> dict[str, int]:
        """Each end's weight summed over its links of at least ``min_weight`` (with
        ``among``, only links between two of those; ends left with none are left out):
        array sums, not a walk over thousands of links for each ego network."""
        k = self._at(min_weight)
        if among is None:
            keep = np.ones(len(k.a), dtype=bool)
        else:
            inside = np.fromiter((e in among for e in k.ends), bool, len(k.ends))
            keep = inside[k.a] & inside[k.b]
        size = len(k.ends)
        sums = np.bincount(k.a[keep], k.w[keep], size) + np.bincount(k.b[keep], k.w[keep], size)
        return {k.ends[i]: int(sums[i]) for i in np.flatnonzero(sums).tolist()}

    def _at(self, min_weight: int) -> _Kept:
        found = self._by_weight.get(min_weight)
        if found is None:
            if len(self._by_weight) >= 8:  # weights asked for are few; any number may be
                self._by_weight.clear()
            kept = {k: w for k, w in self.weights.items() if w >= min_weight}
            nbrs: dict[str, set[str]] = {}
            for a, b, _ in kept:
                nbrs.setdefault(a, set()).add(b)
                nbrs.setdefault(b, set()).add(a)
            ends = list(nbrs)
            number = {e: i for i, e in enumerate(ends)}
            found = self._by_weight[min_weight] = _Kept(
                kept,
                nbrs,
                ends,
                np.array([number[a] for a, _, _ in kept], dtype=np.intp),
                np.array([number[b] for _, b, _ in kept], dtype=np.intp),
                np.array(list(kept.values()), dtype=np.float64),
            )
        return found


@dataclass(frozen=True)
class _Kept:
    """The relation links of at least one weight: by their ends and kind, each end's
    neighbours, and the links as arrays over the ends (numbered as ``ends``)."""

    links: dict[tuple[str, str, str], int]
    neighbours: dict[str, set[str]]
    ends: list[str]
    a: np.ndarray
    b: np.ndarray
    w: np.ndarray


def relation_weights(case: Case, kind: str, date_from: str, date_to: str) -> Relations:
    """Relations of ``kind`` (all when empty) in the date range counted by their two
    ends (sorted) and kind, and a label for each end."""
    weights: Counter[tuple[str, str, str]] = Counter()
    labels: dict[str, dict[str, Any]] = {}
    for r in links.relations(case.catalogue.db, kind or None, date_from, date_to):
        a = r["se"] or "name:" + r["source"]
        b = r["te"] or "name:" + r["target"]
        labels.setdefault(a, {"name": r["source"], "type": "person"})
        labels.setdefault(b, {"name": r["target"], "type": "person"})
        if a != b:
            weights[(*sorted((a, b)), r["kind"])] += 1
    return Relations(weights, labels)


def graph(
    case: Case,
    filters: Filters | None = None,
    table: Callable[[], links.Cooccurrence] | None = None,
    counted: Callable[[str, str, str], Relations] | None = None,
) -> dict[str, Any]:
    """Nodes and edges laid out for drawing; with ``person``, only the ego network: the
    nodes within ``depth`` (1 or 2) links of that entity and the links among them.
    ``table`` gives the co-occurrence links (read from the case when None), ``counted``
    the relation weights (``relation_weights`` when None)."""
    f = (filters or Filters()).clean()
    person, min_weight = f.person, f.min_weight
    rel = (counted or partial(relation_weights, case))(f.kind, f.date_from, f.date_to)
    labels = dict(rel.labels)  # the caller's copy is kept for the next graph
    kept = rel.kept(min_weight)
    # Co-occurrence has no date: a date filter shows dated relations only.
    cooccur = f.kind in ("", links.KIND) and not f.date_from and not f.date_to
    co = (table or (lambda: links.Cooccurrence.read(case.catalogue.db)))() if cooccur else None
    reach = _reach(rel.neighbours(min_weight), person, f.depth, co, min_weight) if person else None
    degree: Counter[str] = Counter(rel.sums(min_weight, reach))
    if co is not None:
        degree.update(co.degrees(min_weight, reach))
    # The busiest nodes, heaviest first; ties by id, so a page is the same every time.
    keep = set(heapq.nsmallest(MAX_NODES, degree, key=lambda n: (-degree[n], n)))
    truncated = len(degree) > MAX_NODES
    nodes_total = len(degree)  # nodes with a link in the view, drawn or not
    if person:
        nodes_total += person not in degree
        keep.add(person)  # the centre is drawn even when it has no link
    # (-weight, kind, a, b): heaviest first, then by kind and ends, as they are drawn
    among = [(-w, k, a, b) for (a, b, k), w in kept.items() if a in keep and b in keep]
    total = len(among)
    if co is not None:  # co-occurrence's heaviest only: any drawn is among them
        heavy, count = co.heaviest(keep, min_weight, MAX_EDGES)
        among += [(-w, links.KIND, a, b) for a, b, w in heavy]
        total += count
    # The heaviest links only: thousands of hairlines hide the structure (and slow the layout).
    truncated = truncated or total > MAX_EDGES
    edges: list[dict[str, Any]] = [
        {"a": a, "b": b, "kind": k, "weight": -w}
        for w, k, a, b in heapq.nsmallest(MAX_EDGES, among)
    ]
    if person:
        labels.setdefault(person, {"name": person.removeprefix("name:"), "type": "person"})
    known = findings_view.entity_names(case, [k for k in keep if not k.startswith("name:")])
    for k, v in known.items():
        labels[k] = {"name": v["name"], "type": v["type"]}
    pos = layout(sorted(keep), [(e["a"], e["b"]) for e in edges])
    groups, centrality = structure(sorted(keep), edges)
    most = max(centrality.values(), default=0.0) or 1
    nodes = [
        {
            "id": n,
            **labels.get(n, {"name": n, "type": "person"}),
            "x": pos[n][0],
            "y": pos[n][1],
            "degree": degree[n],
            "community": groups[n],
            "centrality": round(centrality[n], 4),
            # Size by betweenness: the go-betweens stand out, not only the talkative.
            "r": 5 + round(13 * math.sqrt(centrality[n] / most)),
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
    # ``truncated``: more nodes or links than drawn; the page says so (the heaviest kept)
    # and how many there are: the nodes in the view, the links among those drawn.
    return {
        "nodes": nodes,
        "edges": edges,
        "size": SIZE,
        "truncated": truncated,
        "nodes_total": nodes_total,
        "edges_total": total,
    }


def structure(
    nodes: list[str], edges: list[dict[str, Any]]
) -> tuple[dict[str, int], dict[str, float]]:
    """Each node's community (Louvain, seeded: the same page every time; numbered by
    size, largest first; link weights summed across kinds) and its betweenness centrality,
    over the links drawn."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    for e in edges:
        w = g.get_edge_data(e["a"], e["b"], {}).get("weight", 0)
        g.add_edge(e["a"], e["b"], weight=w + e["weight"])
    found = nx.community.louvain_communities(g, weight="weight", seed=7) if nodes else []
    ranked = sorted(found, key=lambda c: (-len(c), min(c)))
    groups = {n: i for i, c in enumerate(ranked) for n in c}
    # Unweighted: with weights as distances it costs over twice as much (measured), and
    # the drawing shows who stands between groups either way.
    # Sampled from 40 sources (seeded) on larger drawings: the ranking that sizes the
    # nodes holds, at a third of the cost on 120 nodes.
    between = betweenness(list(g), [list(g[n]) for n in g], 40) if len(nodes) > 2 else {}
    return groups, {n: float(between.get(n, 0.0)) for n in nodes}


def betweenness(nodes: list[str], adjacent: list[list[str]], sources: int) -> dict[str, float]:
    """``networkx.betweenness_centrality(g, k=min(len(g), sources), seed=7)`` of the graph
    of ``nodes`` (in the graph's order) with ``adjacent[i]`` the neighbours of
    ``nodes[i]`` (in its order): the same breadth-first counts and sums in the same order,
    so the same numbers to the last bit (a test holds them to networkx's), over lists of
    numbers rather than the graph's dictionaries — two fifths of the cost."""
    n = len(nodes)
    number = {v: i for i, v in enumerate(nodes)}
    adj = [[number[w] for w in ws] for ws in adjacent]
    k: int | None = min(n, sources)
    if k == n:
        k = None
    starts = list(range(n)) if k is None else random.Random(7).sample(range(n), k)
    total = [0.0] * n
    for s in starts:
        order: list[int] = []  # breadth first, each node's shortest paths and predecessors
        before: list[list[int]] = [[] for _ in range(n)]
        sigma = [0.0] * n
        dist = [-1] * n
        sigma[s], dist[s] = 1.0, 0
        queue = deque([s])
        while queue:
            v = queue.popleft()
            order.append(v)
            dv, sv = dist[v] + 1, sigma[v]
            for w in adj[v]:
                if dist[w] < 0:
                    queue.append(w)
                    dist[w] = dv
                if dist[w] == dv:
                    sigma[w] += sv
                    before[w].append(v)
        delta = [0.0] * n
        while order:  # back from the farthest: each node's share of the paths through it
            w = order.pop()
            coeff = (1 + delta[w]) / sigma[w]
            for v in before[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                total[w] += delta[w]
    if n - 1 >= 2:  # rescaled as networkx 3.6 does: sources apart when sampled
        if k is None:
            scale = 1 / ((n - 1) * (n - 2))
            total = [b * scale for b in total]
        else:
            sampled = set(starts)
            source = 1 / ((k - 1) * (n - 2)) if k > 1 else math.nan
            other = 1 / (k * (n - 2))
            total = [b * (source if i in sampled else other) for i, b in enumerate(total)]
    return dict(zip(nodes, total, strict=True))


def _reach(
    nbrs: dict[str, set[str]],
    start: str,
    depth: int,
    co: links.Cooccurrence | None,
    min_weight: int,
) -> set[str]:
    """Nodes within ``depth`` links of ``start``: through the relation links (``nbrs``:
    each end's neighbours), and co-occurrence links of at least ``min_weight`` (none
    without ``co``)."""
    seen, ring = {start}, {start}
    for _ in range(depth):
        step = {n for r in ring for n in nbrs.get(r, ())}
        if co is not None:
            step |= co.neighbours(ring, min_weight, seen)
        ring = step - seen
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
    ends = np.concatenate((a, b))  # each link's pull: onto ``a`` (negated), then ``b``
    k = math.sqrt(1.0 / len(nodes))
    temp = 0.1
    for _ in range(rounds):
        # Repulsion k²/d along each pair's direction, summed without the n×n×2 array of
        # differences: Σ_j (p_i − p_j)·k²/d²_ij = p_i·Σ_j w_ij − (W·p)_i with w = k²/d².
        # Six times cheaper on 120 nodes (12 ms against 70 ms a layout, measured). The
        # n×n steps are written in place (the same sums, a quarter faster).
        sq = (pos * pos).sum(axis=1)
        twice = pos @ pos.T
        twice *= 2.0
        push = np.add.outer(sq, sq)
        push -= twice  # the squared distances
        np.maximum(push, 0.0001, out=push)  # points closer than 0.01 push as if 0.01 apart
        np.divide(k * k, push, out=push)
        np.fill_diagonal(push, 0.0)
        disp = pos * push.sum(axis=1)[:, None] - push @ pos
        if len(a):
            d = pos[a] - pos[b]
            dd = np.hypot(d[:, 0], d[:, 1])
            dd[dd == 0] = 0.01
            pull = d / dd[:, None] * (dd * dd / k)[:, None]
            np.add.at(disp, ends, np.concatenate((-pull, pull)))  # in the same order
        length = np.hypot(disp[:, 0], disp[:, 1])
        length[length == 0] = 0.01
        pos += disp / length[:, None] * np.minimum(length, temp)[:, None]
        temp *= 0.95
    lo, span = pos.min(axis=0), np.ptp(pos, axis=0)
    span[span == 0] = 1
    margin = 60
    scaled = np.rint(margin + (pos - lo) / span * (SIZE - 2 * margin)).astype(int)
    return {n: (int(scaled[i, 0]), int(scaled[i, 1])) for i, n in enumerate(nodes)}


def evidence_links(g: dict[str, Any]) -> list[str]:
    """The evidence page of each link drawn, in the order of ``g["edges"]`` (each node's
    id quoted once, as ``urlencode`` quotes it, not once for each of its links)."""
    quoted = {n["id"]: quote_plus(n["id"], safe="") for n in g["nodes"]}
    return [f"/network/evidence?a={quoted[e['a']]}&b={quoted[e['b']]}" for e in g["edges"]]


@dataclass(frozen=True)
class Drawing:
    """The network page's drawing (its links, then its nodes, inside the SVG) and its
    table of links, escaped: hundreds of links and nodes with a dozen values each, written
    here rather than by the template (which took most of a network page's time)."""

    svg: Markup
    table: Markup


def drawing(
    g: dict[str, Any],
    t: Callable[..., str],
    found: set[str],
    evidence: list[str],
    names: dict[str, str],
) -> Drawing:
    """``g`` drawn: ``found``, the ids of the nodes to mark; ``evidence``, each link's page
    (``evidence_links``); ``names``, the nodes' names by id; ``t`` the page's language."""
    kinds = {k: escape(t(k)) for k in {e["kind"] for e in g["edges"]}}
    community, centrality = escape(t("community")), escape(t("centrality"))
    hrefs = [escape(h) for h in evidence]
    ids = {n["id"]: escape(n["id"]) for n in g["nodes"]}  # escaped once, not once a link
    out: list[str] = []
    for e, href in zip(g["edges"], hrefs, strict=True):
        out.append(
            f'<a href="{href}"><line class="edge edge-{escape(e["kind"])}" '
            f'data-a="{ids[e["a"]]}" data-b="{ids[e["b"]]}" x1="{e["x1"]}" y1="{e["y1"]}" '
            f'x2="{e["x2"]}" y2="{e["y2"]}" stroke-width="{e["w"]}"><title>{kinds[e["kind"]]}: '
            f"{e['weight']}</title></line></a>"
        )
    for n in g["nodes"]:
        name = escape(n["name"])
        opening, closing = (f'<a href="{escape(n["href"])}">', "</a>") if n["href"] else ("", "")
        out.append(
            f'<g class="node node-{escape(n["type"])} comm-{n["community"] % 10}'
            f'{" found" if n["id"] in found else ""}" data-id="{ids[n["id"]]}" '
            f'data-name="{name}">{opening}'
            f'<circle cx="{n["x"]}" cy="{n["y"]}" r="{n["r"]}"><title>{name} · {community} '
            f"{n['community'] + 1} · {centrality} {escape(n['centrality'])}</title></circle>"
            f'<text x="{n["x"]}" y="{n["y"] - n["r"] - 3}">{name}</text>'
            f"{closing}</g>"
        )
    shown = {n: escape(names.get(n, n)) for n in ids}
    rows = [
        f'<tr><td>{kinds[e["kind"]]}</td><td>{e["weight"]}</td><td><a href="{href}">'
        f"{shown[e['a']]} — {shown[e['b']]}</a></td></tr>"
        for e, href in zip(g["edges"], hrefs, strict=True)
    ]
    return Drawing(Markup("".join(out)), Markup("".join(rows)))


def evidence(
    case: Case, a: str, b: str, limit: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Items behind one edge, relations between the two then items naming both, in the
    case's order: the first ``limit`` of them (all when None), and how many there are."""
    ids: dict[str, str] = {}
    for r in links.relations_of(case.catalogue.db, [a, b]):
        ends = {r["se"] or "name:" + r["source"], r["te"] or "name:" + r["target"]}
        if ends == {a, b}:
            ids.setdefault(r["item_id"], r["kind"])
    if a != b and not a.startswith("name:") and not b.startswith("name:"):
        for item_id in links.items_naming(case.catalogue.db, a, b):
            ids.setdefault(item_id, links.KIND)
    shown = list(ids)[:limit]
    brief = findings_view.items_brief(case, shown)
    return [{**brief[i], "kind": ids[i]} for i in shown if i in brief], len(ids)
