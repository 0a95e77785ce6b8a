"""The Dask executor: the same ``tasks.process`` run on a Dask cluster.

The coordinator (``docket ingest --cluster ADDRESS``) keeps everything that must have
one writer: acquisition order, the catalogue, the full-text index and the custody log.
Workers only store bytes in the case's blob store and extract; each task's events come
back as its result (see ``cluster_worker``). Hence the requirement that the case folder
(and, for files over ``cluster_inline_bytes``, the sources) be at the same path on every
machine: see docs/deploy.md.

Batching: a Dask task costs milliseconds of scheduling, as much as extracting a small
text file, so items travel in batches sized to take about ``_BATCH_SECONDS`` of worker
time each (from the time items took so far), at most ``cluster_batch_items`` items and
``cluster_inline_bytes`` bytes. A scanned page, seconds of OCR, goes alone; short text
files go by the dozen. The first tasks of a run hold one item each, until times come in.

Faults: a worker lost mid-task (killed, machine gone) makes the scheduler run the task
elsewhere; after ``distributed.scheduler.allowed-failures`` losses it gives up. Dask
counts a loss against every task the worker held, not only the one that killed it, so
the items of a task given up on are run again one at a time, alone on the cluster; one
whose worker still dies then is the culprit, recorded ``failed``/``worker-lost``. A task
that raises is retried ``cluster_retries`` times, and then its items too are run alone.
Losing the scheduler stops the run (re-run to resume).
"""

from __future__ import annotations

import errno
import queue
import time
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docket import __version__
from docket.model.errors import Code, DiskFull
from docket.model.results import ExtractResult
from docket.pipeline.cluster_connect import ClusterError, check_versions, connect
from docket.pipeline.cluster_worker import run_batch
from docket.pipeline.pool import Work
from docket.pipeline.tasks import Task, internal_failure
from docket.settings import Settings

__all__ = ["ClusterError", "DaskExecutor"]

_REFRESH = 1.0  # seconds between asking the scheduler how many worker threads it has
_BATCH_SECONDS = 1.0  # worker time one task should take: overhead small, tail short


@dataclass(slots=True)
class _Sent:
    future: Any
    tasks: list[Task]
    alone: bool  # run alone on the cluster: a worker lost now is this item's doing


class DaskExecutor:
    """An ``Executor`` over a Dask cluster; ``submit`` while ``free()`` > 0."""

    def __init__(
        self,
        address: str,
        blobs_root: Path,
        settings: Settings,
        *,
        work: Work | None = None,
    ) -> None:
        self.address = address
        self.timeout = float(settings["cluster_timeout"])
        self.inline = int(settings["cluster_inline_bytes"])
        self.retries = int(settings["cluster_retries"])
        self.batch_items = max(1, int(settings["cluster_batch_items"]))
        self.client = connect(address, settings)
        try:
            self.versions = check_versions(self.client)
        except BaseException:
            self.client.close()
            raise
        # Absolute: workers do not share the coordinator's working directory.
        self._args = (str(Path(blobs_root).resolve()), settings, __version__, work)
        self._waiting: deque[Task] = deque()  # submitted, not yet sent in a batch
        self._suspects: deque[Task] = deque()  # to run alone, one at a time
        self._sent: dict[str, _Sent] = {}  # future key -> batch
        self._done: queue.Queue[Any] = queue.Queue()
        self._item_seconds: float | None = None  # moving average of worker time per item
        self._threads = 0
        self._workers = 0
        self._asked = 0.0
        self._idle_since: float | None = None
        self._refresh(force=True)

    # -- capacity ----------------------------------------------------------------------
    def _refresh(self, force: bool = False) -> None:
        if not force and time.monotonic() - self._asked < _REFRESH:
            return
        try:
            nthreads = self.client.nthreads()
        except Exception as exc:
            raise ClusterError(f"lost the scheduler at {self.address}: {exc}") from exc
        self._workers, self._threads = len(nthreads), sum(nthreads.values())
        self._asked = time.monotonic()

    @property
    def name(self) -> str:
        self._refresh()
        return f"dask:{self.address} ({self._workers} workers, {self._threads} threads)"

    def workers(self) -> int:
        self._refresh()
        return self._workers

    def _slots(self) -> int:
        # Twice the threads: each worker has its next task at hand while it finishes
        # one, yet the coordinator holds few results and inline bytes at any moment.
        self._refresh()
        return max(0, 2 * self._threads - len(self._sent))

    def batch_size(self) -> int:
        """Items per task now: enough for about ``_BATCH_SECONDS`` of worker time."""
        if self._item_seconds is None:
            return 1
        return max(1, min(self.batch_items, int(_BATCH_SECONDS / max(self._item_seconds, 1e-4))))

    def batches(self) -> list[list[str]]:
        """The names of the items in each task now on the cluster."""
        return [[task.name for task in sent.tasks] for sent in self._sent.values()]

    def free(self) -> int:
        if self._suspects:
            return 0
        return max(0, self._slots() * self.batch_size() - len(self._waiting))

    def busy(self) -> int:
        sent = sum(len(s.tasks) for s in self._sent.values())
        return len(self._waiting) + len(self._suspects) + sent

    # -- work --------------------------------------------------------------------------
    def submit(self, task: Task) -> None:
        self._waiting.append(task)  # sent with others at the next poll

    def _dispatch(self) -> None:
        if self._suspects:
            if not self._sent:  # the cluster has drained: nothing else to blame
                self._send([self._suspects.popleft()], alone=True)
            return
        slots, size = self._slots(), self.batch_size()
        while self._waiting and slots > 0:
            batch: list[Task] = []
            nbytes = 0
            while self._waiting and len(batch) < size:
                if batch and nbytes + self._waiting[0].size > self.inline:
                    break
                batch.append(self._waiting.popleft())
                nbytes += batch[-1].size
            self._send(batch)
            slots -= 1

    def _send(self, tasks: list[Task], alone: bool = False) -> None:
        blobs_root, settings, version, work = self._args
        future = self.client.submit(
            run_batch,
            [(task, self._inline_bytes(task)) for task in tasks],
            blobs_root,
            settings,
            version,
            work,
            key=f"docket-{tasks[0].item_id}-{len(tasks)}-{uuid.uuid4().hex[:8]}",
            pure=False,
            retries=self.retries,
        )
        self._sent[future.key] = _Sent(future, tasks, alone)
        future.add_done_callback(self._done.put)  # called from the client's thread

    def _inline_bytes(self, task: Task) -> bytes | None:
        """The bytes of a small top-level file, or None to let the worker read it."""
        if task.sha256 is not None or task.source is None or task.size > self.inline:
            return None
        try:
            with open(task.source, "rb") as f:
                data = f.read(self.inline + 1)
        except OSError:
            return None  # the worker meets the same error and records it as local mode does
        return data if len(data) <= self.inline else None

    def poll(self, timeout: float) -> list[tuple[Task, str, Any]]:
        self._dispatch()
        if not self._sent:
            self._wait_for_workers(timeout)
            return []
        futures = []
        try:
            futures.append(
                self._done.get(timeout=timeout) if timeout > 0 else self._done.get_nowait()
            )
            while True:
                futures.append(self._done.get_nowait())
        except queue.Empty:
            pass
        futures = [f for f in futures if f.key in self._sent]
        finished = [f for f in futures if f.status == "finished"]
        results = dict(zip([f.key for f in finished], self._gather(finished), strict=True))
        events: list[tuple[Task, str, Any]] = []
        for future in futures:
            sent = self._sent.pop(future.key)
            if future.key in results:
                events.extend(self._events(sent.tasks, results[future.key]))
            else:
                events.extend(self._lost(future, sent))
        return events

    def _events(self, tasks: list[Task], result: Any) -> list[tuple[Task, str, Any]]:
        events = []
        for task, (item_events, seconds) in zip(tasks, result, strict=False):
            for kind, value in item_events:
                if kind == "version":
                    raise ClusterError(
                        f"a worker joined with another Docket version: {value}; "
                        f"the coordinator runs {__version__}"
                    )
                events.append((task, kind, value))
            if seconds is not None:
                prev = self._item_seconds
                self._item_seconds = seconds if prev is None else 0.8 * prev + 0.2 * seconds
        return events

    def _gather(self, futures: list[Any]) -> list[Any]:
        if not futures:
            return []
        try:
            return self.client.gather(futures)
        except Exception as exc:
            raise ClusterError(f"lost the scheduler at {self.address}: {exc}") from exc

    def _lost(self, future: Any, sent: _Sent) -> list[tuple[Task, str, Any]]:
        """A task given up on: run its items alone, or record the one that ran alone."""
        if future.status == "cancelled":
            raise ClusterError(f"the scheduler at {self.address} dropped the run's tasks")
        if not sent.alone:
            self._suspects.extend(sent.tasks)
            return []
        exc = future.exception()
        if type(exc).__name__ == "KilledWorker":
            result = ExtractResult.failure(
                Code.WORKER_LOST,
                "every Dask worker that took this item died while processing it, even "
                "with nothing else running (the scheduler's allowed-failures limit was reached)",
            )
        elif isinstance(exc, DiskFull) or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
            return [(sent.tasks[0], "disk-full", str(exc))]  # the run stops; the item stays pending
        else:
            where = f"on a Dask worker, after {self.retries} retries"
            result = (
                internal_failure(exc, f"; {where}")
                if exc is not None
                else ExtractResult.failure(Code.INTERNAL, f"failed {where}")
            )
        return [(sent.tasks[0], "done", result)]

    def _wait_for_workers(self, timeout: float) -> None:
        """Nothing in flight: if no worker is left, wait for one, but not forever."""
        if self.workers():
            self._idle_since = None
            return
        now = time.monotonic()
        self._idle_since = self._idle_since or now
        if now - self._idle_since > self.timeout:
            raise ClusterError(f"no Dask worker connected to {self.address} for {self.timeout:g} s")
        time.sleep(max(timeout, 0.2))

    def close(self) -> None:
        futures = [s.future for s in self._sent.values()]
        self._sent.clear()
        try:
            if futures:
                self.client.cancel(futures)
        finally:
            self.client.close()
