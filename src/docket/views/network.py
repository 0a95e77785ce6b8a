"""What the network page reads: correspondence and payment relations with their resolved
ends, and co-occurrence from ``entity_links`` (counted over every item when resolution
ran, see ``docket.store.links``), held as arrays (``Cooccurrence``) so that a page's sums,
rings and drawn links are numpy operations, not a million pairs walked in Python."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np

from docket.store import links as derived
from docket.views.rows import rows as _rows

KIND = derived.KIND
NODE_TYPES = derived.NODE_TYPES
MAX_PER_ITEM = derived.MAX_PER_ITEM
# A relation with the entity each end was resolved to (``se``, ``te``; None when not).
_RELATIONS = (
    "SELECT r.id, r.item_id, r.kind, r.source, r.target, r.date, "
    "(SELECT entity_id FROM entity_members WHERE member = 'relation:' || r.id || ':source') AS se, "
    "(SELECT entity_id FROM entity_members WHERE member = 'relation:' || r.id || ':target') AS te "
)
_MENTIONS = "em.member >= 'mention:' AND em.member < 'mention;'"  # a range on the index


def ensure(db: sqlite3.Connection) -> None:
    """Build the co-occurrence links of a catalogue that has none or stale ones (an older
    Docket, memberships written by hand); once, then read."""
    derived.ensure(db)


def built(db: sqlite3.Connection) -> str | None:
    """A token that changes with each rebuild of the links (``docket.store.links.built``)."""
    return derived.built(db)


def cooccurrence(db: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """The co-occurrence count: ``(a, b, items naming both)`` for each pair, ``a < b``."""
    return Cooccurrence.read(db).pairs()


def relations(
    db: sqlite3.Connection,
    kind: str | None = None,
    date_from: str = "",
    date_to: str = "",
    limit: int = 20_000,
) -> list[dict[str, Any]]:
    """Relations with the entity each end was resolved to (``se``, ``te``; None when not)."""
    where: list[str] = ["1"]
    params: list[Any] = []
    if kind:
        where.append("r.kind = ?")
        params.append(kind)
    if date_from:
        where.append("r.date >= ?")
        params.append(date_from)
    if date_to:
        where.append("r.date <= ?")
        params.append(date_to + "\uffff")
    params.append(limit)
    return _rows(
        db,
        _RELATIONS + f"FROM relations r WHERE {' AND '.join(where)} LIMIT ?",
        params,
    )


def relations_of(db: sqlite3.Connection, ends: list[str]) -> list[dict[str, Any]]:
    """Relations with an end resolved to one of the entities ``ends``, or written as one
    of the unresolved names (``name:…``) among them; same rows as ``relations``."""
    ids = [e for e in ends if not e.startswith("name:")]
    names = [e.removeprefix("name:") for e in ends if e.startswith("name:")]
    return _rows(
        db,
        _RELATIONS + "FROM relations r WHERE r.id IN (SELECT CAST(substr(member, 10) AS INTEGER) "
        "FROM entity_members WHERE entity_id IN (SELECT value FROM json_each(?)) "
        "AND member >= 'relation:' AND member < 'relation;') "
        "OR r.source IN (SELECT value FROM json_each(?)) "
        "OR r.target IN (SELECT value FROM json_each(?)) ORDER BY r.id",
        (json.dumps(ids), json.dumps(names), json.dumps(names)),
    )


@dataclass
class Cooccurrence:
    """The ``entity_links`` co-occurrence table held as arrays: read once per rebuild of
    the links (the desk keeps it per process, ``network.desk_graph``), after which a
    network's sums, rings and links are array operations, not SQL over a million rows."""

    ids: list[str]  # entity ids, people and organisations, by number (in id order)
    a: np.ndarray  # each link's ends as numbers into ``ids``, and its weight
    b: np.ndarray
    weight: np.ndarray

    @classmethod
    def read(cls, db: sqlite3.Connection) -> Cooccurrence:
        """The case's links, built first if missing or stale."""
        ensure(db)
        return cls.load(db)

    @classmethod
    def load(cls, db: sqlite3.Connection) -> Cooccurrence:
        """The links as they stand (the caller has ``ensure``d them)."""
        marks = ",".join("?" * len(derived.NODE_TYPES))
        sql = f"SELECT id FROM entities WHERE type IN ({marks}) ORDER BY id"
        # Sorted here (as SQLite sorts them, made sure of): numbers compare as ids do.
        ids = sorted(r["id"] for r in _rows(db, sql, derived.NODE_TYPES))
        number = {e: i for i, e in enumerate(ids)}
        # One row per first end, its other ends and weights joined (in the same order:
        # both aggregates read the same rows), then split and mapped by C-level calls:
        # a million links in about half a second, where a row per link took seconds.
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for a, others, weights in db.execute(
            "SELECT a, group_concat(b, char(31)), group_concat(weight, ' ') "
            "FROM entity_links WHERE kind = ? GROUP BY a",
            (KIND,),
        ):
            bs = others.split("\x1f")
            # numbers read by C from the text (four times faster than a list of strings)
            ws = np.fromstring(weights, dtype=np.int64, sep=" ")
            if len(ws) != len(bs):  # not only whole numbers: read the slow way
                ws = np.array(weights.split(" "), dtype=np.int64)
            parts.append(
                (
                    np.full(len(bs), number.get(a, -1), np.int32),
                    np.fromiter(map(number.get, bs, repeat(-1)), np.int32, len(bs)),
                    ws,
                )
            )
        if not parts:
            none = np.zeros(0, np.int32)
            return cls(ids, none, none, np.zeros(0, np.int64))
        a, b, weight = (np.concatenate(column) for column in zip(*parts, strict=True))
        known = (a >= 0) & (b >= 0)
        return cls(ids, a[known], b[known], weight[known])

    def _among(self, ids: set[str] | None) -> np.ndarray:
        """A mask over entities: those in ``ids`` (every one when None)."""
        if ids is None:
            return np.ones(len(self.ids), dtype=bool)
        mask = np.zeros(len(self.ids), dtype=bool)
        number = self._adjacency().number
        mask[[number[e] for e in ids if e in number]] = True
        return mask

    def _adjacency(self) -> _Adjacency:
        """Each entity's links, both ways, held together (built on first need, then
        kept with the table): a ring's neighbours and the sums among a set of entities
        read the rows of those entities, not a mask over every link."""
        adj = self.__dict__.get("_adj")
        if adj is None:
            adj = _Adjacency.of(self)
            self.__dict__["_adj"] = adj
        return adj

    def degrees(self, min_weight: int, among: set[str] | None = None) -> dict[str, int]:
        """Each entity's weight summed over its links of at least ``min_weight`` (with
        ``among``, only links between two of those; entities left with none are left out)."""
        adj = self._adjacency()
        if among is None:
            sums = adj.full(min_weight)
        else:
            inside = self._among(among)
            if adj.few(inside):  # the rows of the entities inside
                row, other, weight = adj.entries(inside)
                keep = inside[other] & (weight >= min_weight)
                sums = np.bincount(row[keep], weight[keep], len(self.ids))
            elif adj.few(~inside):  # few outside: every link, less those to one outside
                row, other, weight = adj.entries(~inside)
                keep = inside[other] & (weight >= min_weight)
                sums = adj.full(min_weight) - np.bincount(other[keep], weight[keep], len(self.ids))
                sums *= inside
            else:  # one pass over every link (a sparse product): a third of the cost
                sums = adj.dot(inside, min_weight) * inside
        return {self.ids[i]: int(sums[i]) for i in np.flatnonzero(sums)}

    def neighbours(self, ids: set[str], min_weight: int, seen: set[str]) -> set[str]:
        """Entities outside ``seen`` with a link of at least ``min_weight`` to one of ``ids``."""
        adj = self._adjacency()
        ring, unseen = self._among(ids), ~self._among(seen)
        near = np.zeros(len(self.ids), dtype=bool)
        if adj.few(ring):  # from the ring outwards
            _, other, weight = adj.entries(ring)
            near[other[weight >= min_weight]] = True
        else:  # a wide ring: one pass over every link
            near = adj.touching(ring, min_weight)
        return {self.ids[i] for i in np.flatnonzero(near & unseen)}

    def pairs(self, min_weight: int = 1) -> list[tuple[str, str, int]]:
        """Every link of at least ``min_weight``, ends in id order."""
        keep = np.flatnonzero(self.weight >= min_weight)
        return sorted((self.ids[self.a[k]], self.ids[self.b[k]], int(self.weight[k])) for k in keep)

    def heaviest(
        self, ids: set[str], min_weight: int, limit: int
    ) -> tuple[list[tuple[str, str, int]], int]:
        """Links of at least ``min_weight`` between two of ``ids`` (the nodes drawn): the
        ``limit`` heaviest, each once, its ends in id order (heaviest first, then by their
        ends), and how many there are. Sorted as arrays: thousands of links among a
        drawing's nodes are not made into tuples to keep a few hundred."""
        adj = self._adjacency()
        inside = self._among(ids)
        row, other, weight = adj.entries(inside)
        keep = np.flatnonzero(inside[other] & (row < other) & (weight >= min_weight))
        x, y, w = row[keep], other[keep], weight[keep]
        top = np.lexsort((y, x, -w))[:limit]
        return [
            (self.ids[i], self.ids[j], int(k))
            for i, j, k in zip(x[top].tolist(), y[top].tolist(), w[top].tolist(), strict=True)
        ], len(keep)


@dataclass
class _Adjacency:
    """The links of ``Cooccurrence`` by entity: row ``i`` (``start[i]:start[i + 1]``)
    holds entity ``i``'s other ends and weights, every link in the rows of both ends."""

    number: dict[str, int]  # entity id to its row
    start: np.ndarray  # len(ids) + 1 row bounds
    counts: np.ndarray  # each row's number of entries
    row: np.ndarray  # the row of each entry (intp)
    other: np.ndarray  # the other end of each entry (intp: fast to index with)
    weight: np.ndarray  # its weight, as float64 (what sums are taken in; exact)
    filled: np.ndarray  # the rows with an entry
    _full: dict[int, np.ndarray] = field(default_factory=dict)

    @classmethod
    def of(cls, co: Cooccurrence) -> _Adjacency:
        first = np.concatenate((co.a, co.b)).astype(np.intp)
        other = np.concatenate((co.b, co.a)).astype(np.intp)
        # Fewer than 65,536 entities: sorted by their 16-bit numbers (a radix sort).
        small = len(co.ids) < 1 << 16
        order = np.argsort(first.astype(np.uint16) if small else first, kind="stable")
        counts = np.bincount(first, minlength=len(co.ids))
        return cls(
            number={e: i for i, e in enumerate(co.ids)},
            start=np.concatenate(([0], np.cumsum(counts))),
            counts=counts,
            row=first[order],
            other=other[order],
            weight=np.concatenate((co.weight, co.weight)).astype(np.float64)[order],
            filled=np.flatnonzero(counts),
        )

    def few(self, rows: np.ndarray) -> bool:
        """Whether the rows ``rows`` (a mask over entities) hold few enough entries that
        reading them row by row costs less than one pass over every entry (``dot``)."""
        return int(self.counts[rows].sum()) * 8 <= len(self.other)

    def touching(self, mask: np.ndarray, min_weight: int) -> np.ndarray:
        """A mask over entities: those with a link of at least ``min_weight`` to one in
        ``mask`` (one pass over every entry, as booleans)."""
        out = np.zeros(len(self.counts), dtype=bool)
        if len(self.filled):
            linked = mask[self.other]
            if min_weight > 1:
                linked &= self.weight >= min_weight
            out[self.filled] = np.logical_or.reduceat(linked, self.start[self.filled])
        return out

    def dot(self, mask: np.ndarray, min_weight: int) -> np.ndarray:
        """Each entity's weight summed over its links of at least ``min_weight`` to the
        entities in ``mask``: the links as a sparse matrix times the mask, in one pass over
        every entry (sums of whole numbers in float64: exact)."""
        out = np.zeros(len(self.counts))
        if len(self.filled):
            v = np.take(mask.astype(np.float64), self.other)
            v *= self.weight
            if min_weight > 1:
                v[self.weight < min_weight] = 0.0
            out[self.filled] = np.add.reduceat(v, self.start[self.filled])
        return out

    def entries(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The row, other end and weight of every entry in the rows ``rows`` (a mask over
        entities), row after row."""
        picked = np.flatnonzero(rows)
        if len(picked) > len(self.counts) // 4:  # many rows: one mask over every entry
            pick = rows[self.row]
            return self.row[pick], self.other[pick], self.weight[pick]
        bounds = [slice(self.start[i], self.start[i + 1]) for i in picked.tolist()]
        return (
            np.repeat(picked, self.counts[picked]),
            np.concatenate([self.other[b] for b in bounds] or [self.other[:0]]),
            np.concatenate([self.weight[b] for b in bounds] or [self.weight[:0]]),
        )

    def full(self, min_weight: int) -> np.ndarray:
        """Each entity's weight summed over all its links of at least ``min_weight``
        (kept for the last few weights asked)."""
        found = self._full.get(min_weight)
        if found is None:
            heavy = self.weight >= min_weight
            found = np.bincount(self.row[heavy], self.weight[heavy], len(self.counts))
            if len(self._full) >= 8:
                self._full.clear()
            self._full[min_weight] = found
        return found


def items_naming(db: sqlite3.Connection, a: str, b: str) -> list[str]:
    """Items that mention both entities, in processing order: the evidence behind their
    co-occurrence link (two ranges of ``entity_members``, each mention to its item)."""
    per = (
        "SELECT m.item_id FROM entity_members em JOIN mentions m "
        f"ON m.id = CAST(substr(em.member, 9) AS INTEGER) WHERE em.entity_id = ? AND {_MENTIONS}"
    )
    return [
        r["id"]
        for r in _rows(
            db,
            f"SELECT i.id FROM items i WHERE i.id IN ({per} INTERSECT {per}) ORDER BY i.rowid",
            (a, b),
        )
    ]
