"""A pool worker runs the enrich tasks waiting in its queue as one batch (English NER
calls its model once over all of them) and sends each item's result in order, the same
as alone; a batch that raises is run again item by item, so only the culprit fails; a
worker that dies or hangs in a batch blames nobody until the culprit, run alone, does it
again. The Dask worker's half runs a batch's enrich tasks through its pool together."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from docket import __version__
from docket.enrich import load_models
from docket.model.results import ExtractResult
from docket.pipeline import cluster_worker
from docket.pipeline.pool import LocalPool
from docket.pipeline.tasks import EnrichTask, Task, enrich_task, process_many
from docket.settings import DEFAULTS, load_settings
from tests.enrich.test_batch import TEXTS


def one(task: Any, root: Path, settings: Any, emit: Any) -> None:
    """Stand-in work for one task, chosen by its id (runs in the worker process)."""
    if task.item_id == "slow":
        time.sleep(1)  # the enrich tasks behind it wait in the worker's queue meanwhile
    elif task.item_id == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif task.item_id == "hang":
        time.sleep(600)
    elif task.item_id == "bad":
        raise KeyError("bad")
    emit("done", ExtractResult.failure("none", f"alone {task.item_id}"))


def many(tasks: list[Any], settings: Any) -> list[list[tuple[str, Any]]]:
    """Stand-in batch: fails as its worst task does alone."""
    for task in tasks:
        if task.item_id in ("crash", "hang", "bad"):
            one(task, Path(), settings, lambda kind, value: None)
    return [
        [("done", ExtractResult.failure("none", f"batch of {len(tasks)} {t.item_id}"))]
        for t in tasks
    ]


def _enrich(item_id: str, segments: Any = ()) -> EnrichTask:
    return EnrichTask(item_id, ("ner-english",), "text", "text/plain", "ok", None, {},
                      tuple(segments))  # fmt: skip


def _run(pool: LocalPool, tasks: list[Any], limit: float = 60) -> list[tuple[str, Any]]:
    """Every task submitted at once; the ``done`` events in the order they came."""
    for task in tasks:
        pool.submit(task)
    done: list[tuple[str, Any]] = []
    deadline = time.monotonic() + limit
    while len(done) < len(tasks) and time.monotonic() < deadline:
        done += [(t.item_id, v) for t, kind, v in pool.poll(0.2) if kind == "done"]
    return done


def _messages(done: list[tuple[str, Any]]) -> list[tuple[str, str | None]]:
    return [(item_id, value.message) for item_id, value in done]


def _pool(tmp_path: Path, **settings: Any) -> LocalPool:
    return LocalPool(1, tmp_path / "blobs", load_settings(None, **settings), one, many=many)


def _first() -> Task:
    return Task(item_id="slow", name="slow", extension="", depth=0, sha256=None, size=0,
                source=None)  # fmt: skip


def test_waiting_enrich_tasks_run_as_one_batch_in_order(tmp_path: Path) -> None:
    pool = _pool(tmp_path)
    try:
        done = _run(pool, [_first(), *(_enrich(f"e{n}") for n in range(6))])
    finally:
        pool.close()
    assert _messages(done) == [
        ("slow", "alone slow"),
        *((f"e{n}", f"batch of 6 e{n}") for n in range(6)),
    ]


def test_a_batch_that_raises_is_run_again_item_by_item(tmp_path: Path) -> None:
    pool = _pool(tmp_path)
    try:
        done = _run(pool, [_first(), _enrich("e1"), _enrich("bad"), _enrich("e2")])
    finally:
        pool.close()
    assert [item_id for item_id, _ in done] == ["slow", "e1", "bad", "e2"]
    by_id = dict(done)
    assert by_id["e1"].message == "alone e1" and by_id["e2"].message == "alone e2"
    assert by_id["bad"].code == "internal"
    assert by_id["bad"].message.startswith("KeyError: 'bad'")


def test_a_death_in_a_batch_blames_only_the_culprit(tmp_path: Path) -> None:
    pool = _pool(tmp_path)
    names = ["e1", "e2", "crash", "e3"]
    try:
        done = _run(pool, [_first(), *map(_enrich, names)])
    finally:
        pool.close()
    assert [item_id for item_id, _ in done] == ["slow", *names]  # each once, in order
    by_id = dict(done)
    assert by_id["crash"].code == "crash"
    assert [by_id[n].message for n in ("e1", "e2", "e3")] == ["alone e1", "alone e2", "alone e3"]


def test_a_batch_that_hangs_blames_only_the_culprit(tmp_path: Path) -> None:
    pool = _pool(tmp_path, timeout=2.0)
    try:
        done = _run(pool, [_first(), _enrich("e1"), _enrich("hang"), _enrich("e2")])
    finally:
        pool.close()
    assert [item_id for item_id, _ in done] == ["slow", "e1", "hang", "e2"]
    by_id = dict(done)
    assert by_id["hang"].code == "timeout"
    assert by_id["e1"].message == "alone e1" and by_id["e2"].message == "alone e2"


def _real_tasks() -> list[EnrichTask]:
    names = ("dates", "patterns", "ner-arabic", "ner-english", "aliases")
    return [
        EnrichTask(f"item-{n}", names, "text", "text/plain", "ok", None, {}, tuple(segments))
        for n, segments in enumerate(TEXTS)
        if segments
    ]


def test_the_real_enrichers_give_the_same_results_batched(tmp_path: Path) -> None:
    tasks = _real_tasks()
    alone = {t.item_id: enrich_task(t, DEFAULTS) for t in tasks}
    # The model loaded as the worker starts: every task waits in its queue by then.
    pool = LocalPool(1, tmp_path / "blobs", DEFAULTS, many=process_many, warm=load_models)
    try:
        done = _run(pool, tasks)
    finally:
        pool.close()
    assert [item_id for item_id, _ in done] == [t.item_id for t in tasks]
    assert dict(done) == alone
    assert any(m.kind == "person" for m in alone["item-0"]["ner-english"].mentions)


def test_a_dask_batch_of_enrich_tasks_gives_each_its_own_events(tmp_path: Path) -> None:
    tasks = _real_tasks()
    blobs = tmp_path / "blobs"
    try:
        out = cluster_worker.run_batch(
            [(t, None) for t in tasks], str(blobs), DEFAULTS, __version__
        )
    finally:
        pool = getattr(cluster_worker._local, "pool", None)
        if pool is not None:
            pool.close()
            del cluster_worker._local.pool
    assert len(out) == len(tasks)
    for task, (events, _) in zip(tasks, out, strict=True):
        assert [kind for kind, _ in events] == ["index", "done"]
        assert events[1][1] == enrich_task(task, DEFAULTS)
