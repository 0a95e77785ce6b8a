"""Answers kept per process until the case changes.

The key of every entry includes the case's *generation*: the size and modification time
of the catalogue, its write-ahead log and the full-text index's ``meta.json``. Any ingest,
resolution run or new finding changes one of them, so nothing stale is ever served, and
an analyst paging through results or refining facets does not pay twice."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
MAX_ENTRIES = 512

# .changed: touched when a server case's catalogue (in PostgreSQL) is written
_FILES = ("case.db", "case.db-wal", "index/meta.json", ".changed")


def generation(root: Path) -> tuple[tuple[int, int], ...]:
    """What changes whenever the catalogue or the index does."""
    out = []
    for name in _FILES:
        try:
            st = (root / name).stat()
        except OSError:
            out.append((0, 0))
        else:
            out.append((st.st_mtime_ns, st.st_size))
    return tuple(out)


class Memo:
    """A small thread-safe LRU of computed answers. A key asked for while another thread
    computes it waits for that answer rather than computing it again: eight analysts
    opening the same cold network page cost one reading, not eight at once."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Event] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        while True:
            with self._lock:
                if key in self._data:
                    self._data.move_to_end(key)
                    return self._data[key]  # type: ignore[no-any-return]
                running = self._computing.get(key)
                if running is None:
                    done = self._computing[key] = threading.Event()
                    break
            running.wait()  # then read its answer (or, had it failed, compute here)
        try:
            value = compute()  # outside the lock: other keys are answered meanwhile
            with self._lock:
                self._data[key] = value
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
            return value
        finally:
            with self._lock:
                del self._computing[key]
            done.set()
