"""Clustering person names: distinct spellings are compared only within blocks, joined
strongest pair first, and never joined when any two of their spellings conflict.

Blocking: a match needs two agreeing parts, so each spelling is filed under every pair
of its parts' consonant skeletons (and, for OCR noise, every pair of their first three
folded letters). Two spellings meet only when they share such a key, so the work grows
with the block sizes, not with the square of the spellings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

from docket.resolve.names import skeleton
from docket.resolve.score import Verdict, compare, quick
from docket.text.names.parser import NameParts

MAX_BLOCK = 400  # larger blocks (two very common parts) are compared in windows
WINDOW = 60
MAX_LINK_CHECK = 25  # spellings per cluster checked for conflicts before a join


@dataclass(slots=True)
class Join:
    a: int
    b: int
    verdict: Verdict


@dataclass(slots=True)
class Clusters:
    groups: list[list[int]]  # indexes of the input spellings, one list per cluster
    joins: dict[int, list[Join]] = field(default_factory=dict)  # group index -> joins used
    stats: dict[str, int] = field(default_factory=dict)


def block_keys(parts: NameParts) -> set[str]:
    values = [v for _, v in parts.parts() if v]
    keys: set[str] = set()
    for x, y in combinations(sorted(set(values)), 2):
        keys.add("s:" + "|".join(sorted((skeleton(x), skeleton(y)))))
        keys.add("p:" + "|".join(sorted((x[:3], y[:3]))))
    return keys


def candidate_pairs(names: Sequence[NameParts], stats: dict[str, int]) -> set[tuple[int, int]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, parts in enumerate(names):
        for key in block_keys(parts):
            blocks[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK:
            pairs.update(combinations(members, 2))
            continue
        # A huge block (Muhammad + Ali): compare each spelling with its neighbours in
        # folded order only, so near-identical spellings still meet.
        stats["large_blocks"] = stats.get("large_blocks", 0) + 1
        ordered = sorted(members, key=lambda i: names[i].tokens)
        for n, i in enumerate(ordered):
            pairs.update((min(i, j), max(i, j)) for j in ordered[n + 1 : n + WINDOW])
    stats["candidate_pairs"] = len(pairs)
    return pairs


class _Sets:
    """Union-find over spellings that refuses a join across a conflict."""

    def __init__(self, names: Sequence[NameParts], conflict: dict[tuple[int, int], bool]) -> None:
        self.names = names
        self.parent = list(range(len(names)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(names))}
        self.conflict = conflict  # (i, j) -> whether compare(names[i], names[j]) conflicts

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def conflicts(self, ra: int, rb: int) -> bool:
        for x in self.members[ra][:MAX_LINK_CHECK]:
            for y in self.members[rb][:MAX_LINK_CHECK]:
                known = self.conflict.get((x, y))
                if known is None:
                    known = self.conflict[x, y] = bool(quick(self.names[x], self.names[y]).conflict)
                if known:
                    return True
        return False

    def union(self, ra: int, rb: int) -> int:
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        return ra


def cluster_names(names: Sequence[NameParts]) -> Clusters:
    """Cluster parsed spellings; each cluster's joins say why its members were joined."""
    stats: dict[str, int] = {"spellings": len(names)}
    joins: list[Join] = []
    conflict: dict[tuple[int, int], bool] = {}  # compared once: joins check them again
    for i, j in candidate_pairs(names, stats):
        verdict = quick(names[i], names[j])
        conflict[i, j] = bool(verdict.conflict)
        if verdict.match:  # its score is ``compare``'s; the notes are taken for joins used
            joins.append(Join(i, j, verdict))
    stats["matching_pairs"] = len(joins)
    joins.sort(key=lambda jn: (-jn.verdict.score, jn.a, jn.b))
    sets = _Sets(names, conflict)
    used: dict[int, list[Join]] = defaultdict(list)
    refused = 0
    for jn in joins:
        ra, rb = sets.find(jn.a), sets.find(jn.b)
        if ra == rb:
            continue
        if sets.conflicts(ra, rb):
            refused += 1
            continue
        root = sets.union(ra, rb)
        other = rb if root == ra else ra
        jn.verdict = compare(names[jn.a], names[jn.b])  # with the notes, for the explanation
        used[root].extend([*used.pop(other, []), jn])
    stats["refused_joins"] = refused
    roots = sorted(sets.members, key=lambda r: min(sets.members[r]))
    groups = [sorted(sets.members[r]) for r in roots]
    return Clusters(groups, {n: used.get(r, []) for n, r in enumerate(roots)}, stats)
