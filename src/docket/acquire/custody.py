"""The custody log: append-only JSON lines, each holding the SHA-256 of the line before.

Line ``n`` carries ``prev`` = SHA-256 of the exact bytes of line ``n-1`` (64 zeros for the
first line). Changing, removing or inserting a line breaks the chain at the next line.
The catalogue keeps the hash and number of the last line, so truncating or editing the
tail is caught as well.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docket import __version__

GENESIS = "0" * 64


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def actor() -> dict[str, Any]:
    """Who is running Docket, where, with which version."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return {"user": user, "host": socket.gethostname(), "pid": os.getpid(), "docket": __version__}


@dataclass(frozen=True, slots=True)
class ChainBreak:
    line: int
    reason: str


class CustodyLog:
    """Appends events to ``custody.log`` and checks its chain."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seq, self.head, self._size = 0, GENESIS, 0
        self.refresh()

    def refresh(self, locked: bool = True) -> None:
        """Catch up with lines another handle appended since this one last looked (the
        desk's threads and processes each hold their own): only the new bytes are read.
        Not ``locked`` (another writer may be mid-line), an unterminated last line waits."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            size = 0
        if size == self._size:
            return
        if size < self._size:  # cut back (a torn line taken back): read it all again
            self.seq, self.head, self._size = 0, GENESIS, 0
        with open(self.path, "rb") as f:
            f.seek(self._size)
            for raw in f:
                if not locked and not raw.endswith(b"\n"):
                    break
                self.seq += 1
                self.head = hashlib.sha256(raw.rstrip(b"\n")).hexdigest()
                self._size += len(raw)

    def append(self, event: str, **fields: Any) -> str:
        """Write one event; returns the new head hash. Each line is one write() + fsync,
        under an exclusive lock on the file, after catching up with other writers."""
        import fcntl

        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self.refresh()
            record = {"seq": self.seq + 1, "time": now_iso(), "event": event, "prev": self.head}
            record.update(fields)
            line = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str).encode()
            size = os.fstat(fd).st_size
            try:
                data = memoryview(line + b"\n")
                while data:
                    data = data[os.write(fd, data) :]
                os.fsync(fd)
            except OSError:
                # A full disk can leave part of the line written: take it back, so the
                # chain stays whole and the next run appends after the last whole line.
                os.ftruncate(fd, size)
                raise
            self.seq += 1
            self.head = hashlib.sha256(line).hexdigest()
            self._size = size + len(line) + 1
        finally:
            os.close(fd)  # releases the lock
        return self.head

    def events(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with open(self.path, "rb") as f:
            for raw in f:
                try:
                    yield json.loads(raw)
                except ValueError:
                    continue


def check_chain(
    path: Path,
    expected_seq: int | None = None,
    expected_head: str | None = None,
    *,
    limit: int | None = None,
    on_record: Callable[[int, dict[str, Any]], None] | None = None,
) -> list[ChainBreak]:
    """Every place where the chain is broken; empty when the log is intact.

    ``limit`` checks only the first ``limit`` lines (the part a catalogue committed,
    when a later line's commit was interrupted); ``on_record(n, record)`` sees every
    line read that parses, so one pass both checks the chain and replays the events."""
    breaks: list[ChainBreak] = []
    prev, n = GENESIS, 0
    if path.exists():
        with open(path, "rb") as f:
            for n, raw in enumerate(f, start=1):
                if limit is not None and n > limit:
                    n -= 1
                    break
                line = raw.rstrip(b"\n")
                if not raw.endswith(b"\n"):
                    breaks.append(ChainBreak(n, "line is not terminated (torn write)"))
                try:
                    record = json.loads(line)
                    if not isinstance(record, dict):
                        raise ValueError(line)
                except ValueError:
                    breaks.append(ChainBreak(n, "line is not valid JSON"))
                    record = {}
                if record.get("prev") != prev:
                    breaks.append(ChainBreak(n, "prev hash does not match the line before"))
                elif record.get("seq") != n:
                    breaks.append(ChainBreak(n, f"sequence number {record.get('seq')} != {n}"))
                if on_record is not None and record:
                    on_record(n, record)
                prev = hashlib.sha256(line).hexdigest()
    if expected_seq is not None and n != expected_seq:
        breaks.append(ChainBreak(n, f"log has {n} lines, catalogue recorded {expected_seq}"))
    elif expected_head is not None and prev != expected_head:
        breaks.append(ChainBreak(n, "last line differs from the head recorded in the catalogue"))
    return breaks
