"""The local executor: a pool of long-lived worker processes, each running one task at a
time under a wall-clock timeout and an address-space cap.

On a timeout the worker is killed (SIGKILL) and replaced; its item is recorded as
``timeout``. A worker that dies (a crash, or the kernel's OOM killer) has its item
recorded as ``crash`` or ``memory``. Workers are forked from a clean forkserver, never
from the coordinator, which holds SQLite and tantivy handles.

Each worker holds up to ``AHEAD`` tasks beyond the one it runs, and hands its messages
to a thread that sends them: while the coordinator, the single writer, commits a batch
(a few hundred ms on 2 cores), the workers go on with the next items instead of waiting
to be given one or to be read (stage one ran at 139 documents/s against a CPU-bound
ceiling of 167 on a quiet 2-core machine, most of the gap that wait).
Tasks queued behind an item that times out or dies are sent again to its replacement.

Enrich tasks in batches: a worker that takes an ``EnrichTask`` also takes the enrich
tasks already waiting in its pipe, up to ``BATCH_ITEMS`` items and ``BATCH_CHARS`` of
text (an item over that runs alone), runs the enrichers over all of them at once
(``tasks.process_many``: English NER calls its model once), then sends each item's
events in order, as if it had run them one by one. If the batch raises, each of its
items runs again alone, so only the culprit gets its ``internal`` failure. The
coordinator does not know where a worker's batches begin: when a worker dies or times
out while its first task is an enrich task that could have been batched with the next
one, nobody is blamed — every task it held is sent again, marked to run alone — and the
culprit, alone now, is the one recorded if the worker dies again. A task sent again
after a death is never batched.
"""

from __future__ import annotations

import errno
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

from docket.enrich import selected
from docket.model.errors import Code, DiskFull
from docket.model.results import ExtractResult
from docket.pipeline.tasks import EnrichTask, Events, Task, internal_failure, process
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


def prestart(settings: Settings) -> None:
    """Start the forkserver now, without waiting for it: its imports (about 0.6 s, spaCy
    most of it) go on while the coordinator opens the case and plans the run, and the
    pool made after it finds the server ready."""
    _preload(settings)
    from multiprocessing import forkserver

    forkserver.ensure_running()


Work = Callable[[Task, Path, Settings, Callable[[str, Any], None]], None]
# Several enrich tasks at once: each one's events (``tasks.process_many``).
Many = Callable[[list[EnrichTask], Settings], list[Events]]
Warm = Callable[[Settings], None]
_MANY = "many"  # a list of (kind, value) events sent as one message
# Tasks a worker holds beyond the one it runs: enough to keep it busy through one of the
# coordinator's commits (about 12 ms of CPU an item on the bench corpus) …
AHEAD = 16
# … and no more pickled bytes queued to a busy worker than its socket takes unread, so
# that sending a task never blocks the coordinator (an enrich task carries its text).
AHEAD_BYTES = 64 * 1024
# A batch of enrich tasks: at most this many items and characters of text. Half of what
# is queued to a worker: the rest stays queued while the batch runs, so the worker is
# not left waiting for the coordinator to send more after each batch.
BATCH_ITEMS = 16
BATCH_CHARS = AHEAD_BYTES // 2


@dataclass(frozen=True, slots=True)
class _Alone:
    """A task sent again after a worker died or timed out: never run in a batch."""

    task: Any


def _batchable(task: Any) -> bool:
    return isinstance(task, EnrichTask)


def _worker_main(
    conn: Connection,
    blobs_root: str,
    settings: Settings,
    work: Work,
    many: Many | None = None,
    warm: Warm | None = None,
) -> None:
    import resource

    outbox = _Outbox(conn)  # its thread's stack is mapped before the cap, not under it
    cap = int(settings["memory_mb"]) * 1024 * 1024
    if cap > 0:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator handles Ctrl-C
    # The extractors are imported by a worker's first extraction (the registry keeps
    # them), not as it starts: an enrich worker never needs them (0.3 s and 30 MB each).
    if warm is not None:
        try:
            warm(settings)  # the enrichers' models, while the coordinator sets up
        except Exception:  # loaded again by the first item, which reports what failed
            pass
    root = Path(blobs_root)
    held: list[tuple[str, Any]] = []

    def emit(kind: str, value: Any) -> None:
        # An item's index fields go with its result, one message: each message is a
        # pickle, a wake-up and two polls in the single writer. ``stored`` goes at once
        # (if the worker dies extracting, the item still gets its hashes), and so does
        # a keepalive.
        if kind == "index":
            held.append((kind, value))
        elif kind == "done" and held:
            held.append((kind, value))
            outbox.put((_MANY, held[:]))
            held.clear()
        else:
            outbox.put((kind, value))

    def run(task: Any) -> None:
        held.clear()
        try:
            work(task, root, settings, emit)
        except MemoryError:
            message = "out of memory under the worker's memory cap"
            outbox.put(("done", ExtractResult.failure(Code.MEMORY, message)))
        except DiskFull as exc:  # not the item's fault: the run stops, the item stays pending
            outbox.put(("disk-full", str(exc)))
        except Exception as exc:  # never let one item take the worker down silently
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                outbox.put(("disk-full", str(exc)))  # a write outside the blob store
            else:
                outbox.put(("done", internal_failure(exc)))

    inbox: deque[Any] = deque()  # received while forming a batch, not taken into it
    while True:
        if inbox:
            message = inbox.popleft()
        else:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
        if message is None:
            break
        if isinstance(message, _Alone):
            # A suspect: what the tasks before it sent goes out first, so that if it
            # kills the worker, the coordinator blames it and not one of those.
            outbox.flush()
            run(message.task)
            continue
        if many is None or not _batchable(message):
            run(message)
            continue
        batch = [message]
        chars = message.size
        while len(batch) < BATCH_ITEMS and chars < BATCH_CHARS and not inbox and conn.poll():
            try:
                following = conn.recv()
            except (EOFError, OSError):
                break
            if not _batchable(following) or chars + following.size > BATCH_CHARS:
                inbox.append(following)  # the next to run, after the batch
                break
            batch.append(following)
            chars += following.size
        if len(batch) > 1:
            try:
                events = many(batch, settings)
            except (Exception, DiskFull):
                events = None  # each alone: only the culprit gets its failure
            if events is not None:
                for item_events in events:
                    held.clear()
                    for kind, value in item_events:
                        emit(kind, value)
                continue
        for task in batch:
            run(task)
    outbox.close()


class _Outbox:
    """A worker's messages, sent in order by a thread of their own: the worker goes on
    with its next task while the coordinator is busy and its socket is full. Unbounded,
    but the coordinator gives a worker no more than ``AHEAD`` tasks it has not heard
    back about."""

    def __init__(self, conn: Connection) -> None:
        import queue

        self.conn = conn
        self.queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._send, name="outbox", daemon=True)
        self.thread.start()

    def put(self, message: Any) -> None:
        # Pickled here, in the worker's own thread: a MemoryError is the item's, as
        # before, and the sending thread allocates nothing large (a malloc arena of its
        # own would keep what it once held).
        self.queue.put(ForkingPickler.dumps(message))

    def _send(self) -> None:
        while (data := self.queue.get()) is not None:
            if isinstance(data, threading.Event):
                data.set()  # a flush: what was put before it is sent
                continue
            try:
                self.conn.send_bytes(data)
            except (BrokenPipeError, OSError):
                return  # the coordinator is gone

    def flush(self) -> None:
        """Wait until what is queued is sent (or the coordinator is gone)."""
        sent = threading.Event()
        self.queue.put(sent)
        while not sent.wait(0.1) and self.thread.is_alive():
            pass

    def close(self) -> None:
        """Send what is queued, then stop."""
        self.queue.put(None)
        self.thread.join()


@dataclass(slots=True)
class _Worker:
    process: Any
    conn: Connection
    # Sent and not finished, in order, each with its pickled size and whether it was
    # sent to run alone (``_Alone``): the first is running.
    tasks: deque[tuple[Task, int, bool]] = field(default_factory=deque)
    deadline: float = 0.0
    started_task: float = 0.0

    def start(self) -> None:
        """The first task is the one now running: its clock starts."""
        self.started_task = time.monotonic()


class LocalPool:
    """``submit`` tasks while ``free()`` > 0; ``poll`` returns ``(task, kind, value)`` events.

    ``many`` runs enrich tasks in batches (``tasks.process_many``; without it each runs
    alone); ``warm`` is called in each worker as it starts (``enrich.load_models``)."""

    def __init__(
        self,
        jobs: int,
        blobs_root: Path,
        settings: Settings,
        work: Work = process,
        *,
        many: Many | None = None,
        warm: Warm | None = None,
    ) -> None:
        self.jobs = max(1, jobs)
        self.timeout = float(settings["timeout"])
        self.long_timeout = float(settings["long_timeout"])
        self.memory_mb = int(settings["memory_mb"])
        self._args = (str(blobs_root), settings, work, many, warm)
        self.batches = many is not None
        # Submitted, not sent yet: each pickled, and whether it is to run alone.
        self.waiting: deque[tuple[Task, memoryview, bool]] = deque()
        self._task_bytes = 0.0  # pickled size of recent tasks
        _preload(settings)
        self.workers = [self._spawn() for _ in range(self.jobs)]
        self.name = f"local:{self.jobs}"

    def _spawn(self) -> _Worker:
        parent, child = _CTX.Pipe()
        proc = _CTX.Process(target=_worker_main, args=(child, *self._args), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _ahead(self) -> int:
        """Tasks a busy worker may hold now: ``AHEAD``, fewer when tasks are large (an
        enrich task carries its text), so that what waits here stays small too."""
        return min(AHEAD, int(AHEAD_BYTES // max(self._task_bytes, 1.0)))

    def free(self) -> int:
        """How many more tasks the pool takes now."""
        ahead = self._ahead()
        room = sum(max(0, 1 + ahead - len(w.tasks)) for w in self.workers)
        return max(0, room - len(self.waiting))

    def busy(self) -> int:
        """Tasks submitted and not finished."""
        return sum(len(w.tasks) for w in self.workers) + len(self.waiting)

    def submit(self, task: Task) -> None:
        data = ForkingPickler.dumps(task)
        self._task_bytes += (len(data) - self._task_bytes) / 4  # a running mean
        self.waiting.append((task, data, False))
        self._dispatch()

    def _dispatch(self) -> None:
        """Send waiting tasks, in order, to the workers with the fewest: an idle worker
        takes any task; a busy one takes a task only while what is queued to it stays
        within ``AHEAD`` tasks and ``AHEAD_BYTES``."""
        while self.waiting:
            task, data, alone = self.waiting[0]
            worker = min(self.workers, key=lambda w: len(w.tasks))
            if worker.tasks:
                queued = sum(n for _, n, _ in list(worker.tasks)[1:])
                if len(worker.tasks) > self._ahead() or queued + len(data) > AHEAD_BYTES:
                    return  # sent once a worker has room
            try:
                worker.conn.send_bytes(data)
            except (BrokenPipeError, OSError):
                if worker.tasks:
                    return  # it died working: poll records its task and replaces it
                self._replace(worker)  # died while idle: replace it and send again
                continue
            self.waiting.popleft()
            worker.tasks.append((task, len(data), alone))
            if len(worker.tasks) == 1:
                worker.start()
                worker.deadline = worker.started_task + self.timeout

    def poll(self, timeout: float) -> list[tuple[Task, str, Any]]:
        events: list[tuple[Task, str, Any]] = []
        busy = [w for w in self.workers if w.tasks]
        if not busy:
            return events
        now = time.monotonic()
        wait_for = max(0.0, min(timeout, min(w.deadline for w in busy) - now))
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], wait_for))
        for w in busy:
            if w.conn in ready:
                try:  # ready: one message waits (asking again is one more system call)
                    self._receive(w, w.conn.recv(), events)
                    while w.tasks and w.conn.poll():
                        self._receive(w, w.conn.recv(), events)
                except (EOFError, OSError):
                    pass
                if not w.tasks:
                    continue
            # The sentinel is ready once the process has exited (it was waited on above;
            # a death after that wait is seen on the next poll): no is_alive() per worker
            # and poll, each one more system call in the single writer's loop.
            task = w.tasks[0][0]
            if w.process.sentinel in ready:
                if not self._in_batch(w):
                    events.append((task, "done", self._death_result(w)))
                self._replace(w)
            elif time.monotonic() > w.deadline:
                took = time.monotonic() - w.started_task
                message = (
                    f"killed after {took:.0f} s (the per-item time limit is {self.timeout:g} s)"
                )
                if not self._in_batch(w):
                    events.append((task, "done", ExtractResult.failure(Code.TIMEOUT, message)))
                self._replace(w)
        self._dispatch()
        return events

    def _receive(self, w: _Worker, message: Any, events: list[tuple[Task, str, Any]]) -> None:
        """The events of one message from ``w``, about its running task."""
        for kind, value in message[1] if message[0] == _MANY else [message]:
            task = w.tasks[0][0]
            if kind == "keepalive":
                # Steady progress through a huge item: push the deadline out, but never
                # past the long-item ceiling.
                ceiling = w.started_task + self.long_timeout
                w.deadline = min(max(w.deadline, time.monotonic() + float(value)), ceiling)
                continue
            events.append((task, kind, value))
            if kind in ("done", "disk-full"):
                w.tasks.popleft()
                if w.tasks:  # the next one has started
                    w.start()
                    w.deadline = w.started_task + self.timeout

    def _in_batch(self, w: _Worker) -> bool:
        """Whether the task ``w`` runs may be in a batch with the next: then a death or
        a timeout is not known to be its doing (see the module's docstring)."""
        if not self.batches or len(w.tasks) < 2:
            return False
        (first, _, alone), (second, _, alone2) = w.tasks[0], w.tasks[1]
        return not alone and not alone2 and _batchable(first) and _batchable(second)

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
        # Tasks queued behind the one that ended it never started, or may have run in
        # a batch with it (all of them then, as no event was given for the first): sent
        # again, first, each to run alone.
        again = list(w.tasks)[0 if self._in_batch(w) else 1 :]
        self.waiting.extendleft(
            (task, ForkingPickler.dumps(_Alone(task)), True) for task, _, _ in reversed(again)
        )
        fresh = self._spawn()
        w.process, w.conn, w.tasks, w.deadline = fresh.process, fresh.conn, deque(), 0.0

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
