"""The Dask executor: the same ``tasks.process`` run on a Dask cluster.

The coordinator (``docket ingest --cluster ADDRESS``) keeps everything that must have
one writer: acquisition order, the catalogue, the full-text index and the custody log.
Workers only store bytes in the case's blob store and extract; each task's events come
back as its result (see ``cluster_worker``). Hence the requirement that the case folder
(and, for files over ``cluster_inline_bytes``, the sources) be at the same path on every
machine: see docs/deploy.md.

Faults: a worker lost mid-task (killed, machine gone) makes the scheduler run the task
elsewhere; after ``distributed.scheduler.allowed-failures`` losses it gives up and the
item is recorded ``failed``/``worker-lost``. An exception inside a task is retried
``cluster_retries`` times. Losing the scheduler stops the run (re-run to resume).
"""

from __future__ import annotations

import queue
import time
import uuid
from pathlib import Path
from typing import Any

from docket import __version__
from docket.model.errors import Code, DocketError
from docket.pipeline.cluster_worker import run_task, versions_probe
from docket.pipeline.pool import Work
from docket.pipeline.tasks import Task, failure

_REFRESH = 1.0  # seconds between asking the scheduler how many worker threads it has


class ClusterError(DocketError):
    """The cluster cannot be used: unreachable, no workers, or a version mismatch."""


class DaskExecutor:
    """An ``Executor`` over a Dask cluster; ``submit`` while ``free()`` > 0."""

    def __init__(
        self,
        address: str,
        blobs_root: Path,
        settings: dict[str, Any],
        *,
        work: Work | None = None,
    ) -> None:
        self.address = address
        self.timeout = float(settings["cluster_timeout"])
        self.inline = int(settings["cluster_inline_bytes"])
        self.retries = int(settings["cluster_retries"])
        self.client = connect(address, settings)
        try:
            self.versions = check_versions(self.client)
        except BaseException:
            self.client.close()
            raise
        # Absolute: workers do not share the coordinator's working directory.
        self._args = (str(Path(blobs_root).resolve()), dict(settings), __version__, work)
        self._tasks: dict[str, tuple[Any, Task]] = {}  # future key -> (future, task)
        self._done: queue.Queue[Any] = queue.Queue()
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

    def free(self) -> int:
        # Twice the threads: each worker has its next task at hand while it finishes
        # one, yet the coordinator holds few results and inline bytes at any moment.
        self._refresh()
        return max(0, 2 * self._threads - len(self._tasks))

    def busy(self) -> int:
        return len(self._tasks)

    # -- work --------------------------------------------------------------------------
    def submit(self, task: Task) -> None:
        blobs_root, settings, version, work = self._args
        future = self.client.submit(
            run_task,
            task,
            self._inline_bytes(task),
            blobs_root,
            settings,
            version,
            work,
            key=f"docket-{task.item_id}-{uuid.uuid4().hex[:8]}",
            pure=False,
            retries=self.retries,
        )
        self._tasks[future.key] = (future, task)
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
        if not self._tasks:
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
        futures = [f for f in futures if f.key in self._tasks]
        finished = [f for f in futures if f.status == "finished"]
        results = dict(zip([f.key for f in finished], self._gather(finished), strict=True))
        events: list[tuple[Task, str, Any]] = []
        for future in futures:
            task = self._tasks.pop(future.key)[1]
            if future.key in results:
                for kind, value in results[future.key]:
                    if kind == "version":
                        raise ClusterError(
                            f"a worker joined with another Docket version: {value}; "
                            f"the coordinator runs {__version__}"
                        )
                    events.append((task, kind, value))
            else:
                events.append((task, "done", self._lost(future)))
        return events

    def _gather(self, futures: list[Any]) -> list[Any]:
        if not futures:
            return []
        try:
            return self.client.gather(futures)
        except Exception as exc:
            raise ClusterError(f"lost the scheduler at {self.address}: {exc}") from exc

    def _lost(self, future: Any) -> Any:
        if future.status == "cancelled":
            raise ClusterError(f"the scheduler at {self.address} dropped the run's tasks")
        exc = future.exception()
        if type(exc).__name__ == "KilledWorker":
            return failure(
                Code.WORKER_LOST,
                "every Dask worker that took this item died while processing it "
                "(the scheduler's allowed-failures limit was reached)",
            )
        return failure(
            Code.INTERNAL,
            f"failed on a Dask worker after {self.retries} retries: {type(exc).__name__}: {exc}",
        )

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
        futures = [f for f, _ in self._tasks.values()]
        self._tasks.clear()
        try:
            if futures:
                self.client.cancel(futures)
        finally:
            self.client.close()


def security(settings: dict[str, Any]) -> Any:
    """A Dask ``Security`` from the ``cluster_tls_*`` settings, or None without them."""
    ca, cert, key = (settings[f"cluster_tls_{k}"] for k in ("ca_file", "cert", "key"))
    if not (ca or cert or key):
        return None
    if not (ca and cert and key):
        raise ClusterError(
            "TLS needs all of cluster_tls_ca_file, cluster_tls_cert, cluster_tls_key"
        )
    from distributed.security import Security

    return Security(
        tls_ca_file=ca, tls_client_cert=cert, tls_client_key=key, require_encryption=True
    )


def connect(address: str, settings: dict[str, Any]) -> Any:
    """A client of the scheduler at ``address`` with at least one worker, or ClusterError."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError(
            "--cluster needs Dask: pip install 'distributed' (see docs/deploy.md)"
        ) from exc
    timeout = float(settings["cluster_timeout"])
    sec = security(settings)
    if address.startswith("tls://") and sec is None:
        raise ClusterError(
            f"{address} is a TLS address: set cluster_tls_ca_file, cluster_tls_cert and "
            "cluster_tls_key (docs/deploy.md)"
        )
    try:
        client = Client(address, timeout=timeout, security=sec, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s: {exc}"
        ) from exc
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {address} has no workers (waited {timeout:g} s)"
        ) from exc
    return client


def check_versions(client: Any) -> dict[str, str]:
    """Each worker's Docket version; ClusterError naming those that differ from ours."""
    answers = client.run(eval, versions_probe(), on_error="return")
    versions = {
        addr: v if isinstance(v, str) else f"none ({type(v).__name__}: {v})"
        for addr, v in answers.items()
    }
    wrong = {addr: v for addr, v in sorted(versions.items()) if v != __version__}
    if wrong:
        listed = "; ".join(f"{addr} has {v}" for addr, v in wrong.items())
        raise ClusterError(
            f"Docket version mismatch: this coordinator runs {__version__}, but worker {listed}. "
            "Install the same Docket version on every worker."
        )
    return versions
