"""``docket verify``: re-hash every blob against the catalogue and check the custody chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from docket.acquire.custody import check_chain
from docket.case import Case


@dataclass(slots=True)
class Problem:
    kind: str  # blob-mismatch | blob-missing | custody-chain | custody-record
    detail: str
    item: str | None = None
    path: list[str] | None = None


@dataclass(slots=True)
class Report:
    blobs_checked: int = 0
    items_checked: int = 0
    custody_lines: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(case: Case, on_blob: Callable[[int], None] | None = None) -> Report:
    report = Report()
    cat = case.catalogue
    # Which items point at each blob, so a mismatch names every affected item.
    rows = cat.db.execute(
        "SELECT id, path, sha256 FROM items WHERE sha256 IS NOT NULL ORDER BY sha256, rowid"
    )
    by_sha: dict[str, list[tuple[str, str]]] = {}
    for item_id, path, sha in rows:
        by_sha.setdefault(sha, []).append((item_id, path))
        report.items_checked += 1
    import json

    for sha, owners in by_sha.items():
        report.blobs_checked += 1
        if on_blob:
            on_blob(report.blobs_checked)
        if not case.blobs.exists(sha):
            for item_id, path in owners:
                report.problems.append(
                    Problem("blob-missing", f"blob {sha} is missing", item_id, json.loads(path))
                )
            continue
        actual = case.blobs.rehash(sha).sha256
        if actual != sha:
            for item_id, path in owners:
                report.problems.append(
                    Problem(
                        "blob-mismatch",
                        f"blob {sha} now hashes to {actual}",
                        item_id,
                        json.loads(path),
                    )
                )
    seq = cat.get_meta("custody_seq")
    head = cat.get_meta("custody_head")
    for brk in check_chain(case.root / "custody.log", int(seq) if seq else 0, head):
        report.problems.append(
            Problem("custody-chain", f"custody.log line {brk.line}: {brk.reason}")
        )
    # Each item's hash as recorded at acquisition must still be the catalogue's.
    recorded: dict[str, str] = {}
    for event in case.custody.events():
        report.custody_lines += 1
        for rec in event.get("items", []) if event.get("event") == "items" else []:
            if rec[1]:
                recorded[rec[0]] = rec[1]
    for item_id, path, sha in cat.db.execute(
        "SELECT id, path, sha256 FROM items WHERE sha256 IS NOT NULL"
    ):
        logged = recorded.get(item_id)
        if logged is not None and logged != sha:
            report.problems.append(
                Problem(
                    "custody-record",
                    f"catalogue hash {sha} differs from custody log {logged}",
                    item_id,
                    json.loads(path),
                )
            )
    return report
