"""The local executor: a pool of long-lived worker processes, each running one task at a
time under a wall-clock timeout and an address-space cap.

On a timeout the worker is killed (SIGKILL) and replaced; its item is recorded as
``timeout``. A worker that dies (a crash, or the kernel's OOM killer) has its item
recorded as ``crash`` or ``memory``. Workers are forked from a clean forkserver, never
from the coordinator, which holds SQLite and tantivy handles.
"""

from __future__ import annotations

import errno
import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from docket.enrich import selected
from docket.model.errors import Code, DiskFull
from docket.model.results import ExtractResult
from docket.pipeline.tasks import Task, internal_failure, process
from docket.settings import Settings

_CTX = mp.get_context("forkserver")
# Heavy imports happen once in the forkserver, not in every worker (or respawn after a kill).
_PRELOAD = ["docket.pipeline.tasks", "docket.extract.registry", "lingua"]


def _preload(settings: Settings) -> None:
    """What the forkserver imports, set before it starts (the first pool's settings win):
    spaCy (about 50 MB resident in the forkserver and in every worker) only when English
    NER will run."""
    ner = any(e.name == "ner-english" for e in selected(settings))
    _CTX.set_forkserver_preload([*_PRELOAD, *(["spacy"] if ner else [])])


Work = Callable[[Task, Path, Settings, Callable[[str, Any], None]], None]


def _worker_main(conn: Connection, blobs_root: str, settings: Settings, work: Work) -> None:
    import resource

    cap = int(settings["memory_mb"]) * 1024 * 1024
    if cap > 0:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator handles Ctrl-C
    from docket.extract.registry import extractors

    extractors()  # import every extractor once, not per task
    root = Path(blobs_root)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            work(task, root, settings, lambda kind, value: conn.send((kind, value)))
        except MemoryError:
            conn.send(
                (
                    "done",
                    ExtractResult.failure(
                        Code.MEMORY, "out of memory under the worker's memory cap"
                    ),
                )
            )
        except DiskFull as exc:  # not the item's fault: the run stops, the item stays pending
            conn.send(("disk-full", str(exc)))
        except Exception as exc:  # never let one item take the worker down silently
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                conn.send(("disk-full", str(exc)))  # a write outside the blob store
            else:
                conn.send(("done", internal_failure(exc)))


@dataclass(slots=True)
class _Worker:
    process: Any
    conn: Connection
    task: Task | None = None
    deadline: float = 0.0
    started_task: float = 0.0


class LocalPool:
    """``submit`` tasks while ``free()`` > 0; ``poll`` returns ``(task, kind, value)`` events."""

    def __init__(
        self, jobs: int, blobs_root: Path, settings: Settings, work: Work = process
    ) -> None:
        self.jobs = max(1, jobs)
        self.timeout = float(settings["timeout"])
        self.long_timeout = float(settings["long_timeout"])
        self.memory_mb = int(settings["memory_mb"])
        self._args = (str(blobs_root), settings, work)
        _preload(settings)
        self.workers = [self._spawn() for _ in range(self.jobs)]
        self.name = f"local:{self.jobs}"

    def _spawn(self) -> _Worker:
        parent, child = _CTX.Pipe()
        proc = _CTX.Process(target=_worker_main, args=(child, *self._args), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def free(self) -> int:
        return sum(1 for w in self.workers if w.task is None)

    def busy(self) -> int:
        return self.jobs - self.free()

    def submit(self, task: Task) -> None:
        worker = next(w for w in self.workers if w.task is None)
        worker.task = task
        worker.started_task = time.monotonic()
        worker.deadline = worker.started_task + self.timeout
        try:
            worker.conn.send(task)
        except (BrokenPipeError, OSError):
            # Died while idle: replace it and send again.
            self._replace(worker)
            self.submit(task)

    def poll(self, timeout: float) -> list[tuple[Task, str, Any]]:
        events: list[tuple[Task, str, Any]] = []
        busy = [w for w in self.workers if w.task is not None]
        if not busy:
            return events
        now = time.monotonic()
        wait_for = max(0.0, min(timeout, min(w.deadline for w in busy) - now))
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], wait_for))
        for w in busy:
            task = w.task
            assert task is not None
            if w.conn in ready:
                try:
                    while w.conn.poll():
                        kind, value = w.conn.recv()
                        if kind == "keepalive":
                            # Steady progress through a huge item: push the deadline out,
                            # but never past the long-item ceiling.
                            ceiling = w.started_task + self.long_timeout
                            w.deadline = min(
                                max(w.deadline, time.monotonic() + float(value)), ceiling
                            )
                            continue
                        events.append((task, kind, value))
                        if kind in ("done", "disk-full"):
                            w.task = None
                            break
                except (EOFError, OSError):
                    pass
                if w.task is None:
                    continue
            # The sentinel is ready once the process has exited (it was waited on above;
            # a death after that wait is seen on the next poll): no is_alive() per worker
            # and poll, each one more system call in the single writer's loop.
            if w.process.sentinel in ready:
                events.append((task, "done", self._death_result(w)))
                self._replace(w)
            elif time.monotonic() > w.deadline:
                took = time.monotonic() - w.started_task
                message = (
                    f"killed after {took:.0f} s (the per-item time limit is {self.timeout:g} s)"
                )
                events.append((task, "done", ExtractResult.failure(Code.TIMEOUT, message)))
                self._replace(w)
        return events

    def _death_result(self, w: _Worker) -> Any:
        w.process.join(1)
        code = w.process.exitcode
        if code is not None and code < 0:
            sig = signal.Signals(-code).name
            if -code == signal.SIGKILL:
                return ExtractResult.failure(
                    Code.MEMORY, f"worker killed ({sig}); most likely out of memory"
                )
            return ExtractResult.failure(
                Code.CRASH, f"worker died with {sig} while extracting (a parser crashed)"
            )
        return ExtractResult.failure(
            Code.CRASH, f"worker exited with status {code} while extracting"
        )

    def _replace(self, w: _Worker) -> None:
        try:
            os.kill(w.process.pid, signal.SIGKILL)
        except (ProcessLookupError, TypeError):
            pass
        w.process.join(5)
        w.conn.close()
        fresh = self._spawn()
        w.process, w.conn, w.task, w.deadline = fresh.process, fresh.conn, None, 0.0

    def close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for w in self.workers:
            w.process.join(2)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(2)
