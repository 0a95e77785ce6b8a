"""``docket verify``: the catalogue, the blobs and the findings against the custody log.

What is checked (the codes in ``Problem.code``):

- the custody chain, line by line and against the head the catalogue recorded
  (``custody-chain``; a record the log holds but this Docket cannot read:
  ``custody-record``);
- every item against its latest custody record (``docket.verify.records``): present in
  both (``row-missing``, ``row-unlogged``), ``parent-mismatch``, ``path-mismatch``,
  ``hash-mismatch`` (SHA-256, MD5, SHA-1, size), ``status-mismatch``, ``text-mismatch``
  (segments), ``metadata-mismatch`` (type, embedded and file-system metadata, codes),
  ``derived-mismatch`` (mentions, table records, correspondence);
- every blob re-hashed (``blob-mismatch``, ``blob-missing``);
- every finding's citations: the item is there and the quoted words are still at the
  cited place (``finding-mismatch``);
- a table that should be there is gone (``table-missing``);
- a commit interrupted after its custody line was written (``interrupted``): not a
  mismatch; the next ``docket ingest`` resumes and records the recovery. While an ingest
  holds the case's lock the same state is a commit about to happen (``in-progress``).
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docket.case import Case
from docket.model.errors import CheckFailed, InterruptedRun
from docket.verify.findings import check_findings
from docket.verify.records import EMPTY_TEXT, FIELDS, catalogue_records
from docket.verify.replay import read_chain

# exit statuses of ``docket verify``, from the one table (docket.model.errors.EXIT_CODES)
OK, MISMATCH, INTERRUPTED = 0, CheckFailed.exit_code, InterruptedRun.exit_code
_FIELD_CODE = {
    "parent": "parent-mismatch",
    "path": "path-mismatch",
    "sha256": "hash-mismatch",
    "md5": "hash-mismatch",
    "sha1": "hash-mismatch",
    "size": "hash-mismatch",
    "status": "status-mismatch",
    "text": "text-mismatch",
    "meta": "metadata-mismatch",
    "derived": "derived-mismatch",
}
_TABLES = ("items", "segments", "mentions", "records", "relations", "findings")


@dataclass(slots=True)
class Problem:
    code: str
    detail: str
    item: str | None = None
    path: list[str] | None = None

    @property
    def kind(self) -> str:  # the name before codes were documented
        return self.code

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "item": self.item, "path": self.path, "detail": self.detail}


@dataclass(slots=True)
class Report:
    head_seq: int = 0
    head_hash: str = ""
    items_checked: int = 0
    blobs_checked: int = 0
    texts_checked: int = 0
    findings_checked: int = 0
    custody_lines: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def interrupted(self) -> bool:
        return any(p.code == "interrupted" for p in self.problems)

    @property
    def exit_code(self) -> int:
        """0 all agree; 6 only an interrupted run (resume with ``docket ingest``) or a
        commit a running ingest has yet to make; 1 else."""
        if self.ok:
            return OK
        pending = all(p.code in ("interrupted", "in-progress") for p in self.problems)
        return INTERRUPTED if pending else MISMATCH

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "head": {"seq": self.head_seq, "hash": self.head_hash},
            "checked": {
                "items": self.items_checked,
                "blobs": self.blobs_checked,
                "texts": self.texts_checked,
                "findings": self.findings_checked,
                "custody_lines": self.custody_lines,
            },
            "problems": [p.as_json() for p in self.problems],
        }


def verify(case: Case, on_blob: Callable[[int], None] | None = None) -> Report:
    report = Report()
    cat = case.catalogue
    db = cat.db
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in _TABLES:
        if table not in tables:
            report.problems.append(
                Problem("table-missing", f"the catalogue has no {table} table (dropped?)")
            )

    seq = int(cat.get_meta("custody_seq") or 0)
    chain = read_chain(case.root, seq, cat.get_meta("custody_head"))
    report.head_seq, report.head_hash = chain.seq, chain.head
    report.custody_lines = chain.seq
    if chain.uncommitted and _writer_active(case.root):
        report.problems.append(
            Problem(
                "in-progress",
                f"a docket process is writing the case: custody.log line(s) {seq + 1}-"
                f"{chain.seq} await its commit; verify again when it has finished",
            )
        )
    elif chain.uncommitted:
        report.problems.append(
            Problem(
                "interrupted",
                f"interrupted run: custody.log line(s) {seq + 1}-{chain.seq} were written but "
                "the catalogue commit they belong to never happened; resume with `docket ingest`",
            )
        )
    for brk in chain.breaks:
        report.problems.append(
            Problem("custody-chain", f"custody.log line {brk.line}: {brk.reason}")
        )
    for line in sorted(set(chain.replay.unreadable)):
        report.problems.append(
            Problem("custody-record", f"custody.log line {line}: an item record is unreadable")
        )

    expected = chain.replay.expected
    by_sha: dict[str, list[tuple[str, Any]]] = {}
    if "items" in tables:
        for actual in catalogue_records(db, frozenset(tables)):
            report.items_checked += 1
            if actual["text"] != EMPTY_TEXT:
                report.texts_checked += 1
            if actual["sha256"]:
                by_sha.setdefault(actual["sha256"], []).append((actual["id"], actual["path"]))
            _compare(report, actual, expected.pop(actual["id"], None))
    for item_id, record in expected.items():
        report.problems.append(
            Problem(
                "row-missing",
                "the custody log records this item; the catalogue has no row for it"
                + (f" (sha256 {record['sha256']})" if record.get("sha256") else ""),
                item_id,
                _as_path(record.get("path")),
            )
        )

    _check_blobs(case, report, by_sha, on_blob)
    if "findings" in tables and "items" in tables:
        for got in check_findings(db, segments="segments" in tables):
            if isinstance(got, int):
                report.findings_checked += 1
            else:
                report.problems.append(Problem("finding-mismatch", got.detail, got.item))
    return report


def _writer_active(root: Path) -> bool:
    """Whether a process holds the case's writer lock (``Case.lock``) right now."""
    try:
        f = open(root / ".lock", "rb")  # noqa: SIM115 - closed below
    except OSError:
        return False
    try:
        fcntl.flock(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        f.close()  # releases the probe's own lock at once
    return False


def _as_path(value: Any) -> list[str] | None:
    return [str(p) for p in value] if isinstance(value, list) else None


def _compare(report: Report, actual: dict[str, Any], logged: dict[str, Any] | None) -> None:
    path = _as_path(actual["path"])
    if logged is None:
        report.problems.append(
            Problem(
                "row-unlogged",
                "the catalogue has this item; the custody log never recorded it",
                actual["id"],
                path,
            )
        )
        return
    for key in FIELDS:
        if key not in logged or logged[key] == actual[key]:
            continue
        if key == "text":
            detail = "extracted text (segments) differs from what was logged"
        elif key == "meta":
            detail = "type or metadata differs from what was logged"
        elif key == "derived":
            detail = "mentions, table records or correspondence differ from what was logged"
        else:
            detail = f"{key}: catalogue {_show(actual[key])}, custody log {_show(logged[key])}"
        report.problems.append(Problem(_FIELD_CODE[key], detail, actual["id"], path))


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _check_blobs(
    case: Case,
    report: Report,
    by_sha: dict[str, list[tuple[str, Any]]],
    on_blob: Callable[[int], None] | None,
) -> None:
    for sha, owners in by_sha.items():
        report.blobs_checked += 1
        if on_blob:
            on_blob(report.blobs_checked)
        if not case.blobs.exists(sha):
            for item_id, path in owners:
                report.problems.append(
                    Problem("blob-missing", f"blob {sha} is missing", item_id, _as_path(path))
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
                        _as_path(path),
                    )
                )
