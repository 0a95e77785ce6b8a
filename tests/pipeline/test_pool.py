"""The local worker pool enforces its limits on real processes: a hung item is killed at
the timeout, a memory hog hits the cap, a crash is recorded, and the pool carries on."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from docket.model.results import ExtractResult
from docket.pipeline.pool import LocalPool
from docket.pipeline.tasks import Task
from docket.settings import load_settings


def behave(task: Task, root: Path, settings: dict[str, Any], emit: Any) -> None:
    """Stand-in work chosen by the task's name (runs in the worker process)."""
    if task.name == "hang":
        time.sleep(600)
    elif task.name == "hog":
        blocks = []
        while True:
            blocks.append(bytearray(64 * 1024 * 1024))
    elif task.name == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    emit("done", ExtractResult.failure("none", f"finished {task.name}"))


def _task(name: str) -> Task:
    return Task(item_id=name, name=name, extension="", depth=0, sha256=None, size=0, source=None)


def _run(pool: LocalPool, names: list[str], limit: float = 60) -> dict[str, Any]:
    results: dict[str, Any] = {}
    queue = list(names)
    deadline = time.monotonic() + limit
    while len(results) < len(names) and time.monotonic() < deadline:
        while queue and pool.free():
            pool.submit(_task(queue.pop(0)))
        for task, kind, value in pool.poll(0.1):
            if kind == "done":
                results[task.name] = value
    return results


def test_limits_are_enforced_and_the_pool_recovers(tmp_path: Path) -> None:
    settings = load_settings(None, timeout=5.0, memory_mb=1024)
    pool = LocalPool(2, tmp_path / "blobs", settings, work=behave)
    try:
        started = time.monotonic()
        results = _run(pool, ["hang", "hog", "segfault", "ok-1", "ok-2", "ok-3"])
        assert time.monotonic() - started < 30
    finally:
        pool.close()
    assert results["hang"].code == "timeout"
    assert "5 s" in results["hang"].message
    assert results["hog"].code == "memory"
    assert results["segfault"].code == "crash"
    assert "SIGSEGV" in results["segfault"].message
    for name in ("ok-1", "ok-2", "ok-3"):
        assert results[name].message == f"finished {name}"
    assert all(w.process.is_alive() is False for w in pool.workers)


def stamp(task: Task, root: Path, settings: dict[str, Any], emit: Any) -> None:
    """Finish at once, saying when (the monotonic clock is the machine's, not the process's)."""
    if task.name == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    if task.name == "slow":
        time.sleep(1)
    emit("done", ExtractResult.failure("none", f"{task.name} {time.monotonic()}"))


def test_workers_go_on_while_the_coordinator_is_busy(tmp_path: Path) -> None:
    """The single writer commits a batch without reading or handing out work: the
    workers hold the next tasks and keep their results until it reads them."""
    pool = LocalPool(2, tmp_path / "blobs", load_settings(None), work=stamp)
    try:
        names = [f"item-{n}" for n in range(12)]
        assert pool.free() >= len(names)
        for name in names:
            pool.submit(_task(name))
        time.sleep(3)  # the coordinator is busy: no poll
        woke = time.monotonic()
        results: dict[str, Any] = {}
        while len(results) < len(names):
            results |= {t.name: v for t, kind, v in pool.poll(1) if kind == "done"}
    finally:
        pool.close()
    assert sorted(results) == sorted(names)
    assert all(float(r.message.split()[1]) < woke for r in results.values())


def test_tasks_queued_behind_a_crash_are_done_once(tmp_path: Path) -> None:
    pool = LocalPool(1, tmp_path / "blobs", load_settings(None), work=stamp)
    names = ["slow", "segfault", "after-1", "after-2", "after-3"]
    big = "big-" + "x" * 200_000  # more than a busy worker is sent ahead
    try:
        for name in [*names, big]:
            pool.submit(_task(name))
        seen: list[str] = []
        deadline = time.monotonic() + 60
        while len(seen) < len(names) + 1 and time.monotonic() < deadline:
            seen += [t.name for t, kind, _ in pool.poll(0.5) if kind == "done"]
    finally:
        pool.close()
    assert seen == [*names, big]  # each once, in order; the crash's followers sent again
