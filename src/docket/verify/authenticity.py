"""Is it genuine? Authenticity signals, exact and near-duplicates for a whole case.

``analyse(case)`` runs every check of ``docket.verify.signals`` over the catalogue,
stores the signals in the ``signals`` table (replacing the previous ones) and returns a
``Report``; ``stored_signals`` reads them back for the web desk and the exported report;
``duplicates(case)`` finds exact and near-duplicate groups without writing anything.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from docket.case import Case
from docket.store.catalogue import Catalogue
from docket.text.normalize import tokens
from docket.verify.neardup import THRESHOLD, Vocabulary, group, jaccard, shingles_of
from docket.verify.signals import SEVERITIES, ItemView, Signal, case_checks, item_checks
from docket.verify.signals._time import parse
from docket.verify.worddiff import word_diff

MAX_CHARS = 400_000  # text compared per item: enough for a long report, bounded for a book
CAVEAT = (
    "These signals are leads, not findings. Each one says that two records disagree or "
    "that something is unusual in this cache; none proves a document forged, and their "
    "absence does not prove one genuine. Clocks are wrong, time zones shift times, and "
    "ordinary tools rewrite metadata when files are copied, converted or e-mailed; a "
    "careful forger can set every field checked here. Check each signal against the "
    "original and other sources before relying on it."
)


@dataclass(slots=True)
class Report:
    signals: list[Signal] = field(default_factory=list)
    exact_duplicates: list[list[dict[str, Any]]] = field(default_factory=list)
    near_duplicates: list[dict[str, Any]] = field(default_factory=list)
    items_checked: int = 0
    paths: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "caveat": CAVEAT,
            "items_checked": self.items_checked,
            "signals": [
                {
                    "id": s.item_id,
                    "path": self.paths.get(s.item_id, []),
                    "kind": s.kind,
                    "severity": s.severity,
                    "detail": s.detail,
                    "evidence": s.evidence,
                }
                for s in self.signals
            ],
            "exact_duplicates": [[m["path"] for m in group] for group in self.exact_duplicates],
            "near_duplicates": self.near_duplicates,
        }


def exact_duplicates(cat: Catalogue) -> list[list[dict[str, Any]]]:
    """Items sharing bytes, each group in processing order. Empty files are left out:
    every empty file has the same hash and says nothing about copying."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in cat.db.execute(
        "SELECT id, path, sha256 FROM items WHERE sha256 IN ("
        "  SELECT sha256 FROM items WHERE sha256 IS NOT NULL AND size > 0"
        "  GROUP BY sha256 HAVING count(*) > 1) ORDER BY rowid"
    ):
        groups[row["sha256"]].append(
            {"id": row["id"], "path": json.loads(row["path"]), "sha256": row["sha256"]}
        )
    return sorted(groups.values(), key=lambda g: g[0]["path"])


def near_duplicate_groups(cat: Catalogue, threshold: float = THRESHOLD) -> list[dict[str, Any]]:
    """Near-duplicate groups of item texts, exact copies (``duplicate_of``) left out since
    they are listed as exact duplicates. Each: ``{"items", "paths", "similarity", "diff"}``
    where ``diff`` holds, for each member after the first, the word changes from the first."""
    ids = [
        r[0]
        for r in cat.db.execute(
            "SELECT id FROM items WHERE duplicate_of IS NULL AND status != 'failed' AND "
            "EXISTS (SELECT 1 FROM segments s WHERE s.item_id = items.id) ORDER BY rowid"
        )
    ]
    # Shingles are hashed item by item, so a large case never holds every text at once.
    vocab = Vocabulary()
    shingles = [shingles_of(tokens(cat.text(i, MAX_CHARS)), vocab) for i in ids]
    out = []
    for found in group(shingles, threshold):
        members = [ids[m] for m in found.members]
        first = cat.text(members[0], MAX_CHARS)
        diff = []
        for m, item_id in zip(found.members[1:], members[1:], strict=True):
            diff.append(
                {
                    "item": item_id,
                    "against": members[0],
                    "similarity": _similarity(shingles[found.members[0]], shingles[m]),
                    "changes": word_diff(first, cat.text(item_id, MAX_CHARS)),
                }
            )
        out.append(
            {
                "items": members,
                "paths": [(cat.item(i) or {}).get("path", []) for i in members],
                "similarity": found.similarity,
                "diff": diff,
            }
        )
    return out


def duplicates(case: Case, threshold: float = THRESHOLD) -> dict[str, Any]:
    cat = case.catalogue
    return {
        "exact_duplicates": exact_duplicates(cat),
        "near_duplicates": near_duplicate_groups(cat, threshold),
    }


def _views(case: Case, groups: list[dict[str, Any]]) -> list[ItemView]:
    cat = case.catalogue
    started = {r["id"]: parse(r["started"]) for r in cat.runs()}
    dates: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item_id, value, text in cat.db.execute(
        "SELECT item_id, value, text FROM mentions WHERE kind = 'date' AND value IS NOT NULL"
    ):
        dates[item_id].append((value, text))
    group_of = {i: n for n, g in enumerate(groups) for i in g["items"]}
    views = []
    for item in cat.items():
        sha = item.get("sha256")
        blob = case.blobs.path(sha) if sha and case.blobs.exists(sha) else None
        views.append(
            ItemView(
                item=item,
                acquired=started.get(item.get("run_id") or 0),
                text_dates=dates.get(item["id"], []),
                blob=blob,
                group=group_of.get(item["id"]),
            )
        )
    return views


def _rank(signal: Signal) -> tuple[int, str]:
    return SEVERITIES.index(signal.severity), signal.kind


def analyse(case: Case, *, threshold: float = THRESHOLD, store: bool = True) -> Report:
    """Every signal for every item, most serious first; with ``store`` the ``signals``
    table is replaced by them (the caller must hold the case's writer lock)."""
    dups = duplicates(case, threshold)
    views = _views(case, dups["near_duplicates"])
    found: list[Signal] = []
    for view in views:
        for check in item_checks():
            found.extend(check(view))
    for case_check in case_checks():
        found.extend(case_check(views))
    report = Report(
        exact_duplicates=dups["exact_duplicates"],
        near_duplicates=dups["near_duplicates"],
        items_checked=len(views),
        paths={v.id: v.item.get("path") or [] for v in views},
    )
    order = {v.id: n for n, v in enumerate(views)}
    report.signals = sorted(found, key=lambda s: (*_rank(s), order.get(s.item_id, 0)))
    if store:
        store_signals(case.catalogue, report.signals)
    return report


def store_signals(cat: Catalogue, signals: list[Signal]) -> None:
    cat.begin()
    try:
        cat.db.execute("DELETE FROM signals")
        cat.db.executemany(
            "INSERT INTO signals (item_id, kind, severity, detail, evidence) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    s.item_id,
                    s.kind,
                    s.severity,
                    s.detail,
                    json.dumps(s.evidence, ensure_ascii=False, default=str),
                )
                for s in signals
            ],
        )
        cat.commit()
    except BaseException:
        cat.rollback()
        raise


def stored_signals(cat: Catalogue, item_id: str | None = None) -> list[dict[str, Any]]:
    """Signals as last stored by ``docket authenticity``, most serious first: ``{"id",
    "path", "kind", "severity", "detail", "evidence"}``; one item's with ``item_id``."""
    sql = (
        "SELECT s.item_id, i.path, s.kind, s.severity, s.detail, s.evidence FROM signals s "
        "LEFT JOIN items i ON i.id = s.item_id"
        + (" WHERE s.item_id = ?" if item_id else "")
        + " ORDER BY CASE s.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 "
        "WHEN 'low' THEN 2 ELSE 3 END, s.kind, s.id"
    )
    rows = cat.db.execute(sql, (item_id,) if item_id else ())
    return [
        {
            "id": r[0],
            "path": json.loads(r[1]) if r[1] else [],
            "kind": r[2],
            "severity": r[3],
            "detail": r[4],
            "evidence": json.loads(r[5]) if r[5] else {},
        }
        for r in rows
    ]


def _similarity(a: Any, b: Any) -> float:
    return round(jaccard(a, b), 3) if a is not None and b is not None else 0.0
