"""The half of the Dask executor that runs on a Dask worker.

A Dask task runs ``run_batch``, which hands each of its items in turn to a one-process
docket ``LocalPool`` kept per worker thread (consecutive enrich tasks all at once, so
that the pool's worker runs them in batches, as in local mode). So the per-item timeout
and memory cap apply exactly as in local mode: a hung or huge item kills only that subprocess, never the Dask
worker, and its result is the same ``timeout`` / ``memory`` / ``crash`` record. The
events the pool emits (``stored``, ``done``) for each item, and the seconds it took, are
returned as the task's result; the coordinator writes them.

This module must not import ``distributed``: the pool's subprocesses unpickle ``_work``
from here, and they should stay as light as the local pool's.
"""

from __future__ import annotations

import ctypes
import dataclasses
import json
import multiprocessing
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Any

from docket.acquire.blobstore import BlobStore
from docket.model.errors import Code, DiskFull
from docket.model.results import ExtractResult
from docket.pipeline.pool import LocalPool, Many, Work
from docket.pipeline.tasks import EnrichTask, Task, process, process_many
from docket.settings import Settings

Events = list[tuple[str, Any]]
Batch = list[tuple[Task, bytes | None]]  # each item, with its bytes when they travel along

_local = threading.local()  # one pool per worker thread: LocalPool is not thread-safe
_PR_SET_PDEATHSIG = 1
_orphan_guard_set = False


def run_batch(
    batch: Batch,
    blobs_root: str,
    settings: Settings,
    version: str,
    work: Work | None = None,
) -> list[tuple[Events, float | None]]:
    """Process a batch of items on this worker, one after another (consecutive enrich
    tasks together); returns each item's events and the seconds it took (items run
    together share theirs evenly; None when that included starting the worker's pool,
    so it says nothing of the item), in the batch's order.

    Each item goes through the worker's one-process pool under its own limits, so one
    that times out, hogs memory or crashes is recorded as such and the next item runs in
    a fresh subprocess: a bad item never fails the rest of its batch (enrich tasks the
    pool ran in a batch with it are run again alone, see ``pipeline.pool``).
    """
    import docket

    # Workers that join after the connect-time check are caught here, before they
    # write anything to the case.
    if docket.__version__ != version:
        return [([("version", f"{socket.gethostname()} runs Docket {docket.__version__}")], None)]
    out: list[tuple[Events, float | None]] = []
    n = 0
    while n < len(batch):
        started = time.monotonic()
        pool, fresh = _pool(blobs_root, settings, work)
        task, data = batch[n]
        if not isinstance(task, EnrichTask):
            events = [_run_one(pool, task, data, blobs_root)]
        else:  # with the enrich tasks that follow it: the pool's worker batches them
            tasks = [task]
            while n + len(tasks) < len(batch) and isinstance(batch[n + len(tasks)][0], EnrichTask):
                tasks.append(batch[n + len(tasks)][0])
            events = _run_together(pool, tasks)
        # Items run together share their time evenly: the coordinator sizes its
        # batches from the mean.
        seconds = None if fresh else (time.monotonic() - started) / len(events)
        out.extend((item_events, seconds) for item_events in events)
        n += len(events)
    return out


def _run_together(pool: LocalPool, tasks: list[Any]) -> list[Events]:
    """Each task's events, the tasks submitted to the pool at once."""
    events: dict[int, Events] = {id(task): [] for task in tasks}
    left = len(tasks)
    for task in tasks:
        pool.submit(task)
    while left:
        for task, kind, value in pool.poll(1.0):
            events[id(task)].append((kind, value))
            left -= kind in ("done", "disk-full")
    return [events[id(task)] for task in tasks]


def _run_one(pool: LocalPool, task: Task, data: bytes | None, blobs_root: str) -> Events:
    """``data`` holds the bytes of a small top-level file, read by the coordinator, so the
    worker needs no access to the source for it; larger ones (``data`` is None) are read
    from ``task.source`` on shared storage, as the local pool does."""
    events: Events = []
    if data is not None:
        try:
            info = BlobStore(Path(blobs_root)).put_bytes(data)
        except DiskFull as exc:  # the case's disk: the run stops, the item stays pending
            return [("disk-full", str(exc))]
        except OSError as exc:
            message = f"cannot store the bytes in the case: {exc.strerror or exc}"
            return [("done", ExtractResult.failure(Code.UNREADABLE, message))]
        events.append(("stored", info))
        task = dataclasses.replace(task, sha256=info.sha256, size=info.size)
    pool.submit(task)
    while True:
        for _task, kind, value in pool.poll(1.0):
            events.append((kind, value))
            if kind in ("done", "disk-full"):
                return events


def _pool(blobs_root: str, settings: Settings, work: Work | None) -> tuple[LocalPool, bool]:
    """This thread's pool (running ``work``, or ``tasks.process`` with enrich tasks in
    batches), and whether it was started just now."""
    key = (blobs_root, json.dumps(settings, sort_keys=True, default=str), work)
    pool: LocalPool | None = getattr(_local, "pool", None)
    if pool is not None and _local.key == key:
        return pool, False
    if pool is not None:
        pool.close()
    _allow_children()
    many: Many | None = _GuardedMany(process_many) if work is None else None
    pool = LocalPool(1, Path(blobs_root), settings, work=_Guarded(work or process), many=many)
    _local.pool, _local.key = pool, key
    return pool, True


def _allow_children() -> None:
    # Dask's nanny starts each worker as a daemonic multiprocessing child, and
    # multiprocessing refuses to start children from a daemonic process. Our children
    # cannot outlive the worker anyway: their forkserver exits when the worker goes, and
    # the guard below makes the kernel kill them then.
    config = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    config.pop("daemon", None)


@dataclasses.dataclass(frozen=True, slots=True)
class _Guarded:
    """The pool's work function, first asking the kernel to SIGKILL this subprocess when
    its parent (the forkserver) exits, so a SIGKILLed Dask worker leaves no orphan
    still extracting."""

    work: Work

    def __call__(self, task: Task, root: Path, settings: Settings, emit: Any) -> None:
        _guard()
        self.work(task, root, settings, emit)


@dataclasses.dataclass(frozen=True, slots=True)
class _GuardedMany:
    """The pool's batch function, with the same guard."""

    many: Many

    def __call__(self, tasks: list[EnrichTask], settings: Settings) -> list[Events]:
        _guard()
        return self.many(tasks, settings)


def _guard() -> None:
    global _orphan_guard_set
    if not _orphan_guard_set:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # not Linux: orphans finish their item and exit on the closed pipe
        _orphan_guard_set = True


def versions_probe() -> str:
    """Source of the expression the coordinator evaluates on each worker at connect.

    It is sent as text to the builtin ``eval`` rather than as a function of this module,
    so a worker without Docket installed answers with an ImportError the coordinator can
    name, instead of failing to unpickle the probe.
    """
    return "__import__('docket').__version__"
