"""The co-occurrence arrays behind every network page (``views.network.Cooccurrence``):
sums, rings and the heaviest links among a drawing's nodes, whichever way they are
computed (row by row for a few entities, one pass over every link for many), agree with
the plain definitions on random graphs, sparse and dense."""

from __future__ import annotations

import random

import numpy as np
import pytest

from docket.views.network import Cooccurrence


def _graph(rnd: random.Random, n: int, density: float) -> tuple[Cooccurrence, dict]:
    ids = [f"p-{i:03d}" for i in range(n)]
    links = {
        (ids[i], ids[j]): rnd.choice((1, 1, 1, 2, 3, 7, 40))
        for i in range(n)
        for j in range(i + 1, n)
        if rnd.random() < density
    }
    number = {e: i for i, e in enumerate(ids)}
    a = np.array([number[x] for x, _ in links], np.int32)
    b = np.array([number[y] for _, y in links], np.int32)
    weight = np.array(list(links.values()), np.int64)
    return Cooccurrence(ids, a, b, weight), links


@pytest.mark.parametrize("density", [0.02, 0.3, 0.9])
def test_array_answers_match_the_definitions(density: float) -> None:
    rnd = random.Random(int(density * 100))
    co, links = _graph(rnd, 120, density)
    for _ in range(12):
        among = set(rnd.sample(co.ids, rnd.choice((1, 3, 20, 60, 110, 120))))
        min_weight = rnd.choice((1, 2, 5))
        heavy = {k: w for k, w in links.items() if w >= min_weight}
        sums: dict[str, int] = {}
        for (x, y), w in heavy.items():
            if x in among and y in among:
                sums[x] = sums.get(x, 0) + w
                sums[y] = sums.get(y, 0) + w
        assert co.degrees(min_weight, among) == sums
        whole: dict[str, int] = {}
        for (x, y), w in heavy.items():
            whole[x] = whole.get(x, 0) + w
            whole[y] = whole.get(y, 0) + w
        assert co.degrees(min_weight) == whole
        seen = among | set(rnd.sample(co.ids, 10))
        near = {y for x, y in heavy if x in among} | {x for x, y in heavy if y in among}
        assert co.neighbours(among, min_weight, seen) == near - seen
        inside = sorted(((-w, x, y) for (x, y), w in heavy.items() if x in among and y in among))
        top, total = co.heaviest(among, min_weight, 25)
        assert total == len(inside)
        assert top == [(x, y, -w) for w, x, y in inside[:25]]


def test_no_links_at_all() -> None:
    none = np.zeros(0, np.int32)
    co = Cooccurrence(["p-a", "p-b"], none, none, np.zeros(0, np.int64))
    assert co.degrees(1, {"p-a", "p-b"}) == {} and co.degrees(1) == {}
    assert co.neighbours({"p-a"}, 1, {"p-a"}) == set()
    assert co.heaviest({"p-a", "p-b"}, 1, 10) == ([], 0)
