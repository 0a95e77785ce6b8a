"""The network's betweenness centrality, computed over lists of numbers, is networkx's
to the last bit: on random graphs small enough to take every source and large enough to
be sampled, with nodes that no path reaches."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from docket.serve.network import betweenness


@pytest.mark.parametrize(("n", "p"), [(3, 0.9), (12, 0.3), (40, 0.1), (41, 0.2), (121, 0.05)])
def test_same_numbers_as_networkx(n: int, p: float) -> None:
    rnd = random.Random(n)
    g = nx.Graph()
    g.add_nodes_from(f"p-{i:03d}" for i in rnd.sample(range(n), n))
    nodes = list(g)
    for _ in range(int(p * n * n)):
        a, b = rnd.sample(nodes, 2)
        g.add_edge(a, b)
    mine = betweenness(list(g), [list(g[v]) for v in g], 40)
    assert mine == nx.betweenness_centrality(g, k=min(n, 40), seed=7)
    assert list(mine) == nodes
