"""Replay the custody log into what the catalogue should hold, and tell an interrupted
commit from tampering.

Every ``items`` event carries one record per item written in that commit
(``docket.verify.records``); the latest record of an item wins. A ``recovered`` event
names the lines whose commit never happened (``uncommitted``: first and last line):
their records are undone, since the run that follows redoes and re-records that work.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docket.acquire.custody import ChainBreak, CustodyLog, check_chain
from docket.case import PENDING, read_marker
from docket.verify.records import normalise

UNDO_LINES = 64  # item lines kept undoable: a recovery names the last few lines only


@dataclass(slots=True)
class Replay:
    """The expected state of every item, from the log's ``items`` events."""

    expected: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: int = 0
    unreadable: list[int] = field(default_factory=list)  # lines with a record not understood
    _undo: deque[tuple[int, dict[str, dict[str, Any] | None]]] = field(
        default_factory=lambda: deque(maxlen=UNDO_LINES)
    )

    def __call__(self, n: int, event: dict[str, Any]) -> None:
        self.lines = n
        kind = event.get("event")
        if kind in ("items", "acquired") or (kind == "retry" and _records(event)):
            # A retry logs each reset item's full record (pipeline.outcome.retry_internal).
            before: dict[str, dict[str, Any] | None] = {}
            for raw in event.get("items") or []:
                record = normalise(raw)
                if record is None:
                    self.unreadable.append(n)
                    continue
                item_id = record["id"]
                if item_id not in before:
                    before[item_id] = self.expected.get(item_id)
                self.expected[item_id] = record
            self._undo.append((n, before))
        elif kind == "retry":
            # As an earlier Docket logged a retry: by id only. Code and message were
            # cleared, so their metadata hash waits for the record the retried run writes.
            before = {}
            for item_id in event.get("items") or []:
                record = self.expected.get(item_id) if isinstance(item_id, str) else None
                if record is not None:
                    before.setdefault(item_id, record)
                    record = {k: v for k, v in record.items() if k != "meta"}
                    self.expected[item_id] = {**record, "status": "pending"}
            self._undo.append((n, before))
        elif kind == "recovered":
            span = event.get("uncommitted")
            if isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span):
                self._forget(span[0], span[1])

    def _forget(self, first: int, last: int) -> None:
        while self._undo and self._undo[-1][0] >= first:
            line, before = self._undo.pop()
            if line > last:
                continue
            for item_id, record in before.items():
                if record is None:
                    self.expected.pop(item_id, None)
                else:
                    self.expected[item_id] = record


def _records(event: dict[str, Any]) -> bool:
    """Whether ``event`` logs item records (dicts), not bare ids as older retries did."""
    items = event.get("items") or []
    return bool(items) and isinstance(items[0], dict)


@dataclass(slots=True)
class Chain:
    replay: Replay
    breaks: list[ChainBreak]
    seq: int  # lines in the log
    head: str  # SHA-256 of its last line
    uncommitted: int = 0  # lines after the catalogue's head that an interrupted commit wrote
    committed_seq: int = 0


def read_chain(root: Path, recorded_seq: int, recorded_head: str | None) -> Chain:
    """Check the chain and replay it in one pass. When a pending-commit marker shows that
    the log's last lines were written by a commit that never happened, only the lines the
    catalogue committed are checked and replayed, and ``uncommitted`` counts the rest."""
    path = root / "custody.log"
    log = CustodyLog(path)
    marker = read_marker(root / PENDING)
    replay = Replay()
    uncommitted = 0
    limit = None
    if (
        marker is not None
        and isinstance(marker.get("seq"), int)
        and isinstance(marker.get("lines"), int)
        and marker["seq"] <= recorded_seq < log.seq <= marker["seq"] + marker["lines"]
    ):
        # Only the committed lines are checked (against the catalogue's head) and
        # replayed: a marker cannot hide a change to what was committed.
        uncommitted = log.seq - recorded_seq
        limit = recorded_seq
    breaks = check_chain(path, recorded_seq, recorded_head, limit=limit, on_record=replay)
    return Chain(replay, breaks, log.seq, log.head, uncommitted, recorded_seq)
